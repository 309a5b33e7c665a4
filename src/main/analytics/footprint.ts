/**
 * Footprint candles: per time interval and price row, the taker-sell and taker-buy volume traded,
 * their difference (delta) per row and per candle, the point of control (the row with the most
 * volume) and diagonal imbalances. All sums are exact decimal texts.
 *
 * A diagonal imbalance compares the two sides across one row, where the book's aggressors met:
 * buyers lifting the ask at row p against sellers hitting the bid one row below (p - step). A row is
 * a buy imbalance when buy(p) ≥ ratio × sell(p - step), a sell imbalance when
 * sell(p) ≥ ratio × buy(p + step). Both volumes must be above zero: one print against nothing is
 * not an imbalance worth a highlight.
 */
import type { FootprintCandle, FootprintRow } from '../../shared/order-flow';
import { bucketStart } from './candles';
import { BuySell, FLOW_BUCKET_MS, groupRows, rescale, rowPrice, scaledText, type FlowVolumes, type PriceVolumes, type Scaled } from './traded-volume-buckets';

export interface FootprintOptions {
  /** Candle length, a multiple of FLOW_BUCKET_MS. */
  intervalMs: number;
  /** Price step of a row. */
  step: Scaled;
  /** Imbalance ratio (≥ 1), e.g. 3 for 3:1. */
  imbalanceRatio: number;
  /** The newest candles to build (those holding prints). */
  candles: number;
}

/** The ratio as a fraction with an integer numerator over 1000, for exact comparisons. */
function ratioThousandths(ratio: number): bigint {
  return BigInt(Math.round(ratio * 1000));
}

/** a ≥ ratio × b, exactly, where a and b are at the same scale. */
function atLeastRatio(a: bigint, b: bigint, thousandths: bigint): boolean {
  return a * 1000n >= b * thousandths;
}

/**
 * The row with the most volume; on a tie, the one nearest the middle of the rows' price range, then
 * the lower. Null when nothing traded.
 */
export function pointOfControl(rows: Map<bigint, BuySell>): bigint | null {
  let best: bigint | null = null;
  let bestVolume = 0n;
  let low: bigint | null = null;
  let high: bigint | null = null;
  for (const index of rows.keys()) {
    if (low === null || index < low) low = index;
    if (high === null || index > high) high = index;
  }
  if (low === null || high === null) return null;
  const scale = commonScale(rows);
  // Twice the distance from the middle, to stay in integers.
  const distance = (index: bigint): bigint => {
    const d = 2n * index - (low! + high!);
    return d < 0n ? -d : d;
  };
  for (const [index, row] of rows) {
    const volume = rescale(row.total, row.scale, scale);
    if (volume <= 0n) continue;
    if (
      best === null ||
      volume > bestVolume ||
      (volume === bestVolume && (distance(index) < distance(best) || (distance(index) === distance(best) && index < best)))
    ) {
      best = index;
      bestVolume = volume;
    }
  }
  return best;
}

/** The finest scale any row carries. */
export function commonScale(rows: Map<bigint, BuySell>): number {
  let scale = 0;
  for (const row of rows.values()) if (row.scale > scale) scale = row.scale;
  return scale;
}

