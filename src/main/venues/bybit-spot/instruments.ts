/**
 * Instruments from `GET /v5/market/instruments-info?category=spot|linear` (docs/v5/market/instrument.mdx):
 * `priceFilter.tickSize`, and for size `lotSizeFilter.basePrecision` (spot) or `lotSizeFilter.qtyStep`
 * (linear). Spot answers in one page; linear pages with `limit` (≤ 1000) and `nextPageCursor`.
 */
import { significantDecimals } from '../../../shared/decimal';
import type { Instrument, VenueId } from '../../../shared/market';
import { MalformedFrameError } from '../adapter';
import { parseJson } from '../frames';

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
    out.push({
      venue,
      symbol,
      display: dated ? `${base}/${quote} ${symbol}` : `${base}/${quote}`,
      base,
      quote,
      tickSize: tick,
      lotSize: lot,
      pricePrecision: tick ? significantDecimals(tick) : null,
      sizePrecision: lot ? significantDecimals(lot) : null,
      status: status === 'Trading' ? 'trading' : status.toLowerCase(),
    });
  }
  const cursor = text(msg.result?.nextPageCursor);
  return { instruments: out, nextCursor: cursor };
}
