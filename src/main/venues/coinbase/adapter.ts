/**
 * Coinbase Exchange adapter (ws-feed.exchange.coinbase.com): one connection carrying, for every
 * subscribed product, the book channel (public `level2_batch`, or `level2` when the user configured an
 * Exchange API key), `heartbeat`, `ticker` and `matches` (the trade tape). The book comes as a WebSocket snapshot then l2updates
 * (./sync.ts); there is no REST snapshot and no sequence on L2, so:
 *   - subscribe at once on connect (Coinbase drops a connection that has not subscribed within 5 s);
 *   - a product whose heartbeat (1/s) stops for a few seconds, or whose snapshot never comes, is
 *     unsubscribed and subscribed again; every product silent at once means a dead connection;
 *   - the ticker's best bid/offer is cross-checked against the book (rules in ./sync.ts);
 *   - `type: error` messages become a readable lastError; a rejected API key falls back to level2_batch,
 *     a product the venue refuses is marked failed and the others are subscribed again.
 * docs/venues.md#coinbase.
 */
import type { Instrument } from '../../../shared/market';
import type { SessionOptions } from '../adapter';
import { RepeatingTimer } from '../repeating-timer';
import { restGetOnce } from '../rest';
import { inBatches, VenueSession, type ConnectionSpec, type RestSpec, type Note, type SessionEntry, type VenueProtocol } from '../session';
import type { SymbolFeed } from '../symbol-feed';
import { parseExchangeProducts } from './instruments';
import { authFields, namesProduct, parseFeedFrame, subscribeFrame, type BookChannel, type CoinbaseCredentials, type FeedMessage } from './messages';
import { CoinbaseBookSync } from './sync';

export const COINBASE_ENDPOINTS = { ws: 'wss://ws-feed.exchange.coinbase.com', rest: 'https://api.exchange.coinbase.com' };

export interface CoinbaseAdapterOptions extends SessionOptions {
  /** An Exchange API key enables the unbatched `level2` channel. */
  credentials?: CoinbaseCredentials;
  /** No heartbeat for a product for this long: resubscribe it. */
  heartbeatTimeoutMs?: number;
}

/** Products named in one subscribe message (keeps each message small). */
const PRODUCTS_PER_MESSAGE = 50;

/** What the connection knows of one product's subscription. */
interface Watch {
  /** The venue confirmed the heartbeat channel for this product: its heartbeats are expected. */
  heartbeatConfirmed: boolean;
  lastHeartbeatAt: number;
  /** The book channel the venue confirmed for this product (decides the ticker rule). */
  confirmedBook: BookChannel | null;
  subscribedAt: number;
}

type Entry = SessionEntry<CoinbaseBookSync>;
class CoinbaseProtocol implements VenueProtocol<CoinbaseBookSync, FeedMessage> {
  readonly connection: ConnectionSpec;
  readonly rest: RestSpec;
  private readonly watches = new Map<string, Watch>();
  /** Set when Coinbase rejected the API key: the public level2_batch channel is used from then on. */
  private authRejected = false;
  /** Heartbeat, snapshot-wait and ticker-probe checks while a connection is up (every 250 ms). */
  private readonly checks: RepeatingTimer;
  private readonly heartbeatTimeoutMs: number;
  private readonly snapshotTimeoutMs: number;

  constructor(
    private readonly session: CoinbaseAdapter,
    private readonly options: CoinbaseAdapterOptions,
  ) {
    const endpoints = options.endpoints ?? COINBASE_ENDPOINTS;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 5000;
    this.snapshotTimeoutMs = options.snapshotTimeoutMs ?? 15_000;
    this.rest = { base: endpoints.rest };
    // Coinbase allows about 100 client messages per second per connection; stay far below.
    this.connection = { url: () => endpoints.ws, staleAfterMs: options.staleAfterMs ?? 10_000, sendIntervalMs: 100 };
    this.checks = new RepeatingTimer(session.clock, 250, (now) => this.tick(now));
  }

  /** The book channel in use: `level2` with a key the venue has not rejected, else `level2_batch`. */
  get bookChannel(): BookChannel {
    return this.options.credentials && !this.authRejected ? 'level2' : 'level2_batch';
  }

