/**
 * OKX instruments from `GET /api/v5/public/instruments?instType=SPOT|SWAP|FUTURES|OPTION` (options
 * need an underlying: `GET /api/v5/public/underlying?instType=OPTION` lists them). Field names
 * (`instId`, `baseCcy`, `quoteCcy`, `uly`, `instFamily`, `settleCcy`, `tickSz`, `lotSz`, `state`) are
 * marked unconfirmed in docs/venues.md#okx, so each is optional: a row without `instId` is skipped and
 * a missing tick or lot size stays null.
 */
import { canonicalDecimal, isDecimalText } from '../../../shared/decimal';
import type { Instrument } from '../../../shared/market';
import { MalformedFrameError } from '../adapter';
import { instrumentFrom, isObject, parseJsonObject } from '../frames';

export const INSTRUMENT_TYPES = ['SPOT', 'SWAP', 'FUTURES', 'OPTION'] as const;
export type InstType = (typeof INSTRUMENT_TYPES)[number];

export const INSTRUMENTS_PATH = '/api/v5/public/instruments';
export const UNDERLYING_PATH = '/api/v5/public/underlying';

/** The `data` of an OKX REST envelope `{"code":"0","msg":"","data":[...]}`; throws with OKX's message otherwise. */
export function okxData(body: string, what: string): unknown[] {
  const msg = parseJsonObject(body, `okx: ${what}`);
  if (msg.code !== undefined && String(msg.code) !== '0') {
    throw new MalformedFrameError(`okx: ${what} failed: ${String(msg.msg || 'error')} (code ${String(msg.code)})`);
  }
  if (!Array.isArray(msg.data)) throw new MalformedFrameError(`okx: ${what} has no data list`);
  return msg.data;
}

function text(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

function decimal(x: unknown): string | null {
  return typeof x === 'string' && isDecimalText(x) && x !== '' ? canonicalDecimal(x) : null;
}

export function parseInstruments(body: string, instType: InstType): Instrument[] {
  const out: Instrument[] = [];
  for (const row of okxData(body, `${instType} instruments`)) {
    if (!isObject(row) || typeof row.instId !== 'string' || row.instId === '') continue;
    const instId = row.instId;
    // Spot names its currencies; derivatives name an underlying / family such as BTC-USD.
    const family = text(row.instFamily) || text(row.uly) || instId;
    const [famBase, famQuote] = family.split('-');
    const base = text(row.baseCcy) || famBase || instId;
    const quote = text(row.quoteCcy) || famQuote || text(row.settleCcy);
    const tickSize = decimal(row.tickSz);
    const lotSize = decimal(row.lotSz);
    const state = text(row.state) || 'live';
    out.push(instrumentFrom({
      venue: 'okx',
      symbol: instId,
      display: instType === 'SPOT' ? `${base}/${quote}` : instId,
      base,
      quote,
      tickSize,
      lotSize,
      status: state === 'live' ? 'trading' : state.toLowerCase(),
    }));
  }
  return out;
}

/** Underlyings from `/api/v5/public/underlying` (data is `[["BTC-USD","ETH-USD"]]`). */
export function parseUnderlyings(body: string): string[] {
  const data = okxData(body, 'underlying list');
  const flat = data.flatMap((x) => (Array.isArray(x) ? x : [x]));
  return flat.filter((x): x is string => typeof x === 'string' && /^[A-Z0-9]+-[A-Z0-9]+$/.test(x));
}
