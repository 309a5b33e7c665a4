import { NumberSelect } from '../../components/PanelControls';
import { StateBadge } from '../../components/StateBadge';
import { formatBps, formatCount, formatNumber, formatPrice, formatQuantity, formatSigned, withUnit } from '../../format';
import { useMarketFormat } from '../../hooks/useMarketFormat';
import { useStream } from '../../hooks/useStream';
import type { PanelProps } from '../types';
import type { SyncState } from '../../../../shared/market';

export interface MetricsSettings {
  /** Seconds of the last-price / volume / delta read-out (one of the host's windows). */
  flowWindow?: number;
}

const FLOW_WINDOW_LABELS: Record<number, string> = { 60: '1m', 300: '5m', 900: '15m' };

/**
 * Metrics bar: mid, spread, microprice, imbalance, order-flow imbalance and resting depth, on every
 * update; and from trades the last price, volume and delta (taker buy − taker sell) over a window.
 */
export function MetricsPanel({ choice, settings, onSettings }: PanelProps<MetricsSettings>) {
  const params = choice ? { venue: choice.venue, symbol: choice.symbol } : null;
  const { frame, error } = useStream('analytics.metrics', params, choice ? `${choice.venue}:${choice.symbol}` : '');
  const fmt = useMarketFormat(choice);
  if (!choice) return <p className="empty-state">Pick a symbol.</p>;
  if (error)
    return (
      <p className="error-state" role="alert">
        {error.message}
      </p>
    );
  if (!frame) return <p className="empty-state">Waiting for the book…</p>;
  const d = fmt.priceDecimals;
  // Sizes (and OFI, a signed size) are totals in base units, four significant digits; the mid and microprice may fall
  // between ticks, so they get one decimal more than the tick.
  const size = (v: number) => withUnit(formatQuantity(v, fmt.sizeDecimals), fmt.base);
  const signedSize = (v: number) => withUnit(formatSigned(v, (x) => formatQuantity(x, fmt.sizeDecimals)), fmt.base);
  const imbalance = frame.imbalance ?? 0;
  const band = frame.depthBands.find((b) => b.bps === 25) ?? frame.depthBands[0];
  const items: Array<[string, React.ReactNode, string?]> = [
    ['Mid', withUnit(formatPrice(frame.mid, d + 1), fmt.quote)],
    ['Spread', `${formatPrice(frame.spread, d)} · ${formatBps(frame.spreadBps)}`],
    ['Microprice', withUnit(formatPrice(frame.microprice, d + 1), fmt.quote), 'size-weighted mid: leans toward the side with less size at the touch'],
    [
      `Imbalance (top ${frame.imbalanceLevels})`,
      <span className="imbalance" key="i">
        <span className="imbalance-track" aria-hidden="true">
          <span
            className={imbalance >= 0 ? 'imbalance-fill bid' : 'imbalance-fill ask'}
            style={{ width: `${Math.abs(imbalance) * 50}%`, left: imbalance >= 0 ? '50%' : `${50 - Math.abs(imbalance) * 50}%` }}
          />
        </span>
        {formatSigned(frame.imbalance, (x) => formatNumber(x, 2))}
      </span>,
      '(bid depth − ask depth) / (bid depth + ask depth) over the top levels, from −1 (all asks) to +1 (all bids)',
    ],
    ['OFI (this s)', signedSize(frame.ofi.best), 'Cont–Kukanov–Stoikov order-flow imbalance at the best level, summed over the current second (base units)'],
    ['OFI (last s)', frame.ofi.lastSecond ? signedSize(frame.ofi.lastSecond.best) : '—', 'best-level order-flow imbalance over the last completed second (base units)'],
    ['Multi-level OFI', signedSize(frame.ofi.multi), 'order-flow imbalance summed over the top levels, current second (base units)'],
    ['Bid depth', <span className="bid-text" key="b">{size(frame.depthTop.bid)}</span>, `top ${frame.imbalanceLevels} levels`],
    ['Ask depth', <span className="ask-text" key="a">{size(frame.depthTop.ask)}</span>, `top ${frame.imbalanceLevels} levels`],
  ];
  const windows = frame.flow.windows;
  const flow = windows.find((w) => w.seconds === settings.flowWindow) ?? windows.find((w) => w.seconds === 300) ?? windows[0];
  const windowLabel = (n: number) => FLOW_WINDOW_LABELS[n] ?? `${n}s`;
  items.push([
    'Last price',
    frame.flow.lastPrice === null ? (
      '—'
    ) : (
      <span className={frame.flow.lastSide === 'buy' ? 'bid-text' : frame.flow.lastSide === 'sell' ? 'ask-text' : undefined} key="lp">
        {withUnit(formatPrice(Number(frame.flow.lastPrice), d), fmt.quote)}
      </span>
    ),
    'the last print; green when its taker bought, red when it sold',
  ]);
  if (flow) {
    const w = windowLabel(flow.seconds);
    items.push(
      [`Volume (${w})`, size(flow.volume), `traded in the last ${w}: ${formatQuantity(flow.buyVolume, fmt.sizeDecimals)} taker buy, ${formatQuantity(flow.sellVolume, fmt.sizeDecimals)} taker sell, ${flow.trades} prints`],
      [
        `Delta (${w})`,
        <span className={flow.delta > 0 ? 'bid-text' : flow.delta < 0 ? 'ask-text' : undefined} key="dl">
          {signedSize(flow.delta)}
        </span>,
        `taker buy volume − taker sell volume over the last ${w}`,
      ],
    );
  }
  if (band)
    items.push([
      `±${band.bps} bps depth`,
      `${formatQuantity(band.bid, fmt.sizeDecimals)} / ${withUnit(formatQuantity(band.ask, fmt.sizeDecimals), fmt.base)}${band.truncated ? '+' : ''}`,
      `resting size within ±${band.bps} bps of mid, bids / asks`,
    ]);
  return (
    <div className="metrics-panel">
      <div className="panel-toolbar">
        <StateBadge state={frame.state as SyncState} />
        {windows.length > 0 && flow && (
          <NumberSelect
            label="Flow"
            name="Volume and delta window"
            value={flow.seconds}
            options={windows.map((w) => w.seconds)}
            format={windowLabel}
            onChange={(n) => onSettings({ flowWindow: n })}
          />
        )}
        <span className="panel-meta">{formatCount(frame.updates)} updates since the book was built</span>
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