  createSync(feed: SymbolFeed, note: Note): CoinbaseBookSync {
    this.watches.set(feed.symbol, { heartbeatConfirmed: false, lastHeartbeatAt: 0, confirmedBook: null, subscribedAt: 0 });
    return new CoinbaseBookSync(feed, { resubscribe: (reason) => this.resubscribe([this.session.entry(feed.symbol)!], reason), note });
  }

  subscribeFrames(entries: readonly Entry[]): string[] {
    return this.frames('subscribe', entries, true);
  }

  readonly parse: (text: string, receivedAt: number) => FeedMessage = parseFeedFrame;

  /** Best-effort product of a malformed frame, from its `"product_id":"..."` text. */
  symbolsIn(text: string): string[] {
    return [/"product_id"\s*:\s*"([A-Za-z0-9-]+)"/.exec(text.slice(0, 300))?.[1] ?? ''];
  }

  route(msg: FeedMessage, receivedAt: number): void {
    if (msg.kind === 'subscriptions') return this.onSubscriptions(msg.channels, receivedAt);
    if (msg.kind === 'error') return this.onVenueError(msg.reason ? `${msg.message}: ${msg.reason}` : msg.message || 'error without a message');
    if (msg.kind === 'other') return;
    if (msg.kind === 'trades') return this.session.routeTrades(msg.batch);
    const entry = this.session.entry(msg.data.productId);
    if (!entry || entry.feed.state === 'failed') return;
    const watch = this.watches.get(entry.symbol)!;
    if (msg.kind === 'snapshot') entry.sync.onSnapshot(msg.data, receivedAt);
    else if (msg.kind === 'l2update') entry.sync.onUpdate(msg.data, receivedAt);
    else if (msg.kind === 'ticker') entry.sync.onTicker(msg.data, receivedAt, (watch.confirmedBook ?? this.bookChannel) === 'level2' ? 'exact' : 'settled');
    else {
      watch.lastHeartbeatAt = receivedAt;
      entry.sync.onHeartbeat(receivedAt, msg.data.timeUs);
    }
  }

  async listInstruments(): Promise<Instrument[]> {
    return parseExchangeProducts('coinbase', await restGetOnce(this.session.rest, '/products', 'product list'));
  }

  onOpen(): void {
    for (const watch of this.watches.values()) watch.confirmedBook = null;
    this.checks.start();
  }

  onDown(): void {
    this.checks.stop();
    for (const watch of this.watches.values()) watch.heartbeatConfirmed = false;
  }

  close(): void {
    this.checks.stop();
  }

  /**
   * (Un)subscribe frames for these products; a subscribe restarts their heartbeat and snapshot waits.
   * `matches` only when asked: rebuilding a book leaves the trade channel running, so no trade is lost.
   */
  private frames(type: 'subscribe' | 'unsubscribe', entries: readonly Entry[], withTrades = false): string[] {
    const channels = [this.bookChannel, 'heartbeat', 'ticker', ...(withTrades ? ['matches'] : [])];
    const now = this.session.clock.now();
    if (type === 'subscribe') for (const e of entries) Object.assign(this.watches.get(e.symbol)!, { heartbeatConfirmed: false, subscribedAt: now });
    return inBatches(entries, PRODUCTS_PER_MESSAGE).map((batch) => {
      const productIds = batch.map((e) => e.symbol);
      this.session.logger.log('info', type, { venue: 'coinbase', symbols: productIds, channels });
      // Sign every message afresh: the signature carries its own timestamp.
      const auth = this.bookChannel === 'level2' && type === 'subscribe' ? authFields(this.options.credentials!, String(Math.floor(now / 1000))) : undefined;
      return subscribeFrame({ type, productIds, channels }, auth);
    });
  }

  /** One unsubscribe and one subscribe message for all of these products (their books already reset). */
  private resubscribe(entries: readonly Entry[], reason: string): void {
    if (entries.length === 0 || !entries[0]!.link.connection.isOpen) return;
    this.session.logger.log('warn', 'resubscribe', { venue: 'coinbase', symbols: entries.map((e) => e.symbol), reason });
    for (const frame of [...this.frames('unsubscribe', entries), ...this.frames('subscribe', entries)]) this.session.send(frame);
  }

