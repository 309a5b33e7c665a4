/**
 * A fake Coinbase Exchange feed on 127.0.0.1 (PROTOCOLS §1): `subscribe` / `unsubscribe` answered with
 * `subscriptions`, a `snapshot` per product then `l2update`s (`level2` as they happen, which needs a
 * signed subscribe; `level2_batch` every 50 ms), `heartbeat` per product, `ticker` whenever the top of
 * the book changes (after the update that changed it, with the same time), `error` messages, a
 * connection closed when it has not subscribed within 5 s, and REST `GET /products`. Faults on
 * command. Tests point an adapter at it and compare its book with the fake's true book.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SyntheticMarket } from '../../src/main/venues/demo/market';
import { COINBASE_FAKE_SPECS, ExchangeClock, RestFaults, coinbaseMarket, isoMicros } from './coinbase-market';

type BookChannel = 'level2' | 'level2_batch';

export interface FakeCoinbaseOptions {
  stepMs?: number;
  seed?: number;
  heartbeatMs?: number;
  batchMs?: number;
  subscribeDeadlineMs?: number;
  /** The API key the fake accepts for `level2` (secret in base64, as Coinbase issues it). */
  credentials?: { key: string; secret: string; passphrase: string };
}

interface Client {
  ws: WebSocket;
  book: Map<string, BookChannel>;
  heartbeat: Set<string>;
  ticker: Set<string>;
  /** Half-open: the connection stays up but nothing more is sent. */
  silent: boolean;
  subscribed: boolean;
  /** Products whose heartbeats are withheld until they are subscribed again. */
  heartbeatsWithheld: Set<string>;
  /** level2_batch changes waiting for the next batch, per product, keyed by side and price. */
  batch: Map<string, { changes: Map<string, [string, string, string]>; time: string }>;
}

export class FakeCoinbaseExchange {
  readonly market: SyntheticMarket;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly clock = new ExchangeClock();
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private readonly rest = new RestFaults();
  private paused = false;
  private sequence = 1_000_000;
  private tradeId = 5000;
  connections = 0;
  /** Every parsed message a client sent, in order. */
  readonly received: Array<Record<string, unknown>> = [];
  port = 0;

  constructor(private readonly options: FakeCoinbaseOptions = {}) {
    this.market = coinbaseMarket(options.seed ?? 11);
    this.http = createServer((req, res) =>
      void this.rest.handle(req, res, (path) => (path === '/products' ? { status: 200, body: this.productsBody() } : null)),
    );
    // Pongs are sent by hand so a half-open connection can stop answering, as a dead link would.
    this.wss = new WebSocketServer({ server: this.http, autoPong: false });
    this.wss.on('connection', (ws) => this.onSocket(ws));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
    this.timers.push(setInterval(() => this.step(), this.options.stepMs ?? 20));
    this.timers.push(setInterval(() => this.flushBatches(), this.options.batchMs ?? 50));
    this.timers.push(setInterval(() => this.heartbeats(), this.options.heartbeatMs ?? 1000));
  }

  get endpoints(): { ws: string; rest: string } {
    return { ws: `ws://127.0.0.1:${this.port}`, rest: `http://127.0.0.1:${this.port}` };
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const c of this.clients) c.ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Stop the market (and flush pending batches) so an adapter can catch up with a still book. */
  pause(): void {
    this.paused = true;
    this.flushBatches();
  }

  resume(): void {
    this.paused = false;
  }

  /** The book channel each connected client subscribed `product` on. */
  channelsOf(product: string): BookChannel[] {
    return [...this.clients].flatMap((c) => (c.book.has(product) ? [c.book.get(product)!] : []));
  }

  // ---- faults ---------------------------------------------------------------------------------

  dropConnections(): void {
    for (const c of this.clients) c.ws.terminate();
  }

  goHalfOpen(): void {
    for (const c of this.clients) c.silent = true;
  }

  /** Withhold `product`'s heartbeats on every connection until the client subscribes it again. */
  withholdHeartbeats(product: string): void {
    for (const c of this.clients) c.heartbeatsWithheld.add(product);
  }

  sendRaw(text: string): void {
    for (const c of this.clients) c.ws.send(text);
  }

