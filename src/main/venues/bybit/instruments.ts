/**
 * Instruments from `GET /v5/market/instruments-info?category=spot|linear` (docs/v5/market/instrument.mdx):
 * `priceFilter.tickSize`, and for size `lotSizeFilter.basePrecision` (spot) or `lotSizeFilter.qtyStep`
 * (linear). Spot answers in one page; linear pages with `limit` (≤ 1000) and `nextPageCursor`.
 */
import type { Instrument, VenueId } from '../../../shared/market';
import type { Logger } from '../../log';
import { MalformedFrameError } from '../adapter';
import { Backoff } from '../backoff';
import { instrumentFrom, parseJson } from '../frames';
import type { RestTarget } from '../rest';
import type { BybitMarket } from './markets';

interface BybitInstrument {
  symbol?: unknown;
  status?: unknown;
  baseCoin?: unknown;
  quoteCoin?: unknown;
  contractType?: unknown;
  priceFilter?: { tickSize?: unknown };
  lotSizeFilter?: { basePrecision?: unknown; qtyStep?: unknown };
}

export interface InstrumentsPage {
  instruments: Instrument[];
  /** Cursor of the next page; null on the last page. */
  nextCursor: string | null;
}

/** Bybit's answer was well-formed but said no (retCode ≠ 0), e.g. 10006/10018 rate limits. */
export class BybitApiError extends Error {
  constructor(
    readonly retCode: number,
    message: string,
  ) {
    super(message);
  }

  /** retCodes that mean "too many requests" (per UID 10006, per IP 10018). */
  get rateLimited(): boolean {
    return this.retCode === 10006 || this.retCode === 10018;
  }
}

const text = (x: unknown): string | null => (typeof x === 'string' && x !== '' ? x : null);

export function parseInstrumentsPage(venue: VenueId, body: string): InstrumentsPage {
  const msg = parseJson(body, `${venue}: instruments-info is not valid JSON`) as { retCode?: unknown; retMsg?: unknown; result?: { list?: unknown; nextPageCursor?: unknown } };
  if (typeof msg !== 'object' || msg === null) throw new MalformedFrameError(`${venue}: instruments-info is not a JSON object`);
  if (msg.retCode !== 0) {
    const code = typeof msg.retCode === 'number' ? msg.retCode : -1;
    throw new BybitApiError(code, `${venue}: instruments-info answered retCode ${code} (${String(msg.retMsg ?? 'no message')})`);
  }
  const list = msg.result?.list;
  if (!Array.isArray(list)) throw new MalformedFrameError(`${venue}: instruments-info has no result.list`);
  const out: Instrument[] = [];
  for (const raw of list as BybitInstrument[]) {
    const symbol = text(raw?.symbol);
    const base = text(raw?.baseCoin);
    const quote = text(raw?.quoteCoin);
    if (!symbol || !base || !quote) continue;
    const tick = text(raw.priceFilter?.tickSize);
    const lot = text(raw.lotSizeFilter?.basePrecision) ?? text(raw.lotSizeFilter?.qtyStep);
    // Dated futures share base and quote with the perpetual: their own symbol tells them apart.
    const dated = raw.contractType === 'LinearFutures' || raw.contractType === 'InverseFutures';
    const status = text(raw.status) ?? 'unknown';
    out.push(instrumentFrom({
      venue,
      symbol,
      display: dated ? `${base}/${quote} ${symbol}` : `${base}/${quote}`,
      base,
      quote,
      tickSize: tick,
      lotSize: lot,
      status: status === 'Trading' ? 'trading' : status.toLowerCase(),
    }));
  }
  const cursor = text(msg.result?.nextPageCursor);
  return { instruments: out, nextCursor: cursor };
}

/** Attempts per instruments-info page when rate limited or failing. */
const REST_ATTEMPTS = 4;
/** Upper bound on pages (a linear page holds up to 1000 instruments). */
const MAX_PAGES = 50;

/** Every instrument of the market's category, page by page. */
export async function listInstruments(rest: RestTarget, market: BybitMarket, logger: Logger, closed: () => boolean): Promise<Instrument[]> {
  const base = `/v5/market/instruments-info?category=${market.category}`;
  const out: Instrument[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const path: string = market.paginatedInstruments ? `${base}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` : base;
    const result = await fetchPage(rest, path, logger, closed);
    out.push(...result.instruments);
    cursor = market.paginatedInstruments ? result.nextCursor : null;
    if (!cursor) return out;
  }
  throw new Error(`${rest.venue}: instrument list did not end after ${MAX_PAGES} pages`);
}

/** One instruments-info page, retried with back-off on rate limits (HTTP 429/403, retCode 10006/10018) and errors. */
async function fetchPage(rest: RestTarget, path: string, logger: Logger, closed: () => boolean): Promise<InstrumentsPage> {
  const backoff = new Backoff(500, 8_000);
  let lastError = '';
  for (let attempt = 1; attempt <= REST_ATTEMPTS; attempt++) {
    if (closed()) break;
    let delay: number | null = null;
    try {
      const response = await rest.transport.get(`${rest.base}${path}`, { timeoutMs: rest.timeoutMs });
      if (response.status === 200) return parseInstrumentsPage(rest.venue, response.body);
      lastError = response.status === 429 || response.status === 403 ? `HTTP ${response.status} (rate limited)` : `HTTP ${response.status}`;
      const retryAfter = Number(response.headers['retry-after']);
      if (Number.isFinite(retryAfter) && retryAfter > 0) delay = Math.min(retryAfter * 1000, 30_000);
    } catch (error) {
      if (error instanceof BybitApiError && !error.rateLimited) throw error;
      if (error instanceof MalformedFrameError) throw error;
      lastError = error instanceof BybitApiError ? error.message : `cannot reach ${rest.base} (${(error as Error).message})`;
    }
    if (attempt === REST_ATTEMPTS) break;
    delay ??= backoff.next();
    logger.log('warn', 'instruments-retry', { venue: rest.venue, error: lastError, attempt, retryMs: delay });
    await new Promise<void>((resolve) => rest.transport.clock.setTimeout(resolve, delay!));
  }
  throw new Error(`${rest.venue}: instrument list request failed: ${lastError}`);
}
