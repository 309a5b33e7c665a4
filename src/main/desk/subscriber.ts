/**
 * Desktops and web hosts as subscribers: a venue adapter whose books come from the desk's NATS
 * instead of an exchange. It plugs into the market service like any venue, so every panel,
 * analytics, the store and /api/book work unchanged.
 *
 * Per book: load the collector's last snapshot from the KV bucket, then follow the book's messages
 * from the stream sequence that snapshot is current to (one consumer on
 * `obm.<venue>.<symbol>.>`). A break in the per-book sequence, a level count that disagrees with the
 * collector's, or a new collector run reloads from the snapshot. No message from the collector for
 * a few seconds (it publishes health every second) shows the book as lost, not frozen-live; a
 * malformed message is counted on the book's health and skipped.
 */
import { TimeoutError, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, type Consumer, type ConsumerMessages, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { MAX_TRADES_PER_FRAME, type SymbolHealth } from '../../shared/contract';
import type { Instrument, Trade, VenueId } from '../../shared/market';
import type { Logger } from '../log';
import { connectDesk, openDeskStorage } from './connection';
import type { AdapterContext, VenueAdapter } from '../venues/adapter';
import { SymbolFeed, type FeedListener } from '../venues/symbol-feed';
import {
  STREAM_NAME,
  MalformedMessageError,
  bookFilter,
  parseBook,
  parseHealth,
  parseInstrument,
  parseSnapshot,
  parseSnapshotKey,
  parseState,
  parseSubject,
  parseTrade,
  snapshotKey,
  subjectOf,
  type BookMessage,
  type DeskKind,
  type BookSnapshot,
  type StateMessage,
} from './subjects';

export interface DeskSubscriberOptions {
  js: JetStreamClient;
  books: KV;
  /** The collectors' instruments of their books (null: a desk without the bucket). */
  instruments?: KV | null;
  logger: Logger;
  /** No message from the collector for this long shows the book as lost (default 5 s). */
  staleAfterMs?: number;
  /** Wait before trying again when a book has no snapshot yet or loading failed (default 1 s). */
  retryMs?: number;
  /** A book's recent trades loaded on join, for its tape and trade analytics: at most this many (default 2,000)… */
  recentTrades?: number;
  /** …published at most this long before the snapshot was taken (default 15 min). */
  recentTradesMs?: number;
}

/**
 * How long the subscriber waits for a JetStream request (the client's default is 5 s): a consumer
 * whose creation is lost (below) is asked for again after 2 s, not 5.
 */
export const SUBSCRIBER_API_TIMEOUT_MS = 2000;
const CONSUMER_CREATE_ATTEMPTS = 10;
/** A consumer left behind (its subscriber gone without deleting it) is removed by the server after this long. */
const CONSUMER_INACTIVE_MS = 60_000;

type ConsumerStart = { deliver_policy: typeof DeliverPolicy.StartSequence; opt_start_seq: number } | { deliver_policy: typeof DeliverPolicy.StartTime; opt_start_time: string };

/**
 * A consumer of the desk's stream for one book's subject(s), from `start`, whose messages nobody acks.
 *
 * Not the client's ordered consumer: that one asks for a single copy (`num_replicas: 1`), which
 * nats-server before 2.12 places on the stream's first peer it believes up, and for tens of seconds
 * after a cluster node dies that is often the dead one, whose creation then never answers (measured:
 * 9 creations in 15 time out). Left to the server (no replica count), an ephemeral consumer of a
 * limits stream gets one copy on a random peer of the stream (nats-server#7165): with one node of
 * three down, one creation in three times out, so it is asked for again at once. The caller checks
 * each message's delivery sequence, which is what the ordered consumer guards.
 */
export async function streamConsumer(js: JetStreamClient, filter: string, start: ConsumerStart): Promise<Consumer> {
  const jsm = await js.jetstreamManager(false);
  for (let attempt = 1; ; attempt++) {
    try {
      const info = await jsm.consumers.add(STREAM_NAME, {
        filter_subject: filter,
        ...start,
        ack_policy: AckPolicy.None,
        mem_storage: true,
        inactive_threshold: CONSUMER_INACTIVE_MS * 1_000_000,
      });
      return js.consumers.getConsumerFromInfo(info);
    } catch (error) {
      if (!(error instanceof TimeoutError) || attempt >= CONSUMER_CREATE_ATTEMPTS) throw error;
    }
  }
}

/**
 * A publish the collector retried while a leader was elected can be stored after later messages of
 * its book. Messages past a missing one wait this long for it (the collector's retry pause is at most
 * 2 s) before the book is reloaded from its snapshot; at most MAX_AHEAD of them are held.
 */
export const REORDER_WAIT_MS = 2500;
const MAX_AHEAD = 5000;

/** What the desk's collectors publish: every book with a snapshot in the KV bucket. */
export async function publishedBooks(books: KV, venue?: VenueId): Promise<Array<{ venue: VenueId; symbol: string }>> {
  const found: Array<{ venue: VenueId; symbol: string }> = [];
  for await (const key of await books.keys(venue ? `${venue}.>` : '>')) {
    const book = parseSnapshotKey(key);
    if (book) found.push(book);
  }
  return found;
}

/** One book followed from the desk. */
class RemoteBook {
  readonly feed: SymbolFeed;
  private run: string | null = null;
  private expectedSeq = 0;
  private messages: ConsumerMessages | null = null;
  private consumer: Consumer | null = null;
  /** Bumped on every (re)load: messages of an older consumer are ignored. */
  private generation = 0;
  private loading = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** When the newest message seen was stored in the stream (the collector's last sign of life). */
  private lastMessageAt = Date.now();
  /**
   * The newest message whose stored time is not in lastMessageAt yet: reading it parses the message's
   * reply subject and a BigInt, so it is read when the time is needed (every second), not per message.
   */
  private unreadStoredAt: JsMsg | null = null;
  /** The book's subjects, parsed once. */
  private readonly subjects = new Map<string, { kind: DeskKind }>();
  private lastLoadAt = 0;
  /** Loaded from a snapshot older than the stale limit: synced only once a fresh message shows the collector alive. */
  private awaitingFresh = false;
  private remoteHealth: SymbolHealth | null = null;
  private ended = false;
  private staleMessage: string | null = null;
  /** Malformed messages counted here too (the feed's counter also counts its own). */
  malformed = 0;
  /** Stream sequence of the newest trade handed to the feed, and its run: a reload continues after it. */
  private tradesThroughSeq = 0;
  private tradesRun: string | null = null;
  /** Book messages stored ahead of a missing one, by book sequence, and when the first was held. */
  private readonly ahead = new Map<number, BookMessage>();
  private aheadSince = 0;

  constructor(
    venue: VenueId,
    symbol: string,
    listener: FeedListener,
    private readonly options: DeskSubscriberOptions,
  ) {
    this.feed = new SymbolFeed(venue, symbol, listener, options.logger);
    this.feed.connecting('loading the book from the desk');
    void this.load('subscribed');
  }

  private schedule(reason: string): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.load(reason);
    }, this.options.retryMs ?? 1000);
  }

  /** Load the last snapshot and follow the messages after it. */
  async load(reason: string): Promise<void> {
    if (this.closed || this.loading) return;
    this.loading = true;
    this.lastLoadAt = Date.now();
    const generation = ++this.generation;
    this.stopFollowing();
    const feed = this.feed;
    try {
      const entry = await this.options.books.get(snapshotKey(feed.venue, feed.symbol));
      if (!entry || entry.operation !== 'PUT') {
        feed.error(`no collector has published ${feed.venue} ${feed.symbol} yet; waiting`);
        this.schedule(reason);
        return;
      }
      let snapshot: BookSnapshot;
      try {
        snapshot = parseSnapshot(entry.value);
      } catch (error) {
        this.countMalformed(`snapshot: ${(error as Error).message}`);
        this.schedule(reason);
        return;
      }
      const trades = await this.recentTrades(snapshot);
      if (this.closed || generation !== this.generation) return;
      this.applySnapshot(snapshot, reason, trades);
      const consumer = await streamConsumer(this.options.js, bookFilter(feed.venue, feed.symbol), {
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: snapshot.streamSeq + 1,
      });
      if (this.closed || generation !== this.generation) {
        void consumer.delete().catch(() => {});
        return;
      }
      this.consumer = consumer;
      // Short pulls with heartbeats: a consumer whose node died misses them within seconds.
      const messages = await consumer.consume({ expires: 2000 });
      this.messages = messages;
      void this.watchConsumer(messages, generation);
      void (async () => {
        try {
          let delivered = 0;
          for await (const m of messages) {
            if (generation !== this.generation) break;
            // The consumer numbers what it delivers: a number skipped is a message lost on the way.
            if (m.info.deliverySequence !== ++delivered) {
              this.reloadAfterGap(`a message from the desk was lost on the way (delivery ${delivered} missing)`);
              break;
            }
            this.handle(m);
          }
        } catch (error) {
          if (generation === this.generation && !this.closed) {
            feed.error(`desk consumer stopped: ${(error as Error).message}`);
            this.schedule('consumer stopped');
          }
        }
      })();
    } catch (error) {
      feed.error(`cannot load ${feed.venue} ${feed.symbol} from the desk: ${(error as Error).message}`);
      this.schedule(reason);
    } finally {
      this.loading = false;
    }
  }

  /** Stops following the book's messages (a reload follows it on a new consumer). */
  private stopFollowing(): void {
    this.messages?.stop();
    this.messages = null;
    void this.consumer?.delete().catch(() => {}); // gone by itself once inactive, if this cannot reach it
    this.consumer = null;
  }

  /** A consumer that stops answering (its node died) or is gone: the book is followed again on a new one. */
  private async watchConsumer(messages: ConsumerMessages, generation: number): Promise<void> {
    for await (const status of messages.status()) {
      if (generation !== this.generation || this.closed) return;
      if (status.type === 'heartbeats_missed' || status.type === 'consumer_not_found' || status.type === 'consumer_deleted') {
        this.feed.error(`the desk stopped delivering ${this.feed.symbol} (${status.type.replace(/_/g, ' ')}); following it again`);
        void this.load('the desk consumer was lost');
        return;
      }
    }
  }

  /**
   * The book's trades of the snapshot's run that the stream stored up to the snapshot and this book has
   * not been given yet (the newest `recentTrades` of the last `recentTradesMs` on the first load; after
   * a reload, those since the last one handled). The consumer that follows delivers the ones after it.
   */
  private async recentTrades(snapshot: BookSnapshot): Promise<Array<{ seq: number; trade: Trade }>> {
    const feed = this.feed;
    const subject = subjectOf(feed.venue, feed.symbol, 'trade');
    const continuing = this.tradesRun === snapshot.run && this.tradesThroughSeq > 0;
    const jsm = await this.options.js.jetstreamManager(false);
    // null: no trade of this book in the stream. An error fails the load, which is tried again: trades
    // are not skipped because the desk did not answer.
    const last = (await jsm.streams.getMessage(STREAM_NAME, { last_by_subj: subject }))?.seq ?? 0;
    const through = Math.min(last, snapshot.streamSeq);
    if (through <= (continuing ? this.tradesThroughSeq : 0)) return [];
    const lookbackMs = this.options.recentTradesMs ?? 15 * 60_000;
    const consumer = await streamConsumer(
      this.options.js,
      subject,
      continuing
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.tradesThroughSeq + 1 }
        : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(snapshot.takenAt - lookbackMs).toISOString() },
    );
    try {
      return await this.tradesThrough(consumer, snapshot, through, continuing);
    } finally {
      void consumer.delete().catch(() => {});
    }
  }

  private async tradesThrough(consumer: Consumer, snapshot: BookSnapshot, through: number, continuing: boolean): Promise<Array<{ seq: number; trade: Trade }>> {
    const feed = this.feed;
    const keep = continuing ? Number.POSITIVE_INFINITY : (this.options.recentTrades ?? MAX_TRADES_PER_FRAME);
    const found: Array<{ seq: number; trade: Trade }> = [];
    for (let done = false; !done; ) {
      const batch = await consumer.fetch({ max_messages: 500, expires: 2000 });
      let received = 0;
      for await (const m of batch) {
        received++;
        if (m.seq > through) {
          done = true;
          break;
        }
        try {
          const t = parseTrade(m.data);
          if (t.run === snapshot.run) found.push({ seq: m.seq, trade: { ...t.trade, venue: feed.venue, symbol: feed.symbol } });
        } catch (error) {
          if (error instanceof MalformedMessageError) this.countMalformed(`${m.subject}: ${error.message}`);
          else throw error;
        }
        if (found.length > 2 * keep) found.splice(0, found.length - keep);
        if (m.seq === through || m.info.pending === 0) done = true;
        if (done) break;
      }
      if (received === 0) done = true;
    }
    return found.slice(-keep);
  }

  private applySnapshot(snapshot: BookSnapshot, reason: string, trades: Array<{ seq: number; trade: Trade }>): void {
    const feed = this.feed;
    this.run = snapshot.run;
    this.expectedSeq = snapshot.seq;
    this.remoteHealth = snapshot.health;
    this.ended = snapshot.ended;
    this.lastMessageAt = snapshot.takenAt;
    this.unreadStoredAt = null;
    this.ahead.clear();
    this.aheadSince = 0;
    // A snapshot of a live collector is recent, or its next health message (every second) will be.
    this.awaitingFresh = !snapshot.ended && !this.fresh(snapshot.takenAt);
    if (!this.awaitingFresh) this.staleMessage = null;
    if (feed.state === 'connecting') feed.awaitSnapshot(`desk: ${reason}`);
    else if (feed.state === 'synced') feed.resync(`desk: ${reason}`);
    // Before the book is live again: old prints are not judged against the current book.
    if (this.tradesRun !== snapshot.run) this.tradesThroughSeq = 0;
    this.tradesRun = snapshot.run;
    for (const { seq, trade } of trades) this.handTrade(seq, trade);
    if (snapshot.state !== 'synced') return; // the collector's book is rebuilding: its snapshot message follows
    const result = feed.apply(feed.event('snapshot', { bids: snapshot.bids, asks: snapshot.asks, exchangeTs: snapshot.exchangeTs ?? undefined, localTs: snapshot.localTs }));
    feed.bookSequence = snapshot.seq;
    if (result === 'ok' && !this.awaitingFresh) feed.synced(`desk snapshot at sequence ${snapshot.seq}`);
  }

  /** A snapshot loaded while stale is live again: the collector showed it is publishing (or ended). */
  private collectorAlive(reason: string): void {
    this.awaitingFresh = false;
    this.staleMessage = null;
    // Loaded on join (buffering) or on a reload of a live book (resyncing): either way the book holds the snapshot.
    const state = this.feed.state;
    if ((state === 'buffering' || state === 'resyncing') && this.feed.book.levelCount('bid') + this.feed.book.levelCount('ask') > 0) this.feed.synced(reason);
  }

  /** When the newest message seen was stored in the stream (or the snapshot taken). */
  private lastStoredAt(): number {
    const m = this.unreadStoredAt;
    if (m) {
      this.lastMessageAt = Math.max(this.lastMessageAt, Number(m.timestampNanos / 1_000_000n));
      this.unreadStoredAt = null;
    }
    return this.lastMessageAt;
  }

  private fresh(storedAt: number): boolean {
    return Date.now() - storedAt < (this.options.staleAfterMs ?? 5000);
  }

  private countMalformed(reason: string): void {
    this.malformed++;
    this.feed.malformed(reason);
    this.options.logger.log('warn', 'desk-malformed', { venue: this.feed.venue, symbol: this.feed.symbol, reason });
  }

  private handle(m: JsMsg): void {
    let where = this.subjects.get(m.subject);
    if (!where) {
      const parsed = parseSubject(m.subject);
      if (!parsed) return this.countMalformed(`unknown subject ${m.subject}`);
      where = parsed;
      this.subjects.set(m.subject, where); // only valid ones: a book has five
    }
    this.unreadStoredAt = m;
    if (this.awaitingFresh && this.fresh(this.lastStoredAt())) this.collectorAlive('desk: the collector is publishing');
    try {
      switch (where.kind) {
        case 'book':
          return this.onBook(parseBook(m.data));
        case 'state':
          return this.onState(parseState(m.data));
        case 'trade': {
          const t = parseTrade(m.data);
          if (!this.sameRun(t.run)) return;
          this.handTrade(m.seq, { ...t.trade, venue: this.feed.venue, symbol: this.feed.symbol });
          return;
        }
        case 'health': {
          const h = parseHealth(m.data);
          if (!this.sameRun(h.run)) return;
          this.remoteHealth = h.health;
          this.ended = h.ended;
          // The source ended: its book is final, not frozen-live (as when loaded from an ended snapshot).
          if (h.ended && this.awaitingFresh) this.collectorAlive('desk: the source ended');
          return;
        }
        case 'top':
          return; // the recorder's; the book itself gives the top here
      }
    } catch (error) {
      if (error instanceof MalformedMessageError) return this.countMalformed(`${m.subject}: ${error.message}`);
      throw error;
    }
  }

  /** A trade to the feed once: a reload's recent trades and its consumer may both carry it. */
  private handTrade(streamSeq: number, trade: Trade): void {
    if (streamSeq <= this.tradesThroughSeq) return;
    this.tradesThroughSeq = streamSeq;
    this.feed.trade(trade, 'desk', false);
  }

  /** A message of another collector run (a restart, a standby taking over) means reloading. */
  private sameRun(run: string): boolean {
    if (run === this.run && this.feed.state !== 'connecting') return true;
    void this.load(run === this.run ? 'the collector is back' : 'a new collector run');
    return false;
  }

  private onBook(message: BookMessage): void {
    if (!this.sameRun(message.run)) return;
    if (message.seq <= this.expectedSeq) return; // already in the snapshot
    if (message.seq !== this.expectedSeq + 1) return this.holdAhead(message);
    if (!this.applyBook(message)) return;
    for (let next = this.ahead.get(this.expectedSeq + 1); next; next = this.ahead.get(this.expectedSeq + 1)) {
      this.ahead.delete(next.seq);
      if (!this.applyBook(next)) return;
    }
    if (this.ahead.size === 0) this.aheadSince = 0;
  }

  /** A message past a missing one: held until the missing one is stored, or the book reloads. */
  private holdAhead(message: BookMessage): void {
    if (this.ahead.size === 0) this.aheadSince = Date.now();
    this.ahead.set(message.seq, message);
    if (this.ahead.size > MAX_AHEAD) this.reloadOnGap();
  }

  /** The message after the book's last was not stored in time: reload from the snapshot. */
  private reloadOnGap(): void {
    const first = Math.min(...this.ahead.keys());
    this.ahead.clear();
    this.aheadSince = 0;
    this.reloadAfterGap(`sequence gap: expected ${this.expectedSeq + 1}, got ${first}`);
  }

  /** The book lost its place in the collector's messages: counted as a gap, and reloaded from the snapshot. */
  private reloadAfterGap(reason: string): void {
    this.feed.gap();
    void this.load(reason);
  }

  /** Applies the book's next message; false when the book had to be reloaded. */
  private applyBook(message: BookMessage): boolean {
    const feed = this.feed;
    if (message.kind === 'snapshot' && feed.state === 'connecting') feed.awaitSnapshot('desk: the collector sent a snapshot');
    feed.received(Date.now(), message.bids.length + message.asks.length, message.exchangeTs ?? undefined);
    const result = feed.apply(feed.event(message.kind, { bids: message.bids, asks: message.asks, exchangeTs: message.exchangeTs ?? undefined, localTs: message.localTs }), {
      truncateTo: Math.max(message.n[0], message.n[1]),
    });
    // The collector truncates both sides to one depth (Kraken); the smaller side keeps what it has.
    const [bids, asks] = [feed.book.levelCount('bid'), feed.book.levelCount('ask')];
    if (result !== 'ok' || bids !== message.n[0] || asks !== message.n[1]) {
      this.reloadAfterGap(`book differs from the collector's after sequence ${message.seq} (${bids}/${asks} levels, collector ${message.n[0]}/${message.n[1]})`);
      return false;
    }
    this.expectedSeq = message.seq;
    feed.bookSequence = message.seq;
    if (message.kind === 'snapshot' && feed.state !== 'synced' && !this.awaitingFresh) feed.synced('desk: snapshot from the collector');
    return true;
  }

  private onState(message: StateMessage): void {
    if (!this.sameRun(message.run)) return;
    const feed = this.feed;
    const reason = `collector: ${message.reason}`;
    if (message.to === 'failed') feed.fail(reason);
    else if (message.to !== 'synced' && feed.state === 'synced') feed.resync(reason);
  }

  /**
   * Called every second: a collector that stopped publishing makes the book lost, not frozen-live. A
   * consumer can also stall when its cluster node dies, so while nothing comes the book is followed
   * again from its last snapshot every other stale period.
   */
  checkStale(now: number): void {
    if (this.closed) return;
    if (this.aheadSince > 0 && now - this.aheadSince >= REORDER_WAIT_MS) this.reloadOnGap();
    if (this.ended || this.feed.state === 'failed') return;
    const staleAfterMs = this.options.staleAfterMs ?? 5000;
    const silentMs = now - this.lastStoredAt();
    if (silentMs < staleAfterMs) return;
    this.staleMessage = `no message from the collector for ${Math.round(silentMs / 1000)} s: it stopped or lost NATS; waiting for it`;
    if (this.feed.state === 'synced' || this.feed.state === 'resyncing') this.feed.connectionLost(this.staleMessage);
    if (now - this.lastLoadAt >= 2 * staleAfterMs) void this.load('no message from the collector');
  }

  /** The collector's health of the book (its integrity counters) with this window's state and staleness. */
  health(now: number): SymbolHealth {
    const local = this.feed.healthSnapshot(now);
    if (!this.remoteHealth) return local;
    return {
      ...this.remoteHealth,
      venue: this.feed.venue,
      symbol: this.feed.symbol,
      state: this.feed.state,
      malformed: this.remoteHealth.malformed + this.malformed,
      gaps: this.remoteHealth.gaps + local.gaps,
      lastMessageAgeMs: Math.max(0, now - this.lastStoredAt()),
      lastError: this.staleMessage ?? (this.feed.state === 'synced' ? this.remoteHealth.lastError : (local.lastError ?? this.remoteHealth.lastError)),
      ...(this.ended ? { ended: true, msgsPerSec: 0, levelUpdatesPerSec: 0 } : {}),
    };
  }

  close(): void {
    this.closed = true;
    this.generation++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.stopFollowing();
  }
}

