/**
 * Run paper market makers on a capture: the capture replays through the same adapters and books as
 * `npm run replay` (capture/replay.ts), so the strategy sees exactly the verified books and trades.
 * Several runs (settings, or books of the capture) go side by side on one pass; each has its own engine.
 */
import type { MarketMakerSettings, MarketMakerSummary } from '../../shared/market-maker';
import { replayCapture } from '../capture/replay';
import type { SymbolFeed } from '../venues/symbol-feed';
import { orderBookView, type BookView } from './book-view';
import { MarketMakerEngine, type EngineFill, type MarketTrade } from './engine';

export interface CaptureRun {
  venue: string;
  symbol: string;
  settings: MarketMakerSettings;
}

/** What a capture holds for the strategy: each book, and its live trade count. */
export async function captureBooks(file: string): Promise<Array<{ venue: string; symbol: string; trades: number }>> {
  const result = await replayCapture(file);
  return result.books.map((b) => ({ venue: b.venue, symbol: b.symbol, trades: b.trades }));
}

export async function runOnCapture(
  file: string,
  runs: CaptureRun[],
  hooks: {
    onFill?: (run: number, fill: EngineFill) => void;
    /** Every live trade a run's book printed, as its engine saw it (tests check fills against these). */
    onTrade?: (run: number, ts: number, trade: MarketTrade) => void;
  } = {},
): Promise<MarketMakerSummary[]> {
  const engines = runs.map((r, i) => new MarketMakerEngine(r.settings, (fill) => hooks.onFill?.(i, fill)));
  const views = new Map<SymbolFeed, BookView>();
  const enginesOf = (feed: SymbolFeed): number[] => runs.flatMap((r, i) => (r.venue === feed.venue && r.symbol === feed.symbol ? [i] : []));
  await replayCapture(file, {
    onBook(feed, event) {
      let view = views.get(feed);
      if (!view) {
        view = orderBookView(feed.book);
        views.set(feed, view);
      }
      for (const i of enginesOf(feed)) engines[i]!.onBook(event.localTs, view);
    },
    onTrade(feed, trade) {
      // History sent on subscribe happened before we were there.
      if (trade.history) return;
      for (const i of enginesOf(feed)) {
        hooks.onTrade?.(i, trade.localTs, trade);
        engines[i]!.onTrade(trade.localTs, trade);
      }
    },
  });
  return engines.map((e) => e.summary());
}
