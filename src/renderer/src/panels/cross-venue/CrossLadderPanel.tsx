import { useRef } from 'react';
import type { CrossBookFrame, MergedLevel } from '../../../../shared/cross-venue';
import { formatDuration, formatPriceText, formatQuantity, withUnit } from '../../../../shared/format';
import { NumberSelect, StreamProblem } from '../../components/PanelControls';
import { useMarketFormat } from '../../hooks/useMarketFormat';
import { useSize } from '../../hooks/useSize';
import type { PanelProps } from '../types';
import { CrossGroupBar, ExcludedList } from './CrossGroupBar';
import { useCrossBook } from './useCrossBook';
import { venueColor } from './venue-colors';
import './cross-venue.css';

export interface CrossLadderSettings {
  group: number;
}

const GROUP_CHOICES = [1, 2, 5, 10, 25, 50, 100];
/** Rows asked for per side; the panel shows as many as fit. */
const LEVELS = 40;
const ROW_PX = 19;

/** Per-venue size columns beside the share bar up to this many venues (more: the bar and its tooltip only). */
const MAX_VENUE_COLUMNS = 4;

function Row({ level, side, venues, max, priceDecimals, sizeDecimals }: { level: MergedLevel; side: 'bid' | 'ask'; venues: string[]; max: number; priceDecimals: number; sizeDecimals: number }) {
  const total = Number(level.total);
  const title = `${level.price}: ${Object.entries(level.venues)
    .map(([v, s]) => `${v} ${s}`)
    .join(', ')} (total ${level.total})`;
  return (
    <tr className={`cross-row ${side}`} title={title} data-price={level.price}>
      <td className={`cross-price ${side}-text`}>{formatPriceText(level.price, priceDecimals)}</td>
      <td className="cross-share">
        <div className="share-bar" style={{ width: `${max > 0 ? (total / max) * 100 : 0}%` }}>
          {venues.map((v) => {
            const size = Number(level.venues[v] ?? 0);
            return size > 0 ? <span key={v} className="share" data-venue={v} style={{ flexGrow: size, background: venueColor(v) }} /> : null;
          })}
        </div>
      </td>
      {venues.length <= MAX_VENUE_COLUMNS &&
        venues.map((v) => (
          <td key={v} className="cross-venue-size" style={{ color: venueColor(v) }}>
            {level.venues[v] !== undefined ? formatQuantity(Number(level.venues[v]), sizeDecimals) : ''}
          </td>
        ))}
      <td className="cross-total">{formatQuantity(total, sizeDecimals)}</td>
    </tr>
  );
}

function NbboLine({ frame, priceDecimals, columns }: { frame: CrossBookFrame; priceDecimals: number; columns: number }) {
  const { bid, ask, crossed, arbitrage } = frame.nbbo;
  return (
    <tr className={crossed ? 'cross-nbbo-row crossed' : 'cross-nbbo-row'}>
      <td colSpan={columns}>
        <span className="bid-text">
          {bid ? `${formatPriceText(bid.price, priceDecimals)} ${bid.venue} ${formatDuration(bid.ageMs)}` : 'no bid'}
        </span>
        <span className="muted"> · NBBO · </span>
        <span className="ask-text">{ask ? `${formatPriceText(ask.price, priceDecimals)} ${ask.venue} ${formatDuration(ask.ageMs)}` : 'no ask'}</span>
        {crossed && arbitrage && (
          <span className="arb-flag" title="One venue's bid is above another's ask">
            {' '}
            CROSSED: buy {arbitrage.buyVenue}, sell {arbitrage.sellVenue}, net {arbitrage.net >= 0 ? '+' : ''}
            {arbitrage.net.toFixed(2)}
          </span>
        )}
      </td>
    </tr>
  );
}

/** The consolidated ladder: every synced venue's levels merged on a common tick, each row split into the venues' shares. */
export function CrossLadderPanel({ choice, settings, onSettings, onChoice }: PanelProps<CrossLadderSettings>) {
  const group = settings.group ?? 1;
  const { frame, error } = useCrossBook(choice, { levels: LEVELS, group }, 'cross-ladder');
  const fmt = useMarketFormat(choice);
  const bodyRef = useRef<HTMLDivElement>(null);
  const { height } = useSize(bodyRef);
  const perSide = Math.max(3, Math.min(LEVELS, Math.floor((height - 2 * ROW_PX) / ROW_PX / 2)));
  const venues = frame?.members.map((m) => m.venue) ?? [];
  const asks = frame ? frame.asks.slice(0, perSide) : [];
  const bids = frame ? frame.bids.slice(0, perSide) : [];
  const max = Math.max(0, ...[...asks, ...bids].map((l) => Number(l.total)));
  const priceDecimals = frame ? Math.max(frame.priceDecimals, 0) : fmt.priceDecimals;
  const sizeDecimals = fmt.sizeDecimals;
  const waiting = choice && !error && frame && bids.length + asks.length === 0;
  return (
    <div className="cross-panel cross-ladder-panel">
      <div className="panel-toolbar">
        {choice && <CrossGroupBar frame={frame} choice={choice} onChoice={onChoice} />}
        <NumberSelect label="Rows" name="Consolidated ladder row height in common ticks" value={group} options={GROUP_CHOICES} format={(n) => (n === 1 ? `tick ${frame?.tick ?? ''}` : `${n} ticks`)} onChange={(n) => onSettings({ group: n })} />
      </div>
      <ExcludedList frame={frame} />
      <StreamProblem error={error} choice={choice} />
      <div className="cross-ladder-body" ref={bodyRef}>
        {waiting && <p className="chart-empty">Waiting for a synced book in the group…</p>}
        {frame && (
          <table className="cross-ladder-table" aria-label="Consolidated ladder">
            <thead>
              <tr>
                <th>Price</th>
                <th>Venue shares</th>
                {venues.length <= MAX_VENUE_COLUMNS &&
                  venues.map((v) => (
                    <th key={v} style={{ color: venueColor(v) }}>
                      {v}
                    </th>
                  ))}
                <th>{withUnit('Total', fmt.base)}</th>
              </tr>
            </thead>
            <tbody>
              {[...asks].reverse().map((l) => (
                <Row key={`a${l.price}`} level={l} side="ask" venues={venues} max={max} priceDecimals={priceDecimals} sizeDecimals={sizeDecimals} />
              ))}
              <NbboLine frame={frame} priceDecimals={Math.max(priceDecimals, fmt.priceDecimals)} columns={3 + (venues.length <= MAX_VENUE_COLUMNS ? venues.length : 0)} />
              {bids.map((l) => (
                <Row key={`b${l.price}`} level={l} side="bid" venues={venues} max={max} priceDecimals={priceDecimals} sizeDecimals={sizeDecimals} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
