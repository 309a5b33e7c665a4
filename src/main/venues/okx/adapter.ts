/**
 * OKX v5 adapter: one public connection with the `books` channel (400 levels, snapshot then 100 ms
 * increments) and the `trades` channel for every subscribed instrument. Each message is checked by ./sync.ts (prevSeqId
 * continuity, legacy checksum when non-zero); a failure resubscribes that instrument. OKX drops a
 * connection that has pushed nothing for 30 s, so after 20 s without receiving anything we send the
 * text `ping` and expect `pong`; silence past the stale window counts as a dead connection.
 * Captures may carry `books-l2-tbt` / `books50-l2-tbt` (same shape); they are read the same way and
 * a resubscribe uses the channel the data came on. Instruments come from REST. docs/venues.md#okx.
 */
import type { Instrument } from '../../../shared/market';
import type { SessionOptions } from '../adapter';
import { RepeatingTimer } from '../repeating-timer';
import { restGetRetrying } from '../rest';
import { inBatches, VenueSession, type ConnectionSpec, type RestSpec, type Resubscription, type Note, type SessionEntry, type VenueProtocol } from '../session';
import { routeBookMessage } from '../resubscribe-sync';
import type { SymbolFeed } from '../symbol-feed';
import { INSTRUMENTS_PATH, UNDERLYING_PATH, parseInstruments, parseUnderlyings } from './instruments';
import { BOOK_CHANNELS, instIdOfFrame, parseOkxFrame, type OkxMessage } from './messages';
import { OkxBookSync } from './sync';

export const OKX_ENDPOINTS = { ws: 'wss://ws.okx.com:8443/ws/v5/public', rest: 'https://www.okx.com' };

export interface OkxAdapterOptions extends SessionOptions {
  /** Book channel to subscribe (`books` is public; the tick-by-tick ones need login and a VIP tier). */
  channel?: string;
  /** Send `ping` after this long without receiving anything (OKX: must be under 30 s). */
  pingIdleMs?: number;
}

/** OKX allows 480 subscribe operations per hour per connection; args are batched into few ops. */
const SUBSCRIBE_BATCH = 50;
/** Instruments per subscribe op: two args each (book and trades) within SUBSCRIBE_BATCH. */
const INSTRUMENTS_PER_SUBSCRIBE = SUBSCRIBE_BATCH / 2;
const MAX_RATE_LIMIT_RETRIES = 2;

class OkxProtocol implements VenueProtocol<OkxBookSync, OkxMessage> {
  readonly connection: ConnectionSpec;
  readonly rest: RestSpec;
  readonly resubscription: Resubscription<OkxBookSync>;
  private readonly channel: string;
  /** The book channel each instrument streams on (what a resubscribe asks for). */
  private readonly channels = new Map<string, string>();
  private readonly idlePing: RepeatingTimer;
  private lastReceivedAt = 0;
  private nextRequestId = 1;
  /** Text pings sent (tests and health). */
  pingsSent = 0;

  constructor(
    private readonly session: OkxAdapter,
    options: OkxAdapterOptions,
  ) {
    const endpoints = options.endpoints ?? OKX_ENDPOINTS;
    const pingIdleMs = options.pingIdleMs ?? 20_000;
    this.channel = options.channel && BOOK_CHANNELS.has(options.channel) ? options.channel : 'books';
    this.rest = { base: endpoints.rest, timeoutMs: options.restTimeoutMs };
    this.connection = { url: () => endpoints.ws, staleAfterMs: options.staleAfterMs ?? 30_000, sendIntervalMs: 100 };
    // Unsubscribe and subscribe on the channel the data came on: OKX answers with a fresh snapshot.
    this.resubscription = {
      snapshotTimeoutMs: options.snapshotTimeoutMs ?? 15_000,
      frames: (entry) => [this.request('unsubscribe', [entry]), this.request('subscribe', [entry])],
    };
    // OKX closes a connection with nothing pushed for 30 s: ping when we have heard nothing for pingIdleMs.
    this.idlePing = new RepeatingTimer(session.clock, Math.max(10, pingIdleMs / 4), (now) => {
      if (now - this.lastReceivedAt < pingIdleMs) return;
      this.pingsSent++;
      this.lastReceivedAt = now;
      this.session.send('ping');
    });
  }

