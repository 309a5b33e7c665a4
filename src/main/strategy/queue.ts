/**
 * Where a paper order stands in the queue at its price. We see only the displayed size per level
 * (L2), so the queue ahead is an estimate: it starts as the whole displayed size (we join the back),
 * trades at our price consume it, and a fall in displayed size that trades do not explain is a cancel
 * somewhere in the queue. Both models follow hftbacktest's (RiskAverseQueueModel, ProbQueueModel);
 * the code is ours.
 */
import type { QueueModelName } from '../../shared/market-maker';
import { Exact } from './exact';

/** Digits kept when the probabilistic model divides, before rounding to the sizes' own precision. */
const QUEUE_SCALE = 12;

export interface QueuePosition {
  /** Displayed size estimated ahead of the order. */
  ahead: Exact;
  /** Displayed size at the order's price when the book was last seen. */
  levelSize: Exact;
  /** Traded size at the order's price since the book was last seen (the prob model keeps it out of cancels). */
  tradedSinceBook: Exact;
  /** Most fractional digits seen in sizes at this price: the estimate is rounded up to them, so fills come in the venue's size steps. */
  sizeDecimals: number;
}

export function joinQueue(displayed: Exact): QueuePosition {
  return { ahead: displayed, levelSize: displayed, tradedSinceBook: Exact.ZERO, sizeDecimals: displayed.scale };
}

/**
 * A trade of `size` at the order's price: it takes the queue ahead first. Returns what is left of the
 * trade for the order (zero while the queue ahead lasts).
 */
export function tradeAtPrice(q: QueuePosition, size: Exact): Exact {
  q.sizeDecimals = Math.max(q.sizeDecimals, size.scale);
  q.tradedSinceBook = q.tradedSinceBook.add(size);
  const consumed = Exact.min(q.ahead, size);
  q.ahead = q.ahead.sub(consumed);
  return size.sub(consumed);
}

/** The displayed size at the order's price changed to `displayed`. */
export function levelChanged(model: QueueModelName, q: QueuePosition, displayed: Exact): void {
  const previous = q.levelSize;
  const traded = q.tradedSinceBook;
  q.levelSize = displayed;
  q.tradedSinceBook = Exact.ZERO;
  q.sizeDecimals = Math.max(q.sizeDecimals, displayed.scale, previous.scale);
  if (model === 'risk-averse') {
    // Only trades advance us; the queue ahead can never be larger than what is displayed.
    q.ahead = Exact.min(q.ahead, displayed);
    return;
  }
  // Probabilistic: the fall not explained by trades is cancels, split between the front and the back
  // of the queue by f(front) : f(back) with f(x) = x², so cancels far ahead of us count for less when we sit
  // near the front and for more when we sit near the back.
  const cancelled = previous.sub(displayed).sub(traded);
  if (cancelled.sign <= 0) {
    q.ahead = Exact.min(q.ahead, displayed);
    return;
  }
  const front = q.ahead;
  const back = Exact.max(previous.sub(front), Exact.ZERO);
  const fFront = front.mul(front);
  const fBack = back.mul(back);
  const total = fFront.add(fBack);
  // Nobody ahead and nobody behind: nothing to move.
  const fromFront = total.isZero ? Exact.ZERO : cancelled.mul(fFront).div(total, QUEUE_SCALE, 'floor');
  const fromBack = cancelled.sub(fromFront);
  // If more is cancelled behind us than stands there, the excess came from the front.
  const overflow = Exact.min(back.sub(fromBack), Exact.ZERO);
  // Rounded up to the sizes' precision: never nearer the front than computed, and fills stay in size steps.
  const estimate = front.sub(fromFront).add(overflow).toStep(Exact.step(q.sizeDecimals), 'ceil');
  q.ahead = Exact.max(Exact.ZERO, Exact.min(estimate, displayed));
}
