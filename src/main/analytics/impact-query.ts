/**
 * The impact calculator behind the contract command and `GET /api/simulate`: finds the books (starting
 * a book's stream if nobody streams it yet), refuses books that are not in sync, and answers with the
 * simulation or an error a person can act on.
 */
import { ImpactRequestSchema, type ImpactRequest, type ImpactResult } from '../../shared/analytics';
import { ContractError, describeIssues } from '../../shared/contract';
import type { SyncState, VenueId } from '../../shared/market';
import type { OrderBook } from '../book/order-book';
import { simulateImpact } from './impact';

/** What the calculator needs of the market (MarketService has it). */
export interface BookSource {
  ensure(venue: VenueId, symbol: string): Promise<{ venue: VenueId; symbol: string; state: SyncState; book: OrderBook }>;
}

export async function runImpact(source: BookSource, request: ImpactRequest): Promise<ImpactResult> {
  const seen = new Set<string>();
  for (const b of request.books) {
    const key = `${b.venue}:${b.symbol.toUpperCase()}`;
    if (seen.has(key)) throw new ContractError('bad-request', `${b.symbol} on ${b.venue} is listed twice`);
    seen.add(key);
  }
  const feeds = await Promise.all(request.books.map((b) => source.ensure(b.venue, b.symbol)));
  for (const feed of feeds) {
    if (feed.state !== 'synced') {
      throw new ContractError('unavailable', `${feed.symbol} on ${feed.venue} is not in sync yet (${feed.state}); try again in a moment`);
    }
  }
  return simulateImpact(
    feeds.map((f) => ({ venue: f.venue, symbol: f.symbol, book: f.book })),
    { side: request.side, size: request.size, notional: request.notional, feeBps: request.feeBps },
  );
}

const NUMBER_TEXT = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Read `/api/simulate` query parameters into a request:
 * venue, symbol, side (buy|sell), size (base) or notional (quote), optional fee (bps). Several books of
 * one asset: comma-separated venues with one symbol (or as many symbols as venues).
 */
export function parseSimulateQuery(params: URLSearchParams): ImpactRequest {
  const bad = (message: string): never => {
    throw new ContractError('bad-request', message);
  };
  const one = (name: string): string | undefined => {
    const all = params.getAll(name);
    if (all.length > 1) bad(`give ${name} once`);
    return all[0];
  };
  const numberParam = (name: string): number | undefined => {
    const text = one(name);
    if (text === undefined) return undefined;
    if (!NUMBER_TEXT.test(text.trim())) bad(`${name} must be a positive number, got ${JSON.stringify(text)}`);
    return Number(text);
  };
  const venueText = one('venue');
  const symbolText = one('symbol');
  if (!venueText) bad('venue is required (e.g. venue=binance-spot)');
  if (!symbolText) bad('symbol is required (e.g. symbol=BTCUSDT)');
  const venues = venueText!.split(',').map((s) => s.trim());
  const symbols = symbolText!.split(',').map((s) => s.trim());
  if (symbols.length !== 1 && symbols.length !== venues.length) bad('give one symbol, or one symbol per venue');
  const side = one('side');
  if (side !== 'buy' && side !== 'sell') bad(`side must be buy or sell, got ${JSON.stringify(side ?? '')}`);
  const size = numberParam('size');
  const notional = numberParam('notional');
  const fee = numberParam('fee');
  const candidate = {
    books: venues.map((venue, i) => ({ venue, symbol: symbols.length === 1 ? symbols[0]! : symbols[i]! })),
    side,
    ...(size === undefined ? {} : { size }),
    ...(notional === undefined ? {} : { notional }),
    ...(fee === undefined ? {} : { feeBps: fee }),
  };
  const parsed = ImpactRequestSchema.safeParse(candidate);
  if (!parsed.success) bad(describeIssues(parsed.error).replace(/books\.\d+\./g, '').replace(/feeBps/g, 'fee'));
  return parsed.data!;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

const STATUS: Record<ContractError['code'], number> = { 'bad-request': 400, 'not-found': 404, unavailable: 503, internal: 500 };

/** GET /api/simulate: never throws; errors become `{ error }` with 400, 404, 503 or 500. */
export async function answerSimulate(source: BookSource, params: URLSearchParams): Promise<HttpAnswer> {
  try {
    const result = await runImpact(source, parseSimulateQuery(params));
    return { status: 200, body: result, headers: {} };
  } catch (error) {
    const e = error instanceof ContractError ? error : new ContractError('internal', (error as Error)?.message ?? 'internal error');
    return { status: STATUS[e.code], body: { error: e.message }, headers: e.code === 'unavailable' ? { 'retry-after': '1' } : {} };
  }
}
