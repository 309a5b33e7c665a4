/**
 * Kraken Futures WebSocket v1 adapter: one public connection carrying the `heartbeat` feed and, for
 * every subscribed product, the `book` feed (a snapshot, then one message per changed level, each
 * numbered by the product's `seq`) and the `trade` feed. Each book message is checked by ./sync.ts
 * (seq continues by one); a break resubscribes that product's book for a fresh snapshot. Kraken asks
 * clients to ping at least every 60 s, so a WebSocket protocol ping goes out every 30 s; silence past
 * the stale window (heartbeats arrive at timed intervals) counts as a dead connection. Each product
 * is subscribed in requests of its own, so the venue's answers (which name no product when they are
 * errors) can be matched to requests in order. Instruments come from REST.
 * docs/venues.md#kraken-futures.
 */
import type { Instrument } from '../../../shared/market';
import type { SessionOptions } from '../adapter';
import { RepeatingTimer } from '../repeating-timer';
import { restGetRetrying } from '../rest';
import { VenueSession, type ConnectionSpec, type Link, type Note, type RestSpec, type Resubscription, type SessionEntry, type VenueProtocol } from '../session';
import type { SymbolFeed } from '../symbol-feed';
import { INSTRUMENTS_PATH, parseInstruments } from './instruments';
import { parseKrakenFuturesFrame, productOfFrame, type KrakenFuturesMessage } from './messages';
import { KrakenFuturesBookSync } from './sync';

export const KRAKEN_FUTURES_ENDPOINTS = { ws: 'wss://futures.kraken.com/ws/v1', rest: 'https://futures.kraken.com' };

export interface KrakenFuturesAdapterOptions extends SessionOptions {
  /** WebSocket protocol ping interval (Kraken: at least every 60 s). */
  pingEveryMs?: number;
}

const MAX_RATE_LIMIT_RETRIES = 2;
/** Unanswered requests remembered per connection. */
const MAX_PENDING = 1000;

/** A request sent and not yet answered; the venue answers each in the order received. */
interface PendingRequest {
  event: 'subscribe' | 'unsubscribe';
  feed: string;
  /** Null for `heartbeat`, which takes no products. */
  product: string | null;
}

class KrakenFuturesProtocol implements VenueProtocol<KrakenFuturesBookSync, KrakenFuturesMessage> {
  readonly connection: ConnectionSpec;
  readonly rest: RestSpec;
  readonly resubscription: Resubscription<KrakenFuturesBookSync>;
  private readonly openLinks = new Set<Link>();
  private readonly pinger: RepeatingTimer;
  /** Requests awaiting the venue's answer, oldest first (cleared when the connection goes down). */
  private pending: PendingRequest[] = [];
  /** Protocol pings sent (tests). */
  pingsSent = 0;

  constructor(
    private readonly session: KrakenFuturesAdapter,
    options: KrakenFuturesAdapterOptions,
  ) {
    const endpoints = options.endpoints ?? KRAKEN_FUTURES_ENDPOINTS;
    this.rest = { base: endpoints.rest, timeoutMs: options.restTimeoutMs };
    // The venue documents no message-rate limit; requests are spaced anyway.
    this.connection = { url: () => endpoints.ws, staleAfterMs: options.staleAfterMs ?? 30_000, sendIntervalMs: 50 };
    // Unsubscribe and subscribe the product's book again: Kraken answers with a fresh book_snapshot.
    this.resubscription = {
      snapshotTimeoutMs: options.snapshotTimeoutMs ?? 15_000,
      frames: (entry) => [this.request('unsubscribe', 'book', entry.symbol), this.request('subscribe', 'book', entry.symbol)],
    };
    this.pinger = new RepeatingTimer(session.clock, options.pingEveryMs ?? 30_000, () => {
      for (const link of this.openLinks) {
        this.pingsSent++;
        link.connection.ping();
      }
    });
  }

  createSync(feed: SymbolFeed, note: Note): KrakenFuturesBookSync {
    return new KrakenFuturesBookSync(feed, { resubscribe: (reason) => this.session.scheduleResubscribe(feed.symbol, reason), note });
  }

  subscribeFrames(entries: ReadonlyArray<SessionEntry<KrakenFuturesBookSync>>): string[] {
    return entries.flatMap((e) => [this.request('subscribe', 'book', e.symbol), this.request('subscribe', 'trade', e.symbol)]);
  }

  readonly parse: (text: string, receivedAt?: number) => KrakenFuturesMessage = parseKrakenFuturesFrame;

  readonly symbolsIn = (text: string): string[] => [productOfFrame(text)];

