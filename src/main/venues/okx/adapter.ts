/**
 * OKX v5 adapter: one public connection with the `books` channel (400 levels, snapshot then 100 ms
 * increments) for every subscribed instrument. Each message is checked by ./sync.ts (prevSeqId
 * continuity, legacy checksum when non-zero); a failure resubscribes that instrument. OKX drops a
 * connection that has pushed nothing for 30 s, so after 20 s without receiving anything we send the
 * text `ping` and expect `pong`; silence past the stale window counts as a dead connection.
 * Captures may carry `books-l2-tbt` / `books50-l2-tbt` (same shape); they are read the same way and
 * a resubscribe uses the channel the data came on. Instruments come from REST. PROTOCOLS.md §6.
 */
import type { SymbolHealth } from '../../../shared/contract';
import type { Instrument, VenueId } from '../../../shared/market';
import type { Logger } from '../../log';
import type { AdapterOptions, VenueAdapter } from '../adapter';
import { FeedConnection } from '../connection';
import { MalformedFrames } from '../frames';
import type { VenueModule } from '../registry';
import { ResubscribeTimers, type ResubscribeContext } from '../resubscribe';
import { restGetRetrying, type RestTarget } from '../rest';
import { connectionLost, feedsOf, healthOf } from '../subscriptions';
import { SymbolFeed, type FeedListener } from '../symbol-feed';
import type { Transport } from '../transport';
import { INSTRUMENTS_PATH, UNDERLYING_PATH, parseInstruments, parseUnderlyings } from './instruments';
import { BOOK_CHANNELS, bookSubscriptionIds, instIdOfFrame, parseOkxFrame, type OkxMessage } from './messages';
import { OkxBookSync } from './sync';

export interface OkxEndpoints {
  /** Public WebSocket URL, e.g. wss://ws.okx.com:8443/ws/v5/public */
  ws: string;
  /** REST base, e.g. https://www.okx.com */
  rest: string;
}

export const OKX_ENDPOINTS: OkxEndpoints = { ws: 'wss://ws.okx.com:8443/ws/v5/public', rest: 'https://www.okx.com' };

export interface OkxAdapterOptions extends AdapterOptions {
  endpoints?: OkxEndpoints;
  /** Book channel to subscribe (`books` is public; the tick-by-tick ones need login and a VIP tier). */
  channel?: string;
  /** Send `ping` after this long without receiving anything (OKX: must be under 30 s). */
  pingIdleMs?: number;
  /** Nothing received for this long (not even `pong`) counts as a dropped connection. */
  staleAfterMs?: number;
  /** A (re)subscribed instrument without a snapshot after this long is subscribed again. */
  snapshotTimeoutMs?: number;
  restTimeoutMs?: number;
}

/** OKX allows 480 subscribe operations per hour per connection; args are batched into few ops. */
const SUBSCRIBE_BATCH = 50;
const SEND_INTERVAL_MS = 100;
const MAX_RATE_LIMIT_RETRIES = 2;

interface Subscription {
  feed: SymbolFeed;
  sync: OkxBookSync;
  /** The book channel this instrument streams on (what a resubscribe asks for). */
  channel: string;
  timers: ResubscribeTimers;
}

export class OkxAdapter implements VenueAdapter {
  readonly venue: VenueId = 'okx';
  private readonly transport: Transport;
  private readonly logger: Logger;
  private readonly listener: FeedListener;
  private readonly endpoints: OkxEndpoints;
  private readonly channel: string;
  private readonly pingIdleMs: number;
  private readonly rest: RestTarget;
  private readonly resubscribeContext: ResubscribeContext;
  private readonly malformed: MalformedFrames;
  private readonly subs = new Map<string, Subscription>();
  private readonly connection: FeedConnection;
  private nextRequestId = 1;
  private closed = false;
  /** Idle-ping bookkeeping, per connection. */
  private connectionGeneration = 0;
  private lastReceivedAt = 0;
  private pingTimer: unknown = null;
  /** Text pings sent (tests and health). */
  pingsSent = 0;

