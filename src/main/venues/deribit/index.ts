/** The Deribit venue (API v2, public channels), docs/venues.md#deribit. */
import type { VenueModule } from '../adapter';
import { createDeribitAdapter } from './adapter';
import { bookSubscriptionInstruments } from './messages';

export const deribitVenue: VenueModule = {
  id: 'deribit',
  name: 'Deribit',
  createAdapter: (ctx) => createDeribitAdapter(ctx),
  // Deribit subscribes by request, never in the URL.
  captureSymbols: (kind, text) => (kind === 'send' ? bookSubscriptionInstruments(text) : []),
};

export { createDeribitAdapter, DERIBIT_ENDPOINTS, type DeribitAdapter, type DeribitAdapterOptions } from './adapter';
