import { StateBadge } from '../../components/StateBadge';
import { formatSize } from '../../format';
import { useStream } from '../../hooks/useStream';
import type { PanelProps } from '../types';
import type { SyncState } from '../../../../shared/market';

function fixed(v: number | null, digits: number): string {
  return v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

/** Enough decimals to tell neighbouring ticks apart at this price. */
function priceDigits(mid: number | null): number {
  if (mid === null || mid <= 0) return 2;
  return Math.max(2, Math.min(8, 5 - Math.floor(Math.log10(mid))));
}

/** Basis points with two decimals, or two significant digits below 1 bp. */
function bps(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  return Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

function signed(v: number, digits: number): string {
  return `${v > 0 ? '+' : ''}${formatSize(v, digits)}`;
}

/** Metrics bar: mid, spread, microprice, imbalance, order-flow imbalance and resting depth, on every update. */
export function MetricsPanel({ choice }: PanelProps) {
  const params = choice ? { venue: choice.venue, symbol: choice.symbol } : null;
  const { frame, error } = useStream('analytics.metrics', params, choice ? `${choice.venue}:${choice.symbol}` : '');
  if (!choice) return <p className="empty-state">Pick a symbol.</p>;
  if (error)
    return (
      <p className="error-state" role="alert">
        {error.message}
      </p>
    );
  if (!frame) return <p className="empty-state">Waiting for the book…</p>;
  const d = priceDigits(frame.mid);
  const imbalance = frame.imbalance ?? 0;
  const band = frame.depthBands.find((b) => b.bps === 25) ?? frame.depthBands[0];
  const items: Array<[string, React.ReactNode, string?]> = [
    ['Mid', fixed(frame.mid, d)],
    ['Spread', `${frame.spread === null ? '—' : frame.spread.toFixed(d)} · ${bps(frame.spreadBps)} bps`],
    ['Microprice', fixed(frame.microprice, d), 'size-weighted mid: leans toward the side with less size at the touch'],
    [
      `Imbalance (top ${frame.imbalanceLevels})`,
      <span className="imbalance" key="i">
        <span className="imbalance-track" aria-hidden="true">
          <span
            className={imbalance >= 0 ? 'imbalance-fill bid' : 'imbalance-fill ask'}
            style={{ width: `${Math.abs(imbalance) * 50}%`, left: imbalance >= 0 ? '50%' : `${50 - Math.abs(imbalance) * 50}%` }}
          />
        </span>
        {fixed(frame.imbalance, 3)}
      </span>,
      '(bid depth − ask depth) / (bid depth + ask depth) over the top levels, from −1 (all asks) to +1 (all bids)',
    ],
    ['OFI (this s)', signed(frame.ofi.best, 3), 'Cont–Kukanov–Stoikov order-flow imbalance at the best level, summed over the current second'],
    ['OFI (last s)', frame.ofi.lastSecond ? signed(frame.ofi.lastSecond.best, 3) : '—'],
    ['Multi-level OFI', signed(frame.ofi.multi, 3)],
    ['Bid depth', <span className="bid-text" key="b">{formatSize(frame.depthTop.bid, 3)}</span>, `top ${frame.imbalanceLevels} levels`],
    ['Ask depth', <span className="ask-text" key="a">{formatSize(frame.depthTop.ask, 3)}</span>, `top ${frame.imbalanceLevels} levels`],
  ];
  if (band) items.push([`±${band.bps} bps depth`, `${formatSize(band.bid, 2)} / ${formatSize(band.ask, 2)}${band.truncated ? '+' : ''}`]);
  return (
    <div className="metrics-panel">
      <div className="panel-toolbar">
        <StateBadge state={frame.state as SyncState} />
        <span className="panel-meta">{frame.updates.toLocaleString('en-US')} updates since the book was built</span>
      </div>
      <dl className="metrics-grid" aria-label={`Metrics for ${frame.symbol}`}>
        {items.map(([label, value, title]) => (
          <div key={label} className="metric" title={title}>
            <dt>{label}</dt>
            <dd data-metric={label}>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
