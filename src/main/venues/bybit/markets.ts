/**
 * The Bybit markets one adapter serves (docs/venues.md#bybit): the same v5 public protocol on a
 * stream path per category; what differs is the path, the depth followed and whether the instrument
 * list pages.
 */
export interface BybitEndpoints {
  /** WebSocket host, e.g. wss://stream.bybit.com (the category path is appended). */
  ws: string;
  /** REST host, e.g. https://api.bybit.com */
  rest: string;
}

export interface BybitMarket {
  category: 'spot' | 'linear';
  endpoints: BybitEndpoints;
  /** Public stream path for the category, e.g. /v5/public/spot. */
  wsPath: string;
  /** Book depth to subscribe (orderbook.{depth}). */
  depth: number;
  /** Whether instruments-info pages (linear: yes, with limit ≤ 1000 and a cursor; spot: one answer). */
  paginatedInstruments: boolean;
}

/**
 * Spot: `orderbook.50` (20 ms pushes). It is the spot depth every version of the docs lists, and 50
 * levels is more than the ladder shows; 200 exists on spot too but only recently at 100 ms.
 */
export const BYBIT_SPOT: BybitMarket = {
  category: 'spot',
  endpoints: { ws: 'wss://stream.bybit.com', rest: 'https://api.bybit.com' },
  wsPath: '/v5/public/spot',
  depth: 50,
  paginatedInstruments: false,
};

/**
 * Linear contracts (USDT/USDC perpetuals and USDT futures) on `/v5/public/linear`; more than 500
 * symbols, so instruments-info pages (`limit` ≤ 1000 and `nextPageCursor`). Depth `orderbook.200`
 * (100 ms pushes): linear offers 1, 50, 200 and 1000; 200 levels give the depth chart and impact
 * calculator a deep book at a fifth of the push rate of orderbook.50.
 */
export const BYBIT_LINEAR: BybitMarket = {
  category: 'linear',
  endpoints: { ws: 'wss://stream.bybit.com', rest: 'https://api.bybit.com' },
  wsPath: '/v5/public/linear',
  depth: 200,
  paginatedInstruments: true,
};
