/**
 * Kraken v2 book synchronisation for one symbol (docs/venues.md#kraken): a `snapshot` replaces the book;
 * an `update` applies all its levels, then each side is truncated to the subscribed depth (Kraken
 * never deletes levels that fall out of range), then the checksum of the top 10 levels per side is
 * verified whenever the message carries one. There is no sequence number: the checksum is the only
 * integrity check, so a mismatch, a crossed book or a malformed level throws the book away and asks
 * for a fresh snapshot (unsubscribe + subscribe that symbol).
 */
import type { BookEvent } from '../../../shared/market';
import { awaitsBook } from '../resubscribe';
import type { SymbolFeed } from '../symbol-feed';
import { CHECKSUM_LEVELS, checksumText, KrakenChecksumTracker, type Precision } from './checksum';
import type { BookEntry } from './messages';

export interface KrakenSyncHooks {
  /** Unsubscribe and subscribe this symbol again, for a fresh snapshot. */
  resubscribe(reason: string): void;
  /** The instrument's precision as last known (instrument channel, else REST), for checksum formatting. */
  precision(): Precision;
  note(event: string, fields: Record<string, unknown>): void;
}

export class KrakenBookSync {
  private readonly checksums = new KrakenChecksumTracker();

  constructor(
    private readonly feed: SymbolFeed,
    private readonly hooks: KrakenSyncHooks,
    /** Levels per side the venue maintains for us; the book is truncated to it after every message. */
    readonly depth: number,
  ) {}

  /** The subscribe request went out: wait for the snapshot. */
  start(): void {
    this.feed.awaitSnapshot('subscribed; waiting for the snapshot');
  }

  onSnapshot(entry: BookEntry, localTs: number): void {
    this.feed.received(localTs, entry.bids.length + entry.asks.length, entry.exchangeTs);
    if (!awaitsBook(this.feed.state)) return;
    const event = this.event('snapshot', entry, localTs);
    // Synced before applying so listeners see the first book as live.
    this.feed.synced('snapshot applied');
    this.applyAndVerify(event, entry);
  }

  onUpdate(entry: BookEntry, localTs: number): void {
    this.feed.received(localTs, entry.bids.length + entry.asks.length, entry.exchangeTs);
    if (this.feed.state !== 'synced') {
      // Before the snapshot (or after a failed check, until the new one): nothing to apply it to.
      this.feed.staleDropped();
      return;
    }
    this.applyAndVerify(this.event('delta', entry, localTs), entry);
  }

  private event(kind: 'snapshot' | 'delta', entry: BookEntry, localTs: number): BookEvent {
    const event = this.feed.event(kind, { bids: entry.bids, asks: entry.asks, localTs });
    if (entry.checksum !== undefined) event.checksum = entry.checksum;
    if (entry.exchangeTs !== undefined) event.exchangeTs = entry.exchangeTs;
    return event;
  }

  private applyAndVerify(event: BookEvent, entry: BookEntry): void {
    const result = this.feed.apply(event, { truncateTo: this.depth });
    if (result !== 'ok') {
      this.checksums.reset();
      this.resync(result === 'crossed' ? 'crossed book' : 'malformed level');
      return;
    }
    // Truncation to fewer levels than the checksum covers would drop top levels the tracker counts on.
    if (event.kind === 'snapshot' || this.depth < CHECKSUM_LEVELS) this.checksums.reset();
    else this.checksums.applied(entry.bids, entry.asks);
    if (entry.checksum === undefined) return;
    const precision = this.hooks.precision();
    const local = this.checksums.checksum(this.feed.book, precision);
    this.feed.checksum(local === entry.checksum);
    if (local === entry.checksum) return;
    this.checksums.reset();
    this.hooks.note('checksum-failed', {
      expected: entry.checksum,
      computed: local,
      input: checksumText(this.feed.book, precision).slice(0, 200),
    });
    this.resync(`checksum mismatch: venue ${entry.checksum}, book ${local}`);
  }

  private resync(reason: string): void {
    this.feed.resync(reason);
    this.hooks.note('resync', { reason });
    this.hooks.resubscribe(reason);
  }
}