/** One venue's books from the desk, as a venue adapter. */
export class DeskVenueAdapter implements VenueAdapter {
  private readonly books = new Map<string, RemoteBook>();
  private readonly staleTimer: NodeJS.Timeout;
  /** The collectors' instruments of this venue's books, kept current by a watch on the bucket. */
  private readonly instruments = new Map<string, Instrument>();
  private instrumentsWatch: { stop(): void } | null = null;
  private closed = false;
  readonly unattributedMalformed = 0;

  constructor(
    readonly venue: VenueId,
    private readonly listener: FeedListener,
    private readonly options: DeskSubscriberOptions,
  ) {
    this.staleTimer = setInterval(() => {
      const now = Date.now();
      for (const b of this.books.values()) b.checkStale(now);
    }, 1000);
    void this.watchInstruments();
  }

  /** The instrument a collector published for `symbol` (the picker, formatters and frames use it). */
  instrument(symbol: string): Instrument | undefined {
    return this.instruments.get(symbol);
  }

  private async watchInstruments(): Promise<void> {
    const bucket = this.options.instruments;
    if (!bucket) return;
    try {
      const watch = await bucket.watch({ key: `${this.venue}.>` });
      if (this.closed) return watch.stop();
      this.instrumentsWatch = watch;
      for await (const entry of watch) {
        const book = parseSnapshotKey(entry.key);
        if (!book) continue;
        if (entry.operation !== 'PUT') this.instruments.delete(book.symbol);
        else this.storeInstrument(book.symbol, entry.value);
      }
    } catch (error) {
      if (!this.closed) this.options.logger.log('warn', 'desk-instruments-unavailable', { venue: this.venue, error: (error as Error).message });
    }
  }

