/**
 * Traded volume per feed, by time and price, kept exactly: the ground the footprint and the traded
 * volume profile are built from. Each print's size is added to the taker-buy or taker-sell sum of
 * its price in a 5-second bucket (and in its UTC day), as integer mantissas at a scale, never floats.
 * Any footprint interval from 5 s to 1 h is a whole number of these buckets, and any price grouping
 * merges prices, so one aggregate per feed serves every subscription.
 *
 * Prints a venue sends on subscribe from before it (`history`) and prints whose taker side is not
 * known are not order flow and are left out. Buckets older than RETENTION_MS before the feed's
 * newest print are dropped, so memory is bounded by prices traded per 5 s over a day.
 */
import { canonicalDecimal } from '../../shared/decimal';
import type { Trade } from '../../shared/market';
import { bucketStart, tradeTime } from './candles';

/** Width of the finest time bucket; every footprint interval is a multiple of it. */
export const FLOW_BUCKET_MS = 5_000;
export const DAY_MS = 86_400_000;
/** How far back a feed's buckets reach (behind its newest print). */
export const RETENTION_MS = DAY_MS;

/** An exact decimal: value = mantissa / 10^scale. */
export interface Scaled {
  mantissa: bigint;
  scale: number;
}

export function parseScaled(text: string): Scaled {
  const c = canonicalDecimal(text);
  const negative = c.startsWith('-');
  const digits = negative ? c.slice(1) : c;
  const dot = digits.indexOf('.');
  const mantissa = dot === -1 ? BigInt(digits) : BigInt(digits.slice(0, dot) + digits.slice(dot + 1));
  return { mantissa: negative ? -mantissa : mantissa, scale: dot === -1 ? 0 : digits.length - dot - 1 };
}

/** mantissa at `scale` expressed at a larger scale `to`. */
export function rescale(mantissa: bigint, scale: number, to: number): bigint {
  return to === scale ? mantissa : mantissa * 10n ** BigInt(to - scale);
}

/** Canonical text of mantissa / 10^scale ("1500", 3 → "1.5"). */
export function scaledText(mantissa: bigint, scale: number): string {
  const negative = mantissa < 0n;
  let digits = (negative ? -mantissa : mantissa).toString();
  if (scale === 0) return (negative ? '-' : '') + digits;
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  return canonicalDecimal(`${negative ? '-' : ''}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`);
}

/** Taker-buy and taker-sell volume at one price (or row), both at one scale. */
export class BuySell {
  buy = 0n;
  sell = 0n;
  scale = 0;

  private raise(scale: number): void {
    if (scale <= this.scale) return;
    this.buy = rescale(this.buy, this.scale, scale);
    this.sell = rescale(this.sell, this.scale, scale);
    this.scale = scale;
  }

  addSize(side: 'buy' | 'sell', size: Scaled): void {
    this.raise(size.scale);
    const amount = rescale(size.mantissa, size.scale, this.scale);
    if (side === 'buy') this.buy += amount;
    else this.sell += amount;
  }

  addAll(other: BuySell): void {
    this.raise(other.scale);
    this.buy += rescale(other.buy, other.scale, this.scale);
    this.sell += rescale(other.sell, other.scale, this.scale);
  }

  /** buy + sell at this scale. */
  get total(): bigint {
    return this.buy + this.sell;
  }
}

/** Volumes by canonical price text. */
export type PriceVolumes = Map<string, BuySell>;

function addTo(volumes: PriceVolumes, price: string, side: 'buy' | 'sell', size: Scaled): void {
  let cell = volumes.get(price);
  if (!cell) volumes.set(price, (cell = new BuySell()));
  cell.addSize(side, size);
}

export type FlowTrade = Pick<Trade, 'price' | 'size' | 'side' | 'exchangeTs' | 'localTs' | 'history'>;

/** One feed's traded volume by 5-second bucket and by UTC day. */
export class FlowVolumes {
  /** Bucket start → volumes by price; buckets are added in any order (prints may arrive late). */
  readonly buckets = new Map<number, PriceVolumes>();
  /** The aggregate's version when each bucket last changed: what a cache of built candles checks. */
  readonly bucketVersions = new Map<number, number>();
  /** UTC day start → volumes by price: the session profile without summing a day of buckets. */
  readonly days = new Map<number, PriceVolumes>();
  /** Time of the newest print counted (the feed's clock for "now"); null before any. */
  newestTs: number | null = null;
  /** Price of the newest print counted. */
  lastPrice: string | null = null;
  /** Most decimals any counted price carried: the finest price step seen when no tick size is known. */
  priceDecimals = 0;
  /** Most decimals any counted size carried. */
  sizeDecimals = 0;
  /** Prints counted. */
  prints = 0;
  /** Changes with every print counted. */
  version = 0;