  private tick(now: number): void {
    const active = this.session.list((e) => e.feed.state !== 'failed');
    for (const e of active) e.sync.expireProbes(now);
    const confirmed = active.filter((e) => this.watches.get(e.symbol)!.heartbeatConfirmed);
    const silentFor = (e: Entry): number => now - this.watches.get(e.symbol)!.lastHeartbeatAt;
    const silent = confirmed.filter((e) => silentFor(e) > this.heartbeatTimeoutMs);
    if (silent.length > 0 && silent.length === confirmed.length && confirmed.length > 1) {
      // Every product went quiet at once: the connection, not a subscription, is at fault.
      this.session.logger.log('warn', 'heartbeat-missing', { venue: 'coinbase', symbols: silent.map((e) => e.symbol), action: 'reconnect' });
      return silent[0]!.link.connection.restart(`no heartbeat on any product for ${Math.round(this.heartbeatTimeoutMs / 100) / 10} s`);
    }
    for (const e of silent) {
      this.session.logger.log('warn', 'heartbeat-missing', { venue: 'coinbase', symbol: e.symbol, silentMs: silentFor(e) });
      e.sync.beginResync(`no heartbeat for ${Math.round(silentFor(e) / 100) / 10} s`);
    }
    const late = active.filter(
      (e) => !silent.includes(e) && (e.feed.state === 'buffering' || e.feed.state === 'resyncing') && now - this.watches.get(e.symbol)!.subscribedAt > this.snapshotTimeoutMs,
    );
    for (const e of late) e.sync.beginResync(`no snapshot within ${Math.round(this.snapshotTimeoutMs / 1000)} s of subscribing`);
    this.resubscribe([...silent, ...late], 'heartbeat or snapshot missing');
  }

  /** The venue's list of what this connection is subscribed to (sent after every (un)subscribe). */
  private onSubscriptions(channels: Array<{ name: string; productIds: string[] }>, now: number): void {
    const named = (name: string): Set<string> => new Set(channels.find((c) => c.name === name)?.productIds ?? []);
    const [heartbeat, level2, batch] = [named('heartbeat'), named('level2'), named('level2_batch')];
    for (const [id, watch] of this.watches) {
      const confirmed = heartbeat.has(id);
      if (confirmed && !watch.heartbeatConfirmed) watch.lastHeartbeatAt = now;
      watch.heartbeatConfirmed = confirmed;
      watch.confirmedBook = level2.has(id) ? 'level2' : batch.has(id) ? 'level2_batch' : null;
    }
  }

  private onVenueError(text: string): void {
    this.session.logger.log('error', 'venue-error', { venue: 'coinbase', error: text });
    const active = this.session.list((e) => e.feed.state !== 'failed');
    if (/auth/i.test(text) && this.bookChannel === 'level2') {
      // A rejected key must not leave the user without books: fall back to the public channel.
      this.authRejected = true;
      const why = `Coinbase rejected the API key (${text}); using the public level2_batch feed instead`;
      for (const e of active) e.sync.beginResync(why);
      return this.session.resend(active);
    }
    const refused = active.filter((e) => namesProduct(text, e.symbol));
    for (const e of refused) this.session.refuse(e, `${e.symbol} cannot be streamed from Coinbase: ${text}`);
    // A refused subscribe message may have taken the other products with it: ask for them again.
    if (refused.length > 0) return this.session.resend(active.filter((e) => e.feed.state !== 'failed' && e.feed.state !== 'synced'));
    for (const e of active) e.feed.error(`Coinbase error: ${text}`);
  }
}

/** The adapter: a session speaking this protocol. */
export type CoinbaseAdapter = VenueSession<CoinbaseBookSync, FeedMessage, CoinbaseProtocol>;
export const createCoinbaseAdapter = (options: CoinbaseAdapterOptions): CoinbaseAdapter => new VenueSession('coinbase', options, (session) => new CoinbaseProtocol(session, options));