  route(msg: KrakenFuturesMessage, receivedAt: number): void {
    switch (msg.kind) {
      case 'book_snapshot': {
        const entry = this.session.entry(msg.snapshot.productId);
        if (!entry) return;
        entry.timers?.snapshotArrived();
        entry.sync.onSnapshot(msg.snapshot, receivedAt);
        return;
      }
      case 'book':
        this.session.entry(msg.delta.productId)?.sync.onDelta(msg.delta, receivedAt);
        return;
      case 'trades':
        return this.session.routeTrades(msg.batch);
      case 'event':
        return this.onEvent(msg);
      case 'heartbeat':
      case 'other':
        return;
    }
  }

  listInstruments(): Promise<Instrument[]> {
    return restGetRetrying(this.session.rest, INSTRUMENTS_PATH, 'instrument list', { logger: this.session.logger, retries: MAX_RATE_LIMIT_RETRIES }).then(parseInstruments);
  }

  onOpen(link: Link): void {
    this.pending = [];
    this.openLinks.add(link);
    this.pinger.start();
    // Heartbeats keep a quiet connection talking, so silence means a dead one.
    this.session.send(this.request('subscribe', 'heartbeat', null), link);
  }

  onDown(link: Link): void {
    this.pending = [];
    this.openLinks.delete(link);
    if (this.openLinks.size === 0) this.pinger.stop();
  }

  close(): void {
    this.pinger.stop();
  }

  /** One request per product and feed, remembered so the venue's answer can be matched to it. */
  private request(event: PendingRequest['event'], feed: string, product: string | null): string {
    this.pending.push({ event, feed, product });
    // A venue that stopped answering must not grow this without bound.
    if (this.pending.length > MAX_PENDING) this.pending.shift();
    return JSON.stringify(product === null ? { event, feed } : { event, feed, product_ids: [product] });
  }

  private onEvent(msg: Extract<KrakenFuturesMessage, { kind: 'event' }>): void {
    const { logger } = this.session;
    switch (msg.event) {
      case 'subscribed':
      case 'unsubscribed':
        for (const product of msg.productIds.length > 0 ? msg.productIds : [null]) this.answered(msg.event === 'subscribed' ? 'subscribe' : 'unsubscribe', msg.feed, product);
        return;
      case 'subscribed_failed':
      case 'unsubscribed_failed': {
        logger.log('error', 'request-failed', { venue: 'kraken-futures', event: msg.event, feed: msg.feed ?? undefined, products: msg.productIds });
        const event = msg.event === 'subscribed_failed' ? 'subscribe' : 'unsubscribe';
        for (const product of msg.productIds) {
          this.answered(event, msg.feed, product);
          if (event === 'subscribe') this.refuse(product, `${msg.feed ?? 'feed'} subscription failed`);
        }
        return;
      }
      case 'error': {
        // Errors name no product: they answer the oldest request still waiting.
        const request = this.pending.shift();
        const text = msg.message ?? 'error';
        logger.log('error', 'request-failed', { venue: 'kraken-futures', error: text, feed: request?.feed, product: request?.product ?? undefined });
        if (request?.event === 'subscribe' && request.product !== null && /product/i.test(text)) this.refuse(request.product, text);
        return;
      }
      case 'alert':
        logger.log('warn', 'venue-alert', { venue: 'kraken-futures', message: msg.message ?? undefined });
        return;
      default:
        // `info` (the version, on connect) and anything new.
        logger.log('info', 'venue-event', { venue: 'kraken-futures', event: msg.event, message: msg.message ?? undefined });
    }
  }

  /** Forget the oldest waiting request this answer matches. */
  private answered(event: PendingRequest['event'], feed: string | null, product: string | null): void {
    const i = this.pending.findIndex((r) => r.event === event && r.feed === feed && r.product === product);
    if (i >= 0) this.pending.splice(i, 1);
  }

  private refuse(product: string, reason: string): void {
    const entry = this.session.entry(product);
    if (entry && entry.feed.state !== 'failed') this.session.refuse(entry, `kraken-futures refused ${product}: ${reason}`);
  }
}

/** The adapter: a session speaking this protocol. */
export type KrakenFuturesAdapter = VenueSession<KrakenFuturesBookSync, KrakenFuturesMessage, KrakenFuturesProtocol>;
export const createKrakenFuturesAdapter = (options: KrakenFuturesAdapterOptions): KrakenFuturesAdapter =>
  new VenueSession('kraken-futures', options, (session) => new KrakenFuturesProtocol(session, options));
