/**
 * What the feed routes (GET /api/book, /api/trades, and /api/book?…&merge=1) share: reading
 * `venue`, `symbol` and a count (`levels` or `limit`) from the query with the same checks and
 * messages, and turning an answer or a ContractError into the HTTP reply.
 */
import { ContractError, type ContractErrorInfo } from '../../shared/contract';
import { isVenueId, type VenueId } from '../../shared/market';
import type { HttpAnswer } from '../analytics/impact-query';

const SYMBOL_TEXT = /^[A-Za-z0-9._:/-]{1,64}$/;
const WHOLE_NUMBER_TEXT = /^[1-9]\d*$/;

export interface FeedQueryOptions {
  /** The name of the count parameter. */
  count: 'levels' | 'limit';
  /** The count when the query has none, and the largest it may ask for. */
  default: number;
  max: number;
  /** Further parameters the route reads itself (the merged book's merge and tick). */
  extra?: readonly string[];
  /** Several venues and one symbol (or one per venue), each comma-separated: the merged book. */
  several?: boolean;
}

export interface FeedRef {
  venue: VenueId;
  symbol: string;
}

export interface FeedQuery extends FeedRef {
  count: number;
}

export interface SeveralFeedsQuery {
  books: FeedRef[];
  count: number;
}

function badRequest(message: string): never {
  throw new ContractError('bad-request', message);
}

/** "a, b and c". */
function listed(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The venue(s), symbol(s) and count a feed route asks for. Form errors throw `bad-request`; a venue
 * this session has not enabled throws `not-found`. `token` (the web host's access token) may stand
 * in any query.
 */
export function parseFeedQuery(params: URLSearchParams, enabledVenues: readonly VenueId[], options: FeedQueryOptions & { several: true }): SeveralFeedsQuery;
export function parseFeedQuery(params: URLSearchParams, enabledVenues: readonly VenueId[], options: FeedQueryOptions & { several?: false }): FeedQuery;
export function parseFeedQuery(params: URLSearchParams, enabledVenues: readonly VenueId[], options: FeedQueryOptions): FeedQuery | SeveralFeedsQuery {
  const names = ['venue', 'symbol', options.count, ...(options.extra ?? [])];
  for (const name of new Set(params.keys())) {
    if (name !== 'token' && !names.includes(name)) badRequest(`unknown parameter ${JSON.stringify(name)}; use ${listed(names)}`);
  }
  for (const name of names) {
    if (params.getAll(name).length > 1) badRequest(options.several ? `give ${name} once (several venues or symbols go comma-separated)` : `give ${name} once`);
  }
  const venueText = params.get('venue') ?? '';
  const symbolText = params.get('symbol') ?? '';
  const venues = options.several ? listItems(venueText) : [venueText].filter(Boolean);
  const symbols = options.several ? listItems(symbolText) : [symbolText].filter(Boolean);
  if (venues.length === 0) badRequest(options.several ? 'venue is required (e.g. venue=demo,demo-b)' : 'venue is required (e.g. venue=binance-spot)');
  if (symbols.length === 0) {
    badRequest(options.several ? 'symbol is required (e.g. symbol=BTCUSDT, or one per venue: symbol=BTCUSDT,BTC-USD)' : 'symbol is required (e.g. symbol=BTCUSDT)');
  }
  if (symbols.length !== 1 && symbols.length !== venues.length) badRequest(`give one symbol, or one per venue (${venues.length}), got ${symbols.length}`);
  for (const symbol of symbols) {
    if (!SYMBOL_TEXT.test(symbol)) badRequest(`symbol${options.several ? ` ${JSON.stringify(symbol)}` : ''} may contain letters, digits and . _ : / - only (at most 64)`);
  }
  const count = parseCount(params.get(options.count), options);
  const books = venues.map((venue, i) => ({ venue: enabledVenue(venue, enabledVenues), symbol: symbols.length === 1 ? symbols[0]! : symbols[i]! }));
  if (new Set(venues).size !== venues.length) badRequest('give each venue once');
  return options.several ? { books, count } : { ...books[0]!, count };
}

function listItems(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseCount(text: string | null, options: FeedQueryOptions): number {
  if (text === null) return options.default;
  if (!WHOLE_NUMBER_TEXT.test(text) || Number(text) > options.max) {
    badRequest(`${options.count} must be a whole number from 1 to ${options.max}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function enabledVenue(venue: string, enabled: readonly VenueId[]): VenueId {
  if (!isVenueId(venue) || !enabled.includes(venue)) {
    throw new ContractError('not-found', `venue ${JSON.stringify(venue)} is not enabled in this session; enabled: ${enabled.join(', ')}`);
  }
  return venue;
}

const STATUS: Record<ContractErrorInfo['code'], number> = { 'bad-request': 400, 'not-found': 404, unavailable: 503, internal: 500 };

/** A route's JSON reply; never throws: errors become `{ error }` with 400, 404, 503 or 500. */
export async function answerAsJson(answer: () => Promise<unknown>): Promise<HttpAnswer> {
  try {
    return { status: 200, body: await answer(), headers: {} };
  } catch (error) {
    const e = error instanceof ContractError ? error : new ContractError('internal', (error as Error)?.message ?? 'internal error');
    return { status: STATUS[e.code], body: { error: e.message }, headers: {} };
  }
}
