/**
 * Every venue the app knows how to run, behind one interface: how to build its adapter and how to
 * read a capture's subscriptions. A venue missing here is reported as unsupported, never a crash.
 */
import type { VenueId } from '../../shared/market';
import type { Logger } from '../log';
import type { SubscribeOptions, VenueAdapter } from './adapter';
import { BINANCE_SPOT, BinanceAdapter } from './binance-spot/adapter';
import { BINANCE_USDM } from './binance-usdm/flavour';
import { symbolsFromStreamUrl, symbolsFromSubscribe } from './binance-spot/messages';
import { BYBIT_SPOT, BybitAdapter } from './bybit-spot/adapter';
import { depthFromSubscribe as bybitSubscribeDepth, symbolsFromFrame as bybitFrameSymbols, symbolsFromSubscribe as bybitSubscribeSymbols } from './bybit-spot/messages';
import { BYBIT_LINEAR } from './bybit-linear/flavour';
import { krakenVenue } from './kraken/adapter';
import { okxVenue } from './okx/adapter';
import { coinbaseVenue } from './coinbase/adapter';
import { coinbaseAdvancedVenue } from './coinbase-advanced/adapter';
import type { FeedListener } from './symbol-feed';
import type { Transport } from './transport';

export interface AdapterContext {
  transport: Transport;
  listener: FeedListener;
  logger: Logger;
  endpoints?: { ws: string; rest: string };
  /** Optional API key the user configured for this venue (Coinbase Exchange: enables `level2`). */
  credentials?: VenueCredentials;
}

/** An API key for a venue. Public feeds need none; `passphrase` is Coinbase Exchange's. */
export interface VenueCredentials {
  key: string;
  secret: string;
  passphrase?: string;
}

export interface VenueModule {
  id: VenueId;
  name: string;
  createAdapter(ctx: AdapterContext): VenueAdapter;
  /** Symbols a recorded `open` URL or `send` frame subscribes to. */
  captureSymbols(kind: 'open' | 'send', text: string): string[];
  /**
   * Optional: symbols a received frame streams. Replay uses it only for a venue whose capture named
   * no symbols in any `open` URL or `send` frame (e.g. a Bybit recording without its subscribe frame).
   */
  frameSymbols?(text: string): string[];
  /** Optional: subscription choices a recorded `open` URL or `send` frame made (Kraken's book depth). */
  captureOptions?(kind: 'open' | 'send', text: string): SubscribeOptions | undefined;
}

const binanceCaptureSymbols = (kind: 'open' | 'send', text: string): string[] =>
  kind === 'open' ? symbolsFromStreamUrl(text) : symbolsFromSubscribe(text);

const binanceSpot: VenueModule = {
  id: 'binance-spot',
  name: 'Binance Spot',
  createAdapter: (ctx) => new BinanceAdapter({ venue: 'binance-spot', flavour: BINANCE_SPOT, ...ctx }),
  captureSymbols: binanceCaptureSymbols,
};

const binanceUsdm: VenueModule = {
  id: 'binance-usdm',
  name: 'Binance USD-M Futures',
  createAdapter: (ctx) => new BinanceAdapter({ venue: 'binance-usdm', flavour: BINANCE_USDM, ...ctx }),
  captureSymbols: binanceCaptureSymbols,
};

/** The demo venue speaks Binance spot's wire format, so a demo recording replays through the same adapter. */
const demo: VenueModule = {
  id: 'demo',
  name: 'Demo (synthetic market)',
  createAdapter: (ctx) => new BinanceAdapter({ venue: 'demo', flavour: BINANCE_SPOT, ...ctx }),
  captureSymbols: binanceCaptureSymbols,
};

/** Bybit subscribes by message, never in the URL; a capture without that message names symbols in its topics. */
const bybitCaptureSymbols = (kind: 'open' | 'send', text: string): string[] => (kind === 'send' ? bybitSubscribeSymbols(text) : []);
/** The recorded subscribe names the depth (orderbook.{depth}); replay follows it. */
const bybitCaptureOptions = (kind: 'open' | 'send', text: string): SubscribeOptions | undefined => {
  const depth = kind === 'send' ? bybitSubscribeDepth(text) : undefined;
  return depth === undefined ? undefined : { depth };
};

const bybitSpot: VenueModule = {
  id: 'bybit-spot',
  name: 'Bybit Spot',
  createAdapter: (ctx) => new BybitAdapter({ venue: 'bybit-spot', flavour: BYBIT_SPOT, ...ctx }),
  captureSymbols: bybitCaptureSymbols,
  captureOptions: bybitCaptureOptions,
  frameSymbols: bybitFrameSymbols,
};

const bybitLinear: VenueModule = {
  id: 'bybit-linear',
  name: 'Bybit Linear (USDT/USDC perpetuals and futures)',
  createAdapter: (ctx) => new BybitAdapter({ venue: 'bybit-linear', flavour: BYBIT_LINEAR, ...ctx }),
  captureSymbols: bybitCaptureSymbols,
  captureOptions: bybitCaptureOptions,
  frameSymbols: bybitFrameSymbols,
};

const MODULES: Partial<Record<VenueId, VenueModule>> = {
  'binance-spot': binanceSpot,
  'binance-usdm': binanceUsdm,
  'bybit-spot': bybitSpot,
  'bybit-linear': bybitLinear,
  kraken: krakenVenue,
  okx: okxVenue,
  coinbase: coinbaseVenue,
  'coinbase-advanced': coinbaseAdvancedVenue,
  demo,
};

export function venueModule(venue: string): VenueModule | undefined {
  return MODULES[venue as VenueId];
}

export function supportedVenues(): VenueId[] {
  return Object.keys(MODULES) as VenueId[];
}
