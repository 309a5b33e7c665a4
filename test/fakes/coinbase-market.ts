/**
 * What the two fake Coinbase exchanges share: the synthetic market with Coinbase product ids, an
 * exchange clock that stamps RFC 3339 times with distinct microseconds, and Coinbase's REST answers.
 */
import type { ServerResponse } from 'node:http';
import { SyntheticMarket, type DemoSymbolSpec } from '../../src/main/venues/demo/market';
import { sendJson } from './fake-exchange-server';

/** Calm markets: the top moves rarely, so a planted wrong level stays at the top until it is found. */
export const COINBASE_FAKE_SPECS: DemoSymbolSpec[] = [
  { symbol: 'BTC-USD', base: 'BTC', quote: 'USD', mid: 64_250, priceDecimals: 2, sizeDecimals: 8, typicalSize: 0.5, density: 0.4, volatilityTicks: 0.003 },
  { symbol: 'ETH-USD', base: 'ETH', quote: 'USD', mid: 3_150, priceDecimals: 2, sizeDecimals: 8, typicalSize: 5, density: 0.5, volatilityTicks: 0.003 },
];

export function coinbaseMarket(seed: number): SyntheticMarket {
  return new SyntheticMarket(COINBASE_FAKE_SPECS, seed);
}

/** Exchange time in µs, strictly increasing, and its RFC 3339 text with six fractional digits. */
export class ExchangeClock {
  private lastUs = 0;

  nextUs(): number {
    this.lastUs = Math.max(Date.now() * 1000, this.lastUs + 1);
    return this.lastUs;
  }
}

export function isoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // 2024-01-01T00:00:00.123Z
  return `${iso.slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`;
}

/** Coinbase's REST answer: HTTP 429 when rate limited, 404 for a path `route` does not know, else its body. */
export function answerRest(res: ServerResponse, url: string, rateLimited: boolean, route: (path: string) => string | null): void {
  if (rateLimited) return sendJson(res, 429, '{"message":"Too many requests"}', { 'retry-after': '1' });
  const body = route(new URL(url, 'http://x').pathname);
  if (body === null) return sendJson(res, 404, '{"message":"NotFound"}');
  sendJson(res, 200, body);
}
