/**
 * Kraken Futures instruments from `GET /derivatives/api/v3/instruments`: {result:"success",
 * instruments:[{symbol, type, underlying, tickSize, contractSize, tradeable, ...}]}. The 2021 list
 * (the capture) writes symbols in lower case (`pi_xbtusd`) and names no currencies; today's adds
 * `pair` ("XBT:USD"), `base`, `quote` and `contractValueTradePrecision` and writes `PF_XBTUSD`. Both
 * are read: symbols are upper-cased (the WebSocket data's spelling), currencies come from `base` /
 * `quote`, else `pair`, else the underlying or symbol (`rr_xbtusd`, `PI_XBTUSD` → XBT, USD). Index
 * rows (`in_…`, `rr_…`, type "spot index") have no book and are skipped. Source: docs.kraken.com
 * "Get instruments"; docs/venues.md#kraken-futures.
 */
import { canonicalDecimal, formatScaled, isDecimalText } from '../../../shared/decimal';
import type { Instrument } from '../../../shared/market';
import { MalformedFrameError } from '../adapter';
import { instrumentFrom, isObject, parseJsonObject } from '../frames';
import { quoteNumberFields } from '../kraken/number-text';

export const INSTRUMENTS_PATH = '/derivatives/api/v3/instruments';

/** Quote currencies a product name may end with, longest first. */
const QUOTES = ['USDT', 'USDC', 'USD', 'EUR', 'GBP', 'XBT'];

function text(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

/** Tick size as decimal text, from the literal's own digits (the body is pre-quoted). */
function tickSize(x: unknown): string | null {
  return typeof x === 'string' && isDecimalText(x) && Number(x) > 0 ? canonicalDecimal(x) : null;
}

/** Split "XBTUSD" (the middle of PI_XBTUSD, or rr_xbtusd without its prefix) into base and quote. */
function splitPair(name: string): [string, string] {
  const upper = name.toUpperCase();
  for (const quote of QUOTES) {
    if (upper.length > quote.length && upper.endsWith(quote)) return [upper.slice(0, -quote.length), quote];
  }
  return [upper, ''];
}

function currencies(row: Record<string, unknown>, symbol: string): [string, string] {
  const base = text(row.base);
  const quote = text(row.quote);
  if (base && quote) return [base.toUpperCase(), quote.toUpperCase()];
  const pair = text(row.pair).split(':');
  if (pair.length === 2 && pair[0] && pair[1]) return [pair[0].toUpperCase(), pair[1].toUpperCase()];
  const underlying = text(row.underlying);
  if (/^[a-z]{2}_[a-z0-9]+$/i.test(underlying)) return splitPair(underlying.slice(3));
  // PI_XBTUSD, FI_XBTUSD_210924, PF_XBTUSD: the middle part.
  return splitPair(symbol.split('_')[1] ?? symbol);
}

export function parseInstruments(body: string): Instrument[] {
  const msg = parseJsonObject(quoteNumberFields(body, new Set(['tickSize'])), 'kraken-futures: instruments');
  if (msg.result !== undefined && msg.result !== 'success') {
    throw new MalformedFrameError(`kraken-futures: instruments request failed: ${text(msg.error) || String(msg.result)}`);
  }
  if (!Array.isArray(msg.instruments)) throw new MalformedFrameError('kraken-futures: instruments has no instruments list');
  const out: Instrument[] = [];
  for (const row of msg.instruments as unknown[]) {
    if (!isObject(row) || typeof row.symbol !== 'string' || row.symbol === '') continue;
    const type = text(row.type);
    if (type.includes('index')) continue;
    const symbol = row.symbol.toUpperCase();
    const [base, quote] = currencies(row, symbol);
    const precision = row.contractValueTradePrecision;
    const lotSize = Number.isInteger(precision) && (precision as number) >= 0 && (precision as number) <= 18 ? formatScaled(1, precision as number) : null;
    out.push(instrumentFrom({
      venue: 'kraken-futures',
      symbol,
      display: symbol,
      base,
      quote,
      tickSize: tickSize(row.tickSize),
      lotSize,
      status: row.tradeable === false ? 'not tradeable' : 'trading',
    }));
  }
  return out;
}
