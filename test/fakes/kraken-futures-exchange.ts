/**
 * A fake Kraken Futures exchange on 127.0.0.1: the v1 WebSocket (`/ws/v1`: `info` on connect,
 * subscribe/unsubscribe with one answer per product, `book_snapshot` then one `book` message per
 * changed level with the product's seq continuing by one, `trade_snapshot` history then live
 * `trade` prints, the `heartbeat` feed, `{"event":"error","message":"Invalid product id"}` for an
 * unknown product) and REST `GET /derivatives/api/v3/instruments`. Prices and quantities go out as
 * JSON number literals written the way Kraken writes them (`"qty":1130.0`). The true book comes from
 * the synthetic market; faults are injected on command.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { SyntheticMarket, type DemoSymbolSpec } from '../../src/main/venues/demo/market';
import { FakeExchangeServer, sendJson, type FakeClient } from './fake-exchange-server';

type Level = [string, string];

export const KRAKEN_FUTURES_FAKE_SPECS: DemoSymbolSpec[] = [
  // Inverse perpetual: whole USD contracts.
  { symbol: 'PI_XBTUSD', base: 'XBT', quote: 'USD', mid: 32_150, priceDecimals: 1, sizeDecimals: 0, typicalSize: 20_000, density: 0.5, volatilityTicks: 4 },
  // Linear multi-collateral perpetual: fractional sizes.
  { symbol: 'PF_ETHUSD', base: 'ETH', quote: 'USD', mid: 2_030, priceDecimals: 2, sizeDecimals: 3, typicalSize: 12, density: 0.6, volatilityTicks: 3 },
];

export interface FakeKrakenFuturesOptions {
  stepMs?: number;
  seed?: number;
  heartbeatMs?: number;
}

interface Client extends FakeClient {
  books: Set<string>;
  trades: Set<string>;
  heartbeat: boolean;
}

interface ProductState {
  seq: number;
  tradeSeq: number;
  /** Recent trades, newest first (what a trade_snapshot sends). */
  recentTrades: string[];
}

/** A JSON number literal the way Kraken Futures writes a quantity: always with a fraction ("1130.0"). */
function qtyLiteral(size: string): string {
  return size.includes('.') ? size : `${size}.0`;
}

export class FakeKrakenFuturesExchange extends FakeExchangeServer<Client> {
  readonly market: SyntheticMarket;
  private readonly products = new Map<string, ProductState>();
  private readonly dropNext = new Set<string>();
  private rand: () => number;
  private answerProtocolPings = true;
  /** WebSocket protocol pings received from clients. */
  pings = 0;
  /** Book subscribe requests per product (a resubscribe shows here). */
  readonly bookSubscribes = new Map<string, number>();
  /** Live trades sent, per product. */
  readonly tradesSent = new Map<string, number>();

