/**
 * Walls: a level at least `multiple` × the side's rolling median level size (30 s window) that stays
 * at or above that size for `persistMs`. Candidates are found among the best `levels` levels; adjacent
 * levels that are all wall-sized are one wall (one alert, for the largest of them). A wall, once raised, is followed by its exact price wherever it moves in the book. It clears when:
 *  - its level shrinks below `clearMultiple` × median: outcome `shrunk` (evidence says whether it was
 *    at the touch, where shrinking means it was being filled);
 *  - its level vanishes on a book whose feed delivers trades: `consumed` when the prints at its price
 *    against its side since it last changed size reach `flow.consumedRatio` of the size it showed,
 *    else `pulled`. Trades and book changes come on separate streams, so prints are awaited up to
 *    `flow.verdictGraceMs` after the level vanished (the alert's clear time is when it vanished);
 *  - its level vanishes on a book without trades, judged from the book alone: `traded-through` when
 *    the price crossed the level (a bid wall's price is above the best bid, or the best ask reached it;
 *    mirrored for asks), `pulled` while the touch was elsewhere.
 */
import type { Side } from '../../../shared/market';
import type { FlowConfig, WallConfig } from '../config';
import type { PriceWatch } from '../trade-flow';
import { formatRatio } from '../../../shared/format';
import { fmt, round, type BookContext } from '../context';
import { tickAtScale, type SideLevels } from '../levels';

interface Candidate {
  tick: number;
  scale: number;
  firstSeen: number;
  seen: boolean;
}

interface ActiveWall {
  key: string;
  tick: number;
  scale: number;
  price: string;
  priceValue: number;
  raisedAt: number;
  size: number;
  peakSize: number;
  reportedSize: number;
  /** Traded volume at its price against its side (null on a book without trades). */
  watch: PriceWatch;
  /** watch.traded when the size last changed: prints after it are what took the last size. */
  tradedAtSize: number;
}

/** A wall whose level vanished, waiting for the prints that may explain it. */
interface Vanished {
  side: Side;
  wall: ActiveWall;
  vanishedAt: number;
  median: number;
}

export class WallDetector {
  private readonly candidates: Record<Side, Candidate[]> = { bid: [], ask: [] };
  private readonly active: Record<Side, ActiveWall[]> = { bid: [], ask: [] };
  private readonly vanished: Vanished[] = [];

  constructor(
    private readonly config: WallConfig,
    private readonly flow: FlowConfig,
  ) {}

  /** After every book update. */
  onUpdate(ctx: BookContext, ts: number): void {
    this.side(ctx, 'bid', ctx.bids, ts);
    this.side(ctx, 'ask', ctx.asks, ts);
    // Walls that vanished in this update may be explained by prints that came before it.
    this.settle(ctx, ts);
  }

  /** Time passed without an update (the book is unchanged): promote candidates that are now due. */
  onTime(ctx: BookContext, ts: number): void {
    this.settle(ctx, ts);
    for (const side of ['bid', 'ask'] as const) {
      const median = ctx.median(side);
      if (!(median > 0)) continue;
      const threshold = this.config.multiple * median;
      const levels = side === 'bid' ? ctx.bids : ctx.asks;
      const list = this.candidates[side];
      // Largest first, so that of two due walls side by side the bigger one is reported.
      const due = list
        .filter((c) => ts - c.firstSeen >= this.config.persistMs)
        .map((c) => ({ c, level: ctx.book.levelAt(side, tickAtScale(c.tick, c.scale, ctx.book.priceScale)) }))
        .sort((a, b) => (b.level?.size ?? 0) - (a.level?.size ?? 0));
      for (const { c, level } of due) {
        const index = indexOfTick(levels, c.tick, c.scale);
        const inActiveRun = index !== -1 && this.runHasActive(side, levels, ...runAround(levels, index, threshold));
        if (level && level.size >= threshold && !inActiveRun) this.promote(ctx, side, c, level.price, level.size, ts, median);
        list.splice(list.indexOf(c), 1);
      }
    }
  }

  /** The book is no longer known (resync, disconnect): clear every wall without judging it. */
  reset(ctx: BookContext, ts: number, reason: string): void {
    for (const v of this.vanished.splice(0)) {
      ctx.watches.release(v.wall.watch);
      ctx.alerts.clear(v.wall.key, ts, 'feed-reset', { reason, lifetimeMs: Math.round(ts - v.wall.raisedAt) });
    }
    for (const side of ['bid', 'ask'] as const) {
      for (const wall of this.active[side]) {
        ctx.watches.release(wall.watch);
        ctx.alerts.clear(wall.key, ts, 'feed-reset', { reason, lifetimeMs: Math.round(ts - wall.raisedAt) });
      }
      this.active[side].length = 0;
      this.candidates[side].length = 0;
    }
  }

  activeCount(side: Side): number {
    return this.active[side].length;
  }

