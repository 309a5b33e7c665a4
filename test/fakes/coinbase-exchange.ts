/**
 * A fake Coinbase Exchange feed on 127.0.0.1 (PROTOCOLS §1): `subscribe` / `unsubscribe` answered with
 * `subscriptions`, a `snapshot` per product then `l2update`s (`level2` as they happen, which needs a
 * signed subscribe; `level2_batch` every 50 ms), `heartbeat` per product, `ticker` whenever the top of
 * the book changes (after the update that changed it, with the same time), `matches` (a `last_match`
 * on subscribe, then a `match` per print of the synthetic market, `side` the maker's), `error` messages, a
 * connection closed when it has not subscribed within 5 s, and REST `GET /products`. Faults on
 * command. Tests point an adapter at it and compare its book with the fake's true book.
 */
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { SyntheticMarket } from '../../src/main/venues/demo/market';
import { COINBASE_FAKE_SPECS, ExchangeClock, answerRest, coinbaseMarket, isoMicros } from './coinbase-market';
import { FakeExchangeServer, type FakeClient } from './fake-exchange-server';

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

interface Client extends FakeClient {
  book: Map<string, BookChannel>;
  heartbeat: Set<string>;
  ticker: Set<string>;
  matches: Set<string>;
  subscribed: boolean;
  /** Products whose heartbeats are withheld until they are subscribed again. */
  heartbeatsWithheld: Set<string>;
  /** level2_batch changes waiting for the next batch, per product, keyed by side and price. */
  batch: Map<string, { changes: Map<string, [string, string, string]>; time: string }>;
}

export class FakeCoinbaseExchange extends FakeExchangeServer<Client> {
  readonly market: SyntheticMarket;
  private readonly clock = new ExchangeClock();
  private sequence = 1_000_000;
  private tradeId = 5000;
  /** The latest `match` messages per product (the last is what `last_match` repeats). */
  private readonly recentMatches = new Map<string, Array<Record<string, unknown>>>();
  private resendOnSubscribe = 0;
  /** Every parsed message a client sent, in order. */
  readonly received: Array<Record<string, unknown>> = [];

  constructor(private readonly options: FakeCoinbaseOptions = {}) {
    super();
    this.market = coinbaseMarket(options.seed ?? 11);
    this.every(options.stepMs ?? 20, () => this.step());
    this.every(options.batchMs ?? 50, () => this.flushBatches());
    this.every(options.heartbeatMs ?? 1000, () => this.heartbeats());
  }

  /** Stop the market (and flush pending batches) so an adapter can catch up with a still book. */
  override pause(): void {
    super.pause();
    this.flushBatches();
  }

  /** The book channel each connected client subscribed `product` on. */
  channelsOf(product: string): BookChannel[] {
    return [...this.clients].flatMap((c) => (c.book.has(product) ? [c.book.get(product)!] : []));
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** Withhold `product`'s heartbeats on every connection until the client subscribes it again. */
  withholdHeartbeats(product: string): void {
    for (const c of this.clients) c.heartbeatsWithheld.add(product);
  }

  /** Skip trade ids before the next print: matches no client gets. */
  injectTradeGap(ids = 3): void {
    this.market.injectTradeGap(ids);
  }

  /** Every later `matches` subscribe is answered with the last `n` matches again (duplicates). */
  resendMatchesOnSubscribe(n: number): void {
    this.resendOnSubscribe = n;
  }

  /** Connections that subscribe `product`'s matches. */
  matchSubscribers(product: string): number {
    return [...this.clients].filter((c) => c.matches.has(product)).length;
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
    for (const c of this.clients) if (c.book.has(product)) this.sendText(c, text);
    return price;
  }

  // ---- protocol -------------------------------------------------------------------------------

  protected onSocket(ws: WebSocket): void {
    const client: Client = {
      ws,
      book: new Map(),
      heartbeat: new Set(),
      ticker: new Set(),
      matches: new Set(),
      silent: false,
      subscribed: false,
      heartbeatsWithheld: new Set(),
      batch: new Map(),
    };
    this.accept(client, (text) => this.onClientMessage(client, text));
    // Coinbase disconnects a client that has not subscribed within 5 s.
    const deadline = setTimeout(() => {
      if (!client.subscribed) ws.close(1008, 'subscribe timeout');
    }, this.options.subscribeDeadlineMs ?? 5000);
    ws.on('close', () => clearTimeout(deadline));
  }

  protected async onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await this.restDelay();
    answerRest(res, req.url ?? '/', this.takeRateLimit(), (path) => (path === '/products' ? this.productsBody() : null));
  }

  private send(client: Client, msg: unknown): void {
    this.sendText(client, JSON.stringify(msg));
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
          if (channel === 'matches') client.matches.add(p);
        }
      }
      this.sendSubscriptions(client);
      if (channels.includes('matches')) {
        for (const p of products) {
          const recent = this.recentMatches.get(p) ?? [];
          const last = recent.at(-1);
          if (last) this.send(client, { ...last, type: 'last_match' });
          for (const m of this.resendOnSubscribe > 0 ? recent.slice(-this.resendOnSubscribe) : []) this.send(client, m);
        }
      }
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
          if (channel === 'matches') client.matches.delete(p);
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
    for (const p of client.matches) add('matches', p);
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
      for (const trade of f.trades as Array<{ t: number; p: string; q: string; m: boolean }>) {
        // `side` is the maker's: a taker sell (`m`, the buyer made) hit a resting buy.
        const match = { type: 'match', trade_id: trade.t, sequence: ++this.sequence, maker_order_id: 'm', taker_order_id: 't', time, product_id: product, size: trade.q, price: trade.p, side: trade.m ? 'buy' : 'sell' };
        this.recentMatches.set(product, [...(this.recentMatches.get(product) ?? []), match].slice(-20));
        for (const c of this.clients) if (c.matches.has(product)) this.send(c, match);
      }
      const t = f.bookTicker as { b: string; B: string; a: string; A: string } | null;
      if (t) this.sendTicker(product, t, time);
    }
  }

  /** A ticker with the true book's top now (Coinbase also sends one on every match, top changed or not). */
  sendCurrentTicker(product: string): void {
    const truth = this.market.trueBook(product)!;
    const [bid, ask] = [truth.bids[0]!, truth.asks[0]!];
    this.sendTicker(product, { b: bid[0], B: bid[1], a: ask[0], A: ask[1] }, isoMicros(this.clock.nextUs()));
  }

  private sendTicker(product: string, t: { b: string; B: string; a: string; A: string }, time: string): void {
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
