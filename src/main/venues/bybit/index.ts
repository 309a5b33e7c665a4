/** The Bybit venues: spot and linear, markets of one adapter (docs/venues.md#bybit). */
import type { SubscribeOptions, VenueModule } from '../adapter';
import { createBybitAdapter } from './adapter';
import { BYBIT_LINEAR, BYBIT_SPOT, type BybitMarket } from './markets';
import { depthFromSubscribe, symbolsFromFrame, symbolsFromSubscribe } from './messages';

/** Bybit subscribes by message, never in the URL; a capture without that message names symbols in its topics. */
const captureSymbols = (kind: 'open' | 'send', text: string): string[] => (kind === 'send' ? symbolsFromSubscribe(text) : []);
/** The recorded subscribe names the depth (orderbook.{depth}); replay follows it. */
const captureOptions = (kind: 'open' | 'send', text: string): SubscribeOptions | undefined => {
  const depth = kind === 'send' ? depthFromSubscribe(text) : undefined;
  return depth === undefined ? undefined : { depth };
};

function bybitVenue(id: 'bybit-spot' | 'bybit-linear', name: string, market: BybitMarket): VenueModule {
  return { id, name, createAdapter: (ctx) => createBybitAdapter({ venue: id, market, ...ctx }), captureSymbols, captureOptions, frameSymbols: symbolsFromFrame };
}

export const bybitSpotVenue = bybitVenue('bybit-spot', 'Bybit Spot', BYBIT_SPOT);
export const bybitLinearVenue = bybitVenue('bybit-linear', 'Bybit Linear (USDT/USDC perpetuals and futures)', BYBIT_LINEAR);

export { ARGS_PER_REQUEST, createBybitAdapter, type BybitAdapter } from './adapter';
export { BYBIT_LINEAR, BYBIT_SPOT, type BybitMarket } from './markets';