  createSync(feed: SymbolFeed, note: Note): OkxBookSync {
    return new OkxBookSync(feed, { resubscribe: (reason) => this.session.scheduleResubscribe(feed.symbol, reason), note });
  }

  subscribeFrames(entries: ReadonlyArray<SessionEntry<OkxBookSync>>): string[] {
    return inBatches(entries, INSTRUMENTS_PER_SUBSCRIBE).map((batch) => this.request('subscribe', batch, true));
  }

  readonly parse: (text: string, receivedAt: number) => OkxMessage = parseOkxFrame;

  readonly symbolsIn = (text: string): string[] => [instIdOfFrame(text)];

  route(msg: OkxMessage, receivedAt: number): void {
    this.lastReceivedAt = receivedAt;
    if (msg.kind === 'event') return this.onEvent(msg);
    if (msg.kind === 'trades') return this.session.routeTrades(msg.batch);
    if (msg.kind !== 'book') return;
    const entry = this.session.entry(msg.instId);
    if (!entry) return;
    this.channels.set(entry.symbol, msg.channel);
    routeBookMessage(entry, msg.action, msg.data, receivedAt);
  }

  /** Spot, perpetual swaps, futures and options. Options are listed per underlying; if that part fails the rest is still returned. */
  async listInstruments(): Promise<Instrument[]> {
    const out: Instrument[] = [];
    for (const instType of ['SPOT', 'SWAP', 'FUTURES'] as const) out.push(...parseInstruments(await this.restGet(`${INSTRUMENTS_PATH}?instType=${instType}`), instType));
    try {
      for (const uly of parseUnderlyings(await this.restGet(`${UNDERLYING_PATH}?instType=OPTION`))) {
        out.push(...parseInstruments(await this.restGet(`${INSTRUMENTS_PATH}?instType=OPTION&uly=${encodeURIComponent(uly)}`), 'OPTION'));
      }
    } catch (error) {
      this.session.logger.log('warn', 'option-instruments-failed', { venue: 'okx', error: (error as Error).message });
    }
    return out;
  }

  onOpen(): void {
    this.lastReceivedAt = this.session.clock.now();
    this.idlePing.start();
  }

  onDown(): void {
    this.idlePing.stop();
  }

  close(): void {
    this.idlePing.stop();
  }

  /** GET with the venue's error message on failure and Retry-After honoured on HTTP 429. */
  private restGet(pathAndQuery: string): Promise<string> {
    return restGetRetrying(this.session.rest, pathAndQuery, 'instrument list', { logger: this.session.logger, retries: MAX_RATE_LIMIT_RETRIES });
  }

  /** A (un)subscribe op for these instruments' books, and their trades too when asked (a book resubscribe leaves trades running). */
  private request(op: 'subscribe' | 'unsubscribe', entries: ReadonlyArray<SessionEntry<OkxBookSync>>, withTrades = false): string {
    const args = entries.flatMap((e) => [
      { channel: this.channels.get(e.symbol) ?? this.channel, instId: e.symbol },
      ...(withTrades ? [{ channel: 'trades', instId: e.symbol }] : []),
    ]);
    return JSON.stringify({ id: String(this.nextRequestId++), op, args });
  }

  private onEvent(msg: Extract<OkxMessage, { kind: 'event' }>): void {
    const { logger } = this.session;
    if (msg.event === 'notice') logger.log('warn', 'venue-notice', { venue: 'okx', code: msg.code ?? undefined, msg: msg.msg ?? undefined });
    if (msg.event !== 'error') return;
    const text = msg.msg ?? 'error';
    logger.log('error', 'request-failed', { venue: 'okx', code: msg.code ?? undefined, error: text });
    // The error names its instrument in `arg` or in the text ("...channel:books,instId:FOO-BAR doesn't exist").
    const named = msg.instId ?? /instId:([A-Za-z0-9-]+)/.exec(text)?.[1] ?? null;
    const entry = named === null ? undefined : this.session.entry(named);
    if (entry) this.session.refuse(entry, `okx refused ${named}: ${text}${msg.code ? ` (code ${msg.code})` : ''}`);
  }
}

/** The adapter: a session speaking this protocol. */
export type OkxAdapter = VenueSession<OkxBookSync, OkxMessage, OkxProtocol>;
export const createOkxAdapter = (options: OkxAdapterOptions): OkxAdapter => new VenueSession('okx', options, (session) => new OkxProtocol(session, options));
