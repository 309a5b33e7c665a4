/**
 * Frame sources for the chart windows, built from a live book: depth by distance from mid, heatmap
 * columns on a fixed price grid, and top-of-book points for the time series.
 */
import type { DepthFrame, HeatmapFrame, TopOfBookFrame, TopOfBookPoint } from '../../shared/contract';
import type { OrderBook } from '../book/order-book';
import type { FrameSource } from '../publish/publisher';
import type { SymbolFeed } from '../venues/symbol-feed';
import type { MarketService } from './market';

/** Absorbs float error at bucket edges (bucket indexes are for display only). */
const EPSILON = 1e-7;

function midOf(book: OrderBook): number | null {
  const bid = book.bestBid();
  const ask = book.bestAsk();
  return bid && ask ? (book.priceValue(bid) + book.priceValue(ask)) / 2 : null;
}

/** Resting size per distance-from-mid bucket on each side (bps buckets), plus what lies beyond. */
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

/**
 * A round range (1, 2 or 5 × 10^k bps) that reaches the `levels`-th level on both sides of the book,
 * or null while a side is empty. Books differ by orders of magnitude in how far their depth spreads.
 */
export function autoRangeBps(book: OrderBook, levels: number): number | null {
  const mid = midOf(book);
  if (mid === null) return null;
  let far = 0;
  for (const side of ['bid', 'ask'] as const) {
    const deepest = book.top(side, levels).at(-1);
    if (deepest) far = Math.max(far, (Math.abs(book.priceValue(deepest) - mid) / mid) * 10_000);
  }
  return far > 0 ? niceStep(far * 1.05, 0.1) : null;
}

/** Levels the automatic depth range aims to show on each side. */
const AUTO_DEPTH_LEVELS = 100;
/** Levels the automatic heatmap span aims to show on each side. */
const AUTO_HEATMAP_LEVELS = 50;

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

/** A "nice" row height: 1, 2 or 5 × a power of ten, and never finer than the book's own tick. */
export function niceStep(raw: number, minStep: number): number {
  const target = Math.max(raw, minStep);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const m of [1, 2, 5, 10]) if (m * power >= target) return m * power;
  return 10 * power;
}

/**
 * One heatmap column every `intervalMs`: size per price row. The grid (row height and alignment) is
 * fixed at the first frame with a known mid, so columns line up as the price moves.
 */
export function heatmapSource(feed: SymbolFeed, rows: number, spanBps: number, intervalMs: number, now: () => number): FrameSource {
  let rowStep = 0;
  return {
    version: () => Math.floor(now() / intervalMs),
    build: (): HeatmapFrame => {
      const book = feed.book;
      const mid = midOf(book);
      const sizes = new Array<number>(rows).fill(0);
      if (mid !== null && rowStep === 0) {
        const span = spanBps > 0 ? spanBps : (autoRangeBps(book, AUTO_HEATMAP_LEVELS) ?? 30) * 2;
        rowStep = niceStep((mid * span) / 10_000 / rows, 10 ** -book.priceScale);
      }
      let basePrice = 0;
      if (mid !== null && rowStep > 0) {
        basePrice = Math.floor((mid - (rows / 2) * rowStep) / rowStep) * rowStep;
        const top = basePrice + rows * rowStep;
        for (const side of ['bid', 'ask'] as const) {
          for (const level of book.levels(side)) {
            const p = book.priceValue(level);
            if (p < basePrice || p >= top) break;
            sizes[Math.min(rows - 1, Math.floor((p - basePrice) / rowStep + EPSILON))]! += level.size;
          }
        }
      }
      const bid = book.bestBid();
      const ask = book.bestAsk();
      return {
        venue: feed.venue,
        symbol: feed.symbol,
        state: feed.state,
        ts: now(),
        basePrice,
        rowStep,
        sizes,
        bestBid: bid ? book.priceValue(bid) : null,
        bestAsk: ask ? book.priceValue(ask) : null,
      };
    },
  };
}

/** Points kept between frames for a slow window; older ones are dropped first. */
const MAX_PENDING_POINTS = 3000;
const POINT_BUCKET_MS = 100;

/** Top-of-book changes since the last frame, one point per 100 ms bucket (the last one in it). */
export function topOfBookSource(market: MarketService, feed: SymbolFeed): FrameSource {
  const pending: TopOfBookPoint[] = [];
  let appended = 0;
  // The last top of book seen, field by field (runs on every book update: no string building).
  let lastBid: string | undefined;
  let lastBidSize: string | undefined;
  let lastAsk: string | undefined;
  let lastAskSize: string | undefined;
  let seen = false;
  const record = (): void => {
    const book = feed.book;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (seen && bid?.price === lastBid && bid?.sizeText === lastBidSize && ask?.price === lastAsk && ask?.sizeText === lastAskSize) return;
    seen = true;
    lastBid = bid?.price;
    lastBidSize = bid?.sizeText;
    lastAsk = ask?.price;
    lastAskSize = ask?.sizeText;
    const t = feed.lastLocalTs || Date.now();
    const point: TopOfBookPoint = {
      t,
      bid: bid ? book.priceValue(bid) : null,
      ask: ask ? book.priceValue(ask) : null,
      bidSize: bid ? bid.size : null,
      askSize: ask ? ask.size : null,
    };
    const prev = pending.at(-1);
    if (prev && Math.floor(prev.t / POINT_BUCKET_MS) === Math.floor(t / POINT_BUCKET_MS)) pending[pending.length - 1] = point;
    else pending.push(point);
    if (pending.length > MAX_PENDING_POINTS) pending.shift();
    appended++;
  };
  record();
  const off = market.onBook((f) => {
    if (f === feed) record();
  });
  return {
    version: () => appended,
    build: (): TopOfBookFrame => ({ venue: feed.venue, symbol: feed.symbol, points: pending.splice(0, pending.length) }),
    dispose: off,
  };
}
