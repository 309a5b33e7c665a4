/**
 * Microstructure metrics of one book, computed on every book update from the best levels (see
 * SideLevels). Notation: b_i, a_i are the i-th best bid and ask prices (i = 1 is the touch), q^b_i,
 * q^a_i their sizes in base units, m the mid. Undefined values (an empty side, too few levels) are NaN
 * here and null on the contract.
 *
 *  - mid               m = (b_1 + a_1) / 2.
 *  - microprice        the size-weighted mid: I·a_1 + (1 − I)·b_1 with I = q^b_1 / (q^b_1 + q^a_1), i.e. the
 *                      touch weighted towards the side with less size (where the price is likelier to
 *                      go). Gatheral & Oomen (2010), "Zero-intelligence realized variance estimation",
 *                      Finance and Stochastics 14(2); named the weighted mid-price in Stoikov (2018), "The
 *                      micro-price", Quantitative Finance 18(12) (not Stoikov's adjusted micro-price).
 *  - spread            s = a_1 − b_1; in basis points of mid, 10⁴·s / m (the relative quoted spread).
 *  - book imbalance    ρ_N = (Σ_{i≤N} q^b_i − Σ_{i≤N} q^a_i) / (Σ_{i≤N} q^b_i + Σ_{i≤N} q^a_i) ∈ [−1, 1]; +1 is
 *                      all bids. The volume imbalance of Cartea, Jaimungal & Penalva (2015), "Algorithmic
 *                      and High-Frequency Trading", CUP, taken over N levels instead of the touch.
 *  - depth-weighted    WP_N = Σ_{i≤N}(q^b_i b_i + q^a_i a_i) / Σ_{i≤N}(q^b_i + q^a_i), the "weighted price" of
 *    price             Cao, Hansch & Wang (2009), "The information content of an open limit-order book",
 *                      Journal of Futures Markets 29(1); per side, Σ q_i p_i / Σ q_i over that side's N levels.
 *  - book slope        per side, the OLS slope β of QP_i on d_i, i = 1..N, where QP_i = 100·Σ_{j≤i} q_j / Σ_{j≤N} q_j
 *                      is the share of the side's N-level depth resting at or better than level i, and
 *                      d_i = 10⁴·|p_i − m| / m its distance from mid in bps: percent of depth per bp.
 *                      Ghysels & Nguyen (2019), "Price discovery of a speculative asset: evidence from a
 *                      bitcoin exchange", J. Risk Financial Manag. 12(4):164 (distance in bps here so that
 *                      books of different prices compare). Steeper = depth packed close to mid.
 *  - depth within ±X   Σ q over the levels whose price lies within X bps of mid (b_i ≥ m(1 − X/10⁴),
 *    bps of mid        a_i ≤ m(1 + X/10⁴)), per side, in base units and in quote notional Σ q·p.
 */
import type { OrderBook, PriceLevel } from '../book/order-book';
import { pow10 } from '../book/price-key';
import type { SideLevels } from './levels';

export function midPrice(bid: number, ask: number): number {
  return (bid + ask) / 2;
}

export function microprice(bid: number, bidSize: number, ask: number, askSize: number): number {
  const total = bidSize + askSize;
  if (!(total > 0)) return Number.NaN;
  const i = bidSize / total;
  return i * ask + (1 - i) * bid;
}

export function spreadBps(bid: number, ask: number): number {
  const mid = midPrice(bid, ask);
  return mid > 0 ? ((ask - bid) / mid) * 10_000 : Number.NaN;
}

/** ρ_N over the best `n` levels of each side; NaN when both sides are empty. */
export function bookImbalance(bids: SideLevels, asks: SideLevels, n: number): number {
  const qb = bids.depth(n);
  const qa = asks.depth(n);
  const total = qb + qa;
  return total > 0 ? (qb - qa) / total : Number.NaN;
}

/** Σ q·p / Σ q over the best `n` levels of one side; NaN when the side is empty. */
export function sideWeightedPrice(side: SideLevels, n: number): number {
  const m = Math.min(n, side.count);
  let q = 0;
  let pq = 0;
  for (let i = 0; i < m; i++) {
    q += side.sizes[i]!;
    pq += side.sizes[i]! * side.prices[i]!;
  }
  return q > 0 ? pq / q : Number.NaN;
}

/** WP_N over both sides' best `n` levels; NaN when both are empty. */
export function weightedPrice(bids: SideLevels, asks: SideLevels, n: number): number {
  const q = bids.depth(n) + asks.depth(n);
  return q > 0 ? (notionalOf(bids, n) + notionalOf(asks, n)) / q : Number.NaN;
}

function notionalOf(side: SideLevels, n: number): number {
  const m = Math.min(n, side.count);
  let pq = 0;
  for (let i = 0; i < m; i++) pq += side.sizes[i]! * side.prices[i]!;
  return pq;
}

/** β of QP_i on d_i over the best `n` levels of one side; NaN without a mid or with fewer than 2 levels. */
export function bookSlope(side: SideLevels, n: number, mid: number): number {
  const m = Math.min(n, side.count);
  if (m < 2 || !(mid > 0)) return Number.NaN;
  const total = side.depth(m);
  if (!(total > 0)) return Number.NaN;
  let cum = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < m; i++) {
    cum += side.sizes[i]!;
    const x = (Math.abs(side.prices[i]! - mid) / mid) * 10_000;
    const y = (100 * cum) / total;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const varX = sxx - (sx * sx) / m;
  if (!(varX > 0)) return Number.NaN;
  return (sxy - (sx * sy) / m) / varX;
}

/** Depth within each band around mid, for one side; filled in place. */
export class DepthBands {
  readonly base: Float64Array;
  readonly notional: Float64Array;
  truncated = false;
  private mid = 0;
  private divisor = 1;
  private scanned = 0;
  private maxLevels = 0;
  private readonly visit = (level: PriceLevel): boolean => {
    const price = level.tick / this.divisor;
    const distance = (Math.abs(price - this.mid) / this.mid) * 10_000;
    // Bands are ascending, so once a level is outside the widest band every later one is too.
    if (distance > this.bandsBps[this.bandsBps.length - 1]! * (1 + 1e-9)) return false;
    if (this.scanned >= this.maxLevels) {
      this.truncated = true;
      return false;
    }
    this.scanned++;
    for (let b = this.bandsBps.length - 1; b >= 0; b--) {
      if (distance > this.bandsBps[b]! * (1 + 1e-9)) break;
      this.base[b]! += level.size;
      this.notional[b]! += level.size * price;
    }
    return true;
  };

  /** `bandsBps` ascending. */
  constructor(readonly bandsBps: readonly number[]) {
    this.base = new Float64Array(bandsBps.length);
    this.notional = new Float64Array(bandsBps.length);
  }

  compute(book: OrderBook, side: 'bid' | 'ask', mid: number, maxLevels: number): void {
    this.base.fill(0);
    this.notional.fill(0);
    this.truncated = false;
    if (!(mid > 0)) return;
    this.mid = mid;
    this.divisor = pow10(book.priceScale);
    this.scanned = 0;
    this.maxLevels = maxLevels;
    book.scan(side, this.visit);
  }

  clear(): void {
    this.base.fill(0);
    this.notional.fill(0);
    this.truncated = false;
  }
}
