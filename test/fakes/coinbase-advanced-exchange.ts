/**
 * A fake Coinbase Advanced Trade market-data feed on 127.0.0.1 (PROTOCOLS §2): one channel per
 * subscribe message, envelopes `{channel, client_id, timestamp, sequence_num, events}` with one
 * consecutive sequence_num counter per connection shared by every channel, `level2` answered on
 * `l2_data` (snapshot then updates, sides bid/offer, new_quantity absolute), `heartbeats` once per
 * interval, channels idle-closed when a connection has no heartbeats subscription, more than 8 client
 * messages in a second answered with an error and a close, and public REST products. Faults on command.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { SyntheticMarket } from '../../src/main/venues/demo/market';
import { COINBASE_FAKE_SPECS, ExchangeClock, answerRest, coinbaseMarket, isoMicros } from './coinbase-market';
import { FakeExchangeServer, type FakeClient } from './fake-exchange-server';

export interface FakeAdvancedOptions {
  stepMs?: number;
  seed?: number;
  heartbeatMs?: number;
  /** A connection with level2 but no heartbeats subscription is closed after this long (Coinbase: 60-90 s). */
  idleCloseMs?: number;
  /** Client messages allowed in any one second (Coinbase: 8 unauthenticated). */
  maxMessagesPerSecond?: number;
}

interface Client extends FakeClient {
  level2: Set<string>;
  /** Products whose `market_trades` this client subscribed. */
  trades: Set<string>;
  heartbeats: boolean;
  seq: number;
  heartbeatsWithheld: 'no' | 'until-resubscribed' | 'always';
  heartbeatCounter: number;
  openedAt: number;
  heartbeatsSince: number | null;
  messageTimes: number[];
}

type Update = { side: 'bid' | 'offer'; event_time: string; price_level: string; new_quantity: string };

export class FakeAdvancedExchange extends FakeExchangeServer<Client> {
  readonly market: SyntheticMarket;
  private readonly clock = new ExchangeClock();
  /** Clients closed for sending more than the message limit. */
  rateViolations = 0;
  idleClosed = 0;
  /** Every parsed message a client sent, in order, with its arrival time. */
  readonly received: Array<{ at: number; msg: Record<string, unknown>; client: Client }> = [];

  /** What the book connections sent (an adapter's trade connection subscribes `market_trades` and no `level2`). */
  get bookReceived(): Array<{ at: number; msg: Record<string, unknown> }> {
    return this.received.filter((r) => !isTradeConnection(r.client));
  }

  /** Raw text to the book connections only (faults aimed at the book's `sequence_num` count). */
  override sendRaw(text: string): void {
    for (const c of this.clients) if (!isTradeConnection(c)) this.sendText(c, text);
  }
  /** The latest prints per product, for the `market_trades` snapshot. */
  private readonly recentTrades = new Map<string, Array<Record<string, unknown>>>();
  /** Size in bytes of the largest frame sent. */
  largestFrame = 0;

  constructor(private readonly options: FakeAdvancedOptions = {}) {
    super();
    this.market = coinbaseMarket(options.seed ?? 23);
    this.every(options.stepMs ?? 20, () => this.step());
    this.every(options.heartbeatMs ?? 1000, () => this.heartbeats());
  }

  get openConnections(): number {
    return this.clients.size;
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** Skip `n` sequence numbers on every connection before its next message. */
  skipSequence(n: number): void {
    for (const c of this.clients) c.seq += n;
  }

  /** Stop heartbeats on every connection, until the client subscribes again or for good. */
  withholdHeartbeats(mode: 'until-resubscribed' | 'always'): void {
    for (const c of this.clients) c.heartbeatsWithheld = mode;
  }

  /** A frame that takes its place in the sequence but cannot be read. */
  sendUnreadableBookFrame(product: string): void {
    for (const c of this.clients) {
      if (isTradeConnection(c)) continue;
      this.sendText(c, `{"channel":"l2_data","client_id":"","timestamp":"${isoMicros(this.clock.nextUs())}","sequence_num":${c.seq++},"events":[{"type":"update","product_id":"${product}","updates":[{"side":"bid","price_level":`);
    }
  }

  sendError(message: string): void {
    for (const c of this.clients) this.sendText(c, JSON.stringify({ type: 'error', message }));
  }


  // ---- protocol -------------------------------------------------------------------------------

  protected onSocket(ws: WebSocket): void {
    const client: Client = {
      ws,
      level2: new Set(),
      trades: new Set(),
      heartbeats: false,
      seq: 0,
      silent: false,
      heartbeatsWithheld: 'no',
      heartbeatCounter: 0,
      openedAt: Date.now(),
      heartbeatsSince: null,
      messageTimes: [],
    };
    this.accept(client, (text) => this.onClientMessage(client, text));
  }

  protected async onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await this.restDelay();
    answerRest(res, req.url ?? '/', this.takeRateLimit(), (path) => (path === '/api/v3/brokerage/market/products' ? this.productsBody() : null));
  }

