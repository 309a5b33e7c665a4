/** The Binance venues: spot and USD-M futures, markets of one adapter (docs/venues.md#binance). */
import type { VenueModule } from '../adapter';
import { createBinanceAdapter } from './adapter';
import { BINANCE_SPOT, BINANCE_USDM } from './markets';
import { symbolsFromStreamUrl, symbolsFromSubscribe } from './messages';

/** Binance subscribes in the connection URL, and later by SUBSCRIBE message. */
export const binanceCaptureSymbols = (kind: 'open' | 'send', text: string): string[] =>
  kind === 'open' ? symbolsFromStreamUrl(text) : symbolsFromSubscribe(text);

export const binanceSpotVenue: VenueModule = {
  id: 'binance-spot',
  name: 'Binance Spot',
  createAdapter: (ctx) => createBinanceAdapter({ venue: 'binance-spot', market: BINANCE_SPOT, ...ctx }),
  captureSymbols: binanceCaptureSymbols,
};

export const binanceUsdmVenue: VenueModule = {
  id: 'binance-usdm',
  name: 'Binance USD-M Futures',
  createAdapter: (ctx) => createBinanceAdapter({ venue: 'binance-usdm', market: BINANCE_USDM, ...ctx }),
  captureSymbols: binanceCaptureSymbols,
};

export { createBinanceAdapter, SYMBOLS_PER_CONNECTION, type BinanceAdapter } from './adapter';
export { BINANCE_SPOT, BINANCE_USDM, type BinanceMarket } from './markets';
