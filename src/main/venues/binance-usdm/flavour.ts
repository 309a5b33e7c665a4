/**
 * Binance USD-M futures: the same diff-depth protocol as spot with `pu` continuity and the futures
 * bridging rule (see ../binance-spot/sync.ts), depth and bookTicker on the `/public` path since the
 * 2026 endpoint split, REST on fapi. PROTOCOLS.md §4.
 */
import type { BinanceFlavour } from '../binance-spot/adapter';

export const BINANCE_USDM: BinanceFlavour = {
  endpoints: { ws: 'wss://fstream.binance.com/public', rest: 'https://fapi.binance.com' },
  depthPath: '/fapi/v1/depth',
  exchangeInfoPath: '/fapi/v1/exchangeInfo',
  rules: 'usdm',
  snapshotLimit: 1000,
  // USD-M depth weights: limit <= 50 → 2, 100 → 5, 500 → 10, 1000 → 20; 2,400 per minute per IP.
  snapshotWeight: (limit) => (limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20),
  weightPerMinute: 2400,
};
