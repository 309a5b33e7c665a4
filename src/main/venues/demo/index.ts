/**
 * The demo venue: a synthetic market (./market.ts) behind an in-process exchange (./transport.ts)
 * that speaks Binance spot's wire format, so the demo, and a demo recording in replay, go through the
 * Binance adapter exactly as live data does. docs/venues.md#demo.
 */
import type { VenueModule } from '../adapter';
import { BINANCE_SPOT, binanceCaptureSymbols, createBinanceAdapter } from '../binance';

export const demoVenue: VenueModule = {
  id: 'demo',
  name: 'Demo (synthetic market)',
  createAdapter: (ctx) => createBinanceAdapter({ venue: 'demo', market: BINANCE_SPOT, ...ctx }),
  captureSymbols: binanceCaptureSymbols,
};

/** demo-b: a second synthetic venue quoting the same assets a little differently (DEMO_B_SYMBOLS). */
export const demoBVenue: VenueModule = {
  id: 'demo-b',
  name: 'Demo B (synthetic market)',
  createAdapter: (ctx) => createBinanceAdapter({ venue: 'demo-b', market: BINANCE_SPOT, ...ctx }),
  captureSymbols: binanceCaptureSymbols,
};

export { DEMO_REST, DEMO_WS, DemoTransport, type DemoOptions } from './transport';
export { DEMO_B_SYMBOLS } from './market';
