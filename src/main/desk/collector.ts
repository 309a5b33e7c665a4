/**
 * The collector's publishing side: what the adapters do to each book becomes messages on the desk's
 * stream (subjects.ts), and every few seconds each changed book's full snapshot goes to the KV
 * bucket, with the stream sequence it is current to, for late joiners.
 *
 * Publishes are issued in the order the events happen (one connection keeps that order) and each is
 * acknowledged by JetStream; a publish that fails (a node died, a leader is being elected) is sent
 * again with the same message id, which the stream's duplicate window turns into exactly one copy.
 */
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { BookEvent, Instrument, SyncState, Trade, VenueId } from '../../shared/market';
import { TopOfBookTracker } from '../book/top-of-book';
import type { Logger } from '../log';
import type { FeedListener, SymbolFeed } from '../venues/symbol-feed';
import { encode, snapshotKey, subjectOf, type BookSnapshot, type DeskKind } from './subjects';

/** How long a write is retried by default: a cluster elects a new leader well within it. */
const PUBLISH_RETRY_MS = 60_000;
/** Pause between attempts at a final snapshot that could not be written. */
const FINAL_SNAPSHOT_RETRY_MS = 500;

export interface CollectorOptions {
  js: JetStreamClient;
  books: KV;
  logger: Logger;
  /** Which feeds this collector publishes (its shard, its symbols). */
  include: (feed: SymbolFeed) => boolean;
  /** The instruments bucket, and where each book's instrument comes from (the venue's list, or a saved one). */
  instruments?: KV;
  instrumentOf?: (venue: VenueId, symbol: string) => Promise<Instrument | undefined>;
  /** How often a changed book's snapshot goes to the KV bucket (default 2 s). */
  snapshotEveryMs?: number;
  /** How often each book's health is published (default 1 s). */
  healthEveryMs?: number;
  /** How long a message is retried before it is given up (default 60 s: a cluster elects a new leader well within it). */
  publishRetryMs?: number;
}

export interface CollectorCounts {
  book: number;
  state: number;
  trade: number;
  top: number;
  health: number;
  snapshots: number;
  instruments: number;
  retries: number;
  failed: number;
}

interface BookState {
  feed: SymbolFeed;
  /** Messages of this book so far (message ids). */
  messages: number;
  /** The acknowledgement of the last message published for this book. */
  last: Promise<PubAck | null> | null;
  top: TopOfBookTracker;
  dirty: boolean;
  snapshotting: boolean;
}

export class DeskCollector {
  readonly run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  readonly counts: CollectorCounts = { book: 0, state: 0, trade: 0, top: 0, health: 0, snapshots: 0, instruments: 0, retries: 0, failed: 0 };
  private readonly books = new Map<SymbolFeed, BookState>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private ended = false;
  /**
   * The highest stream sequence any publish of this collector has been acknowledged at. Everything
   * stored at or below it was stored, hence published, before now; a message published later gets a
   * higher sequence. (The acknowledgement of a book's own last message is no such bound: publishes
   * retried while a leader is elected can be stored out of order, a later one below an earlier one.)
   */
  private highestAckedSeq = 0;
  /** A standby collector (lease held elsewhere) keeps its books but publishes nothing. */
  active = true;

  /** Hand this to the adapters (MarketService listeners or a capture player). */
  readonly listener: Required<Omit<FeedListener, 'onReceived'>> = {
    onBook: (feed, event) => this.onBook(feed, event),
    onState: (feed, from, to, reason) => this.onState(feed, from, to, reason),
    onTrade: (feed, trade) => this.onTrade(feed, trade),
  };

  constructor(private readonly options: CollectorOptions) {}

  /** Start the snapshot and health timers. */
  start(): void {
    this.timers.push(setInterval(() => void this.snapshotChanged(), this.options.snapshotEveryMs ?? 2000));
    this.timers.push(setInterval(() => this.publishHealth(), this.options.healthEveryMs ?? 1000));
  }

