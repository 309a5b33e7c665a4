/** The Bitfinex venue (v2 public WebSocket), docs/venues.md#bitfinex. */
import type { VenueModule } from '../adapter';
import { createBitfinexAdapter } from './adapter';
import { bookSubscription } from './messages';

export const bitfinexVenue: VenueModule = {
  id: 'bitfinex',
  name: 'Bitfinex',
  createAdapter: (ctx) => createBitfinexAdapter(ctx),
  captureSymbols: (kind, text) => (kind === 'send' ? bookSubscription(text).symbols : []),
  captureOptions: (kind, text) => {
    const depth = kind === 'send' ? bookSubscription(text).depth : undefined;
    return depth === undefined ? undefined : { depth };
  },
};

export { BITFINEX_ENDPOINTS, createBitfinexAdapter, DEFAULT_BITFINEX_DEPTH, type BitfinexAdapter, type SequenceCounts } from './adapter';
