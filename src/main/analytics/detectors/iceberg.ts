/**
 * Iceberg: more volume executed at a price than was ever displayed there at once, while the displayed
 * size kept refilling. Every price a taker trades against (a taker buy at an ask price, a taker sell at
 * a bid price) is followed: executed volume there, the largest size displayed there, the displayed
 * total (the first size seen plus every increase), and refills (after executions, the displayed size
 * rising again above the lowest it fell to; a refill the feed nets out within one message is not seen).
 * Raised when executed > `executedRatio` × the largest displayed size, with at least `minRefills` refills and at
 * least `minExecutedMultiple` × the side's median level size executed; updated as more executes.
 * Cleared `idle` when nothing executed there for `idleMs`, or `exhausted` when the level left the book
 * (and stayed gone past the verdict grace), with the executed and displayed totals as evidence.
 * An L2 feed nets changes within one message, so a busy touch level can look refilled too: the ratio
 * and the refill count are the margin against that.
 */
import type { Side } from '../../../shared/market';
import type { IcebergConfig } from '../config';
import { fmt, round, type BookContext } from '../context';
import { tickAtScale } from '../levels';
import { restingSide, samePrice, type FlowPrint } from '../trade-flow';

interface Tracked {
  side: Side;
  tick: number;
  scale: number;
  price: string;
  priceValue: number;
  firstTs: number;
  lastTradeTs: number;
  executed: number;
  executedSinceRefill: number;
  displayedTotal: number;
  maxDisplayed: number;
  lastDisplayed: number;
  /** Lowest size displayed since the executions not yet followed by a refill began. */
  lowSinceExecution: number;
  refills: number;
  /** When the level was last seen absent (NaN while present). */
  goneSince: number;
  key: string | null;
  raisedAt: number;
}

export class IcebergDetector {
  private readonly tracked: Tracked[] = [];

  constructor(
    private readonly config: IcebergConfig,
    private readonly graceMs: number,
  ) {}

  onPrint(ctx: BookContext, p: FlowPrint): void {
    const side = restingSide(p.side);
    if (!side || Number.isNaN(p.tick)) return;
    let t = this.tracked.find((x) => x.side === side && samePrice(x.tick, x.scale, p.tick, p.scale));
    if (!t) {
      if (this.tracked.length >= this.config.maxTracked) this.evictOldest(ctx, p.ts);
      const shown = this.displayed(ctx, side, p.tick, p.scale);
      t = {
        side,
        tick: p.tick,
        scale: p.scale,
        price: p.priceText,
        priceValue: p.price,
        firstTs: p.ts,
        lastTradeTs: p.ts,
        executed: 0,
        executedSinceRefill: 0,
        displayedTotal: shown,
        maxDisplayed: shown,
        lastDisplayed: shown,
        lowSinceExecution: shown,
        refills: 0,
        goneSince: shown > 0 ? Number.NaN : p.ts,
        key: null,
        raisedAt: Number.NaN,
      };
      this.tracked.push(t);
    }
    if (t.executedSinceRefill === 0) t.lowSinceExecution = t.lastDisplayed;
    t.executed += p.size;
    t.executedSinceRefill += p.size;
    t.lastTradeTs = p.ts;
    this.judge(ctx, t, p.ts);
  }

  /** After every book update: read each followed level, count refills, end what is over. */
  onUpdate(ctx: BookContext, ts: number): void {
    for (let i = this.tracked.length - 1; i >= 0; i--) {
      const t = this.tracked[i]!;
      const shown = this.displayed(ctx, t.side, t.tick, t.scale);
      if (shown > t.lastDisplayed) t.displayedTotal += shown - t.lastDisplayed;
      // A refill: after executions, the displayed size rose again above the lowest it fell to.
      if (t.executedSinceRefill > 0) {
        if (shown > t.lowSinceExecution) {
          t.refills++;
          t.executedSinceRefill = 0;
        } else t.lowSinceExecution = shown;
      }
      if (shown > t.maxDisplayed) t.maxDisplayed = shown;
      t.lastDisplayed = shown;
      if (shown > 0) t.goneSince = Number.NaN;
      else if (Number.isNaN(t.goneSince)) t.goneSince = ts;
      if (t.key) this.judge(ctx, t, ts);
    }
    this.onTime(ctx, ts);
  }

