/**
 * Sweep: one taker order (its prints of one side at one exchange time, see TakerOrders) that printed
 * at `minLevels` or more prices, i.e. walked the book through several levels. Raised with the levels
 * taken (prices and sizes), the total and the first and last price; cleared `holdMs` later with where
 * the price went.
 */
import type { SweepConfig } from '../config';
import { fmt, round, type BookContext } from '../context';
import type { TakerOrder } from '../trade-flow';
import { HeldAlerts } from './held-alerts';

export class SweepDetector {
  private readonly held = new HeldAlerts();

  constructor(private readonly config: SweepConfig) {}

  onOrder(ctx: BookContext, order: TakerOrder, ts: number): void {
    if (order.side === 'unknown' || order.levels.length < this.config.minLevels) return;
    const first = order.levels[0]!;
    const last = order.levels[order.levels.length - 1]!;
    const vwap = order.notional / order.size;
    const key = `sweep:${ctx.venue}:${ctx.symbol}:${order.side}@${order.exchangeTs}`;
    const title = `${order.side === 'buy' ? 'Buy' : 'Sell'} sweep through ${order.levels.length} levels ${first.price}–${last.price}, ${fmt(order.size)} on ${ctx.symbol}`;
    const raised = ctx.alerts.raise({
      key,
      kind: 'sweep',
      venue: ctx.venue,
      symbol: ctx.symbol,
      severity: 'warning',
      title,
      evidence: {
        side: order.side,
        levels: order.levels.length,
        levelsTaken: order.levels.map((l) => `${l.price}×${fmt(l.size)}`).join(' '),
        firstPrice: first.price,
        lastPrice: last.price,
        rangeBps: round((Math.abs(last.value - first.value) / first.value) * 10_000, 4),
        size: round(order.size),
        notional: round(order.notional),
        avgPrice: round(vwap, 12),
        prints: order.prints,
        exchangeTs: order.exchangeTs,
      },
      ts,
    });
    if (raised) this.held.hold(key, ts + this.config.holdMs, order.side, vwap, title);
  }

  settle(ctx: BookContext, ts: number): void {
    if (this.held.size > 0) this.held.settle(ctx, ts);
  }

  reset(ctx: BookContext, ts: number, reason: string): void {
    this.held.reset(ctx, ts, reason);
  }
}
