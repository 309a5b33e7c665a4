import { useMemo } from 'react';
import type { LadderFrame } from '../../../../shared/contract';
import { StateBadge } from '../../components/StateBadge';
import type { SymbolChoice } from '../../components/SymbolPicker';
import { formatPrice, formatSize } from '../../format';
import { useStream } from '../../hooks/useStream';

interface Props {
  choice: SymbolChoice | null;
  depth?: number;
}

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

/** DOM ladder: asks above the spread (best nearest), bids below, size bars and cumulative size. */
export function LadderPanel({ choice, depth = 20 }: Props) {
  const params = choice ? { venue: choice.venue, symbol: choice.symbol, depth } : null;
  const { frame, error } = useStream('book.ladder', params, choice ? `${choice.venue}:${choice.symbol}:${depth}` : '');

  const view = useMemo(() => {
    if (!frame) return null;
    const bids = rows(frame.bids);
    const asks = rows(frame.asks);
    const maxSize = Math.max(1e-12, ...bids.map((r) => r.size), ...asks.map((r) => r.size));
    const bestBid = frame.bids[0]?.[0];
    const bestAsk = frame.asks[0]?.[0];
    let spreadBps: string | null = null;
    if (bestBid && bestAsk && frame.spread) {
      const mid = (Number(bestBid) + Number(bestAsk)) / 2;
      const bps = (Number(frame.spread) / mid) * 10_000;
      spreadBps = bps >= 1 ? bps.toFixed(2) : bps.toPrecision(2);
    }
    return { bids, asks, maxSize, spreadBps };
  }, [frame]);

  return (
    <section className="panel ladder-panel" aria-label="DOM ladder">
      <header className="panel-header">
        <h2>Ladder</h2>
        <span className="panel-symbol">{choice ? choice.symbol : '—'}</span>
        <StateBadge state={frame?.state ?? null} />
        {frame && (
          <span className="panel-meta" aria-label="Book depth">
            {frame.bidLevels} bids · {frame.askLevels} asks
          </span>
        )}
      </header>
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
        <table className="ladder" aria-label={`Order book ladder for ${frame.symbol}`}>
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
              <tr key={`a${i}`} className={`ask-row${i === view.asks.length - 1 ? ' best' : ''}`} data-side="ask">
                <td className="cum" />
                <td className="size" />
                <td className="price">{formatPrice(r.price, frame.priceDecimals)}</td>
                <td className="size">
                  <span className="bar" style={{ width: `${(r.size / view.maxSize) * 100}%` }} />
                  <span className="num">{formatSize(r.size, frame.sizeDecimals)}</span>
                </td>
                <td className="cum">{formatSize(r.cum, frame.sizeDecimals)}</td>
              </tr>
            ))}
            <tr className="spread-row" aria-label="Spread">
              <td colSpan={5}>
                spread <strong data-testid="spread">{frame.spread ? formatPrice(frame.spread, frame.priceDecimals) : '—'}</strong>
                {view.spreadBps && <span className="bps"> ({view.spreadBps} bps)</span>}
              </td>
            </tr>
            {view.bids.map((r, i) => (
              <tr key={`b${i}`} className={`bid-row${i === 0 ? ' best' : ''}`} data-side="bid">
                <td className="cum">{formatSize(r.cum, frame.sizeDecimals)}</td>
                <td className="size">
                  <span className="bar" style={{ width: `${(r.size / view.maxSize) * 100}%` }} />
                  <span className="num">{formatSize(r.size, frame.sizeDecimals)}</span>
                </td>
                <td className="price">{formatPrice(r.price, frame.priceDecimals)}</td>
                <td className="size" />
                <td className="cum" />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
