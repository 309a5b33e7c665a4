/**
 * Kraken spot WebSocket v2 adapter: one connection carrying the `instrument` channel (price and
 * quantity precision, for checksums) and the `book` channel for every subscribed pair at its chosen
 * depth (10/25/100/500/1000; 1000 unless asked otherwise). Every book message is applied, truncated
 * to the depth and checked against Kraken's CRC32 (./sync.ts); a failed check resubscribes that pair
 * for a fresh snapshot. Heartbeats arrive about once a second when nothing else does, so silence
 * means a dead connection (stale watchdog); an application `ping` goes out periodically as well.
 * Instruments for the picker come from REST AssetPairs. PROTOCOLS.md §5.
 */
import type { SymbolHealth } from '../../../shared/contract';
import type { Instrument, VenueId } from '../../../shared/market';
import type { Logger } from '../../log';
import { MalformedFrameError, type SubscribeOptions, type VenueAdapter } from '../adapter';
import { Backoff } from '../backoff';
import { FeedConnection } from '../connection';
import type { VenueModule } from '../registry';
import { SymbolFeed, type FeedListener } from '../symbol-feed';
import type { Transport } from '../transport';
import type { Precision } from './checksum';
import { ASSET_PAIRS_PATH, parseAssetPairs } from './instruments';
import { bookSubscription, isBookDepth, parseKrakenFrame, symbolOfFrame, type KrakenMessage, type PairInfo } from './messages';
import { KrakenBookSync } from './sync';

export interface KrakenEndpoints {
  /** WebSocket v2 URL, e.g. wss://ws.kraken.com/v2 */
  ws: string;
  /** REST base, e.g. https://api.kraken.com */
  rest: string;
}

export const KRAKEN_ENDPOINTS: KrakenEndpoints = { ws: 'wss://ws.kraken.com/v2', rest: 'https://api.kraken.com' };

/** The app subscribes the deepest book Kraken offers unless a depth is asked for. */
export const DEFAULT_KRAKEN_DEPTH = 1000;

export interface KrakenAdapterOptions {
  transport: Transport;
  listener: FeedListener;
  logger: Logger;
  endpoints?: KrakenEndpoints;
  /** Book depth for symbols subscribed without one. */
  depth?: number;
  /** Nothing received for this long counts as a dropped connection (heartbeats come ~1/s). */
  staleAfterMs?: number;
  /** Application-level ping interval. */
  pingEveryMs?: number;
  /** A (re)subscribed symbol without a snapshot after this long is subscribed again. */
  snapshotTimeoutMs?: number;
  restTimeoutMs?: number;
}

/** Kraken's message-rate limit is dynamic and undocumented: space our requests out. */
const SEND_INTERVAL_MS = 100;
/** Symbols per subscribe request. */
const SUBSCRIBE_BATCH = 50;
/** REST retries after a rate limit before giving up with a message. */
const MAX_RATE_LIMIT_RETRIES = 2;
const RATE_LIMIT_ERROR = /"E(?:API:Rate limit exceeded|General:Too many requests)/;

interface Subscription {
  feed: SymbolFeed;
  sync: KrakenBookSync;
  resubscribeBackoff: Backoff;
  resubscribeTimer: unknown;
  snapshotTimer: unknown;
  /** checksumOk when the last resubscribe went out: any progress since resets the back-off. */
  okAtResubscribe: number;
}

export class KrakenAdapter implements VenueAdapter {
  readonly venue: VenueId = 'kraken';
  private readonly transport: Transport;
  private readonly logger: Logger;
  private readonly listener: FeedListener;
  private readonly endpoints: KrakenEndpoints;
  private readonly defaultDepth: number;
  private readonly snapshotTimeoutMs: number;
  private readonly restTimeoutMs: number;
  private readonly subs = new Map<string, Subscription>();
  /** Precision per pair from the `instrument` channel (authoritative for checksums). */
  private readonly wsPrecision = new Map<string, Precision>();
  /** Precision per pair from REST, used until the instrument channel has spoken. */
  private readonly restPrecision = new Map<string, Precision>();
  private readonly connection: FeedConnection;
  private nextReqId = 1;
  private closed = false;
  unattributedMalformed = 0;

