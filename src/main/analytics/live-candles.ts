/**
 * Candles for a live chart: the exact candles of CandleBuilder (the same ones the CSV export writes),
 * plus per candle the statistics the chart's studies need and that candles alone cannot give:
 * - m2, Σ size×(price − mean)² (weighted Welford, in floats), so VWAP bands over any run of candles
 *   can be combined exactly from each candle's VWAP, volume and m2;
 * - the highest and lowest running taker delta within the candle (arrival order), so cumulative
 *   volume delta can be drawn as candles with real wicks.
 * It also remembers which candles changed, so a frame carries only those.
 */
import type { CandleBar } from '../../shared/contract';
import { CandleBuilder, bucketStart, tradeTime, type Candle, type CandleInterval, type CandleTrade } from './candles';

interface CandleStats {
  weight: number;
  mean: number;
  m2: number;
  delta: number;
  deltaHigh: number;
  deltaLow: number;
}

export function candleBar(c: Candle, s: CandleStats | undefined): CandleBar {
  return {
    t: c.start,
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
    buyVolume: c.buyVolume,
    sellVolume: c.sellVolume,
    trades: c.trades,
    vwap: c.vwap,
    m2: s?.m2 ?? 0,
    deltaHigh: s?.deltaHigh ?? 0,
    deltaLow: s?.deltaLow ?? 0,
  };
}

export class LiveCandles {
  private readonly builder: CandleBuilder;
  private readonly stats = new Map<number, CandleStats>();
  private readonly changed = new Set<number>();
  /** Trades counted (history sent on subscribe is not). */
  trades = 0;

  constructor(
    readonly interval: CandleInterval,
    /** Candles kept: older ones are forgotten as new intervals open. */
    readonly maxCandles: number,
  ) {
    this.builder = new CandleBuilder(interval);
  }

  add(trade: CandleTrade): void {
    if (trade.history) return;
    this.builder.add(trade);
    this.trades++;
    const start = bucketStart(tradeTime(trade), this.builder.intervalMs);
    let s = this.stats.get(start);
    if (!s) this.stats.set(start, (s = { weight: 0, mean: 0, m2: 0, delta: 0, deltaHigh: 0, deltaLow: 0 }));
    const price = Number(trade.price);
    const size = Number(trade.size);
    if (size > 0 && Number.isFinite(price) && Number.isFinite(size)) {
      s.weight += size;
      const before = price - s.mean;
      s.mean += (size / s.weight) * before;
      s.m2 += size * before * (price - s.mean);
    }
    if (trade.side === 'buy') s.delta += size;
    else if (trade.side === 'sell') s.delta -= size;
    if (s.delta > s.deltaHigh) s.deltaHigh = s.delta;
    if (s.delta < s.deltaLow) s.deltaLow = s.delta;
    this.changed.add(start);
    if (this.stats.size > this.maxCandles * 1.2) this.trim();
  }

  /** Keep the newest maxCandles candles. */
  private trim(): void {
    const starts = [...this.stats.keys()].sort((a, b) => a - b);
    const cut = starts[starts.length - this.maxCandles]!;
    this.builder.dropBefore(cut);
    for (const start of starts) {
      if (start >= cut) break;
      this.stats.delete(start);
      this.changed.delete(start);
    }
  }

  /** Every candle kept (the newest maxCandles), oldest first; clears the changed set. */
  all(): CandleBar[] {
    this.changed.clear();
    return this.builder
      .candles()
      .slice(-this.maxCandles)
      .map((c) => candleBar(c, this.stats.get(c.start)));
  }

  /** The candles that changed since the last call (or all()), oldest first. */
  takeChanged(): CandleBar[] {
    const starts = [...this.changed].sort((a, b) => a - b);
    this.changed.clear();
    const out: CandleBar[] = [];
    for (const start of starts) {
      const c = this.builder.candle(start);
      if (c) out.push(candleBar(c, this.stats.get(start)));
    }
    return out;
  }

  get hasChanges(): boolean {
    return this.changed.size > 0;
  }
}
