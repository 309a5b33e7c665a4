/**
 * Taker fees per venue, used to say how much of a crossed NBBO fees would eat. The defaults are each
 * venue's published base-tier (lowest volume, no token discount) taker fee for the market the adapter
 * streams; docs/venues.md#cross-venue-fees lists them with their sources. Override any of them with
 * ORDERBOOK_TAKER_FEES="venue=bps,venue=bps" (basis points), or `overrides` in code.
 */
import type { VenueId } from '../../shared/market';

/** Base-tier taker fees in basis points. */
export const DEFAULT_TAKER_FEE_BPS: Readonly<Record<VenueId, number>> = {
  'binance-spot': 10,
  'binance-usdm': 5,
  coinbase: 60,
  'coinbase-advanced': 60,
  kraken: 40,
  'kraken-futures': 5,
  okx: 10,
  'bybit-spot': 10,
  'bybit-linear': 5.5,
  bitget: 10,
  deribit: 5,
  bitfinex: 20,
  hyperliquid: 4.5,
  // The synthetic venues charge what Binance spot does (they speak its wire format).
  demo: 10,
  'demo-b': 10,
};

export class FeeTable {
  private readonly bps: Record<string, number>;

  constructor(overrides: Partial<Record<VenueId, number>> = {}) {
    this.bps = { ...DEFAULT_TAKER_FEE_BPS, ...overrides };
  }

  /** Taker fee as a fraction of notional (0.001 for 10 bps). */
  taker(venue: VenueId): number {
    return (this.bps[venue] ?? 0) / 10_000;
  }
}

/** "binance-spot=7.5,okx=8" → { 'binance-spot': 7.5, okx: 8 }; throws on a malformed entry. */
export function parseFeeOverrides(text: string | undefined, known: (v: string) => v is VenueId): Partial<Record<VenueId, number>> {
  const out: Partial<Record<VenueId, number>> = {};
  if (!text) return out;
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [venue, value] = part.split('=');
    const bps = Number(value);
    if (!venue || !known(venue) || value === undefined || !Number.isFinite(bps) || bps < 0 || bps > 1000) {
      throw new Error(`taker fee override "${part}" must be venue=bps with a known venue and 0-1000 bps`);
    }
    out[venue] = bps;
  }
  return out;
}