  constructor(options: KrakenAdapterOptions) {
    this.transport = options.transport;
    this.logger = options.logger;
    this.listener = options.listener;
    this.endpoints = options.endpoints ?? KRAKEN_ENDPOINTS;
    this.defaultDepth = isBookDepth(options.depth) ? options.depth : DEFAULT_KRAKEN_DEPTH;
    this.snapshotTimeoutMs = options.snapshotTimeoutMs ?? 15_000;
    this.restTimeoutMs = options.restTimeoutMs ?? 10_000;
    this.connection = new FeedConnection({
      venue: this.venue,
      transport: this.transport,
      logger: this.logger,
      url: () => this.endpoints.ws,
      staleAfterMs: options.staleAfterMs ?? 10_000,
      sendIntervalMs: SEND_INTERVAL_MS,
      keepAlive: { everyMs: options.pingEveryMs ?? 30_000, message: () => JSON.stringify({ method: 'ping', req_id: this.nextReqId++ }) },
      handlers: {
        onOpen: () => this.onOpen(),
        onFrame: (text, receivedAt) => this.onFrame(text, receivedAt),
        onDown: (reason) => {
          for (const sub of this.subs.values()) {
            this.clearTimers(sub);
            sub.feed.health.reconnects++;
            sub.feed.health.lastError = reason;
            sub.sync.disconnected(reason);
          }
        },
      },
    });
  }

  subscribe(symbols: readonly string[], options?: SubscribeOptions): void {
    if (this.closed) return;
    const depth = isBookDepth(options?.depth) ? options.depth : this.defaultDepth;
    const added: string[] = [];
    for (const raw of symbols) {
      // Kraken symbols are case-sensitive (tokenized stocks such as `AAPLx/USD`): kept exactly as given.
      const symbol = raw;
      if (this.subs.has(symbol)) continue;
      const feed = new SymbolFeed(this.venue, symbol, this.listener);
      const sync = new KrakenBookSync(
        feed,
        {
          resubscribe: (reason) => this.resubscribe(symbol, reason),
          precision: () => this.wsPrecision.get(symbol) ?? this.restPrecision.get(symbol) ?? { price: null, qty: null },
          note: (event, fields) => this.logger.log(event === 'resync' || event === 'checksum-failed' ? 'warn' : 'info', event, { venue: this.venue, symbol, ...fields }),
        },
        depth,
      );
      this.subs.set(symbol, { feed, sync, resubscribeBackoff: new Backoff(250, 30_000), resubscribeTimer: null, snapshotTimer: null, okAtResubscribe: 0 });
      feed.setState('connecting', 'subscribed');
      added.push(symbol);
    }
    if (added.length === 0) return;
    if (!this.connection.isStarted) this.connection.start();
    else if (this.connection.isOpen) this.sendBookSubscribes(added);
  }

  feed(symbol: string): SymbolFeed | undefined {
    return this.subs.get(symbol)?.feed;
  }

  *feeds(): Iterable<SymbolFeed> {
    for (const sub of this.subs.values()) yield sub.feed;
  }

  health(): SymbolHealth[] {
    const now = this.transport.clock.now();
    return [...this.subs.values()].map((s) => s.feed.healthSnapshot(now));
  }

  /** Depth a symbol's book is kept at (tests and the health view). */
  depthOf(symbol: string): number | undefined {
    return this.subs.get(symbol)?.sync.depth;
  }