  add(trade: FlowTrade): void {
    if (trade.history || (trade.side !== 'buy' && trade.side !== 'sell')) return;
    const ts = tradeTime(trade);
    const price = canonicalDecimal(trade.price);
    const size = parseScaled(trade.size);
    if (size.mantissa <= 0n) return;
    const priceScale = parseScaled(price).scale;
    if (priceScale > this.priceDecimals) this.priceDecimals = priceScale;
    if (size.scale > this.sizeDecimals) this.sizeDecimals = size.scale;
    const start = bucketStart(ts, FLOW_BUCKET_MS);
    let bucket = this.buckets.get(start);
    if (!bucket) this.buckets.set(start, (bucket = new Map()));
    addTo(bucket, price, trade.side, size);
    const day = bucketStart(ts, DAY_MS);
    let dayVolumes = this.days.get(day);
    if (!dayVolumes) this.days.set(day, (dayVolumes = new Map()));
    addTo(dayVolumes, price, trade.side, size);
    this.prints++;
    this.version++;
    this.bucketVersions.set(start, this.version);
    if (this.newestTs === null || ts >= this.newestTs) {
      const later = this.newestTs === null || ts > this.newestTs;
      this.newestTs = ts;
      this.lastPrice = price;
      if (later) this.prune();
    }
  }

  /** Volumes by price of the buckets starting in [from, to). */
  between(from: number, to: number): PriceVolumes {
    const out: PriceVolumes = new Map();
    for (const [start, volumes] of this.buckets) {
      if (start < from || start >= to) continue;
      for (const [price, cell] of volumes) {
        let into = out.get(price);
        if (!into) out.set(price, (into = new BuySell()));
        into.addAll(cell);
      }
    }
    return out;
  }

  /** The UTC day's volumes by price (empty when nothing traded that day). */
  day(dayStart: number): PriceVolumes {
    return this.days.get(dayStart) ?? new Map();
  }

  /** Oldest bucket start held, or null. */
  get oldestBucket(): number | null {
    let oldest: number | null = null;
    for (const start of this.buckets.keys()) if (oldest === null || start < oldest) oldest = start;
    return oldest;
  }

  private prune(): void {
    const cutoff = this.newestTs! - RETENTION_MS;
    for (const start of this.buckets.keys()) {
      if (start + FLOW_BUCKET_MS > cutoff) continue;
      this.buckets.delete(start);
      this.bucketVersions.delete(start);
    }
    for (const day of this.days.keys()) if (day + DAY_MS <= cutoff) this.days.delete(day);
  }
}

/** The price step of a row: `groupTicks` ticks of `tickSize`, as an exact scaled value. */
export function rowStep(tickSize: string | null, priceDecimals: number, groupTicks: number): Scaled {
  const tick = tickSize !== null && /^\d*\.?\d+$/.test(tickSize.trim()) && parseScaled(tickSize).mantissa > 0n ? parseScaled(tickSize) : { mantissa: 1n, scale: priceDecimals };
  return { mantissa: tick.mantissa * BigInt(groupTicks), scale: tick.scale };
}

/**
 * Merge volumes by price into rows of `step`: a row holds the prices from its price (a multiple of
 * the step) up to, not including, the next. Keys are row indexes (price = index × step).
 */
export function groupRows(volumes: PriceVolumes, step: Scaled): Map<bigint, BuySell> {
  const rows = new Map<bigint, BuySell>();
  for (const [priceText, cell] of volumes) {
    const price = parseScaled(priceText);
    const scale = Math.max(price.scale, step.scale);
    const p = rescale(price.mantissa, price.scale, scale);
    const s = rescale(step.mantissa, step.scale, scale);
    // Floor division (prices may be negative on some instruments: spreads, options combos).
    let index = p / s;
    if (p % s !== 0n && p < 0n) index -= 1n;
    let row = rows.get(index);
    if (!row) rows.set(index, (row = new BuySell()));
    row.addAll(cell);
  }
  return rows;
}

/** Text of row `index`'s price at `step`. */
export function rowPrice(index: bigint, step: Scaled): string {
  return scaledText(index * step.mantissa, step.scale);
}

/** Row sizes the automatic grouping picks from: 1, 2 and 5 × 10^k ticks. */
export function autoGroupTicks(spanTicks: number, targetRows: number): number {
  // spanTicks + 1 prices must fit in targetRows rows (one more row when the range straddles a row edge).
  const need = (spanTicks + 1) / Math.max(1, targetRows - 1);
  for (let power = 1; power <= 1e9; power *= 10) {
    for (const m of [1, 2, 5]) if (m * power >= need) return m * power;
  }
  return 1e9;
}

/** Ticks between the lowest and the highest price traded in `volumes` (0 when empty). */
export function priceSpanTicks(volumes: Iterable<PriceVolumes>, tick: Scaled): number {
  let low: Scaled | null = null;
  let high: Scaled | null = null;
  const below = (a: Scaled, b: Scaled): boolean => {
    const scale = Math.max(a.scale, b.scale);
    return rescale(a.mantissa, a.scale, scale) < rescale(b.mantissa, b.scale, scale);
  };
  for (const v of volumes) {
    for (const text of v.keys()) {
      const price = parseScaled(text);
      if (low === null || below(price, low)) low = price;
      if (high === null || below(high, price)) high = price;
    }
  }
  if (low === null || high === null) return 0;
  const scale = Math.max(low.scale, high.scale, tick.scale);
  const span = rescale(high.mantissa, high.scale, scale) - rescale(low.mantissa, low.scale, scale);
  return Number(span / rescale(tick.mantissa, tick.scale, scale));
}
