/**
 * Deribit adapter (API v2, JSON-RPC over one WebSocket): `book.{instrument}.100ms` (a snapshot, then
 * changes chained by `prev_change_id`) and `trades.{instrument}.100ms` for every subscribed instrument
 * (futures, perpetuals, options, spot). `raw` is only open to authorised connections today, so the
 * public feed uses `100ms`; captures recorded on `raw` (2021) are read the same way, and a resubscribe
 * uses the interval the data came on. Each book follows ./sync.ts; a gap, crossed book or unreadable
 * level unsubscribes and subscribes that book again. `public/set_heartbeat` makes Deribit send a
 * heartbeat or a `test_request` every interval, which we answer with `public/test` (Deribit closes a
 * connection that does not answer); silence past the stale window counts as a dead connection.
 * A book channel missing from the venue's subscribe answer is an instrument Deribit does not know: it
 * fails with that reason. Instruments come from REST. docs/venues.md#deribit.
 */
import type { Instrument } from '../../../shared/market';
import type { TradeBatch } from '../../trades/batch';
import { MalformedFrameError, type SessionOptions } from '../adapter';
import { restGetRetrying } from '../rest';
import { inBatches, VenueSession, type ConnectionSpec, type Link, type Note, type RestSpec, type Resubscription, type SessionEntry, type VenueProtocol } from '../session';
import type { SymbolFeed } from '../symbol-feed';
import { INSTRUMENTS_PATH, parseInstruments } from './instruments';
import { BOOK_INTERVALS, bookChannel, instrumentOfFrame, parseBookChannel, parseDeribitFrame, tradesChannel, type DeribitMessage } from './messages';
import { DeribitBookSync } from './sync';
import { parseDeribitTrades } from './trades';

export const DERIBIT_ENDPOINTS = { ws: 'wss://www.deribit.com/ws/api/v2', rest: 'https://www.deribit.com' };

export interface DeribitAdapterOptions extends SessionOptions {
  /** Notification interval of the book and trade channels: `100ms` (public) unless told; `raw` needs an authorised connection. */
  interval?: string;
  /** Interval asked of `public/set_heartbeat`, in seconds (Deribit: at least 10). */
  heartbeatSeconds?: number;
}

/** Instruments per subscribe request (two channels each); the docs set no limit, this keeps requests small. */
const INSTRUMENTS_PER_REQUEST = 50;
const MAX_RATE_LIMIT_RETRIES = 2;
/** JSON-RPC "Invalid params": what Deribit answers to a malformed channel name. */
const INVALID_PARAMS = -32602;
const MAX_PENDING = 1000;

/** A request waiting for its answer. */
interface Pending {
  method: string;
  /** For subscribe requests: the instruments whose book channels were asked for, by channel. */
  books: Map<string, string>;
}

class DeribitProtocol implements VenueProtocol<DeribitBookSync, DeribitMessage> {
  readonly connection: ConnectionSpec;
  readonly rest: RestSpec;
  readonly resubscription: Resubscription<DeribitBookSync>;
  private readonly interval: string;
  private readonly heartbeatSeconds: number;
  /** The interval each instrument's book streams on (what a resubscribe asks for). */
  private readonly intervals = new Map<string, string>();
  private readonly pending = new Map<number, Pending>();
  /**
   * Request ids start at a random point: replaying a recording answers with the ids of the recorded
   * session, and an answer must not be taken for one to a different request of this adapter.
   */
  private nextRequestId = 1 + Math.floor(Math.random() * 1_000_000_000);
  /** `test_request`s answered. */
  testRequestsAnswered = 0;

  constructor(
    private readonly session: DeribitAdapter,
    options: DeribitAdapterOptions,
  ) {
    const endpoints = options.endpoints ?? DERIBIT_ENDPOINTS;
    this.interval = options.interval && BOOK_INTERVALS.has(options.interval) ? options.interval : '100ms';
    this.heartbeatSeconds = options.heartbeatSeconds ?? 10;
    this.rest = { base: endpoints.rest, timeoutMs: options.restTimeoutMs };
    // Heartbeats come every heartbeatSeconds even on a quiet book: three missed ones mean a dead link.
    this.connection = { url: () => endpoints.ws, staleAfterMs: options.staleAfterMs ?? 30_000, sendIntervalMs: 50 };
    // Unsubscribe and subscribe the book on the interval the data came on: the first notification is a fresh snapshot.
    this.resubscription = {
      snapshotTimeoutMs: options.snapshotTimeoutMs ?? 15_000,
      frames: (entry) => {
        const channel = bookChannel(entry.symbol, this.intervalOf(entry.symbol));
        return [this.request('public/unsubscribe', { channels: [channel] }), this.subscribeRequest([channel])];
      },
    };
  }

  /** Deribit's names are case-sensitive (option strikes such as `0d048` hold a lower-case d). */
  key(symbol: string): string {
    return symbol;
  }

  createSync(feed: SymbolFeed, note: Note): DeribitBookSync {
    return new DeribitBookSync(feed, { resubscribe: (reason) => this.session.scheduleResubscribe(feed.symbol, reason), note });
  }

  subscribeFrames(entries: ReadonlyArray<SessionEntry<DeribitBookSync>>): string[] {
    return inBatches(entries, INSTRUMENTS_PER_REQUEST).map((batch) =>
      this.subscribeRequest(batch.flatMap((e) => [bookChannel(e.symbol, this.intervalOf(e.symbol)), tradesChannel(e.symbol, this.intervalOf(e.symbol))])),
    );
  }

