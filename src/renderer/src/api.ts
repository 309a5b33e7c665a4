import type { OrderbookApi } from '../../shared/contract';

declare global {
  interface Window {
    orderbook?: OrderbookApi;
  }
}

/** The contract API the host (Electron preload or web bridge) put on the window. */
export function getApi(): OrderbookApi {
  const api = window.orderbook;
  if (!api) throw new Error('This page must be opened from the Order Book Monitor (desktop app or `npm run web`).');
  return api;
}