  sendError(message: string, reason: string): void {
    this.sendRaw(JSON.stringify({ type: 'error', message, reason }));
  }

  /**
   * Tell every client about a bid the true book does not hold, half a tick above the best bid: a
   * book that diverged from the venue in a way only the ticker cross-check can see.
   */
  plantPhantomBid(product: string): string {
    const truth = this.market.trueBook(product)!;
    const price = `${truth.bids[0]![0]}5`;
    const time = isoMicros(this.clock.nextUs());
    const text = JSON.stringify({ type: 'l2update', product_id: product, changes: [['buy', price, '1.00000000']], time });
    for (const c of this.clients) if (c.book.has(product) && !c.silent) c.ws.send(text);
    return price;
  }

  slowRest(ms: number): void {
    this.rest.delayMs = ms;
  }

  rateLimitNext(n: number): void {
    this.rest.rateLimitedLeft = n;
  }

  get restRequests(): number {
    return this.rest.requests;
  }

  // ---- protocol -------------------------------------------------------------------------------

  private onSocket(ws: WebSocket): void {
    this.connections++;
    const client: Client = {
      ws,
      book: new Map(),
      heartbeat: new Set(),
      ticker: new Set(),
      silent: false,
      subscribed: false,
      heartbeatsWithheld: new Set(),
      batch: new Map(),
    };
    this.clients.add(client);
    // Coinbase disconnects a client that has not subscribed within 5 s.
    const deadline = setTimeout(() => {
      if (!client.subscribed) ws.close(1008, 'subscribe timeout');
    }, this.options.subscribeDeadlineMs ?? 5000);
    ws.on('message', (data) => this.onClientMessage(client, data.toString()));
    ws.on('ping', (data) => {
      if (!client.silent) ws.pong(data);
    });
    ws.on('close', () => {
      clearTimeout(deadline);
      this.clients.delete(client);
    });
  }

  private send(client: Client, msg: unknown): void {
    if (!client.silent && client.ws.readyState === client.ws.OPEN) client.ws.send(JSON.stringify(msg));
  }