  readonly parse: (text: string) => DeribitMessage = parseDeribitFrame;

  readonly symbolsIn = instrumentOfFrame;

  route(msg: DeribitMessage, receivedAt: number, link: Link): void {
    switch (msg.kind) {
      case 'book':
        return this.onBook(msg, receivedAt);
      case 'trades':
        return this.onTrades(msg, receivedAt);
      case 'heartbeat':
        if (msg.type === 'test_request') {
          // Deribit closes the connection at once if this goes unanswered.
          this.testRequestsAnswered++;
          this.session.send(this.request('public/test', {}), link);
        }
        return;
      case 'response':
        return this.onResponse(msg);
      case 'other':
        return;
    }
  }

  async listInstruments(): Promise<Instrument[]> {
    const body = await restGetRetrying(this.session.rest, INSTRUMENTS_PATH, 'instrument list', { logger: this.session.logger, retries: MAX_RATE_LIMIT_RETRIES });
    return parseInstruments(body);
  }

  onOpen(link: Link): void {
    this.pending.clear();
    this.session.send(this.request('public/set_heartbeat', { interval: this.heartbeatSeconds }), link);
  }

  onDown(): void {
    this.pending.clear();
  }

  // ---- messages ---------------------------------------------------------------------------------

  private onBook(msg: Extract<DeribitMessage, { kind: 'book' }>, receivedAt: number): void {
    const entry = this.session.entry(msg.instrument);
    if (!entry) return;
    this.intervals.set(entry.symbol, msg.interval);
    if (msg.data.type === 'snapshot') {
      entry.timers?.snapshotArrived();
      entry.sync.onSnapshot(msg.data, receivedAt);
    } else {
      entry.sync.onChange(msg.data, receivedAt);
    }
  }

  private onTrades(msg: Extract<DeribitMessage, { kind: 'trades' }>, receivedAt: number): void {
    let batch: TradeBatch | null;
    try {
      batch = parseDeribitTrades(msg.message, receivedAt);
    } catch (error) {
      if (!(error instanceof MalformedFrameError)) throw error;
      this.session.entry(msg.instrument)?.feed.malformed(error.message);
      this.session.logger.log('warn', 'malformed-frame', { venue: 'deribit', error: error.message });
      return;
    }
    if (batch) this.session.routeTrades(batch);
  }

  private onResponse(msg: Extract<DeribitMessage, { kind: 'response' }>): void {
    const pending = this.pending.get(msg.id);
    if (!pending) return;
    this.pending.delete(msg.id);
    if (msg.error) return this.onRequestFailed(pending, msg.error);
    if (pending.method !== 'public/subscribe') return;
    // Deribit answers with the channels it subscribed and silently leaves out those it does not know.
    const subscribed = new Set(Array.isArray(msg.result) ? msg.result.filter((c): c is string => typeof c === 'string') : []);
    for (const [channel, instrument] of pending.books) {
      if (subscribed.has(channel)) continue;
      const entry = this.session.entry(instrument);
      if (entry && entry.feed.state !== 'failed') this.session.refuse(entry, `deribit did not subscribe ${channel}: no such instrument (or not open)`);
    }
  }

  private onRequestFailed(pending: Pending, error: { code: number | null; message: string }): void {
    this.session.logger.log('error', 'request-failed', { venue: 'deribit', method: pending.method, code: error.code ?? undefined, error: error.message });
    const books = [...pending.books];
    if (error.code !== INVALID_PARAMS) {
      // Not the names' fault (a rate limit, say): the snapshot timer subscribes these books again.
      for (const [, instrument] of books) this.session.entry(instrument)?.feed.error(`deribit: subscribe failed: ${error.message}; retrying`);
      return;
    }
    // One bad name fails the whole request: ask for each book on its own to find which.
    if (books.length > 1) {
      for (const [channel, instrument] of books) this.session.send(this.subscribeRequest([channel, tradesChannel(instrument, parseBookChannel(channel)!.interval)]));
      return;
    }
    const entry = books.length === 1 ? this.session.entry(books[0]![1]) : undefined;
    if (entry) this.session.refuse(entry, `deribit refused ${entry.symbol}: ${error.message} (code ${error.code})`);
  }

  // ---- requests ---------------------------------------------------------------------------------

  private intervalOf(symbol: string): string {
    return this.intervals.get(symbol) ?? this.interval;
  }

  private subscribeRequest(channels: string[]): string {
    const books = new Map<string, string>();
    for (const channel of channels) {
      const book = parseBookChannel(channel);
      if (book) books.set(channel, book.instrument);
    }
    return this.request('public/subscribe', { channels }, books);
  }

  /** A JSON-RPC request; subscribe and set_heartbeat answers are awaited (the others need no answer). */
  private request(method: string, params: Record<string, unknown>, books = new Map<string, string>()): string {
    const id = this.nextRequestId++;
    if (method === 'public/subscribe' || method === 'public/set_heartbeat') {
      // Answers that never come (a replay answers nothing) must not pile up.
      if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
      this.pending.set(id, { method, books });
    }
    return JSON.stringify({ jsonrpc: '2.0', id, method, params });
  }
}

/** The adapter: a session speaking this protocol. */
export type DeribitAdapter = VenueSession<DeribitBookSync, DeribitMessage, DeribitProtocol>;
export const createDeribitAdapter = (options: DeribitAdapterOptions): DeribitAdapter =>
  new VenueSession('deribit', options, (session) => new DeribitProtocol(session, options));
