/**
 * A fake Deribit API v2 on 127.0.0.1: JSON-RPC over the WebSocket (`/ws/api/v2`): `public/subscribe`
 * and `public/unsubscribe` answered with the channels taken (unknown instruments silently left out, a
 * malformed channel name failing the whole request with -32602), `book.{instrument}.{interval}` as a
 * snapshot then changes chained by `prev_change_id`, `trades.{instrument}.{interval}`, and
 * `public/set_heartbeat`: a `test_request` every interval, and the connection closed when one goes
 * unanswered by the next. REST `public/get_instruments`. Prices and amounts are JSON numbers, as
 * Deribit sends them. Books come from the synthetic market (the true book); faults on command.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { formatScaled } from '../../src/shared/decimal';
import { SyntheticMarket, type DemoSymbolSpec } from '../../src/main/venues/demo/market';
import { FakeExchangeServer, sendJson, type FakeClient } from './fake-exchange-server';

type Level = [string, string];

export const DERIBIT_FAKE_SPECS: DemoSymbolSpec[] = [
  // Perpetual amounts are USD, in steps of 10.
  { symbol: 'BTC-PERPETUAL', base: 'BTC', quote: 'USD', mid: 64_250, priceDecimals: 1, sizeDecimals: 0, typicalSize: 20_000, density: 0.5, volatilityTicks: 4 },
  // Option prices are in ETH, amounts in ETH contracts.
  { symbol: 'ETH-27JUN25-4000-C', base: 'ETH', quote: 'ETH', mid: 0.0525, priceDecimals: 4, sizeDecimals: 1, typicalSize: 40, density: 0.6, volatilityTicks: 1 },
];

const CHANNEL = /^(book|trades)\.([A-Za-z0-9_-]+)\.(raw|100ms|agg2)$/;

export interface FakeDeribitOptions {
  stepMs?: number;
  seed?: number;
}

interface Client extends FakeClient {
  /** instrument → interval of its book channel. */
  books: Map<string, string>;
  trades: Set<string>;
  heartbeat: ReturnType<typeof setInterval> | null;
  /** A test_request is out and public/test has not answered it yet. */
  awaitingTest: boolean;
}

interface Request {
  id?: number;
  method?: string;
  params?: { channels?: unknown; interval?: unknown };
}

export class FakeDeribitExchange extends FakeExchangeServer<Client> {
  readonly market: SyntheticMarket;
  private readonly changeIds = new Map<string, number>();
  /** Prices each side of each book holds (`instrument:bid`), so a change says `new` or `change` as Deribit does. */
  private readonly held = new Map<string, Set<string>>();
  private readonly rand: () => number;
  private readonly dropNext = new Set<string>();
  private nextTradeId = 9_000_000;
  private readonly tradeSeq = new Map<string, number>();
  /** Book subscribe requests per instrument (a resubscribe shows here). */
  readonly bookSubscribes = new Map<string, number>();
  testRequestsSent = 0;
  testsAnswered = 0;
  tradesSent = 0;
  /** Connections closed because a test_request went unanswered. */
  closedForSilence = 0;

