import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LadderFrame } from '../../../../shared/contract';
import { NumberSelect } from '../../components/PanelControls';
import { StateBadge } from '../../components/StateBadge';
import { bpsNumber, formatPriceText, formatQuantity, formatTrimmed } from '../../format';
import { useMarketFormat } from '../../hooks/useMarketFormat';
import { useStream } from '../../hooks/useStream';
import type { PanelProps } from '../types';

export interface LadderSettings {
  levels: number;
  group: number;
}

const LEVEL_CHOICES = [5, 10, 20, 30, 50];
const GROUP_CHOICES = [1, 2, 5, 10, 25, 50, 100, 500, 1000];

interface Row {
  price: string;
  size: number;
  cum: number;
}

function rows(levels: LadderFrame['bids']): Row[] {
  let cum = 0;
  return levels.map(([price, size]) => {
    const s = Number(size);
    cum += s;
    return { price, size: s, cum };
  });
}

/**
 * DOM ladder: asks above the spread (best nearest), bids below, size bars, cumulative size outwards.
 * Scroll to look further out; it recentres on the spread on its own until you scroll, and the
 * Recenter button (or the C key) brings it back.
 */
export function LadderPanel({ choice, settings, onSettings }: PanelProps<LadderSettings>) {
  const levels = settings.levels ?? 20;
  const group = settings.group ?? 1;
  const params = choice ? { venue: choice.venue, symbol: choice.symbol, depth: levels, group } : null;
  const { frame, error } = useStream('book.ladder', params, choice ? `${choice.venue}:${choice.symbol}:${levels}:${group}` : '');
  const alerts = useStream(
    'alerts',
    choice ? { venue: choice.venue, symbol: choice.symbol, activeOnly: true, limit: 50 } : null,
    choice ? `walls:${choice.venue}:${choice.symbol}` : '',
  ).frame;
  const sizeDecimals = useMarketFormat(choice).sizeDecimals;
  const scrollRef = useRef<HTMLDivElement>(null);
  const spreadRef = useRef<HTMLTableRowElement>(null);
  const [follow, setFollow] = useState(true);
  const programmatic = useRef(false);

  const view = useMemo(() => {
    if (!frame) return null;
    const bids = rows(frame.bids);
    const asks = rows(frame.asks);
    const maxSize = Math.max(1e-12, ...bids.map((r) => r.size), ...asks.map((r) => r.size));
    const bestBid = frame.bids[0]?.[0];
    const bestAsk = frame.asks[0]?.[0];
    let spreadBps: string | null = null;
    if (bestBid && bestAsk && frame.spread) {
      const bps = (Number(frame.spread) / ((Number(bestBid) + Number(bestAsk)) / 2)) * 10_000;
      spreadBps = bpsNumber(bps);
    }
    // Walls the analytics flagged: mark the row holding each one (with grouping, the row whose range holds it).
    const wallRows = { bid: new Set<number>(), ask: new Set<number>() };
    for (const a of alerts?.alerts ?? []) {
      if (a.kind !== 'wall' || a.state !== 'active') continue;
      const side = a.evidence.side === 'ask' ? 'ask' : 'bid';
      const price = Number(a.evidence.price);
      const list = side === 'bid' ? bids : asks;
      const i = list.findIndex((r) => (side === 'bid' ? Number(r.price) <= price : Number(r.price) >= price));
      if (i !== -1) wallRows[side].add(i);
    }
    return { bids, asks, maxSize, spreadBps, wallRows };
  }, [frame, alerts]);

  const recenter = () => {
    const box = scrollRef.current;
    const row = spreadRef.current;
    if (!box || !row) return;
    programmatic.current = true;
    box.scrollTop = row.offsetTop - box.clientHeight / 2 + row.clientHeight / 2;
  };

  // Recentre only when the rows around the spread change in number (or the box is resized, below):
  // reading layout after every frame forced a synchronous layout per update, the ladder's main cost.
  const centredFor = useRef('');
  const hasRows = frame !== null && view !== null;
  const rowCounts = view ? `${view.asks.length}:${view.bids.length}` : '';
  useLayoutEffect(() => {
    if (!follow) {
      centredFor.current = '';
      return;
    }
    if (centredFor.current === rowCounts) return;
    centredFor.current = rowCounts;
    recenter();
  }, [follow, rowCounts]);

  useEffect(() => {
    const box = scrollRef.current;
    if (!box || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (centredFor.current !== '') recenter();
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, [hasRows]);

  useEffect(() => {
    const box = scrollRef.current;
    if (!box) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.key === 'c' || e.key === 'C') && !e.ctrlKey && !e.metaKey && !e.altKey) {
        setFollow(true);
        recenter();
      }
    };
    box.addEventListener('keydown', onKey);
    return () => box.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="ladder-panel">
      <div className="panel-toolbar">
        <StateBadge state={frame?.state ?? null} />
        <NumberSelect label="Levels" name="Levels per side" value={levels} options={LEVEL_CHOICES} format={String} onChange={(n) => onSettings({ levels: n })} />
        <NumberSelect
          label="Group"
          name="Price grouping in ticks"
          value={group}
          options={GROUP_CHOICES}
          format={(n) => (n === 1 ? 'none' : `${n} ticks`)}
          onChange={(n) => onSettings({ group: n })}
        />
        <button
          type="button"
          className={follow ? 'tool-button active' : 'tool-button'}
          onClick={() => {
            setFollow(true);
            recenter();
          }}
          aria-label="Recenter on spread"
          title="Recenter on the spread (C)"
        >
          Recenter
        </button>
        {frame && (
          <span className="panel-meta" aria-label="Book depth">
            {frame.bidLevels} bids · {frame.askLevels} asks
          </span>
        )}
      </div>
      {!choice && <p className="empty-state">Pick a symbol to see its book.</p>}
      {error && (
        <p className="error-state" role="alert">
          {error.message}
        </p>
      )}
      {choice && !error && !frame && <p className="empty-state">Connecting to {choice.symbol}…</p>}
      {frame && frame.message && frame.state !== 'synced' && (
        <p className="warn-state" role="status">
          {frame.message}
        </p>
      )}
      {frame && view && (
        <div
          className="ladder-scroll"
          ref={scrollRef}
          tabIndex={0}
          onScroll={() => {
            if (programmatic.current) programmatic.current = false;
            else setFollow(false);
          }}
        >
          <table className="ladder" style={{ tableLayout: 'fixed' }} aria-label={`Order book ladder for ${frame.symbol}`}>
            <thead>
              <tr>
                <th scope="col">Bid cum</th>
                <th scope="col">Bid size</th>
                <th scope="col">Price</th>
                <th scope="col">Ask size</th>
                <th scope="col">Ask cum</th>
              </tr>
            </thead>
            <tbody>
              {[...view.asks].reverse().map((r, i) => (
                <tr
                  key={`a${i}`}
                  className={`ask-row${i === view.asks.length - 1 ? ' best' : ''}${view.wallRows.ask.has(view.asks.length - 1 - i) ? ' wall' : ''}`}
                  data-side="ask"
                  title={view.wallRows.ask.has(view.asks.length - 1 - i) ? 'Wall: a resting order far above the usual size' : undefined}
                >
                  <td className="cum" />
                  <td className="size" />
                  <td className="price">{formatPriceText(r.price, frame.priceDecimals)}</td>
                  <td className="size">
                    <span className="bar" style={{ width: `${(r.size / view.maxSize) * 100}%` }} />
                    <span className="num">{formatTrimmed(r.size, sizeDecimals)}</span>
                  </td>
                  <td className="cum">{formatQuantity(r.cum, sizeDecimals)}</td>
                </tr>
              ))}
              <tr className="spread-row" aria-label="Spread" ref={spreadRef}>
                <td colSpan={5}>
                  spread <strong data-testid="spread">{frame.spread ? formatPriceText(frame.spread, frame.priceDecimals) : '—'}</strong>
                  {view.spreadBps && <span className="bps"> ({view.spreadBps} bps)</span>}
                </td>
              </tr>
              {view.bids.map((r, i) => (
                <tr
                  key={`b${i}`}
                  className={`bid-row${i === 0 ? ' best' : ''}${view.wallRows.bid.has(i) ? ' wall' : ''}`}
                  data-side="bid"
                  title={view.wallRows.bid.has(i) ? 'Wall: a resting order far above the usual size' : undefined}
                >
                  <td className="cum">{formatQuantity(r.cum, sizeDecimals)}</td>
                  <td className="size">
                    <span className="bar" style={{ width: `${(r.size / view.maxSize) * 100}%` }} />
                    <span className="num">{formatTrimmed(r.size, sizeDecimals)}</span>
                  </td>
                  <td className="price">{formatPriceText(r.price, frame.priceDecimals)}</td>
                  <td className="size" />
                  <td className="cum" />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
