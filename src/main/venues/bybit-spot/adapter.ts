/**
 * Bybit v5 public order books (spot here; linear is a flavour, ../bybit-linear/flavour.ts): one
 * WebSocket per category carrying `orderbook.{depth}.{symbol}` for every subscribed symbol, subscribed
 * in requests of at most 10 args (spot's documented limit; far under the 21,000-character args limit),
 * `{"op":"ping"}` every 20 s with a pong deadline, a stale-feed watchdog and reconnect with back-off
 * (FeedConnection). Each symbol's book follows the rules in ./sync.ts; a gap, crossed book or unreadable
 * level resubscribes just that topic. Instruments come from REST instruments-info. PROTOCOLS.md §7.
 */
import type { SymbolHealth } from '../../../shared/contract';
import type { Instrument, VenueId } from '../../../shared/market';
import type { Logger } from '../../log';
import { MalformedFrameError, type AdapterOptions, type SubscribeOptions, type VenueAdapter } from '../adapter';
import { Backoff } from '../backoff';
import { FeedConnection } from '../connection';
import { MalformedFrames } from '../frames';
import { awaitingSnapshot } from '../resubscribe';
import { connectionLost, feedsOf, healthOf } from '../subscriptions';
import { SymbolFeed, type FeedListener } from '../symbol-feed';
import type { Transport } from '../transport';
import { BybitApiError, parseInstrumentsPage, type InstrumentsPage } from './instruments';
import { bookTopic, parseBookTopic, parseStreamFrame, symbolOfRawFrame, topicsInMessage, type AckMessage, type BookMessage } from './messages';
import { BybitBookSync } from './sync';

export interface BybitEndpoints {
  /** WebSocket host, e.g. wss://stream.bybit.com (the category path is appended). */
  ws: string;
  /** REST host, e.g. https://api.bybit.com */
  rest: string;
}

/** What differs between Bybit spot and linear. */
export interface BybitFlavour {
  category: 'spot' | 'linear';
  endpoints: BybitEndpoints;
  /** Public stream path for the category, e.g. /v5/public/spot. */
  wsPath: string;
  /** Book depth to subscribe (orderbook.{depth}). */
  depth: number;
  /** Whether instruments-info pages (linear: yes, with limit ≤ 1000 and a cursor; spot: one answer). */
  paginatedInstruments: boolean;
}

/**
 * Spot: `orderbook.50` (20 ms pushes). It is the spot depth every version of the docs lists, and 50
 * levels is more than the ladder shows; 200 exists on spot too but only recently at 100 ms.
 */
export const BYBIT_SPOT: BybitFlavour = {
  category: 'spot',
  endpoints: { ws: 'wss://stream.bybit.com', rest: 'https://api.bybit.com' },
  wsPath: '/v5/public/spot',
  depth: 50,
  paginatedInstruments: false,
};

export interface BybitAdapterOptions extends AdapterOptions {
  venue: VenueId;
  flavour: BybitFlavour;
  /** Overrides the flavour's endpoints (testnet, fake exchanges in tests). */
  endpoints?: BybitEndpoints;
  /** Nothing received (data or pong) for this long counts as a dropped connection. */
  staleAfterMs?: number;
  /** Keep-alive ping interval (Bybit recommends 20 s). */
  pingEveryMs?: number;
  /** A ping not answered within this long counts as a dead connection. */
  pongTimeoutMs?: number;
  /** No snapshot this long after a subscribe: subscribe the topic again. */
  snapshotTimeoutMs?: number;
  /** Timeout of each REST request. */
  restTimeoutMs?: number;
}

/** Spot accepts at most 10 args per subscribe request; we use the same batch on every category. */
export const ARGS_PER_REQUEST = 10;
/** Spacing of our outgoing messages: Bybit answers 20003 to "too frequent requests" on one session. */
const SEND_INTERVAL_MS = 50;
/** Attempts per instruments-info page when rate limited or failing. */
const REST_ATTEMPTS = 4;
/** Upper bound on pages (a linear page holds up to 1000 instruments). */
const MAX_PAGES = 50;

interface Subscription {
  feed: SymbolFeed;
  sync: BybitBookSync;
  /** Fires when no snapshot followed a subscribe in time. */
  snapshotTimer: unknown;
  resubscribeBackoff: Backoff;
}

