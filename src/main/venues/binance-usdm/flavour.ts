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
};
