/** The depth chart's automatic range: how far from mid it reaches, and when it moves. */
import type { LadderFrame } from '../../../../shared/contract';
import { niceStep } from '../heatmap/view';

/** The automatic range reaches this many levels on each side… */
export const AUTO_LEVELS = 25;
/** …or this far from mid (2%), whichever is tighter. */
const AUTO_MAX_BPS = 200;
/** The shown range moves when the book's reach passes this multiple of it (levels it should show fall outside)… */
const GROW_AT = 1.25;
/** …or falls below this multiple of it (the liquidity fills a fifth of the chart). */
const SHRINK_AT = 0.2;

/** The smallest 1, 2 or 5 × 10^k at or above `bps` (never below 0.1 bp), without float noise (0.2, not 0.20000000000000001). */
export function niceBps(bps: number): number {
  return Number(niceStep(Math.max(bps, 0.1)).toPrecision(6));
}

/**
 * How far from mid (bps) the chart should reach for a book: out to its AUTO_LEVELS-th level on the
 * farther side (plus 5%), or AUTO_MAX_BPS, whichever is tighter; never so tight that the spread fills
 * it. Null while a side is empty.
 */
export function depthReachBps(ladder: LadderFrame): number | null {
  const bestBid = Number(ladder.bids[0]?.[0]);
  const bestAsk = Number(ladder.asks[0]?.[0]);
  if (!(bestBid > 0) || !(bestAsk > bestBid)) return null;
  const mid = (bestBid + bestAsk) / 2;
  const far = Math.max(
    (mid - Number(ladder.bids[Math.min(AUTO_LEVELS, ladder.bids.length) - 1]![0])) / mid,
    (Number(ladder.asks[Math.min(AUTO_LEVELS, ladder.asks.length) - 1]![0]) - mid) / mid,
  );
  const halfSpread = (bestAsk - mid) / mid;
  return Math.min(Math.max(far * 1.05, halfSpread * 4) * 10_000, AUTO_MAX_BPS);
}

/**
 * The range to show (a 1-2-5 value in bps) given the one shown (`held`, null at first) and the book's
 * reach now. The held range stays while the reach is within [SHRINK_AT, GROW_AT] of it: a book whose
 * 25th level wanders about a 1-2-5 boundary (2 and 5 bps, ETHUSDT) would otherwise switch the range,
 * and with it the chart's stream, several times a second. Just after a move the reach is inside the
 * band of the new range (a 1-2-5 rounding is at most 2.5× the value), so it cannot move straight back.
 */
export function nextAutoRange(held: number | null, reachBps: number): number {
  if (held === null || reachBps > held * GROW_AT || reachBps < held * SHRINK_AT) return niceBps(reachBps);
  return held;
}
