/** The depth view: resting size by distance from mid (bps buckets) on each side, plus what lies beyond. */
import type { DepthFrame } from '../../../shared/contract';
import type { SymbolFeed } from '../../venues/symbol-feed';
import type { FrameSource } from '../publisher';
import { autoRangeBps, midOf } from './range';

/** Absorbs float error at bucket edges (bucket indexes are for display only). */
const EPSILON = 1e-7;

/** Levels the automatic depth range aims to show on each side. */
const AUTO_DEPTH_LEVELS = 100;

export function depthFrame(feed: SymbolFeed, rangeBps: number, points: number): DepthFrame {
  const book = feed.book;
  const mid = midOf(book);
  const bucketBps = rangeBps / points;
  const bidSizes = new Array<number>(points).fill(0);
  const askSizes = new Array<number>(points).fill(0);
  let bidBeyond = 0;
  let askBeyond = 0;
  const bid = book.bestBid();
  const ask = book.bestAsk();
  if (mid !== null && bid && ask) {
    // Distances in integer ticks against twice the mid (also integer), so bucket edges are exact.
    const mid2 = bid.tick + ask.tick;
    const perBucket = (mid2 * bucketBps) / 10_000;
    const bucket = (distance2: number): number => Math.floor(distance2 / perBucket + EPSILON);
    for (const level of book.levels('bid')) {
      const i = bucket(mid2 - 2 * level.tick);
      if (i < points) bidSizes[Math.max(0, i)]! += level.size;
      else bidBeyond += level.size;
    }
    for (const level of book.levels('ask')) {
      const i = bucket(2 * level.tick - mid2);
      if (i < points) askSizes[Math.max(0, i)]! += level.size;
      else askBeyond += level.size;
    }
  }
  return { venue: feed.venue, symbol: feed.symbol, state: feed.state, mid, bucketBps, bidSizes, askSizes, bidBeyond, askBeyond };
}

/** `rangeBps` 0 picks a range reaching the 100th level, once, at the first frame with both sides. */
export function depthSource(feed: SymbolFeed, rangeBps: number, points: number): FrameSource {
  let range = rangeBps;
  return {
    version: () => `${feed.book.version}/${feed.stateVersion}`,
    build: () => {
      if (range === 0) range = autoRangeBps(feed.book, AUTO_DEPTH_LEVELS) ?? 0;
      return depthFrame(feed, range || 50, points);
    },
  };
}
