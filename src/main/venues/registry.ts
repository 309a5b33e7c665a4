/**
 * Every venue the app knows how to run: the modules each venue folder exports, nothing more. A venue
 * missing here is reported as unsupported, never a crash. Adding a venue is one line below.
 */
import type { VenueId } from '../../shared/market';
import type { VenueModule } from './adapter';
import { binanceSpotVenue, binanceUsdmVenue } from './binance';
import { bitfinexVenue } from './bitfinex';
import { bitgetVenue } from './bitget';
import { bybitLinearVenue, bybitSpotVenue } from './bybit';
import { coinbaseVenue } from './coinbase';
import { coinbaseAdvancedVenue } from './coinbase-advanced';
import { demoBVenue, demoVenue } from './demo';
import { deribitVenue } from './deribit';
import { hyperliquidVenue } from './hyperliquid';
import { krakenVenue } from './kraken';
import { krakenFuturesVenue } from './kraken-futures';
import { okxVenue } from './okx';

const MODULES: ReadonlyMap<string, VenueModule> = new Map(
  [
    binanceSpotVenue,
    binanceUsdmVenue,
    bybitSpotVenue,
    bybitLinearVenue,
    krakenVenue,
    okxVenue,
    coinbaseVenue,
    coinbaseAdvancedVenue,
    deribitVenue,
    bitgetVenue,
    bitfinexVenue,
    krakenFuturesVenue,
    hyperliquidVenue,
    demoVenue,
    demoBVenue,
  ].map((m) => [m.id, m]),
);

/** The module of a venue id; any other text (a capture line's `__proto__`, say) has none. */
export function venueModule(venue: string): VenueModule | undefined {
  return MODULES.get(venue);
}

export function supportedVenues(): VenueId[] {
  return [...MODULES.keys()] as VenueId[];
}

export type { AdapterContext, VenueCredentials, VenueModule } from './adapter';
