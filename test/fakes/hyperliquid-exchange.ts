/**
 * A fake Hyperliquid on 127.0.0.1: the public WebSocket (`/ws`: subscribe `l2Book` / `trades` per coin
 * with `subscriptionResponse`, an `error` for a coin it does not list, `{"method":"ping"}` →
 * `{"channel":"pong"}`, and a connection the client has sent nothing on for `idleCloseMs` closed, as
 * Hyperliquid does after 60 s) and `POST /info {"type":"meta"}`. Every step it sends each subscribed
 * coin's whole book (the top 20 levels a side of the synthetic market, which is the true book) and now
 * and then a trade. Faults are injected on command; `book(coin)` is what a correct client holds.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { SyntheticMarket, type DemoSymbolSpec } from '../../src/main/venues/demo/market';
import { FakeExchangeServer, sendJson, type FakeClient } from './fake-exchange-server';

type Level = [string, string];

export const HYPERLIQUID_FAKE_SPECS: DemoSymbolSpec[] = [
  { symbol: 'BTC', base: 'BTC', quote: 'USDC', mid: 105_050, priceDecimals: 1, sizeDecimals: 5, typicalSize: 0.8, density: 0.5, volatilityTicks: 4 },
  { symbol: 'ETH', base: 'ETH', quote: 'USDC', mid: 3_150, priceDecimals: 2, sizeDecimals: 4, typicalSize: 12, density: 0.6, volatilityTicks: 3 },
];

/** Levels a side in every l2Book frame. */
export const BOOK_LEVELS = 20;

export interface FakeHyperliquidOptions {
  stepMs?: number;
  seed?: number;
  /** Close a connection the client has sent nothing on for this long (Hyperliquid: 60 s). */
  idleCloseMs?: number;
  /** Send a trade every this many steps (per coin). */
  tradeEverySteps?: number;
}

interface Client extends FakeClient {
  books: Set<string>;
  trades: Set<string>;
  lastHeardAt: number;
}

export class FakeHyperliquidExchange extends FakeExchangeServer<Client> {
  readonly market: SyntheticMarket;
  private readonly rand: () => number;
  private time = 0;
  private steps = 0;
  private readonly timeBackNext = new Set<string>();
  private readonly crossNext = new Set<string>();
  private readonly disorderNext = new Set<string>();
  private readonly dropNext = new Set<string>();
  /** `{"method":"ping"}` frames received. */
  pings = 0;
  tradesSent = 0;
  /** Connections closed for sending nothing within idleCloseMs. */
  idleClosed = 0;
  /** Bodies of the info requests received. */
  readonly infoRequests: string[] = [];

  constructor(private readonly options: FakeHyperliquidOptions = {}) {
    super('/ws');
    this.market = new SyntheticMarket(HYPERLIQUID_FAKE_SPECS, options.seed ?? 11);
    let seed = options.seed ?? 11;
    this.rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    this.every(options.stepMs ?? 20, () => this.step());
    this.every(25, () => this.closeIdle());
  }

  /** The book a correct client holds: the true book's top 20 levels a side, best first. */
  book(coin: string): { bids: Level[]; asks: Level[] } {
    const truth = this.market.trueBook(coin)!;
    return { bids: truth.bids.slice(0, BOOK_LEVELS), asks: truth.asks.slice(0, BOOK_LEVELS) };
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** The next frame of `coin` carries a time earlier than the one before it. */
  sendTimeBackwards(coin: string): void {
    this.timeBackNext.add(coin);
  }

  /** The next frame of `coin` is crossed: its best bid is above its best ask. */
  sendCrossedBook(coin: string): void {
    this.crossNext.add(coin);
  }

  /** The next frame of `coin` has its bids out of order. */
  sendBidsOutOfOrder(coin: string): void {
    this.disorderNext.add(coin);
  }

  /** The next frame of `coin` is lost on the way. */
  dropNextFrame(coin: string): void {
    this.dropNext.add(coin);
  }

  // ---- protocol -------------------------------------------------------------------------------

  protected onSocket(ws: WebSocket): void {
    const client: Client = { ws, books: new Set(), trades: new Set(), silent: false, lastHeardAt: Date.now() };
    // Only the client's own messages count as hearing from it; protocol pings are not answered.
    this.accept(client, (text) => this.onRequest(client, text), () => false);
  }

  private onRequest(client: Client, text: string): void {
    client.lastHeardAt = Date.now();
    let msg: { method?: string; subscription?: { type?: string; coin?: string } };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      this.sendText(client, JSON.stringify({ channel: 'error', data: `Invalid request: ${text.slice(0, 50)}` }));
      return;
    }
    if (msg.method === 'ping') {
      this.pings++;
      this.sendText(client, JSON.stringify({ channel: 'pong' }));
      return;
    }
    const sub = msg.subscription ?? {};
    const known = (sub.type === 'l2Book' || sub.type === 'trades') && typeof sub.coin === 'string' && this.market.has(sub.coin);
    if ((msg.method !== 'subscribe' && msg.method !== 'unsubscribe') || !known) {
      this.sendText(client, JSON.stringify({ channel: 'error', data: `Invalid subscription ${JSON.stringify(sub)}` }));
      return;
    }
    const coin = sub.coin!;
    const set = sub.type === 'l2Book' ? client.books : client.trades;
    if (msg.method === 'unsubscribe') set.delete(coin);
    else set.add(coin);
    this.sendText(client, JSON.stringify({ channel: 'subscriptionResponse', data: { method: msg.method, subscription: { type: sub.type, coin } } }));
    if (msg.method === 'subscribe' && sub.type === 'l2Book') this.sendText(client, this.bookFrame(coin, this.book(coin), this.now()));
  }

