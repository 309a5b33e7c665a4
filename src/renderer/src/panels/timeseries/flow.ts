/**
 * Traded flow for the time series: the main process's per-second series (analytics.series) and, for
 * the time before the panel opened, the recorded trades, kept as one record per second and put on the
 * chart's time grid.
 */
import type { SeriesFrame } from '../../../../shared/analytics';
import type { TradePrint } from '../../../../shared/contract';

/** One second's trades (start of the second in ms, local receive time). */
export interface SecondFlow {
  t: number;
  /** Taker buy, taker sell and unknown-side volume (base units). */
  buy: number;
  sell: number;
  other: number;
  trades: number;
  /** Σ price × size, for the VWAP of a span of seconds. */
  notional: number;
}

/** Flow over a span of seconds (one chart point), with what the legend shows. */
export interface SpanFlow extends SecondFlow {
  volume: number;
  /** Σ notional / Σ volume; null without trades. */
  vwap: number | null;
  /** (buy − sell) / (buy + sell), −1…1; null without sided volume. */
  imbalance: number | null;
}

/** The seconds of a series frame after `after` (ms), oldest first. */
export function flowsFromSeries(frame: SeriesFrame, after: number): SecondFlow[] {
  const out: SecondFlow[] = [];
  for (let i = 0; i < frame.t.length; i++) {
    const t = frame.t[i]!;
    if (t <= after) continue;
    const volume = frame.volume[i]!;
    const buy = frame.buyVolume[i]!;
    const sell = frame.sellVolume[i]!;
    const vwap = frame.vwap[i];
    out.push({ t, buy, sell, other: Math.max(0, volume - buy - sell), trades: frame.trades[i]!, notional: vwap !== null && vwap !== undefined ? vwap * volume : 0 });
  }
  return out;
}

/**
 * Recorded trades summed per second of local receive time, oldest first, the way the main process's
 * series counts them (prints sent on subscribe from before it, and empty prints, left out).
 */
export function flowsFromTrades(rows: readonly TradePrint[]): SecondFlow[] {
  const bySecond = new Map<number, SecondFlow>();
  for (const row of rows) {
    if (row.history) continue;
    const size = Number(row.size);
    const price = Number(row.price);
    if (!(size > 0) || !(price > 0)) continue;
    const t = Math.floor(row.localTs / 1000) * 1000;
    let s = bySecond.get(t);
    if (!s) bySecond.set(t, (s = { t, buy: 0, sell: 0, other: 0, trades: 0, notional: 0 }));
    if (row.side === 'buy') s.buy += size;
    else if (row.side === 'sell') s.sell += size;
    else s.other += size;
    s.trades++;
    s.notional += price * size;
  }
  return [...bySecond.values()].sort((a, b) => a.t - b.t);
}

/** The chart point (grid time) a second's flow is summed into: its `bucketMs` bucket, for buckets of a second or more. */
export function spanStart(t: number, bucketMs: number): number {
  return Math.floor(t / Math.max(bucketMs, 1000)) * Math.max(bucketMs, 1000);
}

/** The flow of the seconds in [from, from + max(bucketMs, 1 s)). */
export function flowOver(seconds: ReadonlyMap<number, SecondFlow>, from: number, bucketMs: number): SpanFlow {
  const span = { t: from, buy: 0, sell: 0, other: 0, trades: 0, notional: 0 };
  const start = spanStart(from, bucketMs);
  for (let t = start; t < start + Math.max(bucketMs, 1000); t += 1000) {
    const s = seconds.get(t);
    if (!s) continue;
    span.buy += s.buy;
    span.sell += s.sell;
    span.other += s.other;
    span.trades += s.trades;
    span.notional += s.notional;
  }
  const volume = span.buy + span.sell + span.other;
  return {
    ...span,
    volume,
    vwap: volume > 0 && span.notional > 0 ? span.notional / volume : null,
    imbalance: span.buy + span.sell > 0 ? (span.buy - span.sell) / (span.buy + span.sell) : null,
  };
}

/**
 * The grid times one second's flow is drawn at: every `bucketMs` point within the second when points
 * are finer than a second (its bar spans the second), else the one point whose bucket holds it.
 */
export function gridTimesOf(second: number, bucketMs: number): number[] {
  if (bucketMs >= 1000) return [spanStart(second, bucketMs)];
  const out: number[] = [];
  for (let t = second; t < second + 1000; t += bucketMs) out.push(t);
  return out;
}
