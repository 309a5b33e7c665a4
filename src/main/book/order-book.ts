import { formatScaled } from '../../shared/decimal';
import type { Side } from '../../shared/market';
import { MAX_DECIMALS, PriceKeyError, exactRescale, lastDecimals, lastMantissa, pow10, rescaleMantissa, scanDecimal } from './price-key';
import { LevelTree } from './level-tree';

/** One price level. `price` and `sizeText` keep the venue's own text (checksums need its digits). */
export interface PriceLevel {
  /** Price as integer ticks at the book's current scale (price = tick / 10^scale). */
  tick: number;
  price: string;
  size: number;
  sizeText: string;
}

/** A level as the venue sends it: [price text, absolute size text]. Extra fields are ignored. */
export type LevelText = readonly [string, string, ...unknown[]];

export class InvalidLevelError extends Error {}

/**
 * One side of a book on a LevelTree (chunked sorted list), ordered best → worst. Keys are integer ticks; bids are stored negated so that,
 * on both sides, the smallest key is the best level.
 */
class BookSide {
  readonly levels = new LevelTree<PriceLevel>();
  constructor(readonly descending: boolean) {}

  treeKey(tick: number): number {
    return this.descending ? -tick : tick;
  }

  get size(): number {
    return this.levels.size;
  }

  best(): PriceLevel | undefined {
    return this.levels.first();
  }

  worst(): PriceLevel | undefined {
    return this.levels.last();
  }

  /** Levels best → worst. */
  values(): IterableIterator<PriceLevel> {
    return this.levels.values();
  }

  rescale(factor: number): void {
    // The largest |tick| is the best bid or the worst ask: check before changing anything.
    for (const level of [this.levels.first(), this.levels.last()]) {
      if (level && !Number.isSafeInteger(level.tick * factor)) throw new PriceKeyError('price beyond exact integer range at this scale');
    }
    this.levels.scaleKeys(factor);
    this.levels.forEach((level) => {
      level.tick *= factor;
    });
  }

  truncate(depth: number): number {
    let removed = 0;
    while (this.levels.size > depth) {
      this.levels.deleteLast();
      removed++;
    }
    return removed;
  }
}

export interface TopOfBook {
  bid: string | null;
  bidSize: string | null;
  ask: string | null;
  askSize: string | null;
}

export interface CumulativeLevel {
  price: string;
  size: number;
  cumSize: number;
  cumNotional: number;
}

/** Rows of a grouped ladder: each row's price (its edge, as exact text at `decimals` places) and summed size. */
export interface GroupedLevels {
  decimals: number;
  levels: Array<{ price: string; size: number }>;
}

export interface WalkFill {
  price: string;
  size: number;
  cumSize: number;
  cumCost: number;
}

export interface WalkResult {
  /** Base quantity that could be filled. */
  filled: number;
  /** Quote cost (or proceeds) of the fill. */
  cost: number;
  /** Volume-weighted average price of the fill, NaN when nothing fills. */
  vwap: number;
  /** Last (worst) price touched, null when nothing fills. */
  worstPrice: string | null;
  levelsConsumed: number;
  complete: boolean;
  fills: WalkFill[];
}

// Local aliases: a transpiler's CommonJS output (tsx, for the web host and CLIs) turns every use of an
// imported function into a getter call, which showed up in profiles of the per-level hot path.
const scan = scanDecimal;
const scannedDecimals = lastDecimals;
const scannedMantissa = lastMantissa;
const rescaleTo = rescaleMantissa;
const power10 = pow10;
const rescaleExact = exactRescale;

/**
 * The number a size text stands for, equal to Number(text). Plain decimals with at most 15-16
 * significant digits take the exact path (an integer mantissa below 2^53 divided by an exact power of
 * ten is correctly rounded, as Number() is), which is several times cheaper than Number() on text.
 */
function sizeOf(text: string): number {
  if (scan(text)) {
    const decimals = scannedDecimals();
    if (decimals <= MAX_DECIMALS) return scannedMantissa() / power10(decimals);
  }
  return +text;
}

/** One side of a snapshot, scanned: levels with ticks at their own `decimals[i]`, the largest of which is `decimals`. */
interface ScannedSide {
  levels: PriceLevel[];
  decimalsOf: number[];
  decimals: number;
}