  private storeInstrument(symbol: string, data: Uint8Array): Instrument | undefined {
    try {
      const instrument = { ...parseInstrument(data), venue: this.venue, symbol };
      this.instruments.set(symbol, instrument);
      return instrument;
    } catch (error) {
      this.options.logger.log('warn', 'desk-malformed', { venue: this.venue, symbol, reason: (error as Error).message });
      return undefined;
    }
  }

  subscribe(symbols: readonly string[]): void {
    for (const symbol of symbols) {
      if (!this.books.has(symbol)) this.books.set(symbol, new RemoteBook(this.venue, symbol, this.listener, this.options));
    }
  }

  feed(symbol: string): SymbolFeed | undefined {
    return this.books.get(symbol)?.feed;
  }

  *feeds(): Iterable<SymbolFeed> {
    for (const b of this.books.values()) yield b.feed;
  }

  health(): SymbolHealth[] {
    const now = Date.now();
    return [...this.books.values()].map((b) => b.health(now));
  }

  /** The books the collectors publish for this venue (the symbol picker's list), with their instruments where published. */
  async listInstruments(): Promise<Instrument[]> {
    const books = await publishedBooks(this.options.books, this.venue);
    return Promise.all(books.map(async ({ symbol }) => this.instruments.get(symbol) ?? (await this.loadInstrument(symbol)) ?? this.bareInstrument(symbol)));
  }

