/**
 * A fake Coinbase Advanced Trade market-data feed on 127.0.0.1 (PROTOCOLS §2): one channel per
 * subscribe message, envelopes `{channel, client_id, timestamp, sequence_num, events}` with one
 * consecutive sequence_num counter per connection shared by every channel, `level2` answered on
 * `l2_data` (snapshot then updates, sides bid/offer, new_quantity absolute), `heartbeats` once per
 * interval, channels idle-closed when a connection has no heartbeats subscription, more than 8 client
 * messages in a second answered with an error and a close, and public REST products. Faults on command.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SyntheticMarket } from '../../src/main/venues/demo/market';
import { COINBASE_FAKE_SPECS, ExchangeClock, RestFaults, coinbaseMarket, isoMicros } from './coinbase-market';

export interface FakeAdvancedOptions {
  stepMs?: number;
  seed?: number;
  heartbeatMs?: number;
  /** A connection with level2 but no heartbeats subscription is closed after this long (Coinbase: 60-90 s). */
  idleCloseMs?: number;
  /** Client messages allowed in any one second (Coinbase: 8 unauthenticated). */
  maxMessagesPerSecond?: number;
}

interface Client {
  ws: WebSocket;
  level2: Set<string>;
  heartbeats: boolean;
  seq: number;
  silent: boolean;
  heartbeatsWithheld: 'no' | 'until-resubscribed' | 'always';
  heartbeatCounter: number;
  openedAt: number;
  heartbeatsSince: number | null;
  messageTimes: number[];
}

type Update = { side: 'bid' | 'offer'; event_time: string; price_level: string; new_quantity: string };

export class FakeAdvancedExchange {
  readonly market: SyntheticMarket;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly clock = new ExchangeClock();
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private readonly rest = new RestFaults();
  private paused = false;
  connections = 0;
  /** Clients closed for sending more than the message limit. */
  rateViolations = 0;
  idleClosed = 0;
  /** Every parsed message a client sent, in order, with its arrival time. */
  readonly received: Array<{ at: number; msg: Record<string, unknown> }> = [];
  /** Size in bytes of the largest frame sent. */
  largestFrame = 0;
  port = 0;

  constructor(private readonly options: FakeAdvancedOptions = {}) {
    this.market = coinbaseMarket(options.seed ?? 23);
    this.http = createServer((req, res) =>
      void this.rest.handle(req, res, (path) => (path === '/api/v3/brokerage/market/products' ? { status: 200, body: this.productsBody() } : null)),
    );
    // Pongs are sent by hand so a half-open connection can stop answering, as a dead link would.
    this.wss = new WebSocketServer({ server: this.http, autoPong: false });
    this.wss.on('connection', (ws) => this.onSocket(ws));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
    this.timers.push(setInterval(() => this.step(), this.options.stepMs ?? 20));
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

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  get openConnections(): number {
    return this.clients.size;
  }

  // ---- faults ---------------------------------------------------------------------------------

  dropConnections(): void {
    for (const c of this.clients) c.ws.terminate();
  }

  goHalfOpen(): void {
    for (const c of this.clients) c.silent = true;
  }

  /** Skip `n` sequence numbers on every connection before its next message. */
  skipSequence(n: number): void {
    for (const c of this.clients) c.seq += n;
  }

  /** Stop heartbeats on every connection, until the client subscribes again or for good. */
  withholdHeartbeats(mode: 'until-resubscribed' | 'always'): void {
    for (const c of this.clients) c.heartbeatsWithheld = mode;
  }

  sendRaw(text: string): void {
    for (const c of this.clients) this.write(c, text);
  }

  /** A frame that takes its place in the sequence but cannot be read. */
  sendUnreadableBookFrame(product: string): void {
    for (const c of this.clients) {
      this.write(c, `{"channel":"l2_data","client_id":"","timestamp":"${isoMicros(this.clock.nextUs())}","sequence_num":${c.seq++},"events":[{"type":"update","product_id":"${product}","updates":[{"side":"bid","price_level":`);
    }
  }

  sendError(message: string): void {
    for (const c of this.clients) this.write(c, JSON.stringify({ type: 'error', message }));
  }

  slowRest(ms: number): void {
    this.rest.delayMs = ms;
  }

  rateLimitNext(n: number): void {
    this.rest.rateLimitedLeft = n;
  }

  // ---- protocol -------------------------------------------------------------------------------

  private onSocket(ws: WebSocket): void {
    this.connections++;
    const client: Client = {
      ws,
      level2: new Set(),
      heartbeats: false,
      seq: 0,
      silent: false,
      heartbeatsWithheld: 'no',
      heartbeatCounter: 0,
      openedAt: Date.now(),
      heartbeatsSince: null,
      messageTimes: [],
    };
    this.clients.add(client);
    ws.on('message', (data) => this.onClientMessage(client, data.toString()));
    ws.on('ping', (data) => {
      if (!client.silent) ws.pong(data);
    });
    ws.on('close', () => this.clients.delete(client));
  }

  private write(client: Client, text: string): void {
    if (client.silent || client.ws.readyState !== client.ws.OPEN) return;
    this.largestFrame = Math.max(this.largestFrame, Buffer.byteLength(text));
    client.ws.send(text);
  }

  private envelope(client: Client, channel: string, events: unknown[]): void {
    this.write(client, JSON.stringify({ channel, client_id: '', timestamp: isoMicros(this.clock.nextUs()), sequence_num: client.seq++, events }));
  }

  private onClientMessage(client: Client, text: string): void {
    const now = Date.now();
    client.messageTimes = client.messageTimes.filter((t) => now - t < 1000);
    client.messageTimes.push(now);
    if (client.messageTimes.length > (this.options.maxMessagesPerSecond ?? 8)) {
      this.rateViolations++;
      this.write(client, JSON.stringify({ type: 'error', message: 'rate limit exceeded' }));
      client.ws.close(1008, 'rate limit exceeded');
      return;
    }
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.write(client, JSON.stringify({ type: 'error', message: 'malformed json' }));
      return;
    }
    this.received.push({ at: now, msg });
    if ('channels' in msg || typeof msg.channel !== 'string') {
      this.write(client, JSON.stringify({ type: 'error', message: 'subscribe to one channel per message' }));
      return;
    }
    const products = Array.isArray(msg.product_ids) ? (msg.product_ids as string[]) : [];
    if (msg.type === 'subscribe') {
      if (msg.channel === 'heartbeats') {
        client.heartbeats = true;
        client.heartbeatsSince ??= now;
        if (client.heartbeatsWithheld === 'until-resubscribed') client.heartbeatsWithheld = 'no';
        this.sendSubscriptions(client);
        return;
      }
      if (msg.channel === 'level2') {
        const unknown = products.find((p) => !this.market.has(p) && !(p.endsWith('-USDC') && this.market.has(p.slice(0, -1))));
        if (unknown) {
          this.write(client, JSON.stringify({ type: 'error', message: `Failed to subscribe: ${unknown} is not a valid product` }));
          return;
        }
        for (const p of products) client.level2.add(p);
        this.sendSubscriptions(client);
        for (const p of products) this.sendSnapshot(client, p);
        return;
      }
      this.write(client, JSON.stringify({ type: 'error', message: `unknown channel ${String(msg.channel)}` }));
      return;
    }
    if (msg.type === 'unsubscribe') {
      if (msg.channel === 'heartbeats') client.heartbeats = false;
      if (msg.channel === 'level2') for (const p of products.length > 0 ? products : [...client.level2]) client.level2.delete(p);
      this.sendSubscriptions(client);
      return;
    }
    this.write(client, JSON.stringify({ type: 'error', message: `unknown message type ${String(msg.type)}` }));
  }

