/** The Coinbase Exchange venue, docs/venues.md#coinbase. */
import type { VenueModule } from '../adapter';
import { createCoinbaseAdapter } from './adapter';
import { productsFromSubscribe } from './messages';

export const coinbaseVenue: VenueModule = {
  id: 'coinbase',
  name: 'Coinbase Exchange',
  createAdapter: (ctx) =>
    createCoinbaseAdapter({
      ...ctx,
      credentials: ctx.credentials ? { key: ctx.credentials.key, secret: ctx.credentials.secret, passphrase: ctx.credentials.passphrase ?? '' } : undefined,
    }),
  // Coinbase subscribes by message, never in the URL.
  captureSymbols: (kind, text) => (kind === 'send' ? productsFromSubscribe(text) : []),
};

export { COINBASE_ENDPOINTS, createCoinbaseAdapter, type CoinbaseAdapter } from './adapter';
