/**
 * Hyperliquid perpetuals from the `info` endpoint: `POST /info` with `{"type":"meta"}` answers
 * `{"universe":[{"name","szDecimals","maxLeverage","onlyIsolated"?,"isDelisted"?}, …], …}`.
 * Source: hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals
 * ("Retrieve perpetuals metadata"), and .../tick-and-lot-size.
 *
 * Perpetuals are quoted in USDC. The lot size is 10^-szDecimals. There is no fixed tick: a price may
 * have at most 5 significant figures and at most 6 - szDecimals decimals, so the tick depends on the
 * price; the tick size stays unknown (null) and the price precision is that decimal limit.
 */
import type { Instrument } from '../../../shared/market';
import { MalformedFrameError } from '../adapter';
import { isObject, parseJsonObject } from '../frames';

export const INFO_PATH = '/info';
export const META_REQUEST = JSON.stringify({ type: 'meta' });

/** Most decimals a perpetual's price may have (the venue's MAX_DECIMALS for perps). */
const PERP_MAX_PRICE_DECIMALS = 6;

export function parseMeta(body: string): Instrument[] {
  const meta = parseJsonObject(body, 'hyperliquid: meta');
  if (!Array.isArray(meta.universe)) throw new MalformedFrameError('hyperliquid: meta has no universe list');
  const out: Instrument[] = [];
  for (const row of meta.universe as unknown[]) {
    if (!isObject(row) || typeof row.name !== 'string' || row.name === '') continue;
    const szDecimals = typeof row.szDecimals === 'number' && Number.isInteger(row.szDecimals) && row.szDecimals >= 0 ? row.szDecimals : null;
    out.push({
      venue: 'hyperliquid',
      symbol: row.name,
      display: `${row.name}-PERP`,
      base: row.name,
      quote: 'USDC',
      tickSize: null,
      lotSize: szDecimals === null ? null : szDecimals === 0 ? '1' : `0.${'0'.repeat(szDecimals - 1)}1`,
      pricePrecision: szDecimals === null ? null : Math.max(0, PERP_MAX_PRICE_DECIMALS - szDecimals),
      sizePrecision: szDecimals,
      status: row.isDelisted === true ? 'delisted' : 'trading',
    });
  }
  return out;
}