/** Scan a snapshot side's text; null when any level is invalid or has a zero size. */
function scanLevels(side: readonly LevelText[]): ScannedSide | null {
  const levels: PriceLevel[] = new Array(side.length);
  const decimalsOf: number[] = new Array(side.length);
  let decimals = 0;
  for (let i = 0; i < side.length; i++) {
    const price = side[i]![0];
    const sizeText = side[i]![1];
    if (typeof sizeText !== 'string' || sizeText === '' || typeof price !== 'string') return null;
    const size = sizeOf(sizeText);
    if (!(size > 0) || !scan(price)) return null;
    const d = scannedDecimals();
    if (d > decimals) decimals = d;
    decimalsOf[i] = d;
    levels[i] = { tick: scannedMantissa(), price, size, sizeText };
  }
  return { levels, decimalsOf, decimals };
}

/**
 * Tree keys for a scanned side at `scale` (ticks rescaled in place), or null when the side is not
 * strictly best first (bids descending, asks ascending) or a price is beyond exact range at `scale`.
 */
function orderedKeys(side: ScannedSide, scale: number, descending: boolean): number[] | null {
  const keys: number[] = new Array(side.levels.length);
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < side.levels.length; i++) {
    const tick = rescaleExact(side.levels[i]!.tick, side.decimalsOf[i]!, scale);
    const key = descending ? -tick : tick;
    // NaN (not exact at this scale) fails this test too.
    if (!(key > previous)) return null;
    previous = key;
    keys[i] = key;
  }
  // Only now that the whole side is in order: ticks at the book's scale.
  for (let i = 0; i < side.levels.length; i++) {
    const key = keys[i]!;
    side.levels[i]!.tick = descending ? -key : key;
  }
  return keys;
}

/**
 * Full-depth L2 book for one venue:symbol. Sizes are absolute: setting a level replaces its size and a
 * size of zero deletes it (deleting an unknown level is normal and ignored). Prices are exact keys.
 */
export class OrderBook {
  private readonly bids = new BookSide(true);
  private readonly asks = new BookSide(false);
  /** Decimal places of the tick keys; grows when a price with more decimals arrives. */
  private scale = 0;
  /** Bumped on every applied change, so observers can tell whether anything moved. */
  version = 0;

  constructor(
    readonly venue: string,
    readonly symbol: string,
  ) {}

  get priceScale(): number {
    return this.scale;
  }

  clear(): void {
    this.bids.levels.clear();
    this.asks.levels.clear();
    this.version++;
  }

  /** Replace the whole book. */
  applySnapshot(bids: Iterable<LevelText>, asks: Iterable<LevelText>): void {
    const bidList = Array.isArray(bids) ? (bids as readonly LevelText[]) : [...bids];
    const askList = Array.isArray(asks) ? (asks as readonly LevelText[]) : [...asks];
    if (this.loadOrdered(bidList, askList)) return;
    // Anything irregular (out of order, a repeated price, a zero or invalid size, a price beyond exact
    // range): level by level, which gives the same book, or the same error, as a series of deltas.
    this.clear();
    this.applyDelta(bidList, askList);
  }

  /**
   * A snapshot in the venue's usual shape (each side best first, every price once, every size
   * positive) replaces the book by building each side's list in one pass (LevelTree.load),
   * several times cheaper than inserting level by level. Returns false, changing nothing, when the
   * snapshot is not in that shape.
   */
  private loadOrdered(bids: readonly LevelText[], asks: readonly LevelText[]): boolean {
    const bidLevels = scanLevels(bids);
    const askLevels = bidLevels && scanLevels(asks);
    if (!bidLevels || !askLevels) return false;
    const scale = Math.max(this.scale, bidLevels.decimals, askLevels.decimals);
    if (scale > MAX_DECIMALS) return false;
    const bidKeys = orderedKeys(bidLevels, scale, true);
    const askKeys = bidKeys && orderedKeys(askLevels, scale, false);
    if (!bidKeys || !askKeys) return false;
    this.scale = scale;
    this.bids.levels.load(bidKeys, bidLevels.levels);
    this.asks.levels.load(askKeys, askLevels.levels);
    this.version++;
    return true;
  }

  applyDelta(bids: Iterable<LevelText>, asks: Iterable<LevelText>): void {
    for (const level of bids) this.setLevel('bid', level[0], level[1]);
    for (const level of asks) this.setLevel('ask', level[0], level[1]);
  }

