/**
 * GET /api/trades?venue=V&symbol=S[&limit=N]: the newest prints of one symbol, newest first.
 *
 * They come from the live buffer (the last prints the market emitted for the book windows show,
 * RecentTrades); when that holds fewer than `limit` and a store is recording, older trades recorded
 * in the database fill the rest (never for a capture replayed in the app, which is not recorded).
 * `live` and `stored` in the answer say how many came from each. Asking for a symbol not streaming
 * yet starts its stream, as opening it in a window would.
 */
import { ContractError, type TradePrint } from '../../shared/contract';
import { isVenueId, type VenueId } from '../../shared/market';
import type { HttpAnswer } from '../analytics/impact-query';
import type { RecentTrades } from '../market/recent-trades';
import type { TradesRange, TradesQuery } from '../store/protocol';
import type { SymbolFeed } from '../venues/symbol-feed';

export const DEFAULT_TRADES_LIMIT = 100;
/** At most what the live buffer keeps per feed. */
export const MAX_TRADES_LIMIT = 2000;

const SYMBOL_TEXT = /^[A-Za-z0-9._:/-]{1,64}$/;
const LIMIT_TEXT = /^[1-9]\d{0,5}$/;

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

interface TradesRequest {
  venue: VenueId;
  symbol: string;
  limit: number;
}

function parseTradesQuery(params: URLSearchParams, enabled: readonly VenueId[]): TradesRequest {
  const bad = (message: string): never => {
    throw new ContractError('bad-request', message);
  };
  const one = (name: string): string | undefined => {
    const all = params.getAll(name);
    if (all.length > 1) bad(`give ${name} once`);
    return all[0];
  };
  for (const name of new Set(params.keys())) {
    if (name !== 'venue' && name !== 'symbol' && name !== 'limit' && name !== 'token') bad(`unknown parameter ${JSON.stringify(name)}; use venue, symbol and limit`);
  }
  const venue = one('venue');
  const symbol = one('symbol');
  const limitText = one('limit');
  if (!venue) bad('venue is required (e.g. venue=binance-spot)');
  if (!symbol) bad('symbol is required (e.g. symbol=BTCUSDT)');
  if (!SYMBOL_TEXT.test(symbol!)) bad('symbol may contain letters, digits and . _ : / - only (at most 64)');
  let limit = DEFAULT_TRADES_LIMIT;
  if (limitText !== undefined) {
    if (!LIMIT_TEXT.test(limitText) || Number(limitText) > MAX_TRADES_LIMIT) bad(`limit must be a whole number from 1 to ${MAX_TRADES_LIMIT}, got ${JSON.stringify(limitText)}`);
    limit = Number(limitText);
  }
  if (!isVenueId(venue!) || !enabled.includes(venue)) {
    throw new ContractError('not-found', `venue ${JSON.stringify(venue)} is not enabled in this session; enabled: ${enabled.join(', ')}`);
  }
  return { venue, symbol: symbol!, limit };
}

export async function tradesAnswer(services: TradesRouteServices, params: URLSearchParams): Promise<TradesAnswer> {
  const q = parseTradesQuery(params, services.market.venueIds());
  const feed = await services.market.ensure(q.venue, q.symbol);
  const trades = services.recentTrades.newest(feed, q.limit).reverse();
  const answer: TradesAnswer = { venue: q.venue, symbol: feed.symbol, trades, live: trades.length, stored: 0 };
  if (trades.length >= q.limit || !services.store || services.market.isReplayFeed(feed)) return answer;
  // Older than the oldest live print; the store may not have committed the newest ones yet anyway.
  const before = trades.at(-1)?.localTs ?? Number.MAX_SAFE_INTEGER;
  try {
    const range = await services.store.trades({ venue: q.venue, symbol: feed.symbol, from: 0, to: before, limit: q.limit - trades.length, newest: true });
    const older = range.rows.reverse();
    answer.trades = [...trades, ...older];
    answer.stored = older.length;
  } catch (error) {
    answer.storeError = (error as Error).message;
  }
  return answer;
}

const STATUS: Record<ContractError['code'], number> = { 'bad-request': 400, 'not-found': 404, unavailable: 503, internal: 500 };

/** GET /api/trades: never throws; errors become `{ error }` with 400, 404, 503 or 500. */
export async function answerTrades(services: TradesRouteServices, params: URLSearchParams): Promise<HttpAnswer> {
  try {
    return { status: 200, body: await tradesAnswer(services, params), headers: {} };
  } catch (error) {
    const e = error instanceof ContractError ? error : new ContractError('internal', (error as Error)?.message ?? 'internal error');
    return { status: STATUS[e.code], body: { error: e.message }, headers: {} };
  }
}
