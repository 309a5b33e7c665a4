/**
 * Coinbase Exchange adapter (ws-feed.exchange.coinbase.com): one connection carrying, for every
 * subscribed product, the book channel (public `level2_batch`, or `level2` when the user configured an
 * Exchange API key), `heartbeat` and `ticker`. The book comes as a WebSocket snapshot then l2updates
 * (see ./sync.ts); there is no REST snapshot and no sequence on L2, so:
 *   - subscribe at once on connect (Coinbase drops a connection that has not subscribed within 5 s),
 *     several products per subscribe message;
 *   - a product whose heartbeat (1/s) stops for a few seconds is unsubscribed and subscribed again,
 *     which rebuilds its book from a fresh snapshot; a product whose snapshot never comes likewise;
 *   - nothing at all on the connection for `staleAfterMs` is a dead socket: reconnect (FeedConnection);
 *   - the ticker's best bid/offer is cross-checked against the book (rules in ./sync.ts);
 *   - `type: error` messages become a readable lastError; a rejected API key falls back to level2_batch,
 *     a product the venue refuses is marked failed and the others are subscribed again.
 * PROTOCOLS.md §1.
 */
import type { SymbolHealth } from '../../../shared/contract';
import type { Instrument, VenueId } from '../../../shared/market';
import type { Logger } from '../../log';
import type { AdapterOptions, VenueAdapter } from '../adapter';
import { FeedConnection } from '../connection';
import { MalformedFrames } from '../frames';
import type { VenueModule } from '../registry';
import { RepeatingTimer } from '../repeating-timer';
import { restGetOnce, type RestTarget } from '../rest';
import { connectionLost, feedsOf, healthOf } from '../subscriptions';
import { SymbolFeed, type FeedListener } from '../symbol-feed';
import type { Transport } from '../transport';
import { parseExchangeProducts } from './instruments';
import { authFields, namesProduct, parseFeedFrame, productsFromSubscribe, subscribeFrame, type BookChannel, type CoinbaseCredentials } from './messages';
import { CoinbaseBookSync } from './sync';

export const COINBASE_ENDPOINTS = { ws: 'wss://ws-feed.exchange.coinbase.com', rest: 'https://api.exchange.coinbase.com' };

export interface CoinbaseAdapterOptions extends AdapterOptions {
  endpoints?: { ws: string; rest: string };
  /** An Exchange API key enables the unbatched `level2` channel. */
  credentials?: CoinbaseCredentials;
  /** Nothing at all received for this long: the connection is dead (heartbeats come 1/s per product). */
  staleAfterMs?: number;
  /** No heartbeat for a product for this long: resubscribe it. */
  heartbeatTimeoutMs?: number;
  /** No snapshot this long after subscribing a product: resubscribe it. */
  snapshotTimeoutMs?: number;
}

/** Products named in one subscribe message (keeps each message small). */
const PRODUCTS_PER_MESSAGE = 50;
/** Coinbase allows about 100 client messages per second per connection; stay far below. */
const SEND_INTERVAL_MS = 100;
/** How often heartbeats, snapshot waits and ticker probes are checked. */
const TICK_MS = 250;

interface Product {
  id: string;
  feed: SymbolFeed;
  sync: CoinbaseBookSync;
  /** False once the venue refused the product; it is no longer subscribed. */
  active: boolean;
  /** The venue confirmed the heartbeat channel for this product: its heartbeats are expected. */
  heartbeatConfirmed: boolean;
  lastHeartbeatAt: number;
  /** The book channel the venue confirmed for this product (decides the ticker rule). */
  confirmedBook: BookChannel | null;
  subscribedAt: number;
}