  /** Read straight from the bucket: the watch may not have delivered it yet. */
  private async loadInstrument(symbol: string): Promise<Instrument | undefined> {
    const entry = await this.options.instruments?.get(snapshotKey(this.venue, symbol)).catch(() => null);
    return entry && entry.operation === 'PUT' ? this.storeInstrument(symbol, entry.value) : undefined;
  }

  /** A book whose collector knows no instrument for it (a capture with no saved list): the symbol alone. */
  private bareInstrument(symbol: string): Instrument {
    return {
      venue: this.venue,
      symbol,
      display: symbol,
      base: '',
      quote: '',
      tickSize: null,
      lotSize: null,
      pricePrecision: null,
      sizePrecision: null,
      status: 'desk',
    };
  }

  close(): void {
    this.closed = true;
    clearInterval(this.staleTimer);
    this.instrumentsWatch?.stop();
    for (const b of this.books.values()) b.close();
  }
}

/** What a web host or desktop needs to take its books from the desk. */
export interface DeskSource {
  nc: NatsConnection;
  options: DeskSubscriberOptions;
  /** The venues the collectors publish (at start). */
  venues: VenueId[];
  createAdapter(ctx: AdapterContext, venue: VenueId): VenueAdapter;
}

export function deskSource(nc: NatsConnection, options: DeskSubscriberOptions, venues: VenueId[]): DeskSource {
  return {
    nc,
    options,
    venues,
    createAdapter: (ctx, venue) => new DeskVenueAdapter(venue, ctx.listener, { ...options, logger: ctx.logger }),
  };
}

