/**
 * Kraken spot WebSocket v2 adapter: one connection carrying the `instrument` channel (price and
 * quantity precision, for checksums), the `trade` channel (with its snapshot of recent trades, kept
 * as history) and the `book` channel for every subscribed pair at its chosen
 * depth (10/25/100/500/1000; 1000 unless asked otherwise). Every book message is applied, truncated
 * to the depth and checked against Kraken's CRC32 (./sync.ts); a failed check resubscribes that pair
 * for a fresh snapshot. Heartbeats arrive about once a second when nothing else does, so silence
 * means a dead connection; an application `ping` goes out periodically as well. Instruments for the
 * picker come from REST AssetPairs. docs/venues.md#kraken.
 */
import type { Instrument } from '../../../shared/market';
import type { SessionOptions, SubscribeOptions } from '../adapter';
import { restGetRetrying } from '../rest';
import { inBatches, VenueSession, type ConnectionSpec, type RestSpec, type Resubscription, type Link, type Note, type SessionEntry, type VenueProtocol } from '../session';
import type { SymbolFeed } from '../symbol-feed';
import type { Precision } from './checksum';
import { ASSET_PAIRS_PATH, parseAssetPairs } from './instruments';
import { isBookDepth, parseKrakenFrame, symbolOfFrame, type KrakenMessage } from './messages';
import { KrakenBookSync } from './sync';

export const KRAKEN_ENDPOINTS = { ws: 'wss://ws.kraken.com/v2', rest: 'https://api.kraken.com' };

/** The app subscribes the deepest book Kraken offers unless a depth is asked for. */
export const DEFAULT_KRAKEN_DEPTH = 1000;

export interface KrakenAdapterOptions extends SessionOptions {
  /** Book depth for symbols subscribed without one. */
  depth?: number;
  /** Application-level ping interval. */
  pingEveryMs?: number;
}

/** Symbols per subscribe request. */
const SUBSCRIBE_BATCH = 50;
/** REST retries after a rate limit before giving up with a message. */
const MAX_RATE_LIMIT_RETRIES = 2;
const RATE_LIMIT_ERROR = /"E(?:API:Rate limit exceeded|General:Too many requests)/;

class KrakenProtocol implements VenueProtocol<KrakenBookSync, KrakenMessage> {
  readonly connection: ConnectionSpec;
  readonly rest: RestSpec;
  readonly resubscription: Resubscription<KrakenBookSync>;
  private readonly defaultDepth: number;
  /** Precision per pair from the `instrument` channel (authoritative for checksums). */
  private readonly wsPrecision = new Map<string, Precision>();
  /** Precision per pair from REST, used until the instrument channel has spoken. */
  private readonly restPrecision = new Map<string, Precision>();
  private nextReqId = 1;

  constructor(
    private readonly session: KrakenAdapter,
    options: KrakenAdapterOptions,
  ) {
    const endpoints = options.endpoints ?? KRAKEN_ENDPOINTS;
    this.defaultDepth = isBookDepth(options.depth) ? options.depth : DEFAULT_KRAKEN_DEPTH;
    this.rest = { base: endpoints.rest, timeoutMs: options.restTimeoutMs };
    this.connection = {
      url: () => endpoints.ws,
      staleAfterMs: options.staleAfterMs ?? 10_000,
      // Kraken's message-rate limit is dynamic and undocumented: space our requests out.
      sendIntervalMs: 100,
      keepAlive: { everyMs: options.pingEveryMs ?? 30_000, message: () => JSON.stringify({ method: 'ping', req_id: this.nextReqId++ }) },
    };
    // Unsubscribe and subscribe the pair again, at its depth: Kraken answers with a fresh snapshot.
    this.resubscription = {
      snapshotTimeoutMs: options.snapshotTimeoutMs ?? 15_000,
      frames: (entry) => [this.bookRequest('unsubscribe', [entry.symbol], entry.sync.depth), this.bookRequest('subscribe', [entry.symbol], entry.sync.depth)],
    };
  }

  /** Kraken symbols are case-sensitive (tokenized stocks such as `AAPLx/USD`): kept exactly as given. */
  key(symbol: string): string {
    return symbol;
  }

  createSync(feed: SymbolFeed, note: Note, options: SubscribeOptions | undefined): KrakenBookSync {
    const symbol = feed.symbol;
    const hooks = {
      resubscribe: (reason: string) => this.session.scheduleResubscribe(symbol, reason),
      precision: () => this.wsPrecision.get(symbol) ?? this.restPrecision.get(symbol) ?? { price: null, qty: null },
      note,
    };
    return new KrakenBookSync(feed, hooks, isBookDepth(options?.depth) ? options.depth : this.defaultDepth);
  }

