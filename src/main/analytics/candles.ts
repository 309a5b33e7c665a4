/**
 * Time candles from trades: open, high, low, close, volume (with its taker-buy and taker-sell parts),
 * trade count and VWAP per interval, all from the venue's exact decimal text (no floats).
 *
 * A trade belongs to the interval holding its time on the venue's clock (the local receive time where
 * the venue sent none). Trades a venue sends on subscribe from before the subscription (`history`) are
 * not market activity of the interval and are left out. Trades may arrive slightly out of time order
 * (separate connections, a reconnect), so each candle keeps the times of its open and close: the
 * open is the earliest trade of the interval, the close the latest (on equal times, arrival order).
 * Intervals without a trade have no candle.
 */
import { canonicalDecimal } from '../../shared/decimal';
import { compareDecimal, DecimalSum } from '../../shared/decimal-sum';
import { CANDLE_INTERVAL_MS } from '../../shared/candles';
import type { Trade } from '../../shared/market';

/** Interval lengths in ms; buckets start at multiples of the length since the epoch (UTC days for 1d). */
export const CANDLE_INTERVALS = CANDLE_INTERVAL_MS;

export type CandleInterval = keyof typeof CANDLE_INTERVALS;

export function isCandleInterval(text: string): text is CandleInterval {
  return Object.prototype.hasOwnProperty.call(CANDLE_INTERVALS, text);
}

/** Significant digits of a candle's VWAP (the quotient rarely terminates). */
export const VWAP_SIGNIFICANT_DIGITS = 12;

export interface Candle {
  /** Start of the interval, ms since the epoch. */
  start: number;
  /** Prices in canonical decimal text (the venue's digits, no padding zeros). */
  open: string;
  high: string;
  low: string;
  close: string;
  /** Sum of sizes, exact; buyVolume and sellVolume are its taker-buy and taker-sell parts. */
  volume: string;
  buyVolume: string;
  sellVolume: string;
  /** Trade records in the interval. */
  trades: number;
  /** Σ price×size / Σ size rounded half away from zero to 12 significant digits; null when Σ size is 0. */
  vwap: string | null;
}

export type CandleTrade = Pick<Trade, 'price' | 'size' | 'side' | 'exchangeTs' | 'localTs' | 'history'>;

/** The time a trade is bucketed by: the venue's trade time, or the local receive time where it sent none. */
export function tradeTime(trade: Pick<Trade, 'exchangeTs' | 'localTs'>): number {
  return Number.isFinite(trade.exchangeTs) && trade.exchangeTs > 0 ? trade.exchangeTs : trade.localTs;
}

/** Start of the interval of length `intervalMs` that holds `ts` (a µs fraction stays in its millisecond). */
export function bucketStart(ts: number, intervalMs: number): number {
  return Math.floor(ts / intervalMs) * intervalMs;
}

/** An exact decimal as an integer mantissa at a scale: value = mantissa / 10^scale. */
interface Scaled {
  mantissa: bigint;
  scale: number;
}

function toScaled(text: string): Scaled {
  const c = canonicalDecimal(text);
  const dot = c.indexOf('.');
  if (dot === -1) return { mantissa: BigInt(c), scale: 0 };
  return { mantissa: BigInt(c.slice(0, dot) + c.slice(dot + 1)), scale: c.length - dot - 1 };
}

/** A running exact sum of scaled values. */
class ScaledSum {
  mantissa = 0n;
  scale = 0;

  add(x: Scaled): void {
    if (x.scale > this.scale) {
      this.mantissa *= 10n ** BigInt(x.scale - this.scale);
      this.scale = x.scale;
    }
    this.mantissa += x.mantissa * 10n ** BigInt(this.scale - x.scale);
  }
}

/** Canonical text of mantissa / 10^scale. */
function formatScaled(mantissa: bigint, scale: number): string {
  const negative = mantissa < 0n;
  let digits = (negative ? -mantissa : mantissa).toString();
  if (scale <= 0) return canonicalDecimal((negative ? '-' : '') + digits + '0'.repeat(-scale));
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  return canonicalDecimal(`${negative ? '-' : ''}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`);
}

/**
 * numerator / denominator (denominator > 0) rounded half away from zero to `digits` significant
 * digits, as canonical decimal text.
 */