  /**
   * Judge vanished walls: `consumed` as soon as prints account for the size they showed, `pulled`
   * once the grace passed without them (called on every update, print and tick).
   */
  settle(ctx: BookContext, ts: number, key: string | null = null): void {
    for (let i = this.vanished.length - 1; i >= 0; i--) {
      const v = this.vanished[i]!;
      const traded = v.wall.watch.traded - v.wall.tradedAtSize;
      const consumed = traded >= this.flow.consumedRatio * v.wall.size;
      // A wall raised again at the same price cannot wait: judge it with what arrived so far.
      const now = key !== null && v.wall.key === key;
      if (!consumed && !now && ts - v.vanishedAt < this.flow.verdictGraceMs) continue;
      this.vanished.splice(i, 1);
      ctx.watches.release(v.wall.watch);
      this.clear(ctx, v.side, v.wall, v.vanishedAt, consumed ? 'consumed' : 'pulled', 0, v.median, traded);
    }
  }

  private side(ctx: BookContext, side: Side, levels: SideLevels, ts: number): void {
    const median = ctx.median(side);
    this.followActive(ctx, side, ts, median);
    if (!(median > 0)) {
      this.candidates[side].length = 0;
      return;
    }
    const threshold = this.config.multiple * median;
    const candidates = this.candidates[side];
    for (let i = 0; i < candidates.length; i++) candidates[i]!.seen = false;
    const n = Math.min(this.config.levels, levels.count);
    const scale = levels.scale;
    for (let i = 0; i < n; i++) {
      if (levels.sizes[i]! < threshold) continue;
      // Adjacent wall-sized levels are one wall: one alert per run, for its largest level.
      const [first, last] = runAround(levels, i, threshold, n);
      i = last;
      if (this.runHasActive(side, levels, first, last)) continue;
      let promoteAt = -1;
      for (let j = first; j <= last; j++) {
        const tick = levels.ticks[j]!;
        let c = findCandidate(candidates, tick, scale);
        if (!c) {
          if (candidates.length >= this.config.levels) continue;
          c = { tick, scale, firstSeen: ts, seen: true };
          candidates.push(c);
        }
        c.seen = true;
        if (ts - c.firstSeen >= this.config.persistMs && (promoteAt === -1 || levels.sizes[j]! > levels.sizes[promoteAt]!)) promoteAt = j;
      }
      if (promoteAt !== -1) {
        const c = findCandidate(candidates, levels.ticks[promoteAt]!, scale)!;
        const level = ctx.book.levelAt(side, levels.ticks[promoteAt]!);
        if (level) this.promote(ctx, side, c, level.price, levels.sizes[promoteAt]!, ts, median);
        // The rest of the run is covered by this wall.
        for (let j = first; j <= last; j++) {
          const other = findCandidate(candidates, levels.ticks[j]!, scale);
          if (other) other.seen = false;
        }
      }
    }
    // A candidate that dropped below the line or out of the scanned levels starts over.
    for (let i = candidates.length - 1; i >= 0; i--) if (!candidates[i]!.seen) candidates.splice(i, 1);
  }

  /** True when a reported wall sits among levels[first..last]. */
  private runHasActive(side: Side, levels: SideLevels, first: number, last: number): boolean {
    for (let j = first; j <= last; j++) if (this.isActive(side, levels.ticks[j]!, levels.scale)) return true;
    return false;
  }

  private isActive(side: Side, tick: number, scale: number): boolean {
    for (const w of this.active[side]) if (tickAtScale(w.tick, w.scale, scale) === tick) return true;
    return false;
  }

  private promote(ctx: BookContext, side: Side, c: Candidate, price: string, size: number, ts: number, median: number): void {
    const list = this.active[side];
    if (list.length >= this.config.maxPerSide) return;
    this.settle(ctx, ts, `wall:${ctx.venue}:${ctx.symbol}:${side}@${price}`);
    const wall: ActiveWall = {
      key: `wall:${ctx.venue}:${ctx.symbol}:${side}@${price}`,
      tick: c.tick,
      scale: c.scale,
      price,
      priceValue: Number(price),
      raisedAt: ts,
      size,
      peakSize: size,
      reportedSize: size,
      watch: ctx.watches.watch(side, c.tick, c.scale),
      tradedAtSize: 0,
    };
    list.push(wall);
    ctx.alerts.raise({
      key: wall.key,
      kind: 'wall',
      venue: ctx.venue,
      symbol: ctx.symbol,
      severity: 'info',
      title: title(ctx, side, price, size, median),
      evidence: this.evidence(ctx, side, wall, median, ts - c.firstSeen),
      ts,
    });
  }

