/** The Bitget venue (v2 public, spot and USDT futures), docs/venues.md#bitget. */
import type { VenueModule } from '../adapter';
import { createBitgetAdapter } from './adapter';
import { bookSubscriptionSymbols } from './messages';

export const bitgetVenue: VenueModule = {
  id: 'bitget',
  name: 'Bitget (spot and USDT futures)',
  createAdapter: (ctx) => createBitgetAdapter(ctx),
  // Bitget subscribes by message, never in the URL.
  captureSymbols: (kind, text) => (kind === 'send' ? bookSubscriptionSymbols(text) : []),
};

export { BitgetAdapter, createBitgetAdapter, type BitgetAdapterOptions } from './adapter';
export { parseBitgetTrades } from './trades';