  /** Set the absolute size at a price; size 0 deletes. Throws InvalidLevelError on text that is not a decimal. */
  setLevel(side: Side, price: string, sizeText: string): void {
    const size = typeof sizeText === 'string' ? sizeOf(sizeText) : Number.NaN;
    if (sizeText === '' || !(size >= 0)) {
      throw new InvalidLevelError(`invalid size ${JSON.stringify(sizeText)} at ${JSON.stringify(price)}`);
    }
    if (typeof price !== 'string' || !scan(price)) {
      throw new InvalidLevelError(`invalid price ${JSON.stringify(price)}`);
    }
    const decimals = scannedDecimals();
    let mantissa = scannedMantissa();
    if (decimals > this.scale) {
      if (size === 0) {
        // A price finer than any level we hold cannot be in the book: nothing to delete.
        this.version++;
        return;
      }
      this.rescale(decimals);
    }
    if (decimals !== this.scale) mantissa = rescaleTo(mantissa, decimals, this.scale);
    const bookSide = side === 'bid' ? this.bids : this.asks;
    const key = bookSide.treeKey(mantissa);
    this.version++;
    if (size === 0) {
      bookSide.levels.delete(key);
      return;
    }
    const levels = bookSide.levels;
    // Past the worst level (snapshots arrive best first): a new level, no lookup needed.
    if (key > levels.lastKey() || levels.size === 0) {
      levels.set(key, { tick: mantissa, price, size, sizeText });
      return;
    }
    const existing = levels.get(key);
    if (existing) {
      existing.size = size;
      existing.sizeText = sizeText;
    } else {
      bookSide.levels.set(key, { tick: mantissa, price, size, sizeText });
    }
  }

  private rescale(decimals: number): void {
    const factor = pow10(decimals - this.scale);
    this.bids.rescale(factor);
    this.asks.rescale(factor);
    this.scale = decimals;
  }

  bestBid(): PriceLevel | undefined {
    return this.bids.best();
  }

  bestAsk(): PriceLevel | undefined {
    return this.asks.best();
  }

  levelCount(side: Side): number {
    return side === 'bid' ? this.bids.size : this.asks.size;
  }

  /** Levels best → worst on one side. */
  levels(side: Side): IterableIterator<PriceLevel> {
    return (side === 'bid' ? this.bids : this.asks).values();
  }

  /**
   * Visit a side's levels best → worst until `visit` returns false; returns how many were visited.
   * Allocation-free (no iterator objects), for the analytics hot path. `visit` must not change the book.
   */
  scan(side: Side, visit: (level: PriceLevel) => boolean | void): number {
    return (side === 'bid' ? this.bids : this.asks).levels.forEach(visit);
  }

  /** The level at an exact price (integer ticks at the book's current `priceScale`), if present. */
  levelAt(side: Side, tick: number): PriceLevel | undefined {
    const bookSide = side === 'bid' ? this.bids : this.asks;
    return bookSide.levels.get(bookSide.treeKey(tick));
  }

  /** The best `n` levels of a side, best first. */
  top(side: Side, n: number): PriceLevel[] {
    const out: PriceLevel[] = [];
    if (n <= 0) return out;
    for (const level of this.levels(side)) {
      out.push(level);
      if (out.length >= n) break;
    }
    return out;
  }

  topOfBook(): TopOfBook {
    const bid = this.bestBid();
    const ask = this.bestAsk();
    return {
      bid: bid ? bid.price : null,
      bidSize: bid ? bid.sizeText : null,
      ask: ask ? ask.price : null,
      askSize: ask ? ask.sizeText : null,
    };
  }

  /** Best bid at or above best ask. An empty side is never crossed. */
  isCrossed(): boolean {
    const bid = this.bids.best();
    const ask = this.asks.best();
    return bid !== undefined && ask !== undefined && bid.tick >= ask.tick;
  }

  /** Running totals of size and notional from the best level outwards, for `n` levels. */
  cumulativeDepth(side: Side, n = Infinity): CumulativeLevel[] {
    const out: CumulativeLevel[] = [];
    let cumSize = 0;
    let cumNotional = 0;
    for (const level of this.levels(side)) {
      if (out.length >= n) break;
      cumSize += level.size;
      cumNotional += level.size * this.priceValue(level);
      out.push({ price: level.price, size: level.size, cumSize, cumNotional });
    }
    return out;
  }

