/** The Hyperliquid venue (public WebSocket, perpetuals), docs/venues.md#hyperliquid. */
import type { VenueModule } from '../adapter';
import { createHyperliquidAdapter } from './adapter';
import { bookSubscriptionCoins, coinOfFrame } from './messages';

export const hyperliquidVenue: VenueModule = {
  id: 'hyperliquid',
  name: 'Hyperliquid',
  createAdapter: (ctx) => createHyperliquidAdapter(ctx),
  captureSymbols: (kind, text) => (kind === 'send' ? bookSubscriptionCoins(text) : []),
  // A recording without its subscribe frames: the coin each l2Book frame names.
  frameSymbols: (text) => (text.includes('"channel":"l2Book"') ? coinOfFrame(text) : []),
};

export { createHyperliquidAdapter, type HyperliquidAdapter } from './adapter';
