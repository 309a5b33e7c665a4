/**
 * What the two fake Coinbase exchanges share: the synthetic market with Coinbase product ids, an
 * exchange clock that stamps RFC 3339 times with distinct microseconds, and the REST plumbing
 * (slow responses, HTTP 429 on command).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SyntheticMarket, type DemoSymbolSpec } from '../../src/main/venues/demo/market';

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

/** REST fault state shared by both fakes. */
export class RestFaults {
  delayMs = 0;
  rateLimitedLeft = 0;
  requests = 0;

  async handle(req: IncomingMessage, res: ServerResponse, route: (path: string) => { status: number; body: string } | null): Promise<void> {
    this.requests++;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const send = (status: number, body: string, headers: Record<string, string> = {}): void => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    if (this.rateLimitedLeft > 0) {
      this.rateLimitedLeft--;
      return send(429, '{"message":"Too many requests"}', { 'retry-after': '1' });
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const answer = route(path);
    if (!answer) return send(404, '{"message":"NotFound"}');
    send(answer.status, answer.body);
  }
}