  constructor(options: OkxAdapterOptions) {
    this.transport = options.transport;
    this.logger = options.logger;
    this.listener = options.listener;
    this.endpoints = options.endpoints ?? OKX_ENDPOINTS;
    this.channel = options.channel && BOOK_CHANNELS.has(options.channel) ? options.channel : 'books';
    this.pingIdleMs = options.pingIdleMs ?? 20_000;
    this.rest = { venue: this.venue, transport: this.transport, base: this.endpoints.rest, timeoutMs: options.restTimeoutMs ?? 10_000 };
    this.malformed = new MalformedFrames(this.venue, this.logger);
    this.connection = new FeedConnection({
      venue: this.venue,
      transport: this.transport,
      logger: this.logger,
      url: () => this.endpoints.ws,
      staleAfterMs: options.staleAfterMs ?? 30_000,
      sendIntervalMs: SEND_INTERVAL_MS,
      handlers: {
        onOpen: () => this.onOpen(),
        onFrame: (text, receivedAt) => this.onFrame(text, receivedAt),
        onDown: (reason) => {
          this.connectionGeneration++;
          this.transport.clock.clearTimeout(this.pingTimer);
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

  subscribe(symbols: readonly string[]): void {
    if (this.closed) return;
    const added: string[] = [];
    for (const raw of symbols) {
      const instId = raw.toUpperCase();
      if (this.subs.has(instId)) continue;
      const feed = new SymbolFeed(this.venue, instId, this.listener);
      const timers = new ResubscribeTimers(this.resubscribeContext, feed, () => this.sendResubscribe(instId));
      const sync = new OkxBookSync(feed, {
        resubscribe: (reason) => timers.schedule(reason),
        note: (event, fields) =>
          this.logger.log(event === 'gap' || event === 'resync' || event === 'checksum-failed' ? 'warn' : 'info', event, { venue: this.venue, symbol: instId, ...fields }),
      });
      this.subs.set(instId, { feed, sync, channel: this.channel, timers });
      feed.setState('connecting', 'subscribed');
      added.push(instId);
    }
    if (added.length === 0) return;
    if (!this.connection.isStarted) this.connection.start();
    else if (this.connection.isOpen) this.sendSubscribes(added);
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

  /** Spot, perpetual swaps, futures and options. Options are listed per underlying; if that part fails the rest is still returned. */
  async listInstruments(): Promise<Instrument[]> {
    const out: Instrument[] = [];
    for (const instType of ['SPOT', 'SWAP', 'FUTURES'] as const) {
      const body = await this.restGet(`${INSTRUMENTS_PATH}?instType=${instType}`);
      out.push(...parseInstruments(body, instType));
    }
    try {
      const underlyings = parseUnderlyings(await this.restGet(`${UNDERLYING_PATH}?instType=OPTION`));
      for (const uly of underlyings) {
        out.push(...parseInstruments(await this.restGet(`${INSTRUMENTS_PATH}?instType=OPTION&uly=${encodeURIComponent(uly)}`), 'OPTION'));
      }
    } catch (error) {
      this.logger.log('warn', 'option-instruments-failed', { venue: this.venue, error: (error as Error).message });
    }
    return out;
  }

  close(): void {
    this.closed = true;
    this.transport.clock.clearTimeout(this.pingTimer);
    for (const sub of this.subs.values()) sub.timers.clear();
    this.connection.close();
  }

  /** GET with the venue's error message on failure and Retry-After honoured on HTTP 429. */
  private restGet(pathAndQuery: string): Promise<string> {
    return restGetRetrying(this.rest, pathAndQuery, 'instrument list', { logger: this.logger, retries: MAX_RATE_LIMIT_RETRIES });
  }

  private onOpen(): void {
    const generation = ++this.connectionGeneration;
    this.lastReceivedAt = this.transport.clock.now();
    this.armPing(generation, this.pingIdleMs);
    this.sendSubscribes([...this.subs.keys()].filter((id) => this.subs.get(id)!.feed.state !== 'failed'));
  }

  /** OKX closes a connection with nothing pushed for 30 s: ping when we have heard nothing for pingIdleMs. */
  private armPing(generation: number, delay: number): void {
    const clock = this.transport.clock;
    clock.clearTimeout(this.pingTimer);
    this.pingTimer = clock.setTimeout(() => {
      if (generation !== this.connectionGeneration || this.closed) return;
      const idle = clock.now() - this.lastReceivedAt;
      if (idle >= this.pingIdleMs) {
        this.pingsSent++;
        this.connection.send('ping');
        this.armPing(generation, this.pingIdleMs);
      } else {
        this.armPing(generation, this.pingIdleMs - idle);
      }
    }, Math.max(10, delay));
  }

  private request(op: 'subscribe' | 'unsubscribe', args: Array<{ channel: string; instId: string }>): string {
    return JSON.stringify({ id: String(this.nextRequestId++), op, args });
  }

  private sendSubscribes(instIds: string[]): void {
    for (let i = 0; i < instIds.length; i += SUBSCRIBE_BATCH) {
      const batch = instIds.slice(i, i + SUBSCRIBE_BATCH);
      this.connection.send(this.request('subscribe', batch.map((instId) => ({ channel: this.subs.get(instId)!.channel, instId }))));
      for (const instId of batch) {
        const sub = this.subs.get(instId)!;
        sub.sync.start();
        sub.timers.armSnapshotTimer();
      }
    }
  }

  /** Unsubscribe and subscribe the instrument again on the channel its data came on: OKX answers with a fresh snapshot. */
  private sendResubscribe(instId: string): void {
    const arg = [{ channel: this.subs.get(instId)!.channel, instId }];
    this.connection.send(this.request('unsubscribe', arg));
    this.connection.send(this.request('subscribe', arg));
  }

  private onFrame(text: string, receivedAt: number): void {
    this.lastReceivedAt = receivedAt;
    const msg = this.malformed.parse(text, parseOkxFrame, (t) => this.subs.get(instIdOfFrame(t).toUpperCase())?.feed);
    if (msg === undefined) return;
    switch (msg.kind) {
      case 'book': {
        const sub = this.subs.get(msg.instId.toUpperCase());
        if (!sub) return;
        sub.channel = msg.channel;
        for (const data of msg.data) {
          if (msg.action === 'snapshot') {
            sub.timers.snapshotArrived();
            sub.sync.onSnapshot(data, receivedAt);
          } else {
            sub.sync.onUpdate(data, receivedAt);
          }
        }
        return;
      }
      case 'event':
        this.onEvent(msg);
        return;
      case 'pong':
      case 'other':
        return;
    }
  }

  private onEvent(msg: Extract<OkxMessage, { kind: 'event' }>): void {
    if (msg.event !== 'error') {
      if (msg.event === 'notice') this.logger.log('warn', 'venue-notice', { venue: this.venue, code: msg.code ?? undefined, msg: msg.msg ?? undefined });
      return;
    }
    const text = msg.msg ?? 'error';
    this.logger.log('error', 'request-failed', { venue: this.venue, code: msg.code ?? undefined, error: text });
    // The error names its instrument in `arg` or in the text ("...channel:books,instId:FOO-BAR doesn't exist").
    const named = msg.instId ?? /instId:([A-Za-z0-9-]+)/.exec(text)?.[1] ?? null;
    if (named === null) return;
    const sub = this.subs.get(named.toUpperCase());
    if (!sub) return;
    sub.timers.clear();
    sub.sync.refused(`okx refused ${named}: ${text}${msg.code ? ` (code ${msg.code})` : ''}`);
  }
}

/** The venue as the registry, the app and replay see it. */
export const okxVenue: VenueModule = {
  id: 'okx',
  name: 'OKX',
  createAdapter: (ctx) => new OkxAdapter(ctx),
  captureSymbols: (kind, text) => (kind === 'send' ? bookSubscriptionIds(text) : []),
};
