/**
 * Alerts about a moment (a large trade, a sweep) rather than a lasting condition: raised when it
 * happens and cleared `holdMs` later with where the price went meanwhile, so the alert list shows
 * whether the taker moved the market.
 */
import type { TakerSide } from '../../../shared/market';
import { round, type BookContext } from '../context';

interface Held {
  key: string;
  due: number;
  side: TakerSide;
  /** Average price of the taker order. */
  price: number;
  title: string;
}

export class HeldAlerts {
  private readonly held: Held[] = [];

  /** Clear `key` at `due` (event time), judged against `price` for a taker of `side`. */
  hold(key: string, due: number, side: TakerSide, price: number, title: string): void {
    this.held.push({ key, due, side, price, title });
  }

  /**
   * Clear what is due. Outcome `followed-through` when the mid is now beyond the order's average price
   * in the taker's direction (up for a buy), `reverted` when it is not, `expired` without a mid or side.
   */
  settle(ctx: BookContext, ts: number): void {
    for (let i = 0; i < this.held.length; ) {
      const h = this.held[i]!;
      if (ts < h.due) {
        i++;
        continue;
      }
      this.held.splice(i, 1);
      const mid = ctx.metrics.mid;
      const direction = h.side === 'buy' ? 1 : h.side === 'sell' ? -1 : 0;
      const moveBps = mid > 0 && h.price > 0 ? ((mid - h.price) / h.price) * 10_000 * direction : Number.NaN;
      const outcome = !Number.isFinite(moveBps) || direction === 0 ? 'expired' : moveBps > 0 ? 'followed-through' : 'reverted';
      ctx.alerts.clear(h.key, ts, outcome, { midAfter: round(mid, 12), moveBps: round(moveBps, 4) }, `${h.title} — ${outcome}`);
    }
  }

  /** The book is no longer known: clear everything held without judging it. */
  reset(ctx: BookContext, ts: number, reason: string): void {
    for (const h of this.held.splice(0)) ctx.alerts.clear(h.key, ts, 'feed-reset', { reason });
  }

  get size(): number {
    return this.held.length;
  }
}
