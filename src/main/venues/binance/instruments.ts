import type { Instrument, VenueId } from '../../../shared/market';
import { MalformedFrameError } from '../adapter';
import { instrumentFrom } from '../frames';

interface ExchangeInfoSymbol {
  symbol: string;
  status: string;
  baseAsset: string;
  quoteAsset: string;
  filters?: Array<{ filterType: string; tickSize?: string; stepSize?: string }>;
}

/** Instruments from `GET /api/v3/exchangeInfo` (PRICE_FILTER.tickSize, LOT_SIZE.stepSize). */
export function parseExchangeInfo(venue: VenueId, body: string): Instrument[] {
  let info: { symbols?: ExchangeInfoSymbol[] };
  try {
    info = JSON.parse(body) as typeof info;
  } catch {
    throw new MalformedFrameError(`${venue}: exchangeInfo is not valid JSON`);
  }
  if (!Array.isArray(info.symbols)) throw new MalformedFrameError(`${venue}: exchangeInfo has no symbols list`);
  const out: Instrument[] = [];
  for (const s of info.symbols) {
    if (typeof s.symbol !== 'string' || typeof s.baseAsset !== 'string' || typeof s.quoteAsset !== 'string') continue;
    const tick = s.filters?.find((f) => f.filterType === 'PRICE_FILTER')?.tickSize ?? null;
    const lot = s.filters?.find((f) => f.filterType === 'LOT_SIZE')?.stepSize ?? null;
    out.push(instrumentFrom({
      venue,
      symbol: s.symbol,
      display: `${s.baseAsset}/${s.quoteAsset}`,
      base: s.baseAsset,
      quote: s.quoteAsset,
      tickSize: tick,
      lotSize: lot,
      status: s.status === 'TRADING' ? 'trading' : String(s.status).toLowerCase(),
    }));
  }
  return out;
}
