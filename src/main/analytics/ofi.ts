/**
 * Order-flow imbalance.
 *
 * Best level, after Cont, Kukanov & Stoikov (2014), "The price impact of order book events", Journal of
 * Financial Econometrics 12(1): between consecutive book states n−1 and n, with best bid P^b,
 * best ask P^a and their sizes q^b, q^a,
 *
 *   e_n = 1{P^b_n ≥ P^b_{n−1}} q^b_n − 1{P^b_n ≤ P^b_{n−1}} q^b_{n−1} − 1{P^a_n ≤ P^a_{n−1}} q^a_n + 1{P^a_n ≥ P^a_{n−1}} q^a_{n−1}
 *
 * (bid size added or a better bid counts as buying pressure, ask size added or a better ask as selling
 * pressure), and OFI over an interval is Σ e_n over the states in it.
 *
 * Multi-level, after Xu, Gould & Howison (2019), "Multi-level order-flow imbalance in a limit order
 * book", Market Microstructure and Liquidity 4(3–4): the same e^m_n computed from the m-th best bid and
 * ask, m = 1..M. We report each level's OFI and their plain sum Σ_m e^m_n (equal weights; the paper
 * fits weights by regression, which needs trades we do not have).
 *
 * Conventions here: a "state" is the book after one venue message (venues batch changes, e.g. Binance
 * every 100 ms), sizes are in base units, a missing level counts as size 0 at price −∞ (bid) or +∞ (ask)
 * so that a level appearing adds its size and a level vanishing subtracts it, and the state right
 * after a snapshot starts a new chain (a rebuilt book is not order flow).
 */
import type { SideLevels } from './levels';

/** e_n for one level pair (see above). */
export function ofiContribution(
  bid: number,
  bidSize: number,
  prevBid: number,
  prevBidSize: number,
  ask: number,
  askSize: number,
  prevAsk: number,
  prevAskSize: number,
): number {
  let e = 0;
  if (bid >= prevBid) e += bidSize;
  if (bid <= prevBid) e -= prevBidSize;
  if (ask <= prevAsk) e -= askSize;
  if (ask >= prevAsk) e += prevAskSize;
  return e;
}

/** Keeps the previous state's top M levels and yields each new state's per-level e^m_n. */
export class OfiTracker {
  private readonly prevBid: Float64Array;
  private readonly prevBidSize: Float64Array;
  private readonly prevAsk: Float64Array;
  private readonly prevAskSize: Float64Array;
  private hasPrev = false;

  constructor(readonly levels: number) {
    this.prevBid = new Float64Array(levels);
    this.prevBidSize = new Float64Array(levels);
    this.prevAsk = new Float64Array(levels);
    this.prevAskSize = new Float64Array(levels);
  }

  /**
   * Compare the new state with the previous one: writes e^m_n into `out[m − 1]` and returns true, or
   * returns false (out untouched) when there is no previous state to compare with. Either way the new
   * state becomes the previous one.
   */
  update(bids: SideLevels, asks: SideLevels, out: Float64Array): boolean {
    const had = this.hasPrev;
    for (let m = 0; m < this.levels; m++) {
      const hasBid = m < bids.count;
      const hasAsk = m < asks.count;
      const bid = hasBid ? bids.prices[m]! : Number.NEGATIVE_INFINITY;
      const bidSize = hasBid ? bids.sizes[m]! : 0;
      const ask = hasAsk ? asks.prices[m]! : Number.POSITIVE_INFINITY;
      const askSize = hasAsk ? asks.sizes[m]! : 0;
      if (had) {
        out[m] = ofiContribution(bid, bidSize, this.prevBid[m]!, this.prevBidSize[m]!, ask, askSize, this.prevAsk[m]!, this.prevAskSize[m]!);
      }
      this.prevBid[m] = bid;
      this.prevBidSize[m] = bidSize;
      this.prevAsk[m] = ask;
      this.prevAskSize[m] = askSize;
    }
    this.hasPrev = true;
    return had;
  }

  /** Forget the previous state (after a snapshot or a resync). */
  reset(): void {
    this.hasPrev = false;
  }
}
