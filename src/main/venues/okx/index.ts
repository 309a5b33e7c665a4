/** The OKX venue (v5 public), docs/venues.md#okx. */
import type { VenueModule } from '../adapter';
import { createOkxAdapter } from './adapter';
import { bookSubscriptionIds } from './messages';

export const okxVenue: VenueModule = {
  id: 'okx',
  name: 'OKX',
  createAdapter: (ctx) => createOkxAdapter(ctx),
  captureSymbols: (kind, text) => (kind === 'send' ? bookSubscriptionIds(text) : []),
};

export { createOkxAdapter, type OkxAdapter } from './adapter';
