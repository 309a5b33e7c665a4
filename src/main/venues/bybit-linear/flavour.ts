/**
 * Bybit linear contracts (USDT/USDC perpetuals and USDT futures): the same public protocol as spot
 * (../bybit-spot/adapter.ts) on the `/v5/public/linear` stream, with instruments-info paginated
 * (`limit` ≤ 1000 and `nextPageCursor`; there are more than 500 linear symbols). PROTOCOLS.md §7.
 *
 * Depth: `orderbook.200` (100 ms pushes). Linear offers 1, 50, 200 and 1000; 200 levels give the depth
 * chart and impact calculator a deep book at a fifth of the push rate of orderbook.50.
 */
import type { BybitFlavour } from '../bybit-spot/adapter';

export const BYBIT_LINEAR: BybitFlavour = {
  category: 'linear',
  endpoints: { ws: 'wss://stream.bybit.com', rest: 'https://api.bybit.com' },
  wsPath: '/v5/public/linear',
  depth: 200,
  paginatedInstruments: true,
};
