/**
 * Large trade: one taker order (its prints of one side at one exchange time, see TakerOrders) whose
 * size is at least `minSize` (when set) or at least `medianMultiple` × the median size of the last
 * `medianOrders` taker orders (once `minOrders` were seen). Raised with the order's size, average
 * price, the levels it took and the median; cleared `holdMs` later with where the price went.
 */
import type { LargeTradeConfig } from '../config';
import { fmt, round, type BookContext } from '../context';
import type { TakerOrder } from '../trade-flow';
import { HeldAlerts } from './held-alerts';

/**
 * Orders between two recomputations of the median once it has settled (sorting the whole window on
 * every order would be waste); over the first ones it is recomputed on every order.
 */
const MEDIAN_EVERY = 25;
const MEDIAN_SETTLED_AFTER = 100;

export class LargeTradeDetector {
  private readonly sizes: Float64Array;
  private count = 0;
  private sinceMedian = 0;
  private medianSize = Number.NaN;
  private readonly held = new HeldAlerts();

  constructor(private readonly config: LargeTradeConfig) {
    this.sizes = new Float64Array(config.medianOrders);
  }

  /** The rolling median taker order size (NaN until `minOrders` were seen). */
  get median(): number {
    return this.medianSize;
  }

  onOrder(ctx: BookContext, order: TakerOrder, ts: number): void {
    const c = this.config;
    const median = this.medianSize;
    const byMedian = this.count >= c.minOrders && median > 0 && order.size >= c.medianMultiple * median;
    const bySize = c.minSize > 0 && order.size >= c.minSize;
    if (byMedian || bySize) this.raise(ctx, order, median, ts);
    // The order itself joins the median after it was judged.
    this.sizes[this.count % this.sizes.length] = order.size;
    this.count++;
    if (++this.sinceMedian >= MEDIAN_EVERY || this.count <= MEDIAN_SETTLED_AFTER) {
      this.sinceMedian = 0;
      if (this.count >= c.minOrders) this.medianSize = medianOf(this.sizes, Math.min(this.count, this.sizes.length));
    }
  }

  settle(ctx: BookContext, ts: number): void {
    if (this.held.size > 0) this.held.settle(ctx, ts);
  }

  reset(ctx: BookContext, ts: number, reason: string): void {
    this.held.reset(ctx, ts, reason);
  }

  private raise(ctx: BookContext, order: TakerOrder, median: number, ts: number): void {
    const vwap = order.notional / order.size;
    const key = `large-trade:${ctx.venue}:${ctx.symbol}:${order.side}@${order.exchangeTs}`;
    const title = `Large ${order.side === 'unknown' ? 'trade' : order.side} ${fmt(order.size)} at ${order.levels[0]!.price}${order.levels.length > 1 ? `–${order.levels[order.levels.length - 1]!.price}` : ''} on ${ctx.symbol}`;
    const raised = ctx.alerts.raise({
      key,
      kind: 'large-trade',
      venue: ctx.venue,
      symbol: ctx.symbol,
      severity: 'info',
      title,
      evidence: {
        side: order.side,
        size: round(order.size),
        notional: round(order.notional),
        avgPrice: round(vwap, 12),
        levels: order.levels.length,
        prices: order.levels.map((l) => l.price).join(' '),
        prints: order.prints,
        medianSize: round(median),
        multiple: median > 0 ? round(order.size / median, 4) : null,
        exchangeTs: order.exchangeTs,
      },
      ts,
    });
    if (raised) this.held.hold(key, ts + this.config.holdMs, order.side, vwap, title);
  }
}

/** Median of values[0..n) (copies; n is small). */
function medianOf(values: Float64Array, n: number): number {
  const sorted = Float64Array.from(values.subarray(0, n)).sort();
  const mid = n >> 1;
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
