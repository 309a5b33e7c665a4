/**
 * A fake Binance spot exchange on 127.0.0.1 whose book and prints a test writes by hand: one symbol,
 * a REST depth snapshot of the book as scripted, and on the combined stream exactly the depth diffs
 * (`@depth@100ms`, contiguous update ids) and prints (`@trade`) the test sends. Order-flow scenes (a
 * wall eaten by prints, a wall pulled, an iceberg refilling, a sweep, a large print) are played
 * through the real adapter, market, analytics and contract with it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { FakeExchangeServer, sendJson, type FakeClient } from './fake-exchange-server';

type Levels = Array<[string, string]>;

export class ScriptedBinanceExchange extends FakeExchangeServer<FakeClient> {
  private readonly bids = new Map<string, string>();
  private readonly asks = new Map<string, string>();
  private updateId = 1000;
  private tradeId = 5000;

  constructor(
    readonly symbol: string,
    bids: Levels,
    asks: Levels,
  ) {
    super();
    for (const [p, q] of bids) this.bids.set(p, q);
    for (const [p, q] of asks) this.asks.set(p, q);
  }

  /** Change levels (size '0' removes one) in one depth diff. */
  depth(bids: Levels = [], asks: Levels = []): void {
    const U = this.updateId + 1;
    this.updateId += Math.max(1, bids.length + asks.length);
    for (const [levels, side] of [
      [bids, this.bids],
      [asks, this.asks],
    ] as const) {
      for (const [p, q] of levels) {
        if (Number(q) === 0) side.delete(p);
        else side.set(p, q);
      }
    }
    const now = Date.now();
    this.send('depth@100ms', { e: 'depthUpdate', E: now, s: this.symbol, U, u: this.updateId, b: bids, a: asks });
  }

  /** Prints of one taker order (one trade time): `side` is the taker's. */
  trades(side: 'buy' | 'sell', prints: Array<[price: string, size: string]>, time = Date.now()): void {
    for (const [p, q] of prints) {
      // `m`: is the buyer the maker? Yes when the taker sold.
      this.send('trade', { e: 'trade', E: time, s: this.symbol, t: ++this.tradeId, p, q, T: time, m: side === 'sell', M: true });
    }
  }

  private send(stream: string, data: Record<string, unknown>): void {
    this.sendRaw(JSON.stringify({ stream: `${this.symbol.toLowerCase()}@${stream}`, data }));
  }

  protected onSocket(ws: WebSocket): void {
    const client: FakeClient = { ws, silent: false };
    this.accept(client, (text) => {
      const msg = JSON.parse(text) as { method?: string; id?: number };
      if (msg.method === 'SUBSCRIBE') this.sendText(client, JSON.stringify({ result: null, id: msg.id }));
    });
  }

  protected async onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/api/v3/exchangeInfo') {
      return sendJson(res, 200, {
        timezone: 'UTC',
        symbols: [
          {
            symbol: this.symbol,
            status: 'TRADING',
            baseAsset: this.symbol.replace(/USDT$/, ''),
            quoteAsset: 'USDT',
            filters: [
              { filterType: 'PRICE_FILTER', tickSize: '0.01' },
              { filterType: 'LOT_SIZE', stepSize: '0.001' },
            ],
          },
        ],
      });
    }
    if (u.pathname !== '/api/v3/depth') return sendJson(res, 404, {});
    const sorted = (m: Map<string, string>, dir: number): Levels => [...m.entries()].sort((a, b) => dir * (Number(a[0]) - Number(b[0])));
    sendJson(res, 200, { lastUpdateId: this.updateId, bids: sorted(this.bids, -1), asks: sorted(this.asks, 1) });
  }
}
