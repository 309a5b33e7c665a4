/**
 * Layering / spoofing pattern: at a look (once a second, event time), a run of at least `minLevels`
 * adjacent levels on one side (consecutive levels of the book, best first) each at least `multiple` ×
 * the side's rolling median level size, of which at least `newFraction` are new since the previous
 * look (absent then, or below the line then). One alert per side at a time, and no new one on that
 * side within `cooldownMs` of the last. The alert records the run's distance from mid; it clears when
 * fewer than `minLevels` of its levels still hold half the line, with the layer's lifetime and how it
 * went. On a book whose feed delivers trades: `consumed` when prints at the layer's prices against its
 * side reach `flow.consumedRatio` of the size that left its levels (awaited up to `flow.verdictGraceMs`),
 * else `pulled` (the spoofing signature). Without trades, from the book alone: `traded-through` when
 * the price reached it, `pulled` when it was withdrawn first.
 */
import type { Side } from '../../../shared/market';
import type { FlowConfig, LayeringConfig } from '../config';
import type { PriceWatch } from '../trade-flow';
import { fmt, round, type BookContext } from '../context';
import { tickAtScale, type SideLevels } from '../levels';

interface Look {
  valid: boolean;
  count: number;
  scale: number;
  ticks: Float64Array;
  sizes: Float64Array;
}

interface ActiveLayer {
  key: string;
  ticks: number[];
  scale: number;
  nearest: string;
  nearestValue: number;
  raisedAt: number;
  threshold: number;
  /** Size of each level when raised, and the traded volume at each since. */
  sizes: number[];
  watches: PriceWatch[];
  /** When it fell apart on a book with trades (waiting for prints), else NaN. */
  fellAt: number;
  remaining: number;
}

export class LayeringDetector {
  private readonly looks: Record<Side, Look>;
  private readonly active: Record<Side, ActiveLayer | null> = { bid: null, ask: null };
  private readonly cooldownUntil: Record<Side, number> = { bid: Number.NEGATIVE_INFINITY, ask: Number.NEGATIVE_INFINITY };

  constructor(
    private readonly config: LayeringConfig,
    private readonly flow: FlowConfig,
  ) {
    const look = (): Look => ({ valid: false, count: 0, scale: 0, ticks: new Float64Array(config.levels), sizes: new Float64Array(config.levels) });
    this.looks = { bid: look(), ask: look() };
  }

  /** Once a second, with the book as the second ended. */
  look(ctx: BookContext, ts: number): void {
    this.lookSide(ctx, 'bid', ctx.bids, ts);
    this.lookSide(ctx, 'ask', ctx.asks, ts);
  }

  /** After every update: follow an active layer's levels. */
  onUpdate(ctx: BookContext, ts: number): void {
    if (this.active.bid) this.follow(ctx, 'bid', this.active.bid, ts);
    if (this.active.ask) this.follow(ctx, 'ask', this.active.ask, ts);
  }

  /** Judge layers that fell apart and wait for prints (called on every update, print and tick). */
  settle(ctx: BookContext, ts: number): void {
    for (const side of ['bid', 'ask'] as const) {
      const layer = this.active[side];
      if (!layer || Number.isNaN(layer.fellAt)) continue;
      const traded = layer.watches.reduce((sum, w) => sum + w.traded, 0);
      const removed = this.removedSize(ctx, side, layer);
      const consumed = traded >= this.flow.consumedRatio * removed;
      if (!consumed && ts - layer.fellAt < this.flow.verdictGraceMs) continue;
      this.finish(ctx, side, layer, layer.fellAt, consumed ? 'consumed' : 'pulled', {
        tradedAtPrices: round(traded),
        removedSize: round(removed),
        tradedRatio: removed > 0 ? round(traded / removed, 4) : null,
      });
    }
  }

  private follow(ctx: BookContext, side: Side, layer: ActiveLayer, ts: number): void {
    if (!Number.isNaN(layer.fellAt)) return;
    let remaining = 0;
    const scale = ctx.book.priceScale;
    for (const tick of layer.ticks) {
      const level = ctx.book.levelAt(side, tickAtScale(tick, layer.scale, scale));
      if (level && level.size >= layer.threshold / 2) remaining++;
    }
    if (remaining >= this.config.minLevels) return;
    layer.remaining = remaining;
    if (ctx.tradesSeen) {
      layer.fellAt = ts;
      this.settle(ctx, ts);
      return;
    }
    const best = side === 'bid' ? ctx.metrics.bid : ctx.metrics.ask;
    const other = side === 'bid' ? ctx.metrics.ask : ctx.metrics.bid;
    const reached =
      side === 'bid' ? !(best >= layer.nearestValue) || other <= layer.nearestValue : !(best <= layer.nearestValue) || other >= layer.nearestValue;
    this.finish(ctx, side, layer, ts, reached ? 'traded-through' : 'pulled', {});
  }

