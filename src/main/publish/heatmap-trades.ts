/**
 * The prints of one book per heatmap column slot, kept beside its heatmap history so trade bubbles
 * survive a reload like the columns do. Per slot (the history's column width, on the print's local
 * time: the recorded time in a replay) and per exact price: taker-buy and taker-sell volume and how
 * many prints. Prints whose taker side the venue does not say are left out (a bubble is coloured by
 * its aggressor). Bounded: slots older than `keepMs` behind the newest are dropped, and a slot holds
 * at most MAX_PRICES_PER_SLOT prices (a burst beyond that adds to the existing prices only).
 */
import type { TakerSide } from '../../shared/market';

/** [price, taker-buy volume, taker-sell volume] of one bubble. */
export type TradeCell = [price: number, buy: number, sell: number];

export const MAX_PRICES_PER_SLOT = 256;

/** Absorbs float error when a price falls exactly on a bin edge. */
const EDGE_EPSILON = 1e-7;

interface PriceVolume {
  buy: number;
  sell: number;
}

export class HeatmapTrades {
  /** Slot start → price → volumes; slots in arrival order (time order but for late prints). */
  private readonly slots = new Map<number, Map<number, PriceVolume>>();
  private newestSlot = Number.NEGATIVE_INFINITY;

  constructor(
    readonly columnMs: number,
    readonly keepMs: number,
  ) {}

  get slotCount(): number {
    return this.slots.size;
  }

  add(ts: number, price: number, size: number, side: TakerSide): void {
    if (side === 'unknown' || !(price > 0) || !(size > 0) || !Number.isFinite(ts)) return;
    const slot = Math.floor(ts / this.columnMs) * this.columnMs;
    // Too old to be shown by any history still held.
    if (slot <= this.newestSlot - this.keepMs) return;
    let prices = this.slots.get(slot);
    if (!prices) {
      prices = new Map();
      this.slots.set(slot, prices);
      if (slot > this.newestSlot) {
        this.newestSlot = slot;
        this.evict();
      }
    }
    let v = prices.get(price);
    if (!v) {
      if (prices.size >= MAX_PRICES_PER_SLOT) return;
      prices.set(price, (v = { buy: 0, sell: 0 }));
    }
    if (side === 'buy') v.buy += size;
    else v.sell += size;
  }

  /**
   * The prints in slots starting in [from, to), one cell per price bin of `rowStep` (bin k covers
   * [k·rowStep, (k+1)·rowStep)), at the bin's volume-weighted price. Lowest price first.
   */
  cells(from: number, to: number, rowStep: number): TradeCell[] {
    const bins = new Map<number, { buy: number; sell: number; notional: number }>();
    const first = Math.ceil(from / this.columnMs) * this.columnMs;
    for (let slot = first; slot < to; slot += this.columnMs) {
      const prices = this.slots.get(slot);
      if (!prices) continue;
      for (const [price, v] of prices) {
        const bin = Math.floor(price / rowStep + EDGE_EPSILON);
        let b = bins.get(bin);
        if (!b) bins.set(bin, (b = { buy: 0, sell: 0, notional: 0 }));
        b.buy += v.buy;
        b.sell += v.sell;
        b.notional += price * (v.buy + v.sell);
      }
    }
    const out: TradeCell[] = [];
    for (const b of bins.values()) out.push([b.notional / (b.buy + b.sell), b.buy, b.sell]);
    return out.sort((a, b) => a[0] - b[0]);
  }

  /**
   * The slots with prints in [from, to), grouped into spans of `spanMs` (the slot width, or a multiple
   * when the caller merged columns), each as cells at `rowStep`. Oldest first.
   */
  spans(from: number, to: number, spanMs: number, rowStep: number): Array<{ ts: number; cells: TradeCell[] }> {
    const out: Array<{ ts: number; cells: TradeCell[] }> = [];
    const first = Math.floor(from / spanMs) * spanMs;
    for (let ts = first; ts < to; ts += spanMs) {
      const start = Math.max(ts, from);
      const cells = this.cells(start, Math.min(ts + spanMs, to), rowStep);
      if (cells.length > 0) out.push({ ts, cells });
    }
    return out;
  }

  clear(): void {
    this.slots.clear();
    this.newestSlot = Number.NEGATIVE_INFINITY;
  }

  private evict(): void {
    const cutoff = this.newestSlot - this.keepMs;
    for (const slot of this.slots.keys()) {
      if (slot > cutoff) break;
      this.slots.delete(slot);
    }
  }
}
