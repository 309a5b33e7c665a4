/**
 * The Binance markets one adapter serves, and what differs between them (docs/venues.md#binance).
 * Common to both: combined-stream WebSocket (`<sym>@depth@100ms` + `<sym>@bookTicker`), diff-depth
 * sync against REST snapshots (./sync.ts), request weight per IP (./weight-budget.ts). Specific:
 * endpoints, REST paths, the sync rules (spot `U <= id + 1`, USD-M `pu` continuity with a bridging
 * first event), snapshot depth and weights. The demo venue speaks spot's wire format.
 */
import type { DepthRules } from './sync';

export interface BinanceEndpoints {
  /** WebSocket base, e.g. wss://stream.binance.com:9443 */
  ws: string;
  /** REST base, e.g. https://api.binance.com */
  rest: string;
}

export interface BinanceMarket {
  endpoints: BinanceEndpoints;
  depthPath: string;
  exchangeInfoPath: string;
  rules: DepthRules;
  /** REST snapshot depth (spot allows up to 5000; USD-M up to 1000). */
  snapshotLimit: number;
  /** Request weight of a depth snapshot of `limit` levels, and the IP's weight limit per minute. */
  snapshotWeight(limit: number): number;
  weightPerMinute: number;
  /** The trade stream subscribed per symbol (docs/venues.md#binance-trades says why each). */
  tradeStream: 'trade' | 'aggTrade';
  /**
   * Where trades are served when not on the book's connection: the trade connection's WebSocket base
   * from the book's. Absent: the book's connection carries them.
   */
  tradeWs?: (bookWs: string) => string;
}

export const BINANCE_SPOT: BinanceMarket = {
  endpoints: { ws: 'wss://stream.binance.com:9443', rest: 'https://api.binance.com' },
  depthPath: '/api/v3/depth',
  exchangeInfoPath: '/api/v3/exchangeInfo',
  rules: 'spot',
  snapshotLimit: 1000,
  // rest-api.md "Order book": 1-100 → 5, 101-500 → 25, 501-1000 → 50, 1001-5000 → 250.
  snapshotWeight: (limit) => (limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250),
  weightPerMinute: 6000,
  // Every fill, with its own consecutive id `t`: the finest tape and the plainest gap check.
  tradeStream: 'trade',
};

/** USD-M futures: depth and bookTicker on the `/public` path since the 2026 endpoint split, REST on fapi. */
export const BINANCE_USDM: BinanceMarket = {
  endpoints: { ws: 'wss://fstream.binance.com/public', rest: 'https://fapi.binance.com' },
  depthPath: '/fapi/v1/depth',
  exchangeInfoPath: '/fapi/v1/exchangeInfo',
  rules: 'usdm',
  snapshotLimit: 1000,
  // USD-M depth weights: limit <= 50 → 2, 100 → 5, 500 → 10, 1000 → 20; 2,400 per minute per IP.
  snapshotWeight: (limit) => (limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20),
  weightPerMinute: 2400,
  // The documented USD-M trade stream; served on `/market`, not on the book's `/public` path.
  tradeStream: 'aggTrade',
  tradeWs: (bookWs) => (bookWs.endsWith('/public') ? `${bookWs.slice(0, -'/public'.length)}/market` : bookWs),
};
