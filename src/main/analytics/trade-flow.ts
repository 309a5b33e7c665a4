/**
 * What analytics keeps of one book's trades: each print as numbers on the book's price grid, the
 * prices detectors are watching (traded volume against a resting side at an exact price), the taker
 * orders the prints belong to, and per-second volumes for the read-out windows.
 *
 * Event time is the print's local receive time, as for book updates. Prints a venue sends on subscribe
 * from before the subscription (`history`) are not market activity and never reach here.
 */
import type { Side, TakerSide, Trade } from '../../shared/market';
import { lastDecimals, lastMantissa, scanDecimal } from '../book/price-key';
import { tickAtScale } from './levels';

/** A print as analytics uses it. */
export interface FlowPrint {
  /** Local receive time (event time). */
  ts: number;
  /** The venue's trade time (the local time where the venue sent none). */
  exchangeTs: number;
  priceText: string;
  price: number;
  /** Exact price as an integer at `scale` decimals (NaN when the text is not a plain decimal). */
  tick: number;
  scale: number;
  size: number;
  side: TakerSide;
}

/** The resting side a taker trades against: a taker buy lifts the ask, a taker sell hits the bid. */
export function restingSide(side: TakerSide): Side | null {
  return side === 'buy' ? 'ask' : side === 'sell' ? 'bid' : null;
}

/** The print as numbers, its price as exact ticks at the smallest scale that holds it. */
export function flowPrint(trade: Trade): FlowPrint | null {
  const size = Number(trade.size);
  const price = Number(trade.price);
  if (!(size > 0) || !(price > 0)) return null;
  const exact = scanDecimal(trade.price);
  return {
    ts: trade.localTs,
    exchangeTs: Number.isFinite(trade.exchangeTs) && trade.exchangeTs > 0 ? trade.exchangeTs : trade.localTs,
    priceText: trade.price,
    price,
    tick: exact ? lastMantissa() : Number.NaN,
    scale: exact ? lastDecimals() : 0,
    size,
    side: trade.side,
  };
}

/** True when two exact prices (ticks at their scales) are the same price. */
export function samePrice(tickA: number, scaleA: number, tickB: number, scaleB: number): boolean {
  if (Number.isNaN(tickA) || Number.isNaN(tickB)) return false;
  return scaleA <= scaleB ? tickAtScale(tickA, scaleA, scaleB) === tickB : tickAtScale(tickB, scaleB, scaleA) === tickA;
}

/** Volume traded against one resting side at one exact price, counted while the watch is held. */
export interface PriceWatch {
  readonly side: Side;
  readonly tick: number;
  readonly scale: number;
  traded: number;
}

/** The prices detectors watch (walls, layers): few at a time, so a list scanned per print. */
export class PriceWatches {
  private readonly list: PriceWatch[] = [];

  watch(side: Side, tick: number, scale: number): PriceWatch {
    const w: PriceWatch = { side, tick, scale, traded: 0 };
    this.list.push(w);
    return w;
  }

  release(w: PriceWatch): void {
    const i = this.list.indexOf(w);
    if (i !== -1) this.list.splice(i, 1);
  }

  get size(): number {
    return this.list.length;
  }

  onPrint(p: FlowPrint): void {
    const side = restingSide(p.side);
    if (!side) return;
    for (const w of this.list) if (w.side === side && samePrice(w.tick, w.scale, p.tick, p.scale)) w.traded += p.size;
  }

  clear(): void {
    this.list.length = 0;
  }
}

/** One taker order: prints of one side at one exchange time, arriving together. */
export interface TakerOrder {
  side: TakerSide;
  exchangeTs: number;
  /** Local time of the first and last print. */
  firstTs: number;
  lastTs: number;
  /** Prices taken in print order, each once, with the size taken there. */
  levels: Array<{ price: string; value: number; size: number }>;
  size: number;
  notional: number;
  prints: number;
}

/** Groups prints into taker orders: a print of another side or exchange time closes the open order. */
export class TakerOrders {
  private open: TakerOrder | null = null;

  constructor(private readonly gapMs: number) {}

  /** Add a print; returns the order it closed, if any. */
  onPrint(p: FlowPrint): TakerOrder | null {
    const o = this.open;
    if (o && o.side === p.side && o.exchangeTs === p.exchangeTs && p.ts - o.lastTs < this.gapMs) {
      o.lastTs = p.ts;
      o.size += p.size;
      o.notional += p.size * p.price;
      o.prints++;
      const level = o.levels.find((l) => l.value === p.price);
      if (level) level.size += p.size;
      else o.levels.push({ price: p.priceText, value: p.price, size: p.size });
      return null;
    }
    this.open = {
      side: p.side,
      exchangeTs: p.exchangeTs,
      firstTs: p.ts,
      lastTs: p.ts,
      levels: [{ price: p.priceText, value: p.price, size: p.size }],
      size: p.size,
      notional: p.size * p.price,
      prints: 1,
    };
    return o;
  }

  /** Close the open order once no print joined it for the gap. */
  flush(ts: number): TakerOrder | null {
    const o = this.open;
    if (!o || ts - o.lastTs < this.gapMs) return null;
    this.open = null;
    return o;
  }

  clear(): void {
    this.open = null;
  }
}

/** Volume per second over the longest read-out window, for last-N-seconds sums. */
export class FlowWindows {
  private readonly second: Float64Array;
  private readonly buy: Float64Array;
  private readonly sell: Float64Array;
  private readonly other: Float64Array;
  private readonly trades: Float64Array;
  lastPrice: string | null = null;
  lastSide: TakerSide | null = null;
  lastTs = Number.NaN;

  constructor(readonly capacitySec: number) {
    this.second = new Float64Array(capacitySec).fill(Number.NaN);
    this.buy = new Float64Array(capacitySec);
    this.sell = new Float64Array(capacitySec);
    this.other = new Float64Array(capacitySec);
    this.trades = new Float64Array(capacitySec);
  }

  onPrint(p: FlowPrint): void {
    const sec = Math.floor(p.ts / 1000);
    const i = sec % this.capacitySec;
    if (this.second[i] !== sec) {
      // A print older than the ring holds is too old for any window.
      if (this.second[i]! > sec) return;
      this.second[i] = sec;
      this.buy[i] = this.sell[i] = this.other[i] = this.trades[i] = 0;
    }
    if (p.side === 'buy') this.buy[i]! += p.size;
    else if (p.side === 'sell') this.sell[i]! += p.size;
    else this.other[i]! += p.size;
    this.trades[i]!++;
    if (!(p.ts < this.lastTs)) {
      this.lastPrice = p.priceText;
      this.lastSide = p.side;
      this.lastTs = p.ts;
    }
  }

  /** Sums over the `seconds` seconds ending with the second that holds `now`. */
  sum(seconds: number, now: number): { volume: number; buyVolume: number; sellVolume: number; delta: number; trades: number } {
    const last = Math.floor(now / 1000);
    const first = last - Math.min(seconds, this.capacitySec) + 1;
    let buy = 0;
    let sell = 0;
    let other = 0;
    let trades = 0;
    for (let i = 0; i < this.capacitySec; i++) {
      const sec = this.second[i]!;
      if (!(sec >= first && sec <= last)) continue;
      buy += this.buy[i]!;
      sell += this.sell[i]!;
      other += this.other[i]!;
      trades += this.trades[i]!;
    }
    return { volume: buy + sell + other, buyVolume: buy, sellVolume: sell, delta: buy - sell, trades };
  }

  clear(): void {
    this.second.fill(Number.NaN);
    this.lastPrice = null;
    this.lastSide = null;
    this.lastTs = Number.NaN;
  }
}