  private now(): number {
    this.time = Math.max(this.time, Date.now());
    return this.time;
  }

  private bookFrame(coin: string, book: { bids: Level[]; asks: Level[] }, time: number): string {
    const wire = (levels: Level[]) => levels.map(([px, sz]) => ({ px, sz, n: 1 + Math.floor(Number(sz)) % 7 }));
    return JSON.stringify({ channel: 'l2Book', data: { coin, time, levels: [wire(book.bids), wire(book.asks)] } });
  }

  /** The frame to send for `coin` now, with any fault asked for. */
  private nextFrame(coin: string): string | null {
    const book = this.book(coin);
    let time = this.now();
    if (this.dropNext.delete(coin)) return null;
    if (this.timeBackNext.delete(coin)) time -= 5_000;
    if (this.crossNext.delete(coin)) book.bids = [[book.asks[0]![0], '1'] as Level, ...book.bids].slice(0, BOOK_LEVELS);
    // An ask price, one level above the best ask, is put among the bids: higher than the best bid.
    if (this.disorderNext.delete(coin)) book.bids = [book.bids[0]!, [book.asks[1]![0], '1'] as Level, ...book.bids.slice(1)].slice(0, BOOK_LEVELS);
    return this.bookFrame(coin, book, time);
  }

  private step(): void {
    if (this.paused) return;
    this.steps++;
    this.market.step(Date.now());
    for (const spec of HYPERLIQUID_FAKE_SPECS) {
      const coin = spec.symbol;
      const subscribed = [...this.clients].filter((c) => c.books.has(coin));
      if (subscribed.length === 0) continue;
      const frame = this.nextFrame(coin);
      if (frame) for (const c of subscribed) this.sendText(c, frame);
    }
    if (this.steps % (this.options.tradeEverySteps ?? 5) === 0) this.trade();
  }

  private trade(): void {
    for (const spec of HYPERLIQUID_FAKE_SPECS) {
      const coin = spec.symbol;
      const book = this.book(coin);
      const buy = this.rand() < 0.5;
      const trade = {
        coin,
        side: buy ? 'B' : 'A',
        px: buy ? book.asks[0]![0] : book.bids[0]![0],
        sz: (0.001 + this.rand()).toFixed(spec.sizeDecimals),
        time: this.now(),
        hash: '0x0000000000000000000000000000000000000000000000000000000000000000',
        tid: Math.floor(this.rand() * 2 ** 50),
        users: ['0x01', '0x02'],
      };
      const text = JSON.stringify({ channel: 'trades', data: [trade] });
      for (const c of this.clients) if (c.trades.has(coin) && this.sendText(c, text)) this.tradesSent++;
    }
  }

  private closeIdle(): void {
    const limit = this.options.idleCloseMs ?? 60_000;
    const now = Date.now();
    for (const c of this.clients) {
      if (now - c.lastHeardAt < limit) continue;
      this.idleClosed++;
      c.ws.close(1000, 'idle');
      this.clients.delete(c);
    }
  }

  protected async onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    await this.restDelay();
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== '/info') return sendJson(res, 405, 'Method Not Allowed');
    this.infoRequests.push(body);
    if (this.takeRateLimit()) return sendJson(res, 429, 'null');
    let type: unknown;
    try {
      type = (JSON.parse(body) as { type?: unknown }).type;
    } catch {
      return sendJson(res, 422, 'Failed to deserialize the JSON body into the target type');
    }
    if (type !== 'meta') return sendJson(res, 422, 'Failed to deserialize the JSON body into the target type');
    return sendJson(res, 200, {
      universe: [
        ...HYPERLIQUID_FAKE_SPECS.map((s) => ({ name: s.symbol, szDecimals: s.sizeDecimals, maxLeverage: 40, marginTableId: 56 })),
        { name: 'OLD', szDecimals: 2, maxLeverage: 3, marginTableId: 3, isDelisted: true },
      ],
      marginTables: [],
    });
  }
}
