/**
 * GET /api/book?venue=V&symbol=S[&levels=N]: a snapshot of one book, the client-facing snapshot
 * request, in every mode (live venues, a capture replayed in the app, books taken from a desk's NATS).
 *
 * Answers `{ venue, symbol, state, sequence, exchangeTs, localTs, bids, asks }` with `[price, size]`
 * as the venue's exact texts, best first. `sequence` counts the book events applied to the book (on a
 * desk: the collector's per-book sequence). Asking for a symbol not streaming yet starts its stream,
 * as opening it in a window would; the first answers then say `connecting` with no levels.
 */
import { ContractError, type ContractErrorInfo } from '../../shared/contract';
import { isVenueId, type SyncState, type VenueId } from '../../shared/market';
import type { HttpAnswer } from '../analytics/impact-query';
import type { SymbolFeed } from '../venues/symbol-feed';

export const DEFAULT_BOOK_LEVELS = 20;
export const MAX_BOOK_LEVELS = 5000;

const SYMBOL_TEXT = /^[A-Za-z0-9._:/-]{1,64}$/;
const LEVELS_TEXT = /^[1-9]\d{0,3}$/;

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

function parseBookQuery(params: URLSearchParams, enabled: readonly VenueId[]): { venue: VenueId; symbol: string; levels: number } {
  const bad = (message: string): never => {
    throw new ContractError('bad-request', message);
  };
  const one = (name: string): string | undefined => {
    const all = params.getAll(name);
    if (all.length > 1) bad(`give ${name} once`);
    return all[0];
  };
  for (const name of new Set(params.keys())) {
    if (!['venue', 'symbol', 'levels', 'token'].includes(name)) bad(`unknown parameter ${JSON.stringify(name)}; use venue, symbol and levels`);
  }
  const venue = one('venue');
  const symbol = one('symbol');
  const levelsText = one('levels');
  if (!venue) bad('venue is required (e.g. venue=binance-spot)');
  if (!symbol) bad('symbol is required (e.g. symbol=BTCUSDT)');
  if (!SYMBOL_TEXT.test(symbol!)) bad('symbol may contain letters, digits and . _ : / - only (at most 64)');
  let levels = DEFAULT_BOOK_LEVELS;
  if (levelsText !== undefined) {
    if (!LEVELS_TEXT.test(levelsText) || Number(levelsText) > MAX_BOOK_LEVELS) bad(`levels must be a whole number from 1 to ${MAX_BOOK_LEVELS}, got ${JSON.stringify(levelsText)}`);
    levels = Number(levelsText);
  }
  if (!isVenueId(venue!) || !enabled.includes(venue)) {
    throw new ContractError('not-found', `venue ${JSON.stringify(venue)} is not enabled in this session; enabled: ${enabled.join(', ')}`);
  }
  return { venue, symbol: symbol!, levels };
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
  const q = parseBookQuery(params, services.market.venues().map((v) => v.id));
  const feed = await services.market.ensure(q.venue, q.symbol);
  return bookAnswerOf(feed, q.levels);
}

const STATUS: Record<ContractErrorInfo['code'], number> = { 'bad-request': 400, 'not-found': 404, unavailable: 503, internal: 500 };

/** GET /api/book: never throws; errors become `{ error }` with 400, 404, 503 or 500. */
export async function answerBook(services: BookRouteServices, params: URLSearchParams): Promise<HttpAnswer> {
  try {
    return { status: 200, body: await bookAnswer(services, params), headers: {} };
  } catch (error) {
    const e = error instanceof ContractError ? error : new ContractError('internal', (error as Error)?.message ?? 'internal error');
    return { status: STATUS[e.code], body: { error: e.message }, headers: {} };
  }
}
