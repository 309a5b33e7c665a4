/**
 * The candles a chart holds: a `reset` frame replaces them, any other frame replaces or adds the
 * candles it carries (the host sends only those that changed). Kept oldest first, at most MAX_CANDLES.
 */
import { MAX_CANDLES, type CandlesFrame } from '../../../../shared/contract';
import { toBar, type Bar } from './studies';

export class CandleModel {
  bars: Bar[] = [];
  /** Bumps whenever the candles change. */
  version = 0;
  /** Earliest candle time the last frame touched (Infinity: none); lets the chart update only the tail. */
  changedFrom = Infinity;

  apply(frame: CandlesFrame): void {
    if (frame.reset) {
      this.bars = frame.candles.map(toBar);
      this.changedFrom = -Infinity;
    } else {
      for (const c of frame.candles) this.upsert(toBar(c));
    }
    if (this.bars.length > MAX_CANDLES) {
      this.bars = this.bars.slice(-MAX_CANDLES);
      this.changedFrom = -Infinity;
    }
    if (frame.reset || frame.candles.length > 0) this.version++;
  }

  /** Start collecting the changes of the next frames afresh (after the chart drew them). */
  drawn(): void {
    this.changedFrom = Infinity;
  }

  private upsert(bar: Bar): void {
    const bars = this.bars;
    this.changedFrom = Math.min(this.changedFrom, bar.t);
    const last = bars.at(-1);
    if (!last || bar.t > last.t) {
      bars.push(bar);
      return;
    }
    // Binary search: late trades can change an older candle.
    let lo = 0;
    let hi = bars.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bars[mid]!.t < bar.t) lo = mid + 1;
      else hi = mid;
    }
    if (bars[lo]?.t === bar.t) bars[lo] = bar;
    else bars.splice(lo, 0, bar);
  }
}
