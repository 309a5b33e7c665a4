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
import type { AdapterOptions, SubscribeOptions, VenueAdapter } from '../adapter';
import { FeedConnection } from '../connection';
import { MalformedFrames } from '../frames';
import type { VenueModule } from '../registry';
import { ResubscribeTimers, type ResubscribeContext } from '../resubscribe';
import { restGetRetrying, type RestTarget } from '../rest';
import { connectionLost, feedsOf, healthOf } from '../subscriptions';
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

export interface KrakenAdapterOptions extends AdapterOptions {
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
  timers: ResubscribeTimers;
}

export class KrakenAdapter implements VenueAdapter {
  readonly venue: VenueId = 'kraken';
  private readonly transport: Transport;
  private readonly logger: Logger;
  private readonly listener: FeedListener;
  private readonly endpoints: KrakenEndpoints;
  private readonly defaultDepth: number;
  private readonly rest: RestTarget;
  private readonly resubscribeContext: ResubscribeContext;
  private readonly malformed: MalformedFrames;
  private readonly subs = new Map<string, Subscription>();
  /** Precision per pair from the `instrument` channel (authoritative for checksums). */
  private readonly wsPrecision = new Map<string, Precision>();
  /** Precision per pair from REST, used until the instrument channel has spoken. */
  private readonly restPrecision = new Map<string, Precision>();
  private readonly connection: FeedConnection;
  private nextReqId = 1;
  private closed = false;

  constructor(options: KrakenAdapterOptions) {
    this.transport = options.transport;
    this.logger = options.logger;
    this.listener = options.listener;
    this.endpoints = options.endpoints ?? KRAKEN_ENDPOINTS;
    this.defaultDepth = isBookDepth(options.depth) ? options.depth : DEFAULT_KRAKEN_DEPTH;
    this.rest = { venue: this.venue, transport: this.transport, base: this.endpoints.rest, timeoutMs: options.restTimeoutMs ?? 10_000 };
    this.malformed = new MalformedFrames(this.venue, this.logger);
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
            sub.timers.clear();
            connectionLost(sub, reason);
          }
        },
      },
    });
    this.resubscribeContext = {
      venue: this.venue,
      logger: this.logger,
      clock: this.transport.clock,
      snapshotTimeoutMs: options.snapshotTimeoutMs ?? 15_000,
      isClosed: () => this.closed,
      isOpen: () => this.connection.isOpen,
    };
  }

  get unattributedMalformed(): number {
    return this.malformed.unattributed;
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
      const timers = new ResubscribeTimers(this.resubscribeContext, feed, () => this.sendResubscribe(symbol));
      const sync = new KrakenBookSync(
        feed,
        {
          resubscribe: (reason) => timers.schedule(reason),
          precision: () => this.wsPrecision.get(symbol) ?? this.restPrecision.get(symbol) ?? { price: null, qty: null },
          note: (event, fields) => this.logger.log(event === 'resync' || event === 'checksum-failed' ? 'warn' : 'info', event, { venue: this.venue, symbol, ...fields }),
        },
        depth,
      );
      this.subs.set(symbol, { feed, sync, timers });
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

  feeds(): Iterable<SymbolFeed> {
    return feedsOf(this.subs);
  }

  health(): SymbolHealth[] {
    return healthOf(this.subs, this.transport.clock.now());
  }

  /** Depth a symbol's book is kept at (tests and the health view). */
  depthOf(symbol: string): number | undefined {
    return this.subs.get(symbol)?.sync.depth;
  }

  async listInstruments(): Promise<Instrument[]> {
    const body = await restGetRetrying(this.rest, ASSET_PAIRS_PATH, 'instrument list', {
      logger: this.logger,
      retries: MAX_RATE_LIMIT_RETRIES,
      // Kraken reports its own rate limit inside a 200 body; a proxy in front of it may answer 429.
      isRateLimited: (response) => response.status === 429 || (response.status === 200 && RATE_LIMIT_ERROR.test(response.body.slice(0, 300))),
    });
    const instruments = parseAssetPairs(body);
    for (const i of instruments) this.restPrecision.set(i.symbol, { price: i.pricePrecision, qty: i.sizePrecision });
    return instruments;
  }

  close(): void {
    this.closed = true;
    for (const sub of this.subs.values()) sub.timers.clear();
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
          sub.timers.armSnapshotTimer();
        }
      }
    }
  }

  private bookRequest(method: 'subscribe' | 'unsubscribe', symbols: string[], depth: number): string {
    const params = method === 'subscribe' ? { channel: 'book', symbol: symbols, depth, snapshot: true } : { channel: 'book', symbol: symbols, depth };
    return JSON.stringify({ method, params, req_id: this.nextReqId++ });
  }

  /** Unsubscribe and subscribe the symbol again, at its depth: Kraken answers with a fresh snapshot. */
  private sendResubscribe(symbol: string): void {
    const depth = this.subs.get(symbol)!.sync.depth;
    this.connection.send(this.bookRequest('unsubscribe', [symbol], depth));
    this.connection.send(this.bookRequest('subscribe', [symbol], depth));
  }

  private onFrame(text: string, receivedAt: number): void {
    const msg = this.malformed.parse(text, parseKrakenFrame, (t) => this.subs.get(symbolOfFrame(t))?.feed);
    if (msg === undefined) return;
    switch (msg.kind) {
      case 'book':
        for (const entry of msg.entries) {
          const sub = this.subs.get(entry.symbol);
          if (!sub) continue;
          if (msg.type === 'snapshot') {
            sub.timers.snapshotArrived();
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
        sub.timers.clear();
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