/** One candle from its volumes by price. */
export function footprintCandle(start: number, volumes: PriceVolumes, step: Scaled, imbalanceRatio: number): FootprintCandle {
  const grouped = groupRows(volumes, step);
  const scale = commonScale(grouped);
  const thousandths = ratioThousandths(imbalanceRatio);
  const at = (index: bigint): { buy: bigint; sell: bigint } => {
    const row = grouped.get(index);
    return row ? { buy: rescale(row.buy, row.scale, scale), sell: rescale(row.sell, row.scale, scale) } : { buy: 0n, sell: 0n };
  };
  const total = new BuySell();
  const indexes = [...grouped.keys()].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  const rows: FootprintRow[] = indexes.map((index) => {
    const here = at(index);
    const below = at(index - 1n);
    const above = at(index + 1n);
    total.addAll(grouped.get(index)!);
    return {
      price: rowPrice(index, step),
      sell: scaledText(here.sell, scale),
      buy: scaledText(here.buy, scale),
      delta: scaledText(here.buy - here.sell, scale),
      buyImbalance: here.buy > 0n && below.sell > 0n && atLeastRatio(here.buy, below.sell, thousandths),
      sellImbalance: here.sell > 0n && above.buy > 0n && atLeastRatio(here.sell, above.buy, thousandths),
    };
  });
  const poc = pointOfControl(grouped);
  return {
    start,
    rows,
    volume: scaledText(total.total, total.scale),
    buyVolume: scaledText(total.buy, total.scale),
    sellVolume: scaledText(total.sell, total.scale),
    delta: scaledText(total.buy - total.sell, total.scale),
    poc: poc === null ? null : rowPrice(poc, step),
  };
}

/** Start of the oldest of the newest `candles` candles of `intervalMs` (null before any print). */
export function footprintFrom(flow: FlowVolumes, intervalMs: number, candles: number): number | null {
  if (flow.newestTs === null) return null;
  return bucketStart(flow.newestTs, intervalMs) - (candles - 1) * intervalMs;
}

/**
 * Built candles kept between builds: a candle is rebuilt only when a print landed in one of its
 * buckets (usually only the newest), so a busy symbol's hour of candles is not re-summed 4 times a
 * second. Valid for one step and ratio; a different one starts afresh.
 */
export class FootprintCache {
  private key = '';
  private readonly candles = new Map<number, { signature: string; candle: FootprintCandle }>();

  get(key: string, start: number, signature: string): FootprintCandle | null {
    if (key !== this.key) {
      this.key = key;
      this.candles.clear();
    }
    const hit = this.candles.get(start);
    return hit && hit.signature === signature ? hit.candle : null;
  }

  set(start: number, signature: string, candle: FootprintCandle): void {
    this.candles.set(start, { signature, candle });
  }

  /** Forget candles older than `from`. */
  trim(from: number): void {
    for (const start of this.candles.keys()) if (start < from) this.candles.delete(start);
  }
}

/** The newest `options.candles` footprint candles of a feed's flow, oldest first (intervals with prints only). */
export function buildFootprint(flow: FlowVolumes, options: FootprintOptions, cache: FootprintCache = new FootprintCache()): FootprintCandle[] {
  const from = footprintFrom(flow, options.intervalMs, options.candles);
  if (from === null || options.intervalMs % FLOW_BUCKET_MS !== 0) return [];
  const cacheKey = `${options.step.mantissa}/${options.step.scale}/${options.intervalMs}/${options.imbalanceRatio}`;
  // Each candle's buckets, and the newest version among them: with their count, it changes whenever
  // a print lands in the candle or one of its buckets is dropped.
  const byCandle = new Map<number, { buckets: number[]; newest: number }>();
  for (const start of flow.buckets.keys()) {
    if (start < from) continue;
    const candle = bucketStart(start, options.intervalMs);
    let entry = byCandle.get(candle);
    if (!entry) byCandle.set(candle, (entry = { buckets: [], newest: 0 }));
    entry.buckets.push(start);
    entry.newest = Math.max(entry.newest, flow.bucketVersions.get(start) ?? 0);
  }
  cache.trim(from);
  return [...byCandle.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, { buckets, newest }]) => {
      const signature = `${newest}/${buckets.length}`;
      const cached = cache.get(cacheKey, start, signature);
      if (cached) return cached;
      const volumes: PriceVolumes = new Map();
      for (const bucket of buckets) {
        for (const [price, cell] of flow.buckets.get(bucket)!) {
          let sum = volumes.get(price);
          if (!sum) volumes.set(price, (sum = new BuySell()));
          sum.addAll(cell);
        }
      }
      const candle = footprintCandle(start, volumes, options.step, options.imbalanceRatio);
      cache.set(start, signature, candle);
      return candle;
    });
}