  constructor(options: FakeKrakenFuturesOptions = {}) {
    super('/ws/v1');
    this.market = new SyntheticMarket(KRAKEN_FUTURES_FAKE_SPECS, options.seed ?? 11);
    let seed = options.seed ?? 11;
    this.rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const s of KRAKEN_FUTURES_FAKE_SPECS) {
      const state: ProductState = { seq: 1_000_000 + Math.floor(this.rand() * 1000), tradeSeq: 5000, recentTrades: [] };
      this.products.set(s.symbol, state);
      // History for the trade snapshot.
      for (let i = 0; i < 3; i++) state.recentTrades.unshift(this.tradeText(s.symbol, state, Date.now() - 60_000 + i));
    }
    this.every(options.stepMs ?? 20, () => this.step());
    this.every(options.heartbeatMs ?? 1000, () => {
      const text = JSON.stringify({ feed: 'heartbeat', time: Date.now() });
      for (const c of this.clients) if (c.heartbeat) this.sendText(c, text);
    });
  }

  /** The true book, best first: what a correct client holds. */
  book(product: string): { bids: Level[]; asks: Level[] } {
    const truth = this.market.trueBook(product)!;
    return { bids: truth.bids, asks: truth.asks };
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** Stop answering WebSocket protocol pings (only data and heartbeats show the connection lives). */
  ignoreProtocolPings(ignore = true): void {
    this.answerProtocolPings = !ignore;
  }

  /** The next book message of `product` is lost on the way to every client: the seq skips one. */
  dropNextDelta(product: string): void {
    this.dropNext.add(product);
  }

  // ---- protocol -------------------------------------------------------------------------------

  protected onSocket(ws: WebSocket): void {
    const client: Client = { ws, books: new Set(), trades: new Set(), heartbeat: false, silent: false };
    this.accept(client, (text) => this.onRequest(client, text), () => this.answerProtocolPings);
    ws.on('ping', () => this.pings++);
    this.sendText(client, '{"event":"info","version":1}');
  }

  private onRequest(client: Client, text: string): void {
    let msg: { event?: unknown; feed?: unknown; product_ids?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      this.sendText(client, '{"event":"error","message":"Json Error"}');
      return;
    }
    const { event, feed } = msg;
    if ((event !== 'subscribe' && event !== 'unsubscribe') || (feed !== 'book' && feed !== 'trade' && feed !== 'heartbeat')) {
      this.sendText(client, '{"event":"error","message":"Invalid feed"}');
      return;
    }
    const done = event === 'subscribe' ? 'subscribed' : 'unsubscribed';
    if (feed === 'heartbeat') {
      client.heartbeat = event === 'subscribe';
      this.sendText(client, JSON.stringify({ event: done, feed }));
      return;
    }
    const ids = Array.isArray(msg.product_ids) ? msg.product_ids.map((p) => String(p).toUpperCase()) : [];
    // One unknown product spoils the request; the error names none.
    if (ids.length === 0 || ids.some((p) => !this.products.has(p))) {
      this.sendText(client, '{"event":"error","message":"Invalid product id"}');
      return;
    }
    for (const product of ids) {
      const set = feed === 'book' ? client.books : client.trades;
      this.sendText(client, JSON.stringify({ event: done, feed, product_ids: [product] }));
      if (event === 'unsubscribe') {
        set.delete(product);
        continue;
      }
      set.add(product);
      if (feed === 'book') {
        this.bookSubscribes.set(product, (this.bookSubscribes.get(product) ?? 0) + 1);
        this.sendText(client, this.snapshotText(product));
      } else {
        this.sendText(client, `{"feed":"trade_snapshot","product_id":"${product}","trades":[${this.products.get(product)!.recentTrades.join(',')}]}`);
      }
    }
  }

  private snapshotText(product: string): string {
    const { bids, asks } = this.book(product);
    const levels = (side: Level[]) => side.map(([p, q]) => `{"price":${p},"qty":${qtyLiteral(q)}}`).join(',');
    return `{"feed":"book_snapshot","product_id":"${product}","timestamp":${Date.now()},"seq":${this.products.get(product)!.seq},"tickSize":null,"bids":[${levels(bids)}],"asks":[${levels(asks)}]}`;
  }

  private tradeText(product: string, state: ProductState, time: number): string {
    const truth = this.market.trueBook(product)!;
    const buy = this.rand() < 0.5;
    const price = buy ? truth.asks[0]![0] : truth.bids[0]![0];
    const spec = KRAKEN_FUTURES_FAKE_SPECS.find((s) => s.symbol === product)!;
    const size = spec.sizeDecimals === 0 ? String(1 + Math.floor(this.rand() * 500)) : (this.rand() * 2 + 0.001).toFixed(spec.sizeDecimals);
    state.tradeSeq++;
    return `{"feed":"trade","product_id":"${product}","uid":"u${state.tradeSeq}","side":"${buy ? 'buy' : 'sell'}","type":"fill","seq":${state.tradeSeq},"time":${time},"qty":${qtyLiteral(size)},"price":${price}}`;
  }

  private push(product: string, which: 'books' | 'trades', text: string): void {
    for (const c of this.clients) if (c[which].has(product)) this.sendText(c, text);
  }

  private step(): void {
    if (this.paused) return;
    const now = Date.now();
    for (const frame of this.market.step(now)) {
      const product = frame.symbol;
      const state = this.products.get(product)!;
      const depth = frame.depth as { b: Level[]; a: Level[] };
      // Deletions first: every book in between is then part of the step's final book, never crossed
      // (a matching engine reports the levels an order takes before the level it leaves).
      const changes = [...depth.b.map((l) => ['buy', l] as const), ...depth.a.map((l) => ['sell', l] as const)].sort(
        (x, y) => Number(Number(x[1][1]) !== 0) - Number(Number(y[1][1]) !== 0),
      );
      for (const [side, [price, size]] of changes) {
        state.seq++;
        if (this.dropNext.delete(product)) continue;
        this.push(product, 'books', `{"feed":"book","product_id":"${product}","side":"${side}","seq":${state.seq},"price":${price},"qty":${qtyLiteral(size)},"timestamp":${now}}`);
      }
      if (this.rand() < 0.15) {
        const text = this.tradeText(product, state, now);
        state.recentTrades.unshift(text);
        state.recentTrades.length = Math.min(state.recentTrades.length, 100);
        this.tradesSent.set(product, (this.tradesSent.get(product) ?? 0) + 1);
        this.push(product, 'trades', text);
      }
    }
  }

  protected async onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    await this.restDelay();
    if (this.takeRateLimit()) return sendJson(res, 429, { result: 'error', error: 'apiLimitExceeded' });
    if (u.pathname !== '/derivatives/api/v3/instruments') return sendJson(res, 404, { result: 'error', error: 'notFound' });
    // Today's shape (upper-case symbols, base/quote) for one, the 2021 shape for the other, and an index.
    const body =
      '{"result":"success","instruments":[' +
      '{"symbol":"pi_xbtusd","type":"futures_inverse","underlying":"rr_xbtusd","tickSize":0.1,"contractSize":1,"tradeable":true},' +
      '{"symbol":"PF_ETHUSD","pair":"ETH:USD","base":"ETH","quote":"USD","type":"flexible_futures","tickSize":0.01,"contractSize":1,"tradeable":true,"contractValueTradePrecision":3},' +
      '{"symbol":"in_xbtusd","type":"spot index","tradeable":false}' +
      `],"serverTime":"${new Date().toISOString()}"}`;
    return sendJson(res, 200, body);
  }
}
