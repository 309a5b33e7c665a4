/**
 * Kraken spot instruments from `GET /0/public/AssetPairs?assetVersion=1`. With `assetVersion=1` the
 * pairs carry the WebSocket v2 names (`BTC/USD`, not `XBT/USD`), as Kraken's own Go SDK requests
 * them (krakenfx/api-go pkg/spot/normalizer.go). The field names (`wsname`, `pair_decimals`,
 * `lot_decimals`, `tick_size`, `status`) are not confirmed from the reference text (docs/venues.md#kraken
 * item 7), so every one of them is optional here: a pair without `wsname` is skipped, and missing
 * precision stays null (the `instrument` channel supplies it for checksums anyway).
 */
import { canonicalDecimal, formatScaled, isDecimalText, significantDecimals } from '../../../shared/decimal';
import type { Instrument } from '../../../shared/market';
import { MalformedFrameError } from '../adapter';
import { isObject, parseJsonObject } from '../frames';

export const ASSET_PAIRS_PATH = '/0/public/AssetPairs?assetVersion=1';

function decimals(x: unknown): number | null {
  const n = typeof x === 'string' && /^\d+$/.test(x) ? Number(x) : x;
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 30 ? (n as number) : null;
}

/** Tick size as decimal text; a JSON number here is only displayed, never keyed or checksummed. */
function decimalText(x: unknown): string | null {
  if (typeof x === 'string' && isDecimalText(x)) return canonicalDecimal(x);
  if (typeof x === 'number' && Number.isFinite(x) && x > 0) return canonicalDecimal(String(x));
  return null;
}

export function parseAssetPairs(body: string): Instrument[] {
  const msg = parseJsonObject(body, 'kraken: AssetPairs');
  if (Array.isArray(msg.error) && msg.error.length > 0) throw new MalformedFrameError(`kraken: AssetPairs error: ${msg.error.map(String).join('; ')}`);
  if (!isObject(msg.result)) throw new MalformedFrameError('kraken: AssetPairs has no result');
  const out: Instrument[] = [];
  for (const [key, raw] of Object.entries(msg.result)) {
    if (!isObject(raw)) continue;
    const wsname = typeof raw.wsname === 'string' && raw.wsname.includes('/') ? raw.wsname : null;
    // Dark-pool pairs (altname ending ".d") have no public book.
    if (!wsname || key.endsWith('.d') || (typeof raw.altname === 'string' && raw.altname.endsWith('.d'))) continue;
    const [base, quote] = wsname.split('/') as [string, string];
    const pricePrecision = decimals(raw.pair_decimals);
    const sizePrecision = decimals(raw.lot_decimals);
    const tickSize = decimalText(raw.tick_size) ?? (pricePrecision === null ? null : formatScaled(1, pricePrecision));
    const status = typeof raw.status === 'string' ? raw.status : 'online';
    out.push({
      venue: 'kraken',
      symbol: wsname,
      display: wsname,
      base,
      quote,
      tickSize,
      lotSize: sizePrecision === null ? null : formatScaled(1, sizePrecision),
      pricePrecision: pricePrecision ?? (tickSize ? significantDecimals(tickSize) : null),
      sizePrecision,
      status: status === 'online' ? 'trading' : status.toLowerCase(),
    });
  }
  return out;
}