  private finish(ctx: BookContext, side: Side, layer: ActiveLayer, ts: number, outcome: string, evidence: Record<string, number | null>): void {
    for (const w of layer.watches) ctx.watches.release(w);
    ctx.alerts.clear(
      layer.key,
      ts,
      outcome,
      { lifetimeMs: Math.round(ts - layer.raisedAt), remainingLevels: layer.remaining, ...evidence },
      `${side === 'bid' ? 'Bid' : 'Ask'} layering on ${ctx.symbol} ${outcome === 'traded-through' ? 'traded through' : outcome} after ${fmt((ts - layer.raisedAt) / 1000)} s`,
    );
    this.active[side] = null;
  }

  /** Size that left the layer's levels since it was raised. */
  private removedSize(ctx: BookContext, side: Side, layer: ActiveLayer): number {
    let removed = 0;
    const scale = ctx.book.priceScale;
    layer.ticks.forEach((tick, i) => {
      const now = ctx.book.levelAt(side, tickAtScale(tick, layer.scale, scale))?.size ?? 0;
      removed += Math.max(0, layer.sizes[i]! - now);
    });
    return removed;
  }

  reset(ctx: BookContext, ts: number, reason: string): void {
    for (const side of ['bid', 'ask'] as const) {
      const layer = this.active[side];
      if (layer) {
        for (const w of layer.watches) ctx.watches.release(w);
        ctx.alerts.clear(layer.key, ts, 'feed-reset', { reason, lifetimeMs: Math.round(ts - layer.raisedAt) });
      }
      this.active[side] = null;
      this.looks[side].valid = false;
    }
  }

  private lookSide(ctx: BookContext, side: Side, levels: SideLevels, ts: number): void {
    const look = this.looks[side];
    const median = ctx.median(side);
    const threshold = this.config.multiple * median;
    if (median > 0 && look.valid && !this.active[side] && ts >= this.cooldownUntil[side]) {
      const n = Math.min(this.config.levels, levels.count);
      let start = 0;
      while (start < n) {
        if (levels.sizes[start]! < threshold) {
          start++;
          continue;
        }
        let end = start;
        while (end < n && levels.sizes[end]! >= threshold) end++;
        const length = end - start;
        if (length >= this.config.minLevels) {
          let fresh = 0;
          for (let i = start; i < end; i++) if (!this.heldAtLastLook(look, levels.ticks[i]!, levels.scale, threshold)) fresh++;
          if (fresh / length >= this.config.newFraction) {
            this.raise(ctx, side, levels, start, end, fresh, median, threshold, ts);
            break;
          }
        }
        start = end;
      }
    }
    const n = Math.min(this.config.levels, levels.count);
    for (let i = 0; i < n; i++) {
      look.ticks[i] = levels.ticks[i]!;
      look.sizes[i] = levels.sizes[i]!;
    }
    look.count = n;
    look.scale = levels.scale;
    look.valid = levels.count > 0;
  }

  private heldAtLastLook(look: Look, tick: number, scale: number, threshold: number): boolean {
    for (let i = 0; i < look.count; i++) {
      if (tickAtScale(look.ticks[i]!, look.scale, scale) === tick) return look.sizes[i]! >= threshold;
    }
    return false;
  }

  private raise(ctx: BookContext, side: Side, levels: SideLevels, start: number, end: number, fresh: number, median: number, threshold: number, ts: number): void {
    const mid = ctx.metrics.mid;
    const ticks: number[] = [];
    const sizes: number[] = [];
    const watches: PriceWatch[] = [];
    let total = 0;
    let minMultiple = Number.POSITIVE_INFINITY;
    for (let i = start; i < end; i++) {
      ticks.push(levels.ticks[i]!);
      sizes.push(levels.sizes[i]!);
      watches.push(ctx.watches.watch(side, levels.ticks[i]!, levels.scale));
      total += levels.sizes[i]!;
      minMultiple = Math.min(minMultiple, levels.sizes[i]! / median);
    }
    const nearestValue = levels.prices[start]!;
    const farthestValue = levels.prices[end - 1]!;
    const nearest = ctx.book.levelAt(side, levels.ticks[start]!)?.price ?? String(nearestValue);
    const farthest = ctx.book.levelAt(side, levels.ticks[end - 1]!)?.price ?? String(farthestValue);
    const key = `layering:${ctx.venue}:${ctx.symbol}:${side}`;
    this.active[side] = { key, ticks, scale: levels.scale, nearest, nearestValue, raisedAt: ts, threshold, sizes, watches, fellAt: Number.NaN, remaining: end - start };
    this.cooldownUntil[side] = ts + this.config.cooldownMs;
    const length = end - start;
    ctx.alerts.raise({
      key,
      kind: 'layering',
      venue: ctx.venue,
      symbol: ctx.symbol,
      severity: 'warning',
      title: `${side === 'bid' ? 'Bid' : 'Ask'} layering on ${ctx.symbol}: ${length} levels ${nearest}–${farthest}, ${fmt(total)} total`,
      evidence: {
        side,
        levels: length,
        newLevels: fresh,
        newFraction: round(fresh / length, 4),
        nearestPrice: nearest,
        farthestPrice: farthest,
        nearestDistanceBps: round((Math.abs(nearestValue - mid) / mid) * 10_000, 4),
        farthestDistanceBps: round((Math.abs(farthestValue - mid) / mid) * 10_000, 4),
        totalSize: round(total),
        medianSize: round(median),
        minMultiple: round(minMultiple, 4),
      },
      ts,
    });
  }
}
