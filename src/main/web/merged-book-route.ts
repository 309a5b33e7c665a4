/**
 * GET /api/book?venue=A,B&symbol=X,Y&levels=N&merge=1[&tick=T]: several venues' books of one asset
 * merged by price on a common tick (src/main/crossvenue/merged-book.ts). Venues and symbols pair up
 * in order; one symbol applies to every venue. Each merged level has its exact total and a `venues`
 * map of each venue's size (exact decimal texts); books not in sync are listed in `excluded` with the
 * reason, never merged. `tick` defaults to the coarsest tick among the venues' instruments. Asking for
 * a book not streaming yet starts it (it shows as excluded, connecting, until it syncs).
 */
import { ContractError } from '../../shared/contract';
import type { MergedLevel } from '../../shared/cross-venue';
import type { Instrument, SyncState, VenueId } from '../../shared/market';
import type { HttpAnswer } from '../analytics/impact-query';
import { exclusionReason, type MemberBook } from '../crossvenue/member';
import { mergeBooks } from '../crossvenue/merged-book';
import { parseScaled } from '../crossvenue/price-grid';
import { commonTick } from '../crossvenue/views';
import type { SymbolFeed } from '../venues/symbol-feed';
import { answerAsJson, parseFeedQuery } from './feed-query';

export const DEFAULT_MERGED_LEVELS = 20;
export const MAX_MERGED_LEVELS = 200;

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
  const { books, count: levels } = parseFeedQuery(params, enabled, { count: 'levels', default: DEFAULT_MERGED_LEVELS, max: MAX_MERGED_LEVELS, extra: ['merge', 'tick'], several: true });
  if (params.get('merge') !== '1') throw new ContractError('bad-request', 'merge must be 1');
  const tick = params.get('tick');
  if (tick !== null) {
    const scaled = parseScaled(tick);
    if (!scaled || scaled.mantissa === 0n || scaled.scale > 18 || tick.length > 40) {
      throw new ContractError('bad-request', `tick must be a positive decimal such as 0.5, got ${JSON.stringify(tick)}`);
    }
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

/** GET /api/book?…&merge=1: never throws; errors become `{ error }` with 400, 404, 503 or 500. */
export function answerMergedBook(services: MergedBookServices, params: URLSearchParams): Promise<HttpAnswer> {
  return answerAsJson(() => mergedBookAnswer(services, params));
}