export function divideToSignificant(numerator: bigint, denominator: bigint, digits: number): string {
  if (denominator <= 0n) throw new Error('denominator must be positive');
  if (numerator === 0n) return '0';
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  // Find the scale k with 10^(digits-1) <= n·10^k / d < 10^digits; the length difference is within one of it.
  let k = digits - 1 - (n.toString().length - denominator.toString().length);
  const low = 10n ** BigInt(digits - 1);
  const high = 10n ** BigInt(digits);
  const scaledQuotient = (scale: number): bigint => (scale >= 0 ? (n * 10n ** BigInt(scale)) / denominator : n / (denominator * 10n ** BigInt(-scale)));
  while (scaledQuotient(k) >= high) k--;
  while (scaledQuotient(k) < low) k++;
  const num = k >= 0 ? n * 10n ** BigInt(k) : n;
  const den = k >= 0 ? denominator : denominator * 10n ** BigInt(-k);
  let q = num / den;
  if (2n * (num % den) >= den) q++;
  return formatScaled(negative ? -q : q, k);
}

interface Accumulator {
  start: number;
  open: string;
  openTs: number;
  close: string;
  closeTs: number;
  high: string;
  low: string;
  volume: DecimalSum;
  buyVolume: DecimalSum;
  sellVolume: DecimalSum;
  trades: number;
  /** Σ size and Σ price×size, exact, for the VWAP. */
  size: ScaledSum;
  notional: ScaledSum;
}

/** Candles of one interval length for one symbol's trades. */
export class CandleBuilder {
  readonly intervalMs: number;
  private readonly buckets = new Map<number, Accumulator>();

  constructor(readonly interval: CandleInterval) {
    this.intervalMs = CANDLE_INTERVALS[interval];
  }

  /** Count a trade into its interval's candle (history sent on subscribe is ignored). */
  add(trade: CandleTrade): void {
    if (trade.history) return;
    const ts = tradeTime(trade);
    const start = bucketStart(ts, this.intervalMs);
    const price = trade.price;
    let c = this.buckets.get(start);
    if (!c) {
      c = {
        start,
        open: price,
        openTs: ts,
        close: price,
        closeTs: ts,
        high: price,
        low: price,
        volume: new DecimalSum(),
        buyVolume: new DecimalSum(),
        sellVolume: new DecimalSum(),
        trades: 0,
        size: new ScaledSum(),
        notional: new ScaledSum(),
      };
      this.buckets.set(start, c);
    } else {
      if (ts < c.openTs) {
        c.open = price;
        c.openTs = ts;
      }
      if (ts >= c.closeTs) {
        c.close = price;
        c.closeTs = ts;
      }
      if (compareDecimal(price, c.high) > 0) c.high = price;
      if (compareDecimal(price, c.low) < 0) c.low = price;
    }
    c.volume.add(trade.size);
    if (trade.side === 'buy') c.buyVolume.add(trade.size);
    else if (trade.side === 'sell') c.sellVolume.add(trade.size);
    c.trades++;
    const p = toScaled(price);
    const s = toScaled(trade.size);
    c.size.add(s);
    c.notional.add({ mantissa: p.mantissa * s.mantissa, scale: p.scale + s.scale });
  }

  /** Every candle so far, oldest first. */
  candles(): Candle[] {
    return [...this.buckets.values()].sort((a, b) => a.start - b.start).map(finish);
  }

  /** The candle of the interval starting at `start`, or null when it has no trade. */
  candle(start: number): Candle | null {
    const c = this.buckets.get(start);
    return c ? finish(c) : null;
  }

  /** Forget the candles of intervals starting before `start` (a live chart keeps a bounded window). */
  dropBefore(start: number): void {
    for (const key of this.buckets.keys()) if (key < start) this.buckets.delete(key);
  }

  /** How many candles are kept. */
  get size(): number {
    return this.buckets.size;
  }
}

function finish(c: Accumulator): Candle {
  return {
    start: c.start,
    open: canonicalDecimal(c.open),
    high: canonicalDecimal(c.high),
    low: canonicalDecimal(c.low),
    close: canonicalDecimal(c.close),
    volume: c.volume.toString(),
    buyVolume: c.buyVolume.toString(),
    sellVolume: c.sellVolume.toString(),
    trades: c.trades,
    vwap: vwap(c),
  };
}

/** Σ price×size / Σ size: (N / 10^sn) / (S / 10^ss) = N·10^ss / (S·10^sn). */
function vwap(c: Accumulator): string | null {
  if (c.size.mantissa === 0n) return null;
  const numerator = c.notional.mantissa * 10n ** BigInt(c.size.scale);
  let denominator = c.size.mantissa * 10n ** BigInt(c.notional.scale);
  let sign = 1n;
  if (denominator < 0n) {
    denominator = -denominator;
    sign = -1n;
  }
  return divideToSignificant(sign * numerator, denominator, VWAP_SIGNIFICANT_DIGITS);
}