  private onClientMessage(client: Client, text: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.send(client, { type: 'error', message: 'Malformed JSON' });
      return;
    }
    this.received.push(msg);
    const products = Array.isArray(msg.product_ids) ? (msg.product_ids as string[]) : [];
    const channels = Array.isArray(msg.channels) ? (msg.channels as unknown[]).map((c) => (typeof c === 'string' ? c : String((c as { name?: unknown }).name))) : [];
    if (msg.type === 'subscribe') {
      const unknown = products.find((p) => !this.market.has(p));
      if (unknown) return this.send(client, { type: 'error', message: 'Failed to subscribe', reason: `${unknown} is not a valid product` });
      if (channels.includes('level2')) {
        if (typeof msg.signature !== 'string') {
          return this.send(client, { type: 'error', message: 'Failed to subscribe', reason: 'level2, level3, and full channels now require authentication.' });
        }
        if (!this.signatureValid(msg)) return this.send(client, { type: 'error', message: 'Authentication Failed' });
      }
      client.subscribed = true;
      for (const channel of channels) {
        for (const p of products) {
          if (channel === 'level2' || channel === 'level2_batch') client.book.set(p, channel);
          if (channel === 'heartbeat') {
            client.heartbeat.add(p);
            client.heartbeatsWithheld.delete(p);
          }
          if (channel === 'ticker') client.ticker.add(p);
        }
      }
      this.sendSubscriptions(client);
      for (const p of products) {
        if (!channels.includes('level2') && !channels.includes('level2_batch')) continue;
        client.batch.delete(p);
        const snap = this.market.snapshot(p, Number.MAX_SAFE_INTEGER)!;
        this.send(client, { type: 'snapshot', product_id: p, bids: snap.bids, asks: snap.asks });
      }
      return;
    }
    if (msg.type === 'unsubscribe') {
      for (const channel of channels) {
        for (const p of products) {
          if ((channel === 'level2' || channel === 'level2_batch') && client.book.get(p) === channel) {
            client.book.delete(p);
            client.batch.delete(p);
          }
          if (channel === 'heartbeat') client.heartbeat.delete(p);
          if (channel === 'ticker') client.ticker.delete(p);
        }
      }
      this.sendSubscriptions(client);
      return;
    }
    this.send(client, { type: 'error', message: `unknown message type ${String(msg.type)}` });
  }

  private signatureValid(msg: Record<string, unknown>): boolean {
    const creds = this.options.credentials;
    if (!creds || msg.key !== creds.key || msg.passphrase !== creds.passphrase || typeof msg.timestamp !== 'string') return false;
    if (Math.abs(Number(msg.timestamp) - Date.now() / 1000) > 30) return false;
    const expected = createHmac('sha256', Buffer.from(creds.secret, 'base64'))
      .update(msg.timestamp + 'GET' + '/users/self/verify')
      .digest('base64');
    return msg.signature === expected;
  }

  private sendSubscriptions(client: Client): void {
    const byChannel = new Map<string, string[]>();
    const add = (name: string, p: string) => byChannel.set(name, [...(byChannel.get(name) ?? []), p]);
    for (const [p, channel] of client.book) add(channel, p);
    for (const p of client.heartbeat) add('heartbeat', p);
    for (const p of client.ticker) add('ticker', p);
    this.send(client, { type: 'subscriptions', channels: [...byChannel].map(([name, product_ids]) => ({ name, product_ids })) });
  }

  private step(): void {
    if (this.paused) return;
    for (const f of this.market.step(Date.now())) {
      const product = f.symbol;
      const time = isoMicros(this.clock.nextUs());
      const depth = f.depth as { b: [string, string][]; a: [string, string][] };
      const changes: Array<[string, string, string]> = [
        ...depth.b.map(([p, s]): [string, string, string] => ['buy', p, s]),
        ...depth.a.map(([p, s]): [string, string, string] => ['sell', p, s]),
      ];
      for (const c of this.clients) {
        const channel = c.book.get(product);
        if (channel === 'level2') {
          this.send(c, { type: 'l2update', product_id: product, changes, time });
        } else if (channel === 'level2_batch') {
          const pending = c.batch.get(product) ?? { changes: new Map(), time };
          for (const ch of changes) pending.changes.set(`${ch[0]}:${ch[1]}`, ch);
          pending.time = time;
          c.batch.set(product, pending);
        }
      }
      const t = f.bookTicker as { b: string; B: string; a: string; A: string } | null;
      if (!t) continue;
      const ticker = {
        type: 'ticker',
        sequence: ++this.sequence,
        product_id: product,
        price: t.b,
        best_bid: t.b,
        best_bid_size: t.B,
        best_ask: t.a,
        best_ask_size: t.A,
        side: 'sell',
        time,
        trade_id: ++this.tradeId,
        last_size: '0.01000000',
      };
      for (const c of this.clients) if (c.ticker.has(product)) this.send(c, ticker);
    }
  }

  private flushBatches(): void {
    for (const c of this.clients) {
      for (const [product, pending] of c.batch) {
        if (pending.changes.size > 0) this.send(c, { type: 'l2update', product_id: product, changes: [...pending.changes.values()], time: pending.time });
      }
      c.batch.clear();
    }
  }

  /** Heartbeats go on while the market is paused, as a real venue's do on a quiet product. */
  private heartbeats(): void {
    const time = isoMicros(this.clock.nextUs());
    for (const c of this.clients) {
      for (const p of c.heartbeat) {
        if (!c.heartbeatsWithheld.has(p)) this.send(c, { type: 'heartbeat', last_trade_id: this.tradeId, product_id: p, sequence: this.sequence, time });
      }
    }
  }

  private productsBody(): string {
    return JSON.stringify([
      ...COINBASE_FAKE_SPECS.map((s) => ({
        id: s.symbol,
        base_currency: s.base,
        quote_currency: s.quote,
        quote_increment: (10 ** -s.priceDecimals).toFixed(s.priceDecimals),
        base_increment: (10 ** -s.sizeDecimals).toFixed(s.sizeDecimals),
        display_name: `${s.base}/${s.quote}`,
        status: 'online',
        trading_disabled: false,
      })),
      { id: 'OLD-USD', base_currency: 'OLD', quote_currency: 'USD', quote_increment: '0.0001', base_increment: '1', display_name: 'OLD/USD', status: 'delisted', trading_disabled: true },
    ]);
  }
}