  async listInstruments(): Promise<Instrument[]> {
    const url = `${this.endpoints.rest}${ASSET_PAIRS_PATH}`;
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await this.transport.get(url, { timeoutMs: this.restTimeoutMs });
      } catch (error) {
        throw new Error(`kraken: cannot reach ${this.endpoints.rest} (${(error as Error).message})`, { cause: error });
      }
      // Kraken reports its own rate limit inside a 200 body; a proxy in front of it may answer 429.
      const limited = response.status === 429 || (response.status === 200 && RATE_LIMIT_ERROR.test(response.body.slice(0, 300)));
      if (limited && attempt < MAX_RATE_LIMIT_RETRIES) {
        const retryAfter = Number(response.headers['retry-after']);
        const delay = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : 1000 * 2 ** attempt;
        this.logger.log('warn', 'instruments-rate-limited', { venue: this.venue, retryMs: delay });
        await new Promise<void>((resolve) => this.transport.clock.setTimeout(resolve, delay));
        continue;
      }
      if (response.status !== 200) throw new Error(`kraken: instrument list request failed with HTTP ${response.status}`);
      const instruments = parseAssetPairs(response.body);
      for (const i of instruments) this.restPrecision.set(i.symbol, { price: i.pricePrecision, qty: i.sizePrecision });
      return instruments;
    }
  }

  close(): void {
    this.closed = true;
    for (const sub of this.subs.values()) this.clearTimers(sub);
    this.connection.close();
  }

  private onOpen(): void {
    this.connection.send(JSON.stringify({ method: 'subscribe', params: { channel: 'instrument', snapshot: true }, req_id: this.nextReqId++ }));
    this.sendBookSubscribes([...this.subs.keys()].filter((s) => this.subs.get(s)!.feed.state !== 'failed'));
  }

  private sendBookSubscribes(symbols: string[]): void {
    const byDepth = new Map<number, string[]>();
    for (const symbol of symbols) {
      const sub = this.subs.get(symbol)!;
      const list = byDepth.get(sub.sync.depth) ?? [];
      list.push(symbol);
      byDepth.set(sub.sync.depth, list);
    }
    for (const [depth, list] of byDepth) {
      for (let i = 0; i < list.length; i += SUBSCRIBE_BATCH) {
        const batch = list.slice(i, i + SUBSCRIBE_BATCH);
        this.connection.send(this.bookRequest('subscribe', batch, depth));
        for (const symbol of batch) {
          const sub = this.subs.get(symbol)!;
          sub.sync.start();
          this.armSnapshotTimer(symbol, sub);
        }
      }
    }
  }

  private bookRequest(method: 'subscribe' | 'unsubscribe', symbols: string[], depth: number): string {
    const params = method === 'subscribe' ? { channel: 'book', symbol: symbols, depth, snapshot: true } : { channel: 'book', symbol: symbols, depth };
    return JSON.stringify({ method, params, req_id: this.nextReqId++ });
  }

  /** A failed check: unsubscribe and subscribe the symbol again, with back-off if it keeps failing. */
  private resubscribe(symbol: string, reason: string): void {
    const sub = this.subs.get(symbol);
    if (!sub || this.closed) return;
    if (sub.feed.health.checksumOk > sub.okAtResubscribe) sub.resubscribeBackoff.reset();
    const delay = sub.resubscribeBackoff.next();
    const clock = this.transport.clock;
    clock.clearTimeout(sub.resubscribeTimer);
    clock.clearTimeout(sub.snapshotTimer);
    this.logger.log('info', 'resubscribe-scheduled', { venue: this.venue, symbol, reason, delayMs: delay });
    sub.resubscribeTimer = clock.setTimeout(() => {
      sub.resubscribeTimer = null;
      if (this.closed || !this.connection.isOpen) return; // a reconnect subscribes everything anyway
      sub.okAtResubscribe = sub.feed.health.checksumOk;
      this.connection.send(this.bookRequest('unsubscribe', [symbol], sub.sync.depth));
      this.connection.send(this.bookRequest('subscribe', [symbol], sub.sync.depth));
      this.armSnapshotTimer(symbol, sub);
    }, delay);
  }

  private armSnapshotTimer(symbol: string, sub: Subscription): void {
    const clock = this.transport.clock;
    clock.clearTimeout(sub.snapshotTimer);
    sub.snapshotTimer = clock.setTimeout(() => {
      sub.snapshotTimer = null;
      const state = sub.feed.state;
      if (this.closed || state === 'synced' || state === 'failed' || state === 'connecting') return;
      this.resubscribe(symbol, `no snapshot within ${Math.round(this.snapshotTimeoutMs / 1000)} s`);
    }, this.snapshotTimeoutMs);
  }

  private clearTimers(sub: Subscription): void {
    const clock = this.transport.clock;
    clock.clearTimeout(sub.resubscribeTimer);
    clock.clearTimeout(sub.snapshotTimer);
    sub.resubscribeTimer = null;
    sub.snapshotTimer = null;
  }

  private onFrame(text: string, receivedAt: number): void {
    let msg: KrakenMessage;
    try {
      msg = parseKrakenFrame(text);
    } catch (error) {
      if (!(error instanceof MalformedFrameError)) throw error;
      const sub = this.subs.get(symbolOfFrame(text));
      if (sub) {
        sub.feed.health.malformed++;
        sub.feed.health.lastError = `malformed frame skipped: ${error.message}`;
      } else {
        this.unattributedMalformed++;
      }
      this.logger.log('warn', 'malformed-frame', { venue: this.venue, error: error.message, bytes: text.length });
      return;
    }
    switch (msg.kind) {
      case 'book':
        for (const entry of msg.entries) {
          const sub = this.subs.get(entry.symbol);
          if (!sub) continue;
          if (msg.type === 'snapshot') {
            this.transport.clock.clearTimeout(sub.snapshotTimer);
            sub.snapshotTimer = null;
            sub.sync.onSnapshot(entry, receivedAt);
          } else {
            sub.sync.onUpdate(entry, receivedAt);
          }
        }
        return;
      case 'instrument':
        this.onInstruments(msg.pairs);
        return;
      case 'response':
        this.onResponse(msg);
        return;
      case 'status':
        this.logger.log('info', 'venue-status', { venue: this.venue, system: msg.system });
        return;
      case 'heartbeat':
      case 'other':
        return;
    }
  }

  private onInstruments(pairs: PairInfo[]): void {
    // Snapshots and updates both merge: a pair the venue stops mentioning keeps its last precision.
    for (const pair of pairs) {
      this.wsPrecision.set(pair.symbol, { price: pair.pricePrecision, qty: pair.qtyPrecision });
    }
  }

  private onResponse(msg: Extract<KrakenMessage, { kind: 'response' }>): void {
    if (msg.success) return;
    const error = msg.error ?? `${msg.method} failed`;
    this.logger.log('error', 'request-failed', { venue: this.venue, method: msg.method, symbol: msg.symbol ?? undefined, error });
    if (msg.method !== 'subscribe') return;
    // The failure names its pair in `symbol` or in the error text ("Currency pair not supported XYZ/USD").
    for (const [symbol, sub] of this.subs) {
      if (msg.symbol === symbol || (msg.symbol === null && error.includes(symbol))) {
        this.clearTimers(sub);
        sub.sync.refused(`kraken refused ${symbol}: ${error}`);
      }
    }
  }
}

/** The venue as the registry, the app and replay see it. */
export const krakenVenue: VenueModule = {
  id: 'kraken',
  name: 'Kraken',
  createAdapter: (ctx) => new KrakenAdapter(ctx),
  captureSymbols: (kind, text) => (kind === 'send' ? bookSubscription(text).symbols : []),
  captureOptions: (kind, text) => {
    const depth = kind === 'send' ? bookSubscription(text).depth : undefined;
    return depth === undefined ? undefined : { depth };
  },
};