  private state(feed: SymbolFeed): BookState | null {
    if (!this.active) return null;
    let book = this.books.get(feed);
    if (!book) {
      if (!this.options.include(feed)) return null;
      book = { feed, messages: 0, last: null, top: new TopOfBookTracker(), dirty: true, snapshotting: false };
      this.books.set(feed, book);
      this.track(this.publishInstrument(feed));
    }
    return book;
  }

  onBook(feed: SymbolFeed, event: BookEvent): void {
    const book = this.state(feed);
    if (!book) return;
    book.dirty = true;
    this.publish(book, 'book', {
      run: this.run,
      seq: feed.bookSequence,
      kind: event.kind,
      bids: event.bids.map((l) => [l[0], l[1]]),
      asks: event.asks.map((l) => [l[0], l[1]]),
      n: [feed.book.levelCount('bid'), feed.book.levelCount('ask')],
      exchangeTs: event.exchangeTs ?? null,
      localTs: event.localTs,
    });
    const top = book.top.update(feed.book);
    if (top) {
      this.publish(book, 'top', { run: this.run, seq: feed.bookSequence, ...top, exchangeTs: event.exchangeTs ?? null, localTs: event.localTs });
    }
  }

  onState(feed: SymbolFeed, from: SyncState, to: SyncState, reason: string): void {
    const book = this.state(feed);
    if (!book) return;
    book.dirty = true;
    // The book is cleared on every move away from synced: the next top of book is a change again.
    if (to !== 'synced') book.top.reset();
    this.publish(book, 'state', { run: this.run, seq: feed.bookSequence, from, to, reason });
  }

  onTrade(feed: SymbolFeed, trade: Trade): void {
    const book = this.state(feed);
    if (!book) return;
    this.publish(book, 'trade', { run: this.run, trade });
  }

