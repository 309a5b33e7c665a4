/**
 * Bitget instruments from REST v2 (docs/venues.md#bitget):
 *   spot          GET /api/v2/spot/public/symbols: symbol, baseCoin, quoteCoin, pricePrecision,
 *                 quantityPrecision (decimals), status (online | gray | offline | halt).
 *   USDT futures  GET /api/v2/mix/market/contracts?productType=USDT-FUTURES: symbol, baseCoin,
 *                 quoteCoin, pricePlace (decimals), priceEndStep (tick in units of the last decimal),
 *                 sizeMultiplier (lot), symbolType (perpetual | delivery), symbolStatus (normal, ...).
 * Both answer {code:"00000", msg:"success", data:[...]}. A row without a symbol is skipped; a field
 * that is missing leaves its tick or lot null. Sources: bitget.com/api-doc spot "Get Symbol Info",
 * contract "Get Contract Config".
 */
import { canonicalDecimal, formatScaled, isDecimalText } from '../../../shared/decimal';
import type { Instrument } from '../../../shared/market';
import { MalformedFrameError } from '../adapter';
import { instrumentFrom, isObject, parseJsonObject } from '../frames';
import { BITGET_SPOT, BITGET_USDT_FUTURES, symbolOf } from './markets';

export const SPOT_SYMBOLS_PATH = '/api/v2/spot/public/symbols';
export const USDT_FUTURES_CONTRACTS_PATH = '/api/v2/mix/market/contracts?productType=USDT-FUTURES';

/** The `data` of a Bitget REST envelope; throws with Bitget's message when `code` is not "00000". */
export function bitgetData(body: string, what: string): unknown[] {
  const msg = parseJsonObject(body, `bitget: ${what}`);
  if (msg.code !== undefined && String(msg.code) !== '00000') {
    throw new MalformedFrameError(`bitget: ${what} failed: ${String(msg.msg || 'error')} (code ${String(msg.code)})`);
  }
  if (!Array.isArray(msg.data)) throw new MalformedFrameError(`bitget: ${what} has no data list`);
  return msg.data;
}

function text(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

/** A count of decimals ("4") as a non-negative integer, else null. */
function decimals(x: unknown): number | null {
  const s = typeof x === 'number' ? String(x) : text(x);
  return /^\d{1,2}$/.test(s) ? Number(s) : null;
}

function decimal(x: unknown): string | null {
  return typeof x === 'string' && x !== '' && isDecimalText(x) ? canonicalDecimal(x) : null;
}

export function parseSpotSymbols(body: string): Instrument[] {
  const out: Instrument[] = [];
  for (const row of bitgetData(body, 'spot symbols')) {
    if (!isObject(row) || typeof row.symbol !== 'string' || row.symbol === '') continue;
    const priceDecimals = decimals(row.pricePrecision);
    const sizeDecimals = decimals(row.quantityPrecision);
    const base = text(row.baseCoin) || row.symbol;
    const quote = text(row.quoteCoin);
    const status = text(row.status) || 'online';
    out.push(instrumentFrom({
      venue: 'bitget',
      symbol: symbolOf(BITGET_SPOT, row.symbol),
      display: quote ? `${base}/${quote}` : row.symbol,
      base,
      quote,
      tickSize: priceDecimals === null ? null : formatScaled(1, priceDecimals),
      lotSize: sizeDecimals === null ? null : formatScaled(1, sizeDecimals),
      status: status === 'online' ? 'trading' : status,
    }));
  }
  return out;
}

export function parseUsdtFuturesContracts(body: string): Instrument[] {
  const out: Instrument[] = [];
  for (const row of bitgetData(body, 'USDT futures contracts')) {
    if (!isObject(row) || typeof row.symbol !== 'string' || row.symbol === '') continue;
    const priceDecimals = decimals(row.pricePlace);
    const step = decimals(row.priceEndStep) ?? 1;
    const base = text(row.baseCoin) || row.symbol;
    const quote = text(row.quoteCoin) || 'USDT';
    const kind = text(row.symbolType) || 'perpetual';
    const status = text(row.symbolStatus) || 'normal';
    out.push(instrumentFrom({
      venue: 'bitget',
      symbol: symbolOf(BITGET_USDT_FUTURES, row.symbol),
      display: kind === 'perpetual' ? `${base}/${quote} perpetual` : `${row.symbol} ${kind}`,
      base,
      quote,
      tickSize: priceDecimals === null ? null : canonicalDecimal(formatScaled(step, priceDecimals)),
      lotSize: decimal(row.sizeMultiplier),
      status: status === 'normal' ? 'trading' : status,
    }));
  }
  return out;
}