  private followActive(ctx: BookContext, side: Side, ts: number, median: number): void {
    const list = this.active[side];
    for (let i = list.length - 1; i >= 0; i--) {
      const wall = list[i]!;
      const level = ctx.book.levelAt(side, tickAtScale(wall.tick, wall.scale, ctx.book.priceScale));
      if (!level) {
        list.splice(i, 1);
        if (ctx.tradesSeen) {
          this.vanished.push({ side, wall, vanishedAt: ts, median });
          continue;
        }
        ctx.watches.release(wall.watch);
        const best = side === 'bid' ? ctx.metrics.bid : ctx.metrics.ask;
        const other = side === 'bid' ? ctx.metrics.ask : ctx.metrics.bid;
        const crossed =
          side === 'bid'
            ? !(best >= wall.priceValue) || other <= wall.priceValue
            : !(best <= wall.priceValue) || other >= wall.priceValue;
        this.clear(ctx, side, wall, ts, crossed ? 'traded-through' : 'pulled', 0, median, null);
        continue;
      }
      if (level.size !== wall.size) wall.tradedAtSize = wall.watch.traded;
      wall.size = level.size;
      if (level.size > wall.peakSize) wall.peakSize = level.size;
      if (median > 0 && level.size < this.config.clearMultiple * median) {
        ctx.watches.release(wall.watch);
        this.clear(ctx, side, wall, ts, 'shrunk', level.size, median, null);
        list.splice(i, 1);
        continue;
      }
      // Report a material change of size (the alert book limits how often it is told).
      if (Math.abs(level.size - wall.reportedSize) >= 0.1 * wall.reportedSize) {
        wall.reportedSize = level.size;
        ctx.alerts.raise({
          key: wall.key,
          kind: 'wall',
          venue: ctx.venue,
          symbol: ctx.symbol,
          severity: 'info',
          title: title(ctx, side, wall.price, level.size, median),
          evidence: this.evidence(ctx, side, wall, median, null),
          ts,
        });
      }
    }
  }

  /** `takenByTrades`: prints that took its last size (walls judged by trades), else null. */
  private clear(ctx: BookContext, side: Side, wall: ActiveWall, ts: number, outcome: string, size: number, median: number, takenByTrades: number | null): void {
    const best = side === 'bid' ? ctx.metrics.bid : ctx.metrics.ask;
    const atTouch = best === wall.priceValue;
    const how = outcome === 'traded-through' ? 'traded through' : outcome;
    const trades: Record<string, number | null> =
      takenByTrades === null
        ? ctx.tradesSeen
          ? { tradedDuringLife: round(wall.watch.traded) }
          : {}
        : {
            lastSize: round(wall.size),
            tradedAtPrice: round(takenByTrades),
            tradedDuringLife: round(wall.watch.traded),
            tradedRatio: wall.size > 0 ? round(takenByTrades / wall.size, 4) : null,
          };
    ctx.alerts.clear(
      wall.key,
      ts,
      outcome,
      {
        size: round(size),
        peakSize: round(wall.peakSize),
        medianSize: round(median),
        atTouch,
        lifetimeMs: Math.round(ts - wall.raisedAt),
        bestBid: round(ctx.metrics.bid, 12),
        bestAsk: round(ctx.metrics.ask, 12),
        ...trades,
      },
      `${side === 'bid' ? 'Bid' : 'Ask'} wall at ${wall.price} ${how} after ${fmt((ts - wall.raisedAt) / 1000)} s (${ctx.symbol})`,
    );
  }

  private evidence(ctx: BookContext, side: Side, wall: ActiveWall, median: number, persistedMs: number | null): Record<string, string | number | boolean | null> {
    const mid = ctx.metrics.mid;
    return {
      side,
      price: wall.price,
      size: round(wall.size),
      medianSize: round(median),
      multiple: round(wall.size / median, 4),
      distanceBps: round((Math.abs(wall.priceValue - mid) / mid) * 10_000, 4),
      atTouch: (side === 'bid' ? ctx.metrics.bid : ctx.metrics.ask) === wall.priceValue,
      ...(persistedMs === null ? {} : { persistedMs: Math.round(persistedMs) }),
    };
  }
}

/** The run of adjacent levels at or above `threshold` that holds levels[index] (within the first `n`). */
function runAround(levels: SideLevels, index: number, threshold: number, n = levels.count): [number, number] {
  let first = index;
  let last = index;
  while (first > 0 && levels.sizes[first - 1]! >= threshold) first--;
  while (last + 1 < n && levels.sizes[last + 1]! >= threshold) last++;
  return [first, last];
}

function indexOfTick(levels: SideLevels, tick: number, scale: number): number {
  const t = tickAtScale(tick, scale, levels.scale);
  for (let i = 0; i < levels.count; i++) if (levels.ticks[i] === t) return i;
  return -1;
}

function findCandidate(list: Candidate[], tick: number, scale: number): Candidate | undefined {
  for (let i = 0; i < list.length; i++) if (tickAtScale(list[i]!.tick, list[i]!.scale, scale) === tick) return list[i];
  return undefined;
}

function title(ctx: BookContext, side: Side, price: string, size: number, median: number): string {
  return `${side === 'bid' ? 'Bid' : 'Ask'} wall ${fmt(size)} at ${price} (${formatRatio(size / median)} median) on ${ctx.symbol}`;
}