  /** End what went idle or left the book. */
  onTime(ctx: BookContext, ts: number): void {
    for (let i = this.tracked.length - 1; i >= 0; i--) {
      const t = this.tracked[i]!;
      const gone = !Number.isNaN(t.goneSince) && ts - t.goneSince >= this.graceMs;
      const idle = ts - t.lastTradeTs >= this.config.idleMs;
      if (!gone && !idle) continue;
      this.tracked.splice(i, 1);
      if (t.key) this.clear(ctx, t, ts, gone ? 'exhausted' : 'idle');
    }
  }

  reset(ctx: BookContext, ts: number, reason: string): void {
    for (const t of this.tracked.splice(0)) {
      if (t.key) ctx.alerts.clear(t.key, ts, 'feed-reset', { reason, ...this.evidence(ctx, t) });
    }
  }

  get trackedCount(): number {
    return this.tracked.length;
  }

  private judge(ctx: BookContext, t: Tracked, ts: number): void {
    const c = this.config;
    const median = ctx.median(t.side);
    const holds =
      t.executed > c.executedRatio * t.maxDisplayed && t.refills >= c.minRefills && median > 0 && t.executed >= c.minExecutedMultiple * median;
    if (!holds) return;
    if (!t.key) {
      t.key = `iceberg:${ctx.venue}:${ctx.symbol}:${t.side}@${t.price}`;
      t.raisedAt = ts;
    }
    const raised = ctx.alerts.raise({
      key: t.key,
      kind: 'iceberg',
      venue: ctx.venue,
      symbol: ctx.symbol,
      severity: 'warning',
      title: `${t.side === 'bid' ? 'Bid' : 'Ask'} iceberg at ${t.price} on ${ctx.symbol}: ${fmt(t.executed)} executed, at most ${fmt(t.maxDisplayed)} displayed`,
      evidence: this.evidence(ctx, t),
      ts,
    });
    // Held back by the rate limit: try again on the next execution.
    if (!raised) t.key = null;
  }

  private clear(ctx: BookContext, t: Tracked, ts: number, outcome: string): void {
    ctx.alerts.clear(
      t.key!,
      ts,
      outcome,
      { ...this.evidence(ctx, t), lifetimeMs: Math.round(ts - t.raisedAt) },
      `${t.side === 'bid' ? 'Bid' : 'Ask'} iceberg at ${t.price} on ${ctx.symbol} ${outcome}: ${fmt(t.executed)} executed, at most ${fmt(t.maxDisplayed)} displayed`,
    );
  }

  private evidence(ctx: BookContext, t: Tracked): Record<string, string | number | boolean | null> {
    return {
      side: t.side,
      price: t.price,
      executed: round(t.executed),
      displayedTotal: round(t.displayedTotal),
      maxDisplayed: round(t.maxDisplayed),
      displayedNow: round(t.lastDisplayed),
      refills: t.refills,
      executedRatio: t.maxDisplayed > 0 ? round(t.executed / t.maxDisplayed, 4) : null,
      medianSize: round(ctx.median(t.side)),
      followedMs: Math.round(t.lastTradeTs - t.firstTs),
    };
  }

  /** The least recently traded price makes room (its alert, if any, clears `idle`). */
  private evictOldest(ctx: BookContext, ts: number): void {
    let oldest = 0;
    for (let i = 1; i < this.tracked.length; i++) if (this.tracked[i]!.lastTradeTs < this.tracked[oldest]!.lastTradeTs) oldest = i;
    const [t] = this.tracked.splice(oldest, 1);
    if (t?.key) this.clear(ctx, t, ts, 'idle');
  }

  private displayed(ctx: BookContext, side: Side, tick: number, scale: number): number {
    const bookScale = ctx.book.priceScale;
    // A price finer than the book's grid cannot be a level of it.
    if (scale > bookScale) return 0;
    return ctx.book.levelAt(side, tickAtScale(tick, scale, bookScale))?.size ?? 0;
  }
}