  /** Advanced Trade streams `-USD` data for a `-USDC` subscription (PROTOCOLS §2.2). */
  private marketProduct(p: string): string {
    return p.endsWith('-USDC') ? p.slice(0, -1) : p;
  }

  private sendSnapshot(client: Client, product: string): void {
    const source = this.marketProduct(product);
    const snap = this.market.snapshot(source, Number.MAX_SAFE_INTEGER)!;
    const time = isoMicros(this.clock.nextUs());
    const updates: Update[] = [
      ...snap.bids.map(([p, q]): Update => ({ side: 'bid', event_time: time, price_level: p, new_quantity: q })),
      ...snap.asks.map(([p, q]): Update => ({ side: 'offer', event_time: time, price_level: p, new_quantity: q })),
    ];
    this.envelope(client, 'l2_data', [{ type: 'snapshot', product_id: source, updates }]);
  }

  private sendSubscriptions(client: Client): void {
    const subscriptions: Record<string, string[]> = {};
    if (client.level2.size > 0) subscriptions.level2 = [...client.level2];
    if (client.heartbeats) subscriptions.heartbeats = ['heartbeats'];
    this.envelope(client, 'subscriptions', [{ subscriptions }]);
  }

  private step(): void {
    if (this.paused) return;
    for (const f of this.market.step(Date.now())) {
      const time = isoMicros(this.clock.nextUs());
      const depth = f.depth as { b: [string, string][]; a: [string, string][] };
      const updates: Update[] = [
        ...depth.b.map(([p, q]): Update => ({ side: 'bid', event_time: time, price_level: p, new_quantity: q })),
        ...depth.a.map(([p, q]): Update => ({ side: 'offer', event_time: time, price_level: p, new_quantity: q })),
      ];
      for (const c of this.clients) {
        if ([...c.level2].some((p) => this.marketProduct(p) === f.symbol)) this.envelope(c, 'l2_data', [{ type: 'update', product_id: f.symbol, updates }]);
      }
    }
  }

  /** Heartbeats go on while the market is paused; idle channels close without them. */
  private heartbeats(): void {
    const now = Date.now();
    for (const c of this.clients) {
      if (c.heartbeats && c.heartbeatsWithheld === 'no') {
        this.envelope(c, 'heartbeats', [{ current_time: new Date(now).toISOString(), heartbeat_counter: ++c.heartbeatCounter }]);
      }
      const idleLimit = this.options.idleCloseMs ?? 75_000;
      if (!c.heartbeats && c.level2.size > 0 && now - c.openedAt > idleLimit) {
        this.idleClosed++;
        c.ws.close(1000, 'idle channel closed');
      }
    }
  }

  private productsBody(): string {
    return JSON.stringify({
      products: COINBASE_FAKE_SPECS.map((s) => ({
        product_id: s.symbol,
        price: '1',
        base_increment: (10 ** -s.sizeDecimals).toFixed(s.sizeDecimals),
        quote_increment: (10 ** -s.priceDecimals).toFixed(s.priceDecimals),
        price_increment: (10 ** -s.priceDecimals).toFixed(s.priceDecimals),
        base_min_size: '0.00000001',
        status: 'online',
        trading_disabled: false,
        is_disabled: false,
        base_currency_id: s.base,
        quote_currency_id: s.quote,
        base_display_symbol: s.base,
        quote_display_symbol: s.quote,
        product_type: 'SPOT',
      })),
      num_products: COINBASE_FAKE_SPECS.length,
    });
  }
}