export class CoinbaseAdapter implements VenueAdapter {
  readonly venue: VenueId = 'coinbase';
  private readonly transport: Transport;
  private readonly logger: Logger;
  private readonly listener: FeedListener;
  private readonly endpoints: { ws: string; rest: string };
  private readonly credentials: CoinbaseCredentials | undefined;
  private readonly heartbeatTimeoutMs: number;
  private readonly snapshotTimeoutMs: number;
  private readonly products = new Map<string, Product>();
  private readonly connection: FeedConnection;
  private readonly rest: RestTarget;
  private readonly malformed: MalformedFrames;
  /** Set when Coinbase rejected the API key: the public level2_batch channel is used from then on. */
  private authRejected = false;
  /** Heartbeat, snapshot-wait (and ticker-probe) checks while a connection is up. */
  private readonly checks: RepeatingTimer;
  private closed = false;

  constructor(options: CoinbaseAdapterOptions) {
    this.transport = options.transport;
    this.logger = options.logger;
    this.listener = options.listener;
    this.endpoints = options.endpoints ?? COINBASE_ENDPOINTS;
    this.credentials = options.credentials;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 5000;
    this.snapshotTimeoutMs = options.snapshotTimeoutMs ?? 15_000;
    this.rest = { venue: this.venue, transport: this.transport, base: this.endpoints.rest, timeoutMs: 10_000 };
    this.malformed = new MalformedFrames(this.venue, this.logger);
    this.checks = new RepeatingTimer(this.transport.clock, TICK_MS, (now) => this.tick(now));
    this.connection = new FeedConnection({
      venue: this.venue,
      transport: this.transport,
      logger: this.logger,
      url: () => this.endpoints.ws,
      staleAfterMs: options.staleAfterMs ?? 10_000,
      sendIntervalMs: SEND_INTERVAL_MS,
      handlers: {
        onOpen: () => this.onOpen(),
        onFrame: (text, receivedAt) => this.onFrame(text, receivedAt),
        onDown: (reason) => this.onDown(reason),
      },
    });
  }

  get unattributedMalformed(): number {
    return this.malformed.unattributed;
  }

  /** The book channel in use: `level2` with a key the venue has not rejected, else `level2_batch`. */
  get bookChannel(): BookChannel {
    return this.credentials && !this.authRejected ? 'level2' : 'level2_batch';
  }

  subscribe(symbols: readonly string[]): void {
    if (this.closed) return;
    const added: Product[] = [];
    for (const raw of symbols) {
      const id = raw.toUpperCase();
      if (this.products.has(id)) continue;
      const feed = new SymbolFeed(this.venue, id, this.listener);
      const sync = new CoinbaseBookSync(feed, {
        resubscribe: (reason) => this.resubscribe(id, reason),
        note: (event, fields) => this.logger.log(event === 'resync' || event === 'bbo-mismatch' ? 'warn' : 'info', event, { venue: this.venue, symbol: id, ...fields }),
      });
      const product: Product = { id, feed, sync, active: true, heartbeatConfirmed: false, lastHeartbeatAt: 0, confirmedBook: null, subscribedAt: 0 };
      this.products.set(id, product);
      feed.setState('connecting', 'subscribed');
      added.push(product);
    }
    if (added.length === 0) return;
    if (!this.connection.isStarted) {
      this.connection.start();
    } else if (this.connection.isOpen) {
      for (const p of added) p.sync.awaitSnapshot('buffering', 'subscribed');
      this.sendSubscribe('subscribe', added);
    }
  }

  feed(symbol: string): SymbolFeed | undefined {
    return this.products.get(symbol.toUpperCase())?.feed;
  }

  feeds(): Iterable<SymbolFeed> {
    return feedsOf(this.products);
  }

  health(): SymbolHealth[] {
    return healthOf(this.products, this.transport.clock.now());
  }

  async listInstruments(): Promise<Instrument[]> {
    return parseExchangeProducts(this.venue, await restGetOnce(this.rest, '/products', 'product list'));
  }

  close(): void {
    this.closed = true;
    this.checks.stop();
    this.connection.close();
  }

  // ---- connection ------------------------------------------------------------------------------

  private onOpen(): void {
    const now = this.transport.clock.now();
    const active = [...this.products.values()].filter((p) => p.active);
    for (const p of active) {
      p.heartbeatConfirmed = false;
      p.confirmedBook = null;
      p.sync.awaitSnapshot('buffering', 'connected, subscribing');
      p.subscribedAt = now;
    }
    // Coinbase closes a connection that has not subscribed within 5 s: subscribe now.
    this.sendSubscribe('subscribe', active);
    this.checks.start();
  }

