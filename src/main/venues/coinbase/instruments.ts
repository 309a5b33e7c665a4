import type { Instrument, VenueId } from '../../../shared/market';
import { MalformedFrameError } from '../adapter';
import { instrumentFrom, parseJson } from '../frames';

interface ExchangeProduct {
  id?: unknown;
  base_currency?: unknown;
  quote_currency?: unknown;
  quote_increment?: unknown;
  base_increment?: unknown;
  display_name?: unknown;
  status?: unknown;
  trading_disabled?: unknown;
}

/** Instruments from Coinbase Exchange `GET /products`: tick = quote_increment, lot = base_increment. */
export function parseExchangeProducts(venue: VenueId, body: string): Instrument[] {
  const list = parseJson(body, `${venue}: product list is not valid JSON`);
  if (!Array.isArray(list)) throw new MalformedFrameError(`${venue}: product list is not an array`);
  const out: Instrument[] = [];
  for (const p of list as ExchangeProduct[]) {
    if (typeof p !== 'object' || p === null) continue;
    if (typeof p.id !== 'string' || typeof p.base_currency !== 'string' || typeof p.quote_currency !== 'string') continue;
    const tick = typeof p.quote_increment === 'string' ? p.quote_increment : null;
    const lot = typeof p.base_increment === 'string' ? p.base_increment : null;
    out.push(instrumentFrom({
      venue,
      symbol: p.id,
      display: `${p.base_currency}/${p.quote_currency}`,
      base: p.base_currency,
      quote: p.quote_currency,
      tickSize: tick,
      lotSize: lot,
      status: productStatus(p.status, p.trading_disabled === true),
    }));
  }
  return out;
}

/** Coinbase says `online` for a tradable product; anything else (offline, delisted, disabled) is shown as is. */
export function productStatus(status: unknown, tradingDisabled: boolean): string {
  if (tradingDisabled) return 'disabled';
  const s = typeof status === 'string' ? status.toLowerCase() : 'unknown';
  return s === 'online' ? 'trading' : s;
}
