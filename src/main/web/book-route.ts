/**
 * GET /api/book?venue=V&symbol=S[&levels=N]: a snapshot of one book, the client-facing snapshot
 * request, in every mode (live venues, a capture replayed in the app, books taken from a desk's NATS).
 *
 * Answers `{ venue, symbol, state, sequence, exchangeTs, localTs, bids, asks }` with `[price, size]`
 * as the venue's exact texts, best first. `sequence` counts the book events applied to the book (on a
 * desk: the collector's per-book sequence). Asking for a symbol not streaming yet starts its stream,
 * as opening it in a window would; the first answers then say `connecting` with no levels.
 */
import type { SyncState, VenueId } from '../../shared/market';
import type { HttpAnswer } from '../analytics/impact-query';
import type { SymbolFeed } from '../venues/symbol-feed';
import { answerAsJson, parseFeedQuery } from './feed-query';

export const DEFAULT_BOOK_LEVELS = 20;
export const MAX_BOOK_LEVELS = 5000;

export interface BookRouteServices {
  market: {
    /** Enabled venues, and the venues of a capture playing in the app. */
    venues(): Array<{ id: VenueId }>;
    ensure(venue: VenueId, symbol: string): Promise<SymbolFeed>;
  };
}

export interface BookAnswer {
  venue: VenueId;
  symbol: string;
  state: SyncState;
  sequence: number;
  exchangeTs: number | null;
  localTs: number | null;
  bids: Array<[string, string]>;
  asks: Array<[string, string]>;
}

/** The book as the answer shows it: the top `levels` per side, best first. */
export function bookAnswerOf(feed: SymbolFeed, levels: number): BookAnswer {
  return {
    venue: feed.venue,
    symbol: feed.symbol,
    state: feed.state,
    sequence: feed.bookSequence,
    exchangeTs: feed.lastExchangeTs,
    localTs: feed.lastLocalTs > 0 ? feed.lastLocalTs : null,
    bids: feed.book.top('bid', levels).map((l) => [l.price, l.sizeText]),
    asks: feed.book.top('ask', levels).map((l) => [l.price, l.sizeText]),
  };
}

export async function bookAnswer(services: BookRouteServices, params: URLSearchParams): Promise<BookAnswer> {
  const enabled = services.market.venues().map((v) => v.id);
  const { venue, symbol, count: levels } = parseFeedQuery(params, enabled, { count: 'levels', default: DEFAULT_BOOK_LEVELS, max: MAX_BOOK_LEVELS });
  const feed = await services.market.ensure(venue, symbol);
  return bookAnswerOf(feed, levels);
}

/** GET /api/book: never throws; errors become `{ error }` with 400, 404, 503 or 500. */
export function answerBook(services: BookRouteServices, params: URLSearchParams): Promise<HttpAnswer> {
  return answerAsJson(() => bookAnswer(services, params));
}