  private onDown(reason: string): void {
    this.checks.stop();
    for (const p of this.products.values()) {
      if (!p.active) continue;
      p.heartbeatConfirmed = false;
      connectionLost(p, reason);
    }
  }

  private sendSubscribe(type: 'subscribe' | 'unsubscribe', products: Product[]): void {
    const channels = [this.bookChannel, 'heartbeat', 'ticker'];
    for (let i = 0; i < products.length; i += PRODUCTS_PER_MESSAGE) {
      const productIds = products.slice(i, i + PRODUCTS_PER_MESSAGE).map((p) => p.id);
      // Sign every message afresh: the signature carries its own timestamp.
      const auth = this.bookChannel === 'level2' && type === 'subscribe' ? authFields(this.credentials!, String(Math.floor(this.transport.clock.now() / 1000))) : undefined;
      this.connection.send(subscribeFrame({ type, productIds, channels }, auth));
      this.logger.log('info', type, { venue: this.venue, symbols: productIds, channels });
    }
  }

  /** Unsubscribe and subscribe one product again: Coinbase answers with a fresh snapshot. */
  private resubscribe(id: string, reason: string): void {
    const p = this.products.get(id);
    if (p && p.active) this.resubscribeAll([p], reason);
  }

  /** One unsubscribe and one subscribe message for all of these products (their books already reset). */
  private resubscribeAll(products: Product[], reason: string): void {
    if (products.length === 0 || !this.connection.isOpen) return;
    this.logger.log('warn', 'resubscribe', { venue: this.venue, symbols: products.map((p) => p.id), reason });
    const now = this.transport.clock.now();
    for (const p of products) {
      p.heartbeatConfirmed = false;
      p.subscribedAt = now;
    }
    this.sendSubscribe('unsubscribe', products);
    this.sendSubscribe('subscribe', products);
  }

  private tick(now: number): void {
    const active = [...this.products.values()].filter((p) => p.active);
    for (const p of active) p.sync.expireProbes(now);
    const confirmed = active.filter((p) => p.heartbeatConfirmed);
    const silent = confirmed.filter((p) => now - p.lastHeartbeatAt > this.heartbeatTimeoutMs);
    if (silent.length > 0 && silent.length === confirmed.length && confirmed.length > 1) {
      // Every product went quiet at once: the connection, not a subscription, is at fault.
      this.logger.log('warn', 'heartbeat-missing', { venue: this.venue, symbols: silent.map((p) => p.id), action: 'reconnect' });
      this.connection.restart(`no heartbeat on any product for ${Math.round(this.heartbeatTimeoutMs / 100) / 10} s`);
      return;
    }
    const redo: Product[] = [];
    for (const p of silent) {
      const reason = `no heartbeat for ${Math.round((now - p.lastHeartbeatAt) / 100) / 10} s`;
      this.logger.log('warn', 'heartbeat-missing', { venue: this.venue, symbol: p.id, silentMs: now - p.lastHeartbeatAt });
      p.sync.beginResync(reason);
      redo.push(p);
    }
    for (const p of active) {
      const state = p.feed.state;
      if (redo.includes(p) || (state !== 'buffering' && state !== 'resyncing') || now - p.subscribedAt <= this.snapshotTimeoutMs) continue;
      p.sync.beginResync(`no snapshot within ${Math.round(this.snapshotTimeoutMs / 1000)} s of subscribing`);
      redo.push(p);
    }
    this.resubscribeAll(redo, 'heartbeat or snapshot missing');
  }

  // ---- frames ----------------------------------------------------------------------------------

