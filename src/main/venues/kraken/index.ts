/** The Kraken spot venue (WebSocket v2), docs/venues.md#kraken. */
import type { VenueModule } from '../adapter';
import { createKrakenAdapter } from './adapter';
import { bookSubscription } from './messages';

export const krakenVenue: VenueModule = {
  id: 'kraken',
  name: 'Kraken',
  createAdapter: (ctx) => createKrakenAdapter(ctx),
  captureSymbols: (kind, text) => (kind === 'send' ? bookSubscription(text).symbols : []),
  captureOptions: (kind, text) => {
    const depth = kind === 'send' ? bookSubscription(text).depth : undefined;
    return depth === undefined ? undefined : { depth };
  },
};

export { createKrakenAdapter, DEFAULT_KRAKEN_DEPTH, type KrakenAdapter } from './adapter';
