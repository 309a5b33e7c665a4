/**
 * Bybit v5 public order books (spot and linear, ./markets.ts): one WebSocket per category carrying
 * `orderbook.{depth}.{symbol}` and `publicTrade.{symbol}` for every subscribed symbol, subscribed in requests of at most 10 args,
 * `{"op":"ping"}` every 20 s with a pong deadline. Each book follows ./sync.ts; a gap, crossed book or
 * unreadable level resubscribes just that topic, and a topic whose snapshot does not come is
 * subscribed again after a growing back-off. docs/venues.md#bybit.
 */
import type { Instrument } from '../../../shared/market';
import type { SessionOptions, SubscribeOptions } from '../adapter';
import { Backoff } from '../backoff';
import { awaitingSnapshot } from '../resubscribe';
import { inBatches, VenueSession, type ConnectionSpec, type RestSpec, type Link, type Note, type SessionEntry, type VenueProtocol } from '../session';
import type { SymbolFeed } from '../symbol-feed';
import { listInstruments } from './instruments';
import type { BybitMarket } from './markets';
import { bookTopic, parseBookTopic, parseStreamFrame, symbolOfRawFrame, topicsInMessage, type AckMessage, type BookMessage, type StreamMessage } from './messages';
import { BybitBookSync } from './sync';
import type { BybitTradeVenue } from './trades';

export interface BybitAdapterOptions extends SessionOptions {
  venue: BybitTradeVenue;
  market: BybitMarket;
  /** Keep-alive ping interval (Bybit recommends 20 s). */
  pingEveryMs?: number;
  /** A ping not answered within this long counts as a dead connection. */
  pongTimeoutMs?: number;
}

/** Spot accepts at most 10 args per subscribe request; we use the same batch on every category. */
export const ARGS_PER_REQUEST = 10;

class BybitProtocol implements VenueProtocol<BybitBookSync, StreamMessage> {
  readonly connection: ConnectionSpec;
  readonly rest: RestSpec;
  /** Topics of each subscribe request still waiting for its ack, by req_id. */
  private readonly pendingAcks = new Map<string, string[]>();
  /** Per symbol: the wait for a snapshot after a subscribe, and its back-off. */
  private readonly waits = new Map<string, { timer: unknown; backoff: Backoff }>();
  private nextRequestId = 1;
  private pongTimer: unknown = null;
  /** The connection, once open (what a pong timeout restarts). */
  private link: Link | null = null;
  private readonly pongTimeoutMs: number;
  private readonly snapshotTimeoutMs: number;

  constructor(
    private readonly session: BybitAdapter,
    private readonly options: BybitAdapterOptions,
  ) {
    const endpoints = options.endpoints ?? options.market.endpoints;
    this.pongTimeoutMs = options.pongTimeoutMs ?? 10_000;
    this.snapshotTimeoutMs = options.snapshotTimeoutMs ?? 15_000;
    this.rest = { base: endpoints.rest, timeoutMs: options.restTimeoutMs };
    this.connection = {
      // An endpoint given as the full stream URL (…/v5/public/spot) is taken as it is.
      url: () => (endpoints.ws.includes('/v5/') ? endpoints.ws : `${endpoints.ws.replace(/\/+$/, '')}${options.market.wsPath}`),
      // Pongs arrive every ping interval even on a quiet book, so silence this long means a dead link.
      staleAfterMs: options.staleAfterMs ?? 45_000,
      // Bybit answers 20003 to "too frequent requests" on one session.
      sendIntervalMs: 50,
      keepAlive: { everyMs: options.pingEveryMs ?? 20_000, message: () => this.ping() },
    };
  }

  /** `options.depth` picks another `orderbook.{depth}` than the market's (Bybit refuses depths it does not offer). */
  createSync(feed: SymbolFeed, note: Note, options: SubscribeOptions | undefined): BybitBookSync {
    const resubscribe = (reason: string): void => this.resubscribeTopic(feed.symbol, reason);
    return new BybitBookSync(feed, { resubscribe, note }, options?.depth ?? this.options.market.depth);
  }

  subscribeFrames(entries: ReadonlyArray<SessionEntry<BybitBookSync>>): string[] {
    for (const entry of entries) this.awaitSnapshot(entry.symbol);
    // The trade topic rides along on subscribe only: a book resubscribe leaves trades running.
    const topics = entries.flatMap((e) => [bookTopic(e.sync.depth, e.symbol), `publicTrade.${e.symbol}`]);
    return inBatches(topics, ARGS_PER_REQUEST).map((batch) => this.requestTopics('subscribe', batch));
  }

  parse(text: string, receivedAt: number): StreamMessage {
    return parseStreamFrame(text, receivedAt, this.options.venue);
  }

  readonly symbolsIn = (text: string): string[] => [symbolOfRawFrame(text)];

  route(msg: StreamMessage, receivedAt: number): void {
    if (msg.kind === 'book') this.onBook(msg, receivedAt);
    else if (msg.kind === 'trades') this.session.routeTrades(msg.batch);
    else if (msg.kind === 'ack') this.onAck(msg);
    else if (msg.kind === 'pong') this.stopPongTimer();
  }

  listInstruments(): Promise<Instrument[]> {
    return listInstruments(this.session.rest, this.options.market, this.session.logger, () => this.session.closed);
  }

  onOpen(link: Link): void {
    this.link = link;
    this.pendingAcks.clear();
  }

