/** The Kraken Futures venue (WebSocket v1), docs/venues.md#kraken-futures. */
import type { VenueModule } from '../adapter';
import { createKrakenFuturesAdapter } from './adapter';
import { bookSubscriptionIds } from './messages';

export const krakenFuturesVenue: VenueModule = {
  id: 'kraken-futures',
  name: 'Kraken Futures',
  createAdapter: (ctx) => createKrakenFuturesAdapter(ctx),
  captureSymbols: (kind, text) => (kind === 'send' ? bookSubscriptionIds(text) : []),
};

export { createKrakenFuturesAdapter, KRAKEN_FUTURES_ENDPOINTS, type KrakenFuturesAdapter } from './adapter';