  constructor(options: FakeDeribitOptions = {}) {
    super('/ws/api/v2');
    this.market = new SyntheticMarket(DERIBIT_FAKE_SPECS, options.seed ?? 7);
    let seed = options.seed ?? 7;
    this.rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const s of DERIBIT_FAKE_SPECS) {
      this.changeIds.set(s.symbol, 8_000_000_000 + Math.floor(this.rand() * 1_000_000));
      const { bids, asks } = this.book(s.symbol);
      this.held.set(`${s.symbol}:bid`, new Set(bids.map(([p]) => p)));
      this.held.set(`${s.symbol}:ask`, new Set(asks.map(([p]) => p)));
      this.tradeSeq.set(s.symbol, 1000);
    }
    this.every(options.stepMs ?? 20, () => this.step());
  }

  /** The true book, best first: what a correct client holds. */
  book(instrument: string): { bids: Level[]; asks: Level[] } {
    const truth = this.market.trueBook(instrument)!;
    return { bids: truth.bids, asks: truth.asks };
  }

  changeId(instrument: string): number {
    return this.changeIds.get(instrument)!;
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** The next change of `instrument` is lost on the way to every client: the one after it does not chain. */
  dropNextChange(instrument: string): void {
    this.dropNext.add(instrument);
  }

  // ---- protocol -------------------------------------------------------------------------------

  protected onSocket(ws: WebSocket): void {
    const client: Client = { ws, books: new Map(), trades: new Set(), silent: false, heartbeat: null, awaitingTest: false };
    this.accept(client, (text) => this.onRequest(client, text));
    ws.on('close', () => {
      if (client.heartbeat) clearInterval(client.heartbeat);
    });
  }

  private answer(client: Client, id: number | undefined, result: unknown): void {
    this.sendText(client, JSON.stringify({ jsonrpc: '2.0', id, result, usIn: 1, usOut: 2, usDiff: 1, testnet: false }));
  }

  private error(client: Client, id: number | undefined, code: number, message: string, data?: Record<string, string>): void {
    this.sendText(client, JSON.stringify({ jsonrpc: '2.0', id, error: { message, data, code }, testnet: false }));
  }

  private onRequest(client: Client, text: string): void {
    let req: Request;
    try {
      req = JSON.parse(text) as Request;
    } catch {
      return this.error(client, undefined, -32700, 'Parse error');
    }
    switch (req.method) {
      case 'public/set_heartbeat': {
        const seconds = Number(req.params?.interval);
        if (!(seconds > 0)) return this.error(client, req.id, -32602, 'Invalid params', { param: 'interval', reason: 'must be a number' });
        if (client.heartbeat) clearInterval(client.heartbeat);
        client.heartbeat = setInterval(() => this.heartbeat(client), seconds * 1000);
        return this.answer(client, req.id, 'ok');
      }
      case 'public/test':
        this.testsAnswered++;
        client.awaitingTest = false;
        return this.answer(client, req.id, { version: '1.2.26' });
      case 'public/subscribe':
      case 'public/unsubscribe':
        return this.onSubscription(client, req);
      default:
        return this.error(client, req.id, -32601, 'Method not found');
    }
  }

  private onSubscription(client: Client, req: Request): void {
    const channels = req.params?.channels;
    // A name that cannot be a channel fails the whole request.
    if (!Array.isArray(channels) || channels.some((c) => typeof c !== 'string' || /\s/.test(c))) {
      return this.error(client, req.id, -32602, 'Invalid params', { param: 'channels', reason: 'wrong format' });
    }
    const taken: string[] = [];
    const snapshots: string[] = [];
    for (const channel of channels as string[]) {
      const m = CHANNEL.exec(channel);
      // Deribit leaves out channels it does not know; the answer lists only those taken.
      if (!m || !this.market.has(m[2]!)) continue;
      const [, kind, instrument, interval] = m as unknown as [string, string, string, string];
      taken.push(channel);
      if (req.method === 'public/unsubscribe') {
        if (kind === 'book') client.books.delete(instrument);
        else client.trades.delete(instrument);
        continue;
      }
      if (kind === 'trades') {
        client.trades.add(instrument);
        continue;
      }
      this.bookSubscribes.set(instrument, (this.bookSubscribes.get(instrument) ?? 0) + 1);
      client.books.set(instrument, interval);
      const truth = this.book(instrument);
      snapshots.push(this.bookFrame(channel, instrument, 'snapshot', truth.bids.map(([p, s]) => ['new', p, s]), truth.asks.map(([p, s]) => ['new', p, s]), null));
    }
    this.answer(client, req.id, taken);
    for (const frame of snapshots) this.sendText(client, frame);
  }

  private heartbeat(client: Client): void {
    if (client.silent) return;
    if (client.awaitingTest) {
      // Deribit closes a connection that leaves a test_request unanswered.
      this.closedForSilence++;
      client.ws.close(1000, 'test_request not answered');
      return;
    }
    client.awaitingTest = true;
    this.testRequestsSent++;
    this.sendText(client, JSON.stringify({ jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } }));
  }

  private bookFrame(channel: string, instrument: string, type: 'snapshot' | 'change', bids: Array<[string, string, string]>, asks: Array<[string, string, string]>, prevChangeId: number | null): string {
    const wire = (levels: Array<[string, string, string]>) => levels.map(([action, p, s]) => [action, Number(p), Number(s)]);
    const data: Record<string, unknown> = { type, timestamp: Date.now(), instrument_name: instrument, change_id: this.changeId(instrument), bids: wire(bids), asks: wire(asks) };
    if (prevChangeId !== null) data.prev_change_id = prevChangeId;
    return JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } });
  }

  /** Diff levels in Deribit's words: size 0 is `delete`, a price the book did not hold is `new`. */
  private actions(instrument: string, side: 'bid' | 'ask', levels: Level[]): Array<[string, string, string]> {
    const held = this.held.get(`${instrument}:${side}`)!;
    return levels.map(([p, s]) => {
      if (Number(s) === 0) {
        held.delete(p);
        return ['delete', p, '0'];
      }
      const action = held.has(p) ? 'change' : 'new';
      held.add(p);
      return [action, p, s];
    });
  }

  private step(): void {
    if (this.paused) return;
    const now = Date.now();
    for (const frame of this.market.step(now)) {
      const instrument = frame.symbol;
      const depth = frame.depth as { b: Level[]; a: Level[] };
      const bids = this.actions(instrument, 'bid', depth.b);
      const asks = this.actions(instrument, 'ask', depth.a);
      const prev = this.changeId(instrument);
      this.changeIds.set(instrument, prev + 1 + Math.floor(this.rand() * 50));
      if (this.dropNext.delete(instrument)) continue;
      for (const c of this.clients) {
        const interval = c.books.get(instrument);
        if (interval) this.sendText(c, this.bookFrame(`book.${instrument}.${interval}`, instrument, 'change', bids, asks, prev));
      }
      if (this.rand() < 0.3) this.trade(instrument, now);
    }
  }

  /** A print at the touch (the synthetic book does not model fills: the book is left as it is). */
  private trade(instrument: string, now: number): void {
    const { bids, asks } = this.book(instrument);
    const buy = this.rand() < 0.5;
    const level = buy ? asks[0] : bids[0];
    if (!level) return;
    const seq = this.tradeSeq.get(instrument)! + 1;
    this.tradeSeq.set(instrument, seq);
    const trade = {
      trade_seq: seq,
      trade_id: String(this.nextTradeId++),
      timestamp: now,
      tick_direction: 0,
      price: Number(level[0]),
      mark_price: Number(level[0]),
      index_price: Number(level[0]),
      instrument_name: instrument,
      direction: buy ? 'buy' : 'sell',
      amount: Number(level[1]) > 0 ? Math.min(Number(level[1]), 10) : 1,
    };
    for (const c of this.clients) {
      const interval = c.trades.has(instrument) ? c.books.get(instrument) ?? '100ms' : null;
      if (interval && this.sendText(c, JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel: `trades.${instrument}.${interval}`, data: [trade] } }))) this.tradesSent++;
    }
  }

  protected async onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    await this.restDelay();
    if (this.takeRateLimit()) return sendJson(res, 429, { jsonrpc: '2.0', error: { message: 'too_many_requests', code: 10028 } });
    if (u.pathname !== '/api/v2/public/get_instruments') return sendJson(res, 404, { jsonrpc: '2.0', error: { message: 'Method not found', code: -32601 } });
    if (u.searchParams.get('currency') !== 'any') return sendJson(res, 400, { jsonrpc: '2.0', error: { message: 'Invalid params', data: { param: 'currency' }, code: -32602 } });
    const row = (s: DemoSymbolSpec, kind: string) => ({
      instrument_name: s.symbol,
      kind,
      base_currency: s.base,
      quote_currency: s.quote,
      counter_currency: 'USD',
      tick_size: Number(formatScaled(1, s.priceDecimals)),
      min_trade_amount: s.sizeDecimals === 0 ? 10 : Number(formatScaled(1, s.sizeDecimals)),
      is_active: true,
      state: 'open',
    });
    return sendJson(res, 200, { jsonrpc: '2.0', result: [row(DERIBIT_FAKE_SPECS[0]!, 'future'), row(DERIBIT_FAKE_SPECS[1]!, 'option')], usIn: 1, usOut: 2, usDiff: 1, testnet: false });
  }
}
