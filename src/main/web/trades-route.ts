/**
 * GET /api/trades?venue=V&symbol=S[&limit=N]: the newest prints of one symbol, newest first.
 *
 * They come from the live buffer (the last prints the market emitted for the book windows show,
 * RecentTrades); when that holds fewer than `limit` and a store is recording, older trades recorded
 * in the database fill the rest (never for a capture replayed in the app, which is not recorded).
 * `live` and `stored` in the answer say how many came from each. Asking for a symbol not streaming
 * yet starts its stream, as opening it in a window would.
 */
import type { TradePrint } from '../../shared/contract';
import type { VenueId } from '../../shared/market';
import type { HttpAnswer } from '../analytics/impact-query';
import type { RecentTrades } from '../market/recent-trades';
import type { TradesRange, TradesQuery } from '../store/protocol';
import type { SymbolFeed } from '../venues/symbol-feed';
import { answerAsJson, parseFeedQuery } from './feed-query';

export const DEFAULT_TRADES_LIMIT = 100;
/** At most what the live buffer keeps per feed. */
export const MAX_TRADES_LIMIT = 2000;

/** What the route needs of the services (compose.ts's Services has it). */
export interface TradesRouteServices {
  market: {
    venueIds(): VenueId[];
    ensure(venue: VenueId, symbol: string): Promise<SymbolFeed>;
    isReplayFeed(feed: SymbolFeed): boolean;
  };
  recentTrades: Pick<RecentTrades, 'newest'>;
  store: { trades(q: TradesQuery): Promise<TradesRange> } | null;
}

export interface TradesAnswer {
  venue: VenueId;
  symbol: string;
  /** Newest first. */
  trades: TradePrint[];
  /** How many of `trades` (the first ones) came from the live buffer… */
  live: number;
  /** …and how many (the rest) from the database. */
  stored: number;
  /** Why the database could not add older trades, when it could not. */
  storeError?: string;
}

export async function tradesAnswer(services: TradesRouteServices, params: URLSearchParams): Promise<TradesAnswer> {
  const { venue, symbol, count: limit } = parseFeedQuery(params, services.market.venueIds(), { count: 'limit', default: DEFAULT_TRADES_LIMIT, max: MAX_TRADES_LIMIT });
  const feed = await services.market.ensure(venue, symbol);
  const trades = services.recentTrades.newest(feed, limit).reverse();
  const answer: TradesAnswer = { venue, symbol: feed.symbol, trades, live: trades.length, stored: 0 };
  if (trades.length >= limit || !services.store || services.market.isReplayFeed(feed)) return answer;
  // Older than the oldest live print; the store may not have committed the newest ones yet anyway.
  const before = trades.at(-1)?.localTs ?? Number.MAX_SAFE_INTEGER;
  try {
    const range = await services.store.trades({ venue, symbol: feed.symbol, from: 0, to: before, limit: limit - trades.length, newest: true });
    const older = range.rows.reverse();
    answer.trades = [...trades, ...older];
    answer.stored = older.length;
  } catch (error) {
    answer.storeError = (error as Error).message;
  }
  return answer;
}

/** GET /api/trades: never throws; errors become `{ error }` with 400, 404, 503 or 500. */
export function answerTrades(services: TradesRouteServices, params: URLSearchParams): Promise<HttpAnswer> {
  return answerAsJson(() => tradesAnswer(services, params));
}
