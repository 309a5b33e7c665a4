/** The heatmap view: one column every `intervalMs`, resting size per row of a fixed price grid. */
import type { HeatmapFrame } from '../../../shared/contract';
import type { OrderBook } from '../../book/order-book';
import type { SymbolFeed } from '../../venues/symbol-feed';
import type { FrameSource } from '../publisher';
import type { HeatmapTrades } from '../heatmap-trades';
import { autoRangeBps, midOf, niceStep } from './range';

/** Absorbs float error at row edges (row indexes are for display only). */
const EPSILON = 1e-7;

/** Levels the automatic heatmap span aims to show on each side. */
const AUTO_HEATMAP_LEVELS = 50;

/** Row height for a span of `spanBps` around mid (0: the automatic span that shows the top 50 levels); null without a mid. */
export function heatmapRowStep(book: OrderBook, rows: number, spanBps: number): number | null {
  const mid = midOf(book);
  if (mid === null) return null;
  const span = spanBps > 0 ? spanBps : (autoRangeBps(book, AUTO_HEATMAP_LEVELS) ?? 30) * 2;
  return niceStep((mid * span) / 10_000 / rows, 10 ** -book.priceScale);
}

/**
 * The grid (row height and alignment) is fixed at the first frame with a known mid, so columns line up as
 * the price moves. `now` is the feed's time (capture time in a replay). With the automatic span,
 * `historyStep` gives the row height of the book's kept history (heatmap-histories.ts), so the stream and
 * the history share one grid and a window reopened later can merge the two. `trades` gives the book's
 * prints per column slot (heatmap-histories.ts): a frame carries those of the slot before it (complete
 * by now) and of its own slot so far, so the panel's bubbles need no request.
 */
export function heatmapSource(
  feed: SymbolFeed,
  rows: number,
  spanBps: number,
  intervalMs: number,
  now: () => number,
  historyStep: () => number | null = () => null,
  trades: () => HeatmapTrades | undefined = () => undefined,
): FrameSource {
  let rowStep = 0;
  return {
    version: () => Math.floor(now() / intervalMs),
    build: (): HeatmapFrame => {
      const book = feed.book;
      const mid = midOf(book);
      const sizes = new Array<number>(rows).fill(0);
      if (mid !== null && rowStep === 0) {
        rowStep = (spanBps === 0 ? historyStep() : null) ?? heatmapRowStep(book, rows, spanBps) ?? 0;
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
      const ts = now();
      const prints = rowStep > 0 ? trades() : undefined;
      const slot = Math.floor(ts / intervalMs) * intervalMs;
      return {
        venue: feed.venue,
        symbol: feed.symbol,
        state: feed.state,
        ts,
        basePrice,
        rowStep,
        sizes,
        bestBid: bid ? book.priceValue(bid) : null,
        bestAsk: ask ? book.priceValue(ask) : null,
        ...(prints
          ? {
              trades: [
                { ts: slot - intervalMs, cells: prints.cells(slot - intervalMs, slot, rowStep) },
                { ts: slot, cells: prints.cells(slot, slot + intervalMs, rowStep) },
              ],
            }
          : {}),
      };
    },
  };
}