  /** Every frame sent is measured (largestFrame). */
  protected override sendText(client: Client, text: string): boolean {
    const sent = super.sendText(client, text);
    if (sent) this.largestFrame = Math.max(this.largestFrame, Buffer.byteLength(text));
    return sent;
  }

  private envelope(client: Client, channel: string, events: unknown[]): void {
    this.sendText(client, JSON.stringify({ channel, client_id: '', timestamp: isoMicros(this.clock.nextUs()), sequence_num: client.seq++, events }));
  }

  private onClientMessage(client: Client, text: string): void {
    const now = Date.now();
    client.messageTimes = client.messageTimes.filter((t) => now - t < 1000);
    client.messageTimes.push(now);
    if (client.messageTimes.length > (this.options.maxMessagesPerSecond ?? 8)) {
      this.rateViolations++;
      this.sendText(client, JSON.stringify({ type: 'error', message: 'rate limit exceeded' }));
      client.ws.close(1008, 'rate limit exceeded');
      return;
    }
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.sendText(client, JSON.stringify({ type: 'error', message: 'malformed json' }));
      return;
    }
    this.received.push({ at: now, msg, client });
    if ('channels' in msg || typeof msg.channel !== 'string') {
      this.sendText(client, JSON.stringify({ type: 'error', message: 'subscribe to one channel per message' }));
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
      if (msg.channel === 'market_trades') {
        for (const p of products) client.trades.add(p);
        this.sendSubscriptions(client);
        // The snapshot on subscribe: recent trades, from before the subscription.
        for (const p of products) this.envelope(client, 'market_trades', [{ type: 'snapshot', trades: (this.recentTrades.get(this.marketProduct(p)) ?? []).slice(-50) }]);
        return;
      }
      if (msg.channel === 'level2') {
        const unknown = products.find((p) => !this.market.has(p) && !(p.endsWith('-USDC') && this.market.has(p.slice(0, -1))));
        if (unknown) {
          this.sendText(client, JSON.stringify({ type: 'error', message: `Failed to subscribe: ${unknown} is not a valid product` }));
          return;
        }
        for (const p of products) client.level2.add(p);
        this.sendSubscriptions(client);
        for (const p of products) this.sendSnapshot(client, p);
        return;
      }
      this.sendText(client, JSON.stringify({ type: 'error', message: `unknown channel ${String(msg.channel)}` }));
      return;
    }
    if (msg.type === 'unsubscribe') {
      if (msg.channel === 'heartbeats') client.heartbeats = false;
      if (msg.channel === 'market_trades') for (const p of products) client.trades.delete(p);
      if (msg.channel === 'level2') for (const p of products.length > 0 ? products : [...client.level2]) client.level2.delete(p);
      this.sendSubscriptions(client);
      return;
    }
    this.sendText(client, JSON.stringify({ type: 'error', message: `unknown message type ${String(msg.type)}` }));
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
    if (client.trades.size > 0) subscriptions.market_trades = [...client.trades];
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
      if (f.trades.length === 0) continue;
      // `side` as the adapter reads it: the taker's (a taker sell is Binance's `m`).
      const trades = (f.trades as Array<{ t: number; p: string; q: string; m: boolean }>).map((t) => ({ trade_id: String(t.t), product_id: f.symbol, price: t.p, size: t.q, side: t.m ? 'SELL' : 'BUY', time }));
      this.recentTrades.set(f.symbol, [...(this.recentTrades.get(f.symbol) ?? []), ...trades].slice(-50));
      for (const c of this.clients) {
        if ([...c.trades].some((p) => this.marketProduct(p) === f.symbol)) this.envelope(c, 'market_trades', [{ type: 'update', trades }]);
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

function isTradeConnection(client: Client): boolean {
  return client.trades.size > 0 && client.level2.size === 0;
}
