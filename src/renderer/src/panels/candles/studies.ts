/**
 * The candle chart's studies, computed from the candles the host sends:
 * - cumulative volume delta (taker buy − taker sell), as candles: open is the running total before
 *   the candle, close after it, high and low the extremes of the running total within it; optionally
 *   back to zero at each session (UTC day);
 * - VWAP since a session start (UTC midnight) or an anchor time, with the volume-weighted standard
 *   deviation of trade prices around it for the bands. Each candle brings its VWAP, volume and
 *   m2 = Σ size×(price − candle VWAP)², so the running figures are exactly those over every trade
 *   (the parallel form of Welford's update), not an approximation from bar prices.
 */
import type { CandleBar } from '../../../../shared/contract';

const DAY_MS = 86_400_000;

/** A candle as numbers, for drawing and the studies. */
export interface Bar {
  t: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  buyVolume: number;
  sellVolume: number;
  trades: number;
  vwap: number | null;
  m2: number;
  deltaHigh: number;
  deltaLow: number;
}

export function toBar(c: CandleBar): Bar {
  return {
    t: c.t,
    open: Number(c.open),
    high: Number(c.high),
    low: Number(c.low),
    close: Number(c.close),
    volume: Number(c.volume),
    buyVolume: Number(c.buyVolume),
    sellVolume: Number(c.sellVolume),
    trades: c.trades,
    vwap: c.vwap === null ? null : Number(c.vwap),
    m2: c.m2,
    deltaHigh: c.deltaHigh,
    deltaLow: c.deltaLow,
  };
}

export type CvdReset = 'none' | 'session';

export interface CvdBar {
  t: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** The UTC day a time falls in: sessions start at UTC midnight. */
export function sessionOf(t: number): number {
  return Math.floor(t / DAY_MS);
}

/** Cumulative volume delta per candle (bars oldest first). */
export function cumulativeDelta(bars: readonly Bar[], reset: CvdReset): CvdBar[] {
  const out: CvdBar[] = [];
  let total = 0;
  let session = Number.NaN;
  for (const b of bars) {
    const s = sessionOf(b.t);
    if (reset === 'session' && s !== session) total = 0;
    session = s;
    const open = total;
    total += b.buyVolume - b.sellVolume;
    out.push({ t: b.t, open, close: total, high: open + Math.max(b.deltaHigh, total - open, 0), low: open + Math.min(b.deltaLow, total - open, 0) });
  }
  return out;
}

export type VwapMode = 'off' | 'session' | 'anchored';

export interface VwapPoint {
  t: number;
  vwap: number;
  /** Volume-weighted standard deviation of trade prices around the VWAP since the start. */
  sigma: number;
}

/**
 * VWAP at the close of each candle: since the candle's session start ('session'), or since `anchor`
 * ('anchored': candles before the anchor have none). Candles without volume carry the last value.
 */
export function runningVwap(bars: readonly Bar[], mode: Exclude<VwapMode, 'off'>, anchor: number | null = null): VwapPoint[] {
  const out: VwapPoint[] = [];
  let weight = 0;
  let mean = 0;
  let m2 = 0;
  let session = Number.NaN;
  for (const b of bars) {
    if (mode === 'anchored' && anchor !== null && b.t < anchor) continue;
    if (mode === 'session') {
      const s = sessionOf(b.t);
      if (s !== session) {
        weight = 0;
        mean = 0;
        m2 = 0;
        session = s;
      }
    }
    if (b.volume > 0 && b.vwap !== null) {
      const total = weight + b.volume;
      const d = b.vwap - mean;
      mean += (d * b.volume) / total;
      m2 += b.m2 + (d * d * weight * b.volume) / total;
      weight = total;
    }
    if (weight > 0) out.push({ t: b.t, vwap: mean, sigma: Math.sqrt(Math.max(0, m2) / weight) });
  }
  return out;
}
