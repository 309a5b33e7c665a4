/**
 * Bitfinex trading pairs from `GET /v2/conf/pub:list:pair:exchange` (docs.bitfinex.com ws-general
 * "Supported Pairs" and rest-public-conf): `[["BTCUSD","ETHUSD","TESTBTC:TESTUSD",…]]`. A pair is two
 * three-letter codes run together, or two longer codes joined by ':'. Bitfinex quotes prices to five
 * significant digits rather than a fixed tick, so tick size and precision stay unknown (null).
 */
import type { Instrument } from '../../../shared/market';
import { MalformedFrameError } from '../adapter';
import { parseJson } from '../frames';

export const PAIRS_PATH = '/v2/conf/pub:list:pair:exchange';

/** Base and quote of a pair name, or null when the name has neither shape. */
export function pairCurrencies(pair: string): { base: string; quote: string } | null {
  const colon = pair.indexOf(':');
  if (colon > 0 && colon < pair.length - 1) return { base: pair.slice(0, colon), quote: pair.slice(colon + 1) };
  if (/^[A-Z0-9]{6}$/.test(pair)) return { base: pair.slice(0, 3), quote: pair.slice(3) };
  return null;
}

export function parsePairs(body: string): Instrument[] {
  const data = parseJson(body, 'bitfinex: the pair list is not valid JSON');
  if (!Array.isArray(data) || !Array.isArray(data[0])) throw new MalformedFrameError('bitfinex: the pair list is not [[pair, …]]');
  const out: Instrument[] = [];
  for (const pair of data[0] as unknown[]) {
    if (typeof pair !== 'string') continue;
    const currencies = pairCurrencies(pair);
    if (!currencies) continue;
    out.push({
      venue: 'bitfinex',
      symbol: `t${pair}`,
      display: `${currencies.base}/${currencies.quote}`,
      ...currencies,
      tickSize: null,
      lotSize: null,
      pricePrecision: null,
      sizePrecision: null,
      status: 'trading',
    });
  }
  return out;
}
