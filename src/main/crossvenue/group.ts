/**
 * The group behind a cross-venue view: the anchor instrument (the symbol the panel shows) and the
 * same asset on every other enabled venue, matched by base and quote from each venue's instrument
 * list (USD, USDT and USDC as one family only when asked), optionally narrowed to a subset of venues.
 */
import { groupKeyOf, normalizeAsset, type CrossGroupParams } from '../../shared/cross-venue';
import type { Instrument, VenueId } from '../../shared/market';
import type { MarketService } from '../market/service';

export interface ResolvedGroup {
  /** "BTC/USDT", "BTC/USD(T)"; null when the anchor's base and quote are not known (a replay). */
  key: string | null;
  members: Array<{ venue: VenueId; symbol: string; tickSize: string | null }>;
}

type InstrumentSource = Pick<MarketService, 'venueIds' | 'instruments'>;

async function listOf(market: InstrumentSource, venue: VenueId): Promise<Instrument[]> {
  try {
    return await market.instruments(venue);
  } catch {
    return []; // a venue whose list cannot be had contributes nothing (its own panel says why)
  }
}

export async function resolveGroup(market: InstrumentSource, params: CrossGroupParams): Promise<ResolvedGroup> {
  const anchorList = await listOf(market, params.venue);
  const anchor = anchorList.find((i) => i.symbol === params.symbol) ?? anchorList.find((i) => i.symbol.toUpperCase() === params.symbol.toUpperCase());
  const wanted = (v: VenueId): boolean => !params.venues || params.venues.includes(v);
  const key = anchor ? groupKeyOf(anchor, params.quoteFamily) : null;
  const members: ResolvedGroup['members'] = [];
  if (wanted(params.venue)) members.push({ venue: params.venue, symbol: anchor?.symbol ?? params.symbol, tickSize: anchor?.tickSize ?? null });
  if (!key || !anchor) return { key, members };
  for (const venue of market.venueIds()) {
    if (venue === params.venue || !wanted(venue)) continue;
    const candidates = (await listOf(market, venue)).filter((i) => groupKeyOf(i, params.quoteFamily) === key);
    // The anchor's own quote first (BTCUSDT before BTCUSD when the family is on), then the list's order.
    const sameQuote = candidates.find((i) => normalizeAsset(i.quote) === normalizeAsset(anchor.quote));
    const pick = sameQuote ?? candidates[0];
    if (pick) members.push({ venue, symbol: pick.symbol, tickSize: pick.tickSize });
  }
  return { key, members };
}