  onDown(): void {
    this.stopPongTimer();
    this.pendingAcks.clear();
    for (const wait of this.waits.values()) this.session.clock.clearTimeout(wait.timer);
  }

  close(): void {
    this.onDown();
  }

  private request(op: 'subscribe' | 'unsubscribe', entries: ReadonlyArray<SessionEntry<BybitBookSync>>): string {
    return this.requestTopics(op, entries.map((e) => bookTopic(e.sync.depth, e.symbol)));
  }

  private requestTopics(op: 'subscribe' | 'unsubscribe', topics: string[]): string {
    const reqId = `${op === 'subscribe' ? 'sub' : 'unsub'}-${this.nextRequestId++}`;
    if (op === 'subscribe') this.pendingAcks.set(reqId, topics);
    return JSON.stringify({ req_id: reqId, op, args: topics });
  }

  /** The keep-alive message; also starts the pong deadline (a server that stops answering is dead to us). */
  private ping(): string {
    if (this.pongTimer === null) {
      this.pongTimer = this.session.clock.setTimeout(() => {
        if (this.session.closed) return;
        this.session.logger.log('warn', 'pong-timeout', { venue: this.session.venue, timeoutMs: this.pongTimeoutMs });
        this.pongTimer = null;
        this.link?.connection.restart(`no pong within ${Math.round(this.pongTimeoutMs / 100) / 10} s`);
      }, this.pongTimeoutMs);
    }
    return JSON.stringify({ req_id: `ping-${this.nextRequestId++}`, op: 'ping' });
  }

  private stopPongTimer(): void {
    this.session.clock.clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  /** Unsubscribe and subscribe one topic again: Bybit answers the subscribe with a fresh snapshot. */
  private resubscribeTopic(symbol: string, reason: string): void {
    const entry = this.session.entry(symbol);
    if (!entry || this.session.closed || !entry.link.connection.isOpen) return;
    this.session.logger.log('info', 'resubscribe', { venue: this.session.venue, symbol, topic: bookTopic(entry.sync.depth, symbol), reason });
    this.session.send(this.request('unsubscribe', [entry]));
    this.session.send(this.request('subscribe', [entry]));
    this.awaitSnapshot(symbol);
  }

  /** No snapshot within the timeout: resubscribe after a back-off that grows until one comes. */
  private awaitSnapshot(symbol: string): void {
    const clock = this.session.clock;
    const wait = this.waits.get(symbol) ?? { timer: null, backoff: new Backoff(500, 30_000) };
    this.waits.set(symbol, wait);
    clock.clearTimeout(wait.timer);
    wait.timer = clock.setTimeout(() => {
      const entry = this.session.entry(symbol);
      if (this.session.closed || !entry || !awaitingSnapshot(entry.feed.state)) return;
      const delay = wait.backoff.next();
      const why = `no snapshot within ${Math.round(this.snapshotTimeoutMs / 1000)} s of subscribing`;
      entry.feed.error(why);
      this.session.logger.log('warn', 'snapshot-timeout', { venue: this.session.venue, symbol, retryMs: delay });
      wait.timer = clock.setTimeout(() => {
        if (awaitingSnapshot(entry.feed.state)) this.resubscribeTopic(symbol, why);
      }, delay);
    }, this.snapshotTimeoutMs);
  }

  private onBook(msg: BookMessage, receivedAt: number): void {
    const entry = this.session.entry(msg.symbol);
    if (!entry || !entry.sync.accepts(msg)) return;
    const versionBefore = entry.feed.stateVersion;
    entry.sync.onMessage(msg, receivedAt);
    const wait = this.waits.get(entry.symbol);
    if (entry.feed.stateVersion !== versionBefore && entry.feed.state === 'synced' && wait) {
      this.session.clock.clearTimeout(wait.timer);
      wait.backoff.reset();
    }
  }

  private onAck(ack: AckMessage): void {
    const { logger, venue } = this.session;
    const topics = ack.reqId ? this.pendingAcks.get(ack.reqId) : undefined;
    if (ack.reqId) this.pendingAcks.delete(ack.reqId);
    if (ack.success) return;
    if (ack.op === 'unsubscribe' || /already subscribed/i.test(ack.message)) {
      // Unsubscribing a dropped topic is harmless (the subscribe follows); an already live topic sends its snapshot or is retried.
      logger.log('info', ack.op === 'unsubscribe' ? 'unsubscribe-refused' : 'already-subscribed', { venue, message: ack.message });
      return;
    }
    logger.log('error', 'subscribe-refused', { venue, message: ack.message, topics });
    // Bybit names the topics it refuses in ret_msg; without a name, blame the request's topics.
    const named = topicsInMessage(ack.message);
    for (const topic of named.length > 0 ? named : (topics ?? [])) {
      const entry = this.session.entry(parseBookTopic(topic)?.symbol ?? '');
      if (!entry) continue;
      this.session.clock.clearTimeout(this.waits.get(entry.symbol)?.timer);
      this.session.refuse(entry, `${venue} refused the subscription to ${topic}: ${ack.message || 'no reason given'}`);
    }
  }
}

/** The adapter: a session speaking this protocol. */
export type BybitAdapter = VenueSession<BybitBookSync, StreamMessage, BybitProtocol>;
export const createBybitAdapter = (options: BybitAdapterOptions): BybitAdapter => new VenueSession(options.venue, options, (session) => new BybitProtocol(session, options));