  private publish(book: BookState, kind: DeskKind, message: object): void {
    const feed = book.feed;
    const msgID = `${this.run}:${feed.venue}:${feed.symbol}:${++book.messages}`;
    const subject = subjectOf(feed.venue, feed.symbol, kind);
    const data = encode(message);
    this.counts[kind]++;
    const giveUpAt = Date.now() + (this.options.publishRetryMs ?? PUBLISH_RETRY_MS);
    const send = async (): Promise<PubAck | null> => {
      for (let attempt = 1; ; attempt++) {
        try {
          const ack = await this.options.js.publish(subject, data, { msgID, timeout: 5000 });
          this.highestAckedSeq = Math.max(this.highestAckedSeq, ack.seq);
          return ack;
        } catch (error) {
          if (Date.now() >= giveUpAt) {
            this.counts.failed++;
            this.options.logger.log('error', 'desk-publish-failed', { subject, msgID, error: (error as Error).message });
            return null;
          }
          this.counts.retries++;
          await new Promise((r) => setTimeout(r, Math.min(200 * attempt, 2000)));
        }
      }
    };
    const sent = send();
    book.last = sent;
    this.pending.add(sent);
    void sent.finally(() => this.pending.delete(sent));
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** The book's instrument to the bucket, when this collector knows it: subscribers format with it. */
  private async publishInstrument(feed: SymbolFeed): Promise<void> {
    const { instruments, instrumentOf } = this.options;
    if (!instruments || !instrumentOf) return;
    try {
      const instrument = await instrumentOf(feed.venue, feed.symbol);
      if (!instrument) return;
      await instruments.put(snapshotKey(feed.venue, feed.symbol), encode({ ...instrument, venue: feed.venue, symbol: feed.symbol }));
      this.counts.instruments++;
    } catch (error) {
      this.options.logger.log('warn', 'desk-instrument-failed', { venue: feed.venue, symbol: feed.symbol, error: (error as Error).message });
    }
  }

  /** Every publish so far acknowledged (or given up). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private publishHealth(): void {
    if (!this.active) return;
    const now = Date.now();
    for (const book of this.books.values()) {
      this.publish(book, 'health', { run: this.run, seq: book.feed.bookSequence, health: this.healthOf(book.feed, now), ended: this.ended });
    }
  }

  private healthOf(feed: SymbolFeed, now: number) {
    const health = feed.healthSnapshot(now);
    return this.ended ? { ...health, msgsPerSec: 0, levelUpdatesPerSec: 0, rateAnomaly: 'none' as const, ended: true } : health;
  }

  private async snapshotChanged(): Promise<void> {
    if (!this.active) return;
    await Promise.all([...this.books.values()].filter((b) => b.dirty && !b.snapshotting).map((b) => this.snapshot(b)));
  }

  /**
   * The book as it stands now, with a stream sequence every message published after it is stored
   * above: a subscriber that loads it continues with the messages after that sequence (and skips those
   * of them the snapshot already holds, by their book sequence).
   */
  private async snapshot(book: BookState): Promise<void> {
    const feed = book.feed;
    book.dirty = false;
    book.snapshotting = true;
    try {
      const taken = {
        run: this.run,
        venue: feed.venue,
        symbol: feed.symbol,
        seq: feed.bookSequence,
        state: feed.state,
        bids: [...feed.book.levels('bid')].map((l) => [l.price, l.sizeText]),
        asks: [...feed.book.levels('ask')].map((l) => [l.price, l.sizeText]),
        exchangeTs: feed.lastExchangeTs,
        localTs: feed.lastLocalTs,
        health: this.healthOf(feed, Date.now()),
        ended: this.ended,
        takenAt: Date.now(),
      };
      const streamSeq = this.highestAckedSeq;
      if (streamSeq === 0) {
        book.dirty = true; // nothing of this run stored yet: a bound of 0 would replay the whole stream
        return;
      }
      const ack = book.last ? await book.last : null;
      if (book.last && !ack) {
        book.dirty = true; // its last message was lost: take it again later
        return;
      }
      const snapshot: BookSnapshot = { ...taken, streamSeq } as BookSnapshot;
      await this.options.books.put(snapshotKey(feed.venue, feed.symbol), encode(snapshot));
      this.counts.snapshots++;
    } catch (error) {
      book.dirty = true;
      this.options.logger.log('warn', 'desk-snapshot-failed', { venue: feed.venue, symbol: feed.symbol, error: (error as Error).message });
    } finally {
      book.snapshotting = false;
    }
  }

  /**
   * The source has ended (a capture played to its end): the last health says so, every book's final
   * snapshot goes to the bucket, and every publish is acknowledged before this resolves.
   */
  async finish(): Promise<void> {
    this.ended = true;
    this.stop();
    this.publishHealth();
    await this.drain();
    for (const book of this.books.values()) {
      while (book.snapshotting) await new Promise((r) => setTimeout(r, 10));
      book.dirty = true;
    }
    // A final snapshot that could not be written (the bucket's leader being elected) is tried again,
    // as long as a publish would be: late joiners load it, and it says the source ended.
    const giveUpAt = Date.now() + (this.options.publishRetryMs ?? PUBLISH_RETRY_MS);
    for (;;) {
      await this.snapshotChanged();
      const left = this.active ? [...this.books.values()].filter((b) => b.dirty) : [];
      if (left.length === 0) return;
      if (Date.now() >= giveUpAt) {
        for (const { feed } of left) {
          this.counts.failed++;
          this.options.logger.log('error', 'desk-final-snapshot-failed', { venue: feed.venue, symbol: feed.symbol });
        }
        return;
      }
      await new Promise((r) => setTimeout(r, FINAL_SNAPSHOT_RETRY_MS));
    }
  }

  stop(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
  }

  feeds(): SymbolFeed[] {
    return [...this.books.keys()];
  }
}