  private onFrame(text: string, receivedAt: number): void {
    const msg = this.malformed.parse(text, parseFeedFrame, (t) => this.products.get(productOfText(t))?.feed);
    if (msg === undefined) return;
    switch (msg.kind) {
      case 'snapshot':
        this.active(msg.data.productId)?.sync.onSnapshot(msg.data, receivedAt);
        return;
      case 'l2update':
        this.active(msg.data.productId)?.sync.onUpdate(msg.data, receivedAt);
        return;
      case 'heartbeat': {
        const p = this.active(msg.data.productId);
        if (!p) return;
        p.lastHeartbeatAt = receivedAt;
        p.sync.onHeartbeat(receivedAt, msg.data.timeUs);
        return;
      }
      case 'ticker': {
        const p = this.active(msg.data.productId);
        if (!p) return;
        const channel = p.confirmedBook ?? this.bookChannel;
        p.sync.onTicker(msg.data, receivedAt, channel === 'level2' ? 'exact' : 'settled');
        return;
      }
      case 'subscriptions':
        this.onSubscriptions(msg.channels, receivedAt);
        return;
      case 'error':
        this.onVenueError(msg.message, msg.reason);
        return;
      case 'other':
        return;
    }
  }

  private active(id: string): Product | undefined {
    const p = this.products.get(id);
    return p && p.active ? p : undefined;
  }

  /** The venue's list of what this connection is subscribed to (sent after every (un)subscribe). */
  private onSubscriptions(channels: Array<{ name: string; productIds: string[] }>, now: number): void {
    const named = (name: string): Set<string> => new Set(channels.find((c) => c.name === name)?.productIds ?? []);
    const heartbeat = named('heartbeat');
    const level2 = named('level2');
    const batch = named('level2_batch');
    for (const p of this.products.values()) {
      const confirmed = heartbeat.has(p.id);
      if (confirmed && !p.heartbeatConfirmed) p.lastHeartbeatAt = now;
      p.heartbeatConfirmed = confirmed;
      p.confirmedBook = level2.has(p.id) ? 'level2' : batch.has(p.id) ? 'level2_batch' : null;
    }
  }

  private onVenueError(message: string, reason: string): void {
    const text = reason ? `${message}: ${reason}` : message || 'error without a message';
    this.logger.log('error', 'venue-error', { venue: this.venue, error: text });
    const active = [...this.products.values()].filter((p) => p.active);
    if (/auth/i.test(text) && this.bookChannel === 'level2') {
      // A rejected key must not leave the user without books: fall back to the public channel.
      this.authRejected = true;
      const why = `Coinbase rejected the API key (${text}); using the public level2_batch feed instead`;
      for (const p of active) {
        p.sync.awaitSnapshot('resyncing', why);
        p.feed.health.lastError = why;
        p.subscribedAt = this.transport.clock.now();
      }
      this.sendSubscribe('subscribe', active);
      return;
    }
    const refused = active.filter((p) => namesProduct(text, p.id));
    if (refused.length > 0) {
      for (const p of refused) {
        p.active = false;
        p.heartbeatConfirmed = false;
        p.sync.fail(`${p.id} cannot be streamed from Coinbase: ${text}`);
      }
      // A refused subscribe message may have taken the other products with it: ask for them again.
      const waiting = active.filter((p) => p.active && p.feed.state !== 'synced');
      if (waiting.length > 0) this.sendSubscribe('subscribe', waiting);
      return;
    }
    for (const p of active) p.feed.health.lastError = `Coinbase error: ${text}`;
  }
}

export const coinbaseVenue: VenueModule = {
  id: 'coinbase',
  name: 'Coinbase Exchange',
  createAdapter: (ctx) =>
    new CoinbaseAdapter({
      ...ctx,
      credentials: ctx.credentials ? { key: ctx.credentials.key, secret: ctx.credentials.secret, passphrase: ctx.credentials.passphrase ?? '' } : undefined,
    }),
  // Coinbase subscribes by message, never in the URL.
  captureSymbols: (kind, text) => (kind === 'send' ? productsFromSubscribe(text) : []),
};

/** Best-effort product of a malformed frame, from its `"product_id":"..."` text. */
function productOfText(text: string): string {
  const m = /"product_id"\s*:\s*"([A-Za-z0-9-]+)"/.exec(text.slice(0, 300));
  return m ? m[1]!.toUpperCase() : '';
}

