/**
 * GET /api/book?venue=A,B&symbol=X,Y&levels=N&merge=1[&tick=T]: several venues' books of one asset
 * merged by price on a common tick (src/main/crossvenue/merged-book.ts). Venues and symbols pair up
 * in order; one symbol applies to every venue. Each merged level has its exact total and a `venues`
 * map of each venue's size (exact decimal texts); books not in sync are listed in `excluded` with the
 * reason, never merged. `tick` defaults to the coarsest tick among the venues' instruments. Asking for
 * a book not streaming yet starts it (it shows as excluded, connecting, until it syncs).
 */
import { ContractError, type ContractErrorInfo } from '../../shared/contract';
import type { MergedLevel } from '../../shared/cross-venue';
import { isVenueId, type Instrument, type SyncState, type VenueId } from '../../shared/market';
import type { HttpAnswer } from '../analytics/impact-query';
import { exclusionReason, type MemberBook } from '../crossvenue/member';
import { mergeBooks } from '../crossvenue/merged-book';
import { parseScaled } from '../crossvenue/price-grid';
import { commonTick } from '../crossvenue/views';
import type { SymbolFeed } from '../venues/symbol-feed';

export const DEFAULT_MERGED_LEVELS = 20;
export const MAX_MERGED_LEVELS = 200;

const SYMBOL_TEXT = /^[A-Za-z0-9._:/-]{1,64}$/;
const LEVELS_TEXT = /^[1-9]\d{0,3}$/;
const PARAMETERS = new Set(['venue', 'symbol', 'levels', 'merge', 'tick', 'token']);

/** What the route needs of the services (compose.ts's Services has it). */
export interface MergedBookServices {
  market: {
    venueIds(): VenueId[];
    ensure(venue: VenueId, symbol: string): Promise<SymbolFeed>;
    feed(venue: VenueId, symbol: string): SymbolFeed | undefined;
    instrument(venue: VenueId, symbol: string): Instrument | undefined;
  };
}

export interface MergedBookAnswer {
  tick: string;
  levels: number;
  /** Every venue asked for, in order, with its book's state and whether it is merged. */
  venues: Array<{ venue: VenueId; symbol: string; state: SyncState; included: boolean }>;
  bids: MergedLevel[];
  asks: MergedLevel[];
  excluded: Array<{ venue: VenueId; symbol: string; state: string; reason: string }>;
  ts: number;
}

interface MergedBookRequest {
  books: Array<{ venue: VenueId; symbol: string }>;
  levels: number;
  tick: string | null;
}

/** True when the request asks for the merged form (the server hands it to this route). */
export function wantsMergedBook(params: URLSearchParams): boolean {
  return params.has('merge');
}

function parseMergedQuery(params: URLSearchParams, enabled: readonly VenueId[]): MergedBookRequest {
  const bad = (message: string): never => {
    throw new ContractError('bad-request', message);
  };
  for (const name of new Set(params.keys())) {
    if (!PARAMETERS.has(name)) bad(`unknown parameter ${JSON.stringify(name)}; use venue, symbol, levels, merge and tick`);
    if (name !== 'token' && params.getAll(name).length > 1) bad(`give ${name} once (several venues or symbols go comma-separated)`);
  }
  if (params.get('merge') !== '1') bad('merge must be 1');
  const venues = (params.get('venue') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const symbols = (params.get('symbol') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (venues.length === 0) bad('venue is required (e.g. venue=demo,demo-b)');
  if (symbols.length === 0) bad('symbol is required (e.g. symbol=BTCUSDT, or one per venue: symbol=BTCUSDT,BTC-USD)');
  if (symbols.length !== 1 && symbols.length !== venues.length) bad(`give one symbol, or one per venue (${venues.length}), got ${symbols.length}`);
  for (const s of symbols) if (!SYMBOL_TEXT.test(s)) bad(`symbol ${JSON.stringify(s)} may contain letters, digits and . _ : / - only (at most 64)`);
  const books = venues.map((venue, i) => {
    if (!isVenueId(venue) || !enabled.includes(venue)) {
      throw new ContractError('not-found', `venue ${JSON.stringify(venue)} is not enabled in this session; enabled: ${enabled.join(', ')}`);
    }
    return { venue, symbol: symbols.length === 1 ? symbols[0]! : symbols[i]! };
  });
  if (new Set(books.map((b) => b.venue)).size !== books.length) bad('give each venue once');
  let levels = DEFAULT_MERGED_LEVELS;
  const levelsText = params.get('levels');
  if (levelsText !== null) {
    if (!LEVELS_TEXT.test(levelsText) || Number(levelsText) > MAX_MERGED_LEVELS) bad(`levels must be a whole number from 1 to ${MAX_MERGED_LEVELS}, got ${JSON.stringify(levelsText)}`);
    levels = Number(levelsText);
  }
  const tick = params.get('tick');
  if (tick !== null) {
    const scaled = parseScaled(tick);
    if (!scaled || scaled.mantissa === 0n || scaled.scale > 18 || tick.length > 40) bad(`tick must be a positive decimal such as 0.5, got ${JSON.stringify(tick)}`);
  }
  return { books, levels, tick };
}

export async function mergedBookAnswer(services: MergedBookServices, params: URLSearchParams, now = Date.now()): Promise<MergedBookAnswer> {
  const q = parseMergedQuery(params, services.market.venueIds());
  const failures = new Map<string, string>();
  await Promise.all(
    q.books.map(async (b) => {
      try {
        await services.market.ensure(b.venue, b.symbol);
      } catch (error) {
        // A symbol the venue does not list: that book is excluded with why, the others still merge.
        failures.set(b.venue, (error as ContractError | Error).message);
      }
    }),
  );
  const members: MemberBook[] = q.books.map((b) => {
    const feed = services.market.feed(b.venue, b.symbol);
    const tickSize = services.market.instrument(b.venue, feed?.symbol ?? b.symbol)?.tickSize ?? null;
    if (!feed) return { venue: b.venue, symbol: b.symbol, state: 'failed', message: failures.get(b.venue) ?? 'not streaming', book: null, lastLocalTs: 0, tickSize };
    return { venue: b.venue, symbol: feed.symbol, state: feed.state, message: feed.health.lastError, book: feed.book, lastLocalTs: feed.lastLocalTs, tickSize };
  });
  const tick = q.tick ?? commonTick(members, 1);
  const merged = mergeBooks(members, tick, q.levels);
  return {
    tick,
    levels: q.levels,
    venues: members.map((m) => ({ venue: m.venue, symbol: m.symbol, state: m.state, included: exclusionReason(m) === null })),
    bids: merged.bids,
    asks: merged.asks,
    excluded: merged.excluded,
    ts: now,
  };
}

const STATUS: Record<ContractErrorInfo['code'], number> = { 'bad-request': 400, 'not-found': 404, unavailable: 503, internal: 500 };

/** GET /api/book?…&merge=1: never throws; errors become `{ error }` with 400, 404 or 500. */
export async function answerMergedBook(services: MergedBookServices, params: URLSearchParams): Promise<HttpAnswer> {
  try {
    return { status: 200, body: await mergedBookAnswer(services, params), headers: {} };
  } catch (error) {
    const e = error instanceof ContractError ? error : new ContractError('internal', (error as Error)?.message ?? 'internal error');
    return { status: STATUS[e.code], body: { error: e.message }, headers: {} };
  }
}