export class BybitAdapter implements VenueAdapter {
  readonly venue: VenueId;
  private readonly transport: Transport;
  private readonly logger: Logger;
  private readonly listener: FeedListener;
  private readonly flavour: BybitFlavour;
  private readonly endpoints: BybitEndpoints;
  private readonly subs = new Map<string, Subscription>();
  private readonly connection: FeedConnection;
  /** Topics of each subscribe request still waiting for its ack, by req_id. */
  private readonly pendingAcks = new Map<string, string[]>();
  private nextRequestId = 1;
  private pongTimer: unknown = null;
  private awaitingPong = false;
  private closed = false;
  private readonly pongTimeoutMs: number;
  private readonly snapshotTimeoutMs: number;
  private readonly restTimeoutMs: number;
  private readonly malformed: MalformedFrames;

  constructor(options: BybitAdapterOptions) {
    this.venue = options.venue;
    this.transport = options.transport;
    this.logger = options.logger;
    this.listener = options.listener;
    this.flavour = options.flavour;
    this.endpoints = options.endpoints ?? options.flavour.endpoints;
    this.pongTimeoutMs = options.pongTimeoutMs ?? 10_000;
    this.snapshotTimeoutMs = options.snapshotTimeoutMs ?? 15_000;
    this.restTimeoutMs = options.restTimeoutMs ?? 10_000;
    this.malformed = new MalformedFrames(this.venue, this.logger);
    this.connection = new FeedConnection({
      venue: this.venue,
      transport: this.transport,
      logger: this.logger,
      // An endpoint given as the full stream URL (…/v5/public/spot) is taken as it is.
      url: () => (this.endpoints.ws.includes('/v5/') ? this.endpoints.ws : `${this.endpoints.ws.replace(/\/+$/, '')}${this.flavour.wsPath}`),
      // Pongs arrive every ping interval even on a quiet book, so silence this long means a dead link.
      staleAfterMs: options.staleAfterMs ?? 45_000,
      sendIntervalMs: SEND_INTERVAL_MS,
      keepAlive: { everyMs: options.pingEveryMs ?? 20_000, message: () => this.ping() },
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

  /** `options.depth` picks another `orderbook.{depth}` than the flavour's (Bybit refuses depths it does not offer). */
  subscribe(symbols: readonly string[], options?: SubscribeOptions): void {
    if (this.closed) return;
    const depth = options?.depth ?? this.flavour.depth;
    const added: string[] = [];
    for (const raw of symbols) {
      const symbol = raw.toUpperCase();
      if (this.subs.has(symbol)) continue;
      const feed = new SymbolFeed(this.venue, symbol, this.listener);
      const sync = new BybitBookSync(
        feed,
        {
          resubscribe: (reason) => this.resubscribe(symbol, reason),
          note: (event, fields) =>
            this.logger.log(event === 'gap' || event === 'resync' ? 'warn' : 'info', event, {
              venue: this.venue,
              symbol,
              ...fields,
            }),
        },
        depth,
      );
      this.subs.set(symbol, { feed, sync, snapshotTimer: null, resubscribeBackoff: new Backoff(500, 30_000) });
      feed.setState('connecting', 'subscribed');
      added.push(symbol);
    }
    if (added.length === 0) return;
    if (!this.connection.isStarted) {
      this.connection.start();
    } else if (this.connection.isOpen) {
      this.sendSubscribe(added);
    }
  }

  feed(symbol: string): SymbolFeed | undefined {
    return this.subs.get(symbol.toUpperCase())?.feed;
  }

  feeds(): Iterable<SymbolFeed> {
    return feedsOf(this.subs);
  }

  health(): SymbolHealth[] {
    return healthOf(this.subs, this.transport.clock.now());
  }

  async listInstruments(): Promise<Instrument[]> {
    const base = `${this.endpoints.rest}/v5/market/instruments-info?category=${this.flavour.category}`;
    const out: Instrument[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url: string = this.flavour.paginatedInstruments
        ? `${base}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
        : base;
      const result = await this.fetchInstrumentsPage(url);
      out.push(...result.instruments);
      cursor = this.flavour.paginatedInstruments ? result.nextCursor : null;
      if (!cursor) return out;
    }
    throw new Error(`${this.venue}: instrument list did not end after ${MAX_PAGES} pages`);
  }

  close(): void {
    this.closed = true;
    const clock = this.transport.clock;
    for (const sub of this.subs.values()) clock.clearTimeout(sub.snapshotTimer);
    clock.clearTimeout(this.pongTimer);
    this.connection.close();
  }

  // ---- connection -----------------------------------------------------------------------------

  private onOpen(): void {
    this.pendingAcks.clear();
    const symbols = [...this.subs.entries()].filter(([, s]) => s.feed.state !== 'failed').map(([symbol]) => symbol);
    this.sendSubscribe(symbols);
  }

  private onDown(reason: string): void {
    this.transport.clock.clearTimeout(this.pongTimer);
    this.pongTimer = null;
    this.awaitingPong = false;
    this.pendingAcks.clear();
    for (const sub of this.subs.values()) {
      this.transport.clock.clearTimeout(sub.snapshotTimer);
      if (sub.feed.state !== 'failed') connectionLost(sub, reason);
    }
  }

  /** The keep-alive message; also starts the pong deadline (a server that stops answering is dead to us). */
  private ping(): string {
    if (!this.awaitingPong) {
      this.awaitingPong = true;
      const clock = this.transport.clock;
      clock.clearTimeout(this.pongTimer);
      this.pongTimer = clock.setTimeout(() => {
        if (!this.awaitingPong || this.closed) return;
        this.logger.log('warn', 'pong-timeout', { venue: this.venue, timeoutMs: this.pongTimeoutMs });
        this.connection.restart(`no pong within ${Math.round(this.pongTimeoutMs / 100) / 10} s`);
      }, this.pongTimeoutMs);
    }
    return JSON.stringify({ req_id: `ping-${this.nextRequestId++}`, op: 'ping' });
  }

  private sendSubscribe(symbols: string[]): void {
    for (let i = 0; i < symbols.length; i += ARGS_PER_REQUEST) {
      const batch = symbols.slice(i, i + ARGS_PER_REQUEST);
      const topics = batch.map((symbol) => bookTopic(this.subs.get(symbol)!.sync.depth, symbol));
      const reqId = `sub-${this.nextRequestId++}`;
      this.pendingAcks.set(reqId, topics);
      this.connection.send(JSON.stringify({ req_id: reqId, op: 'subscribe', args: topics }));
      for (const symbol of batch) {
        const sub = this.subs.get(symbol)!;
        sub.sync.start();
        this.armSnapshotTimer(symbol, sub);
      }
    }
  }

  /** Unsubscribe and subscribe one topic again: Bybit answers the subscribe with a fresh snapshot. */
  private resubscribe(symbol: string, reason: string): void {
    const sub = this.subs.get(symbol);
    if (!sub || this.closed || !this.connection.isOpen) return;
    const topic = bookTopic(sub.sync.depth, symbol);
    this.logger.log('info', 'resubscribe', { venue: this.venue, symbol, topic, reason });
    this.connection.send(JSON.stringify({ req_id: `unsub-${this.nextRequestId++}`, op: 'unsubscribe', args: [topic] }));
    const reqId = `sub-${this.nextRequestId++}`;
    this.pendingAcks.set(reqId, [topic]);
    this.connection.send(JSON.stringify({ req_id: reqId, op: 'subscribe', args: [topic] }));
    this.armSnapshotTimer(symbol, sub);
  }

  private armSnapshotTimer(symbol: string, sub: Subscription): void {
    const clock = this.transport.clock;
    clock.clearTimeout(sub.snapshotTimer);
    sub.snapshotTimer = clock.setTimeout(() => {
      sub.snapshotTimer = null;
      if (this.closed || !awaitingSnapshot(sub.feed.state)) return;
      const delay = sub.resubscribeBackoff.next();
      const why = `no snapshot within ${Math.round(this.snapshotTimeoutMs / 1000)} s of subscribing`;
      sub.feed.health.lastError = why;
      this.logger.log('warn', 'snapshot-timeout', { venue: this.venue, symbol, retryMs: delay });
      sub.snapshotTimer = clock.setTimeout(() => {
        sub.snapshotTimer = null;
        if (awaitingSnapshot(sub.feed.state)) this.resubscribe(symbol, why);
      }, delay);
    }, this.snapshotTimeoutMs);
  }

  // ---- frames ---------------------------------------------------------------------------------

  private onFrame(text: string, receivedAt: number): void {
    const msg = this.malformed.parse(text, parseStreamFrame, (t) => this.subs.get(symbolOfRawFrame(t))?.feed);
    if (msg === undefined) return;
    switch (msg.kind) {
      case 'book':
        this.onBook(msg, receivedAt);
        return;
      case 'pong':
        this.awaitingPong = false;
        this.transport.clock.clearTimeout(this.pongTimer);
        this.pongTimer = null;
        return;
      case 'ack':
        this.onAck(msg);
        return;
      case 'other':
        return;
    }
  }

  private onBook(msg: BookMessage, receivedAt: number): void {
    const sub = this.subs.get(msg.symbol.toUpperCase());
    if (!sub || !sub.sync.accepts(msg)) return;
    const wasSynced = sub.feed.state === 'synced';
    sub.sync.onMessage(msg, receivedAt);
    if (!wasSynced && sub.feed.state === 'synced') {
      this.transport.clock.clearTimeout(sub.snapshotTimer);
      sub.snapshotTimer = null;
      sub.resubscribeBackoff.reset();
    }
  }

  private onAck(ack: AckMessage): void {
    const topics = ack.reqId ? this.pendingAcks.get(ack.reqId) : undefined;
    if (ack.reqId) this.pendingAcks.delete(ack.reqId);
    if (ack.success) return;
    if (ack.op === 'unsubscribe') {
      // Unsubscribing a topic the server had already dropped is harmless: the subscribe follows.
      this.logger.log('info', 'unsubscribe-refused', { venue: this.venue, message: ack.message });
      return;
    }
    if (/already subscribed/i.test(ack.message)) {
      // The topic is live on this connection; a snapshot arrives or the snapshot timer tries again.
      this.logger.log('info', 'already-subscribed', { venue: this.venue, message: ack.message });
      return;
    }
    this.logger.log('error', 'subscribe-refused', { venue: this.venue, message: ack.message, topics });
    // Bybit names the topics it refuses in ret_msg; without a name, blame the request's topics.
    const named = topicsInMessage(ack.message);
    const refused = named.length > 0 ? named : (topics ?? []);
    for (const topic of refused) {
      const parsed = parseBookTopic(topic);
      const sub = parsed ? this.subs.get(parsed.symbol.toUpperCase()) : undefined;
      if (!sub) continue;
      this.transport.clock.clearTimeout(sub.snapshotTimer);
      sub.snapshotTimer = null;
      sub.sync.rejected(`${this.venue} refused the subscription to ${topic}: ${ack.message || 'no reason given'}`);
    }
  }

  // ---- REST -----------------------------------------------------------------------------------

  /** One instruments-info page, retried with back-off on rate limits (HTTP 429/403, retCode 10006/10018) and errors. */
  private async fetchInstrumentsPage(url: string): Promise<InstrumentsPage> {
    const backoff = new Backoff(500, 8_000);
    let lastError = '';
    for (let attempt = 1; attempt <= REST_ATTEMPTS; attempt++) {
      if (this.closed) break;
      let delay: number | null = null;
      try {
        const response = await this.transport.get(url, { timeoutMs: this.restTimeoutMs });
        if (response.status === 200) return parseInstrumentsPage(this.venue, response.body);
        lastError = response.status === 429 || response.status === 403 ? `HTTP ${response.status} (rate limited)` : `HTTP ${response.status}`;
        const retryAfter = Number(response.headers['retry-after']);
        if (Number.isFinite(retryAfter) && retryAfter > 0) delay = Math.min(retryAfter * 1000, 30_000);
      } catch (error) {
        if (error instanceof BybitApiError && !error.rateLimited) throw error;
        if (error instanceof MalformedFrameError) throw error;
        lastError = error instanceof BybitApiError ? error.message : `cannot reach ${this.endpoints.rest} (${(error as Error).message})`;
      }
      if (attempt === REST_ATTEMPTS) break;
      delay ??= backoff.next();
      this.logger.log('warn', 'instruments-retry', { venue: this.venue, error: lastError, attempt, retryMs: delay });
      await new Promise<void>((resolve) => this.transport.clock.setTimeout(resolve, delay!));
    }
    throw new Error(`${this.venue}: instrument list request failed: ${lastError}`);
  }
}
