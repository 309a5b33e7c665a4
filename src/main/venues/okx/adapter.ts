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
import { MalformedFrameError, type VenueAdapter } from '../adapter';
import { Backoff } from '../backoff';
import { FeedConnection } from '../connection';
import type { VenueModule } from '../registry';
import { SymbolFeed, type FeedListener } from '../symbol-feed';
import type { HttpResponse, Transport } from '../transport';
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

export interface OkxAdapterOptions {
  transport: Transport;
  listener: FeedListener;
  logger: Logger;
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
  resubscribeBackoff: Backoff;
  resubscribeTimer: unknown;
  snapshotTimer: unknown;
  okAtResubscribe: number;
}

export class OkxAdapter implements VenueAdapter {
  readonly venue: VenueId = 'okx';
  private readonly transport: Transport;
  private readonly logger: Logger;
  private readonly listener: FeedListener;
  private readonly endpoints: OkxEndpoints;
  private readonly channel: string;
  private readonly pingIdleMs: number;
  private readonly snapshotTimeoutMs: number;
  private readonly restTimeoutMs: number;
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
  unattributedMalformed = 0;

  constructor(options: OkxAdapterOptions) {
    this.transport = options.transport;
    this.logger = options.logger;
    this.listener = options.listener;
    this.endpoints = options.endpoints ?? OKX_ENDPOINTS;
    this.channel = options.channel && BOOK_CHANNELS.has(options.channel) ? options.channel : 'books';
    this.pingIdleMs = options.pingIdleMs ?? 20_000;
    this.snapshotTimeoutMs = options.snapshotTimeoutMs ?? 15_000;
    this.restTimeoutMs = options.restTimeoutMs ?? 10_000;
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
            this.clearTimers(sub);
            sub.feed.health.reconnects++;
            sub.feed.health.lastError = reason;
            sub.sync.disconnected(reason);
          }
        },
      },
    });
  }

  subscribe(symbols: readonly string[]): void {
    if (this.closed) return;
    const added: string[] = [];
    for (const raw of symbols) {
      const instId = raw.toUpperCase();
      if (this.subs.has(instId)) continue;
      const feed = new SymbolFeed(this.venue, instId, this.listener);
      const sync = new OkxBookSync(feed, {
        resubscribe: (reason) => this.resubscribe(instId, reason),
        note: (event, fields) =>
          this.logger.log(event === 'gap' || event === 'resync' || event === 'checksum-failed' ? 'warn' : 'info', event, { venue: this.venue, symbol: instId, ...fields }),
      });
      this.subs.set(instId, {
        feed,
        sync,
        channel: this.channel,
        resubscribeBackoff: new Backoff(250, 30_000),
        resubscribeTimer: null,
        snapshotTimer: null,
        okAtResubscribe: 0,
      });
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

  *feeds(): Iterable<SymbolFeed> {
    for (const sub of this.subs.values()) yield sub.feed;
  }

  health(): SymbolHealth[] {
    const now = this.transport.clock.now();
    return [...this.subs.values()].map((s) => s.feed.healthSnapshot(now));
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
    for (const sub of this.subs.values()) this.clearTimers(sub);
    this.connection.close();
  }

  /** GET with the venue's error message on failure and Retry-After honoured on HTTP 429. */
  private async restGet(pathAndQuery: string): Promise<string> {
    const url = `${this.endpoints.rest}${pathAndQuery}`;
    for (let attempt = 0; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await this.transport.get(url, { timeoutMs: this.restTimeoutMs });
      } catch (error) {
        throw new Error(`okx: cannot reach ${this.endpoints.rest} (${(error as Error).message})`, { cause: error });
      }
      if (response.status === 429 && attempt < MAX_RATE_LIMIT_RETRIES) {
        const retryAfter = Number(response.headers['retry-after']);
        const delay = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : 1000 * 2 ** attempt;
        this.logger.log('warn', 'instruments-rate-limited', { venue: this.venue, retryMs: delay });
        await new Promise<void>((resolve) => this.transport.clock.setTimeout(resolve, delay));
        continue;
      }
      if (response.status !== 200) throw new Error(`okx: instrument list request failed with HTTP ${response.status}`);
      return response.body;
    }
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
        this.armSnapshotTimer(instId, sub);
      }
    }
  }

  private resubscribe(instId: string, reason: string): void {
    const sub = this.subs.get(instId);
    if (!sub || this.closed) return;
    if (sub.feed.health.checksumOk > sub.okAtResubscribe) sub.resubscribeBackoff.reset();
    const delay = sub.resubscribeBackoff.next();
    const clock = this.transport.clock;
    this.clearTimers(sub);
    this.logger.log('info', 'resubscribe-scheduled', { venue: this.venue, symbol: instId, reason, delayMs: delay });
    sub.resubscribeTimer = clock.setTimeout(() => {
      sub.resubscribeTimer = null;
      if (this.closed || !this.connection.isOpen) return; // a reconnect subscribes everything anyway
      sub.okAtResubscribe = sub.feed.health.checksumOk;
      const arg = [{ channel: sub.channel, instId }];
      this.connection.send(this.request('unsubscribe', arg));
      this.connection.send(this.request('subscribe', arg));
      this.armSnapshotTimer(instId, sub);
    }, delay);
  }

  private armSnapshotTimer(instId: string, sub: Subscription): void {
    const clock = this.transport.clock;
    clock.clearTimeout(sub.snapshotTimer);
    sub.snapshotTimer = clock.setTimeout(() => {
      sub.snapshotTimer = null;
      const state = sub.feed.state;
      if (this.closed || state === 'synced' || state === 'failed' || state === 'connecting') return;
      this.resubscribe(instId, `no snapshot within ${Math.round(this.snapshotTimeoutMs / 1000)} s`);
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
    this.lastReceivedAt = receivedAt;
    let msg: OkxMessage;
    try {
      msg = parseOkxFrame(text);
    } catch (error) {
      if (!(error instanceof MalformedFrameError)) throw error;
      const sub = this.subs.get(instIdOfFrame(text).toUpperCase());
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
      case 'book': {
        const sub = this.subs.get(msg.instId.toUpperCase());
        if (!sub) return;
        sub.channel = msg.channel;
        for (const data of msg.data) {
          if (msg.action === 'snapshot') {
            this.transport.clock.clearTimeout(sub.snapshotTimer);
            sub.snapshotTimer = null;
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
    this.clearTimers(sub);
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