export interface ConnectSubscriberOptions {
  /** Venues to take from the desk; default: every venue the collectors publish (waits for one). */
  venues?: VenueId[];
  logger: Logger;
  /** Messages a user should read while the desk cannot be used yet. */
  onWait: (message: string) => void;
  signal?: AbortSignal;
  name?: string;
}

/**
 * Connects to the desk (retrying with a clear message while NATS cannot be reached), waits for the
 * collectors' stream and bucket to exist, and finds the venues they publish.
 */
export async function connectDeskSubscriber(urls: string, options: ConnectSubscriberOptions): Promise<DeskSource> {
  const nc = await connectDesk(urls, { name: options.name ?? 'obm-subscriber', signal: options.signal, onRetry: options.onWait });
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) {
      await nc.close();
      throw new Error('stopped while waiting for the desk');
    }
    try {
      const storage = await openDeskStorage(nc, { create: false, apiTimeoutMs: SUBSCRIBER_API_TIMEOUT_MS });
      const published = [...new Set((await publishedBooks(storage.books)).map((b) => b.venue))];
      const venues = options.venues?.length ? options.venues : published;
      if (venues.length > 0) return deskSource(nc, { js: storage.js, books: storage.books, instruments: storage.instruments, logger: options.logger }, venues);
      if (attempt % 10 === 0) options.onWait(`connected to NATS, but no collector has published a book yet; waiting`);
    } catch (error) {
      if (attempt % 10 === 0) options.onWait(`connected to NATS, but the desk's stream is not there yet (${(error as Error).message}); start a collector; waiting`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
