import type { Instrument, VenueId } from '../../../shared/market';
import { MalformedFrameError } from '../adapter';
import { instrumentFrom, parseJson } from '../frames';
import { productStatus } from '../coinbase/instruments';

interface AdvancedProduct {
  product_id?: unknown;
  base_currency_id?: unknown;
  quote_currency_id?: unknown;
  base_display_symbol?: unknown;
  quote_display_symbol?: unknown;
  base_increment?: unknown;
  quote_increment?: unknown;
  price_increment?: unknown;
  status?: unknown;
  trading_disabled?: unknown;
  is_disabled?: unknown;
}

/**
 * Instruments from public `GET /api/v3/brokerage/market/products`: tick = price_increment (else
 * quote_increment), lot = base_increment.
 */
export function parseAdvancedProducts(venue: VenueId, body: string): Instrument[] {
  const msg = parseJson(body, `${venue}: product list is not valid JSON`);
  const list = typeof msg === 'object' && msg !== null ? (msg as { products?: unknown }).products : undefined;
  if (!Array.isArray(list)) throw new MalformedFrameError(`${venue}: product list has no products array`);
  const out: Instrument[] = [];
  for (const p of list as AdvancedProduct[]) {
    if (typeof p !== 'object' || p === null || typeof p.product_id !== 'string') continue;
    const [idBase, idQuote] = p.product_id.split('-');
    const base = text(p.base_display_symbol) ?? text(p.base_currency_id) ?? idBase ?? p.product_id;
    const quote = text(p.quote_display_symbol) ?? text(p.quote_currency_id) ?? idQuote ?? '';
    const tick = text(p.price_increment) ?? text(p.quote_increment);
    const lot = text(p.base_increment);
    out.push(instrumentFrom({
      venue,
      symbol: p.product_id,
      display: quote ? `${base}/${quote}` : base,
      base,
      quote,
      tickSize: tick,
      lotSize: lot,
      status: productStatus(p.status, p.trading_disabled === true || p.is_disabled === true),
    }));
  }
  return out;
}

function text(x: unknown): string | null {
  return typeof x === 'string' && x !== '' ? x : null;
}