  /** Numeric price of a level, from its exact ticks. */
  priceValue(level: PriceLevel): number {
    return level.tick / pow10(this.scale);
  }

  /** Canonical decimal text of a level's price (no trailing zeros beyond the book's scale). */
  priceText(level: PriceLevel): string {
    return formatScaled(level.tick, this.scale);
  }

  /**
   * A side's levels summed into rows `multiple` ticks tall, best first, at most `rows` rows. Bids go
   * to the row at or below their price, asks to the row at or above (away from the spread). `tickSize`
   * is the instrument's tick as decimal text; null (not known, as in a replay) means the book's own
   * key unit. The grouping is exact: prices and the step are integers at the finer of the book's scale
   * and the tick's decimals, and rows are labelled at that scale. Should that integer step pass exact
   * range, rows fall back to `multiple` key units at the book's scale.
   */
  groupLevels(side: Side, tickSize: string | null, multiple: number, rows: number): GroupedLevels {
    const bookSide = side === 'bid' ? this.bids : this.asks;
    let decimals = this.scale;
    let factor = 1;
    let step = multiple;
    if (tickSize !== null && scan(tickSize) && scannedMantissa() > 0 && scannedDecimals() <= MAX_DECIMALS) {
      const tickDecimals = scannedDecimals();
      const tickMantissa = scannedMantissa();
      const finer = Math.max(this.scale, tickDecimals);
      const finerFactor = power10(finer - this.scale);
      const finerStep = multiple * tickMantissa * power10(finer - tickDecimals);
      // The largest |tick| of a side is at one of its ends (best bid or worst ask).
      const ends = [bookSide.best()?.tick ?? 0, bookSide.worst()?.tick ?? 0];
      if (Number.isSafeInteger(finerStep) && ends.every((t) => Number.isSafeInteger(t * finerFactor))) {
        decimals = finer;
        factor = finerFactor;
        step = finerStep;
      }
    }
    const levels: GroupedLevels['levels'] = [];
    if (rows <= 0) return { decimals, levels };
    const roundDown = side === 'bid';
    let row = Number.NaN;
    let sum = 0;
    bookSide.levels.forEach((level) => {
      const tick = level.tick * factor;
      // The remainder of integers is exact (a float quotient is not, near 2^53).
      let below = tick % step;
      if (below < 0) below += step;
      const edge = below === 0 || roundDown ? tick - below : tick - below + step;
      if (edge !== row) {
        if (!Number.isNaN(row)) levels.push({ price: formatScaled(row, decimals), size: sum });
        if (levels.length >= rows) return false;
        row = edge;
        sum = 0;
      }
      sum += level.size;
    });
    if (!Number.isNaN(row) && levels.length < rows) levels.push({ price: formatScaled(row, decimals), size: sum });
    return { decimals, levels };
  }

  /**
   * Walk the book for a market order: a buy consumes asks, a sell consumes bids, best price first,
   * over the full depth. `size` is in base units.
   */
  walk(taker: 'buy' | 'sell', size: number): WalkResult {
    const side: Side = taker === 'buy' ? 'ask' : 'bid';
    const fills: WalkFill[] = [];
    let remaining = size;
    let filled = 0;
    let cost = 0;
    let worstPrice: string | null = null;
    for (const level of this.levels(side)) {
      if (remaining <= 0) break;
      const take = Math.min(remaining, level.size);
      const price = this.priceValue(level);
      filled += take;
      cost += take * price;
      remaining -= take;
      worstPrice = level.price;
      fills.push({ price: level.price, size: take, cumSize: filled, cumCost: cost });
    }
    // Float subtraction can leave dust; treat a remainder below 1e-12 of the order as filled.
    const complete = size > 0 && remaining <= size * 1e-12;
    return {
      filled,
      cost,
      vwap: filled > 0 ? cost / filled : Number.NaN,
      worstPrice,
      levelsConsumed: fills.length,
      complete,
      fills,
    };
  }

  /** Keep only the best `depth` levels on each side (Kraken requires this after every message). */
  truncate(depth: number): number {
    const removed = this.bids.truncate(depth) + this.asks.truncate(depth);
    if (removed > 0) this.version++;
    return removed;
  }
}