  subscribeFrames(entries: ReadonlyArray<SessionEntry<KrakenBookSync>>): string[] {
    return [...new Set(entries.map((e) => e.sync.depth))].flatMap((depth) => {
      const symbols = entries.filter((e) => e.sync.depth === depth).map((e) => e.symbol);
      return inBatches(symbols, SUBSCRIBE_BATCH).map((batch) => this.bookRequest('subscribe', batch, depth));
    }).concat(inBatches(entries.map((e) => e.symbol), SUBSCRIBE_BATCH).map((batch) => this.tradeRequest(batch)));
  }

  readonly parse: (text: string, receivedAt: number) => KrakenMessage = parseKrakenFrame;

  readonly symbolsIn = (text: string): string[] => [symbolOfFrame(text)];

  route(msg: KrakenMessage, receivedAt: number): void {
    switch (msg.kind) {
      case 'book':
        for (const book of msg.entries) {
          const entry = this.session.entry(book.symbol);
          if (entry && msg.type === 'snapshot') {
            entry.timers?.snapshotArrived();
            entry.sync.onSnapshot(book, receivedAt);
          } else {
            entry?.sync.onUpdate(book, receivedAt);
          }
        }
        return;
      case 'trades':
        return this.session.routeTrades(msg.batch);
      case 'instrument':
        // Snapshots and updates both merge: a pair the venue stops mentioning keeps its last precision.
        for (const pair of msg.pairs) this.wsPrecision.set(pair.symbol, { price: pair.pricePrecision, qty: pair.qtyPrecision });
        return;
      case 'response':
        return this.onResponse(msg);
      case 'status':
        return this.session.logger.log('info', 'venue-status', { venue: 'kraken', system: msg.system });
      case 'heartbeat':
      case 'other':
        return;
    }
  }

  async listInstruments(): Promise<Instrument[]> {
    const body = await restGetRetrying(this.session.rest, ASSET_PAIRS_PATH, 'instrument list', {
      logger: this.session.logger,
      retries: MAX_RATE_LIMIT_RETRIES,
      // Kraken reports its own rate limit inside a 200 body; a proxy in front of it may answer 429.
      isRateLimited: (response) => response.status === 429 || (response.status === 200 && RATE_LIMIT_ERROR.test(response.body.slice(0, 300))),
    });
    const instruments = parseAssetPairs(body);
    for (const i of instruments) this.restPrecision.set(i.symbol, { price: i.pricePrecision, qty: i.sizePrecision });
    return instruments;
  }

  onOpen(link: Link): void {
    this.session.send(JSON.stringify({ method: 'subscribe', params: { channel: 'instrument', snapshot: true }, req_id: this.nextReqId++ }), link);
  }

  private bookRequest(method: 'subscribe' | 'unsubscribe', symbols: string[], depth: number): string {
    const params = method === 'subscribe' ? { channel: 'book', symbol: symbols, depth, snapshot: true } : { channel: 'book', symbol: symbols, depth };
    return JSON.stringify({ method, params, req_id: this.nextReqId++ });
  }

  /** Subscribe these pairs' trades; the snapshot (recent trades) is shown as history. A book resubscribe leaves it running. */
  private tradeRequest(symbols: string[]): string {
    return JSON.stringify({ method: 'subscribe', params: { channel: 'trade', symbol: symbols, snapshot: true }, req_id: this.nextReqId++ });
  }

  private onResponse(msg: Extract<KrakenMessage, { kind: 'response' }>): void {
    if (msg.success) return;
    const error = msg.error ?? `${msg.method} failed`;
    this.session.logger.log('error', 'request-failed', { venue: 'kraken', method: msg.method, symbol: msg.symbol ?? undefined, error });
    if (msg.method !== 'subscribe') return;
    if (msg.channel === 'trade') {
      // The book may still stream: say so on the pair rather than failing it.
      for (const entry of this.session.list((e) => msg.symbol === e.symbol)) entry.feed.error(`kraken refused trades for ${entry.symbol}: ${error}`);
      return;
    }
    // The failure names its pair in `symbol` or in the error text ("Currency pair not supported XYZ/USD").
    for (const entry of this.session.list((e) => msg.symbol === e.symbol || (msg.symbol === null && error.includes(e.symbol)))) {
      this.session.refuse(entry, `kraken refused ${entry.symbol}: ${error}`);
    }
  }
}

/** The adapter: a session speaking this protocol. */
export type KrakenAdapter = VenueSession<KrakenBookSync, KrakenMessage, KrakenProtocol>;
export const createKrakenAdapter = (options: KrakenAdapterOptions): KrakenAdapter => new VenueSession('kraken', options, (session) => new KrakenProtocol(session, options));
