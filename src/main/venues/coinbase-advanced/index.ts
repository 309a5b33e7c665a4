/** The Coinbase Advanced Trade venue, docs/venues.md#coinbase-advanced. */
import type { VenueModule } from '../adapter';
import { createCoinbaseAdvancedAdapter } from './adapter';
import { productsFromSubscribe } from './messages';

export const coinbaseAdvancedVenue: VenueModule = {
  id: 'coinbase-advanced',
  name: 'Coinbase Advanced Trade',
  createAdapter: (ctx) => createCoinbaseAdvancedAdapter(ctx),
  captureSymbols: (kind, text) => (kind === 'send' ? productsFromSubscribe(text) : []),
};

export { ADVANCED_ENDPOINTS, ADVANCED_SEND_INTERVAL_MS, createCoinbaseAdvancedAdapter, type CoinbaseAdvancedAdapter } from './adapter';
