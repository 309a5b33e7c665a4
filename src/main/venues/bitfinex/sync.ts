/**
 * Bitfinex v2 book synchronisation for one trading pair (docs/venues.md#bitfinex):
 *   snapshot → replace the book (it is the venue's answer to our subscribe).
 *   update   → one level: apply it, then keep each side to the subscribed length.
 *   `cs`     → the CRC32 of the top 25 levels per side must equal ours (./checksum.ts).
 * Continuity is the connection's: with SEQ_ALL every message on the connection carries the next
 * sequence number, and the adapter checks it before a message reaches a book. An update that passed
 * that check carries `seq`/`prevSeq`; a break resyncs every live book on the connection, because the
 * lost message could have been any of them. A failed checksum, a crossed book or an unreadable level
 * throws the book away; each resync unsubscribes and subscribes the book again for a fresh snapshot.
 */
import type { BookEvent } from '../../../shared/market';
import { awaitsBook } from '../resubscribe';
import type { SymbolFeed } from '../symbol-feed';
import { bitfinexChecksum, checksumText } from './checksum';
import type { BookLevels } from './messages';

export interface BitfinexSyncHooks {
  /** Unsubscribe and subscribe this book again, for a fresh snapshot. */
  resubscribe(reason: string): void;
  note(event: string, fields: Record<string, unknown>): void;
}

export class BitfinexBookSync {
  constructor(
    private readonly feed: SymbolFeed,
    private readonly hooks: BitfinexSyncHooks,
    /** Price levels per side the venue keeps us (the subscription's `len`). */
    readonly depth: number,
  ) {}

  /** The subscribe request went out: wait for the snapshot. */
  start(): void {
    this.feed.awaitSnapshot('subscribed; waiting for the snapshot');
  }

  onSnapshot(levels: BookLevels, seq: number | null, localTs: number): void {
    this.feed.received(localTs, levels.bids.length + levels.asks.length);
    if (!awaitsBook(this.feed.state)) return;
    const event = this.feed.event('snapshot', { bids: levels.bids, asks: levels.asks, localTs });
    if (seq !== null) event.seq = seq;
    // Synced before applying so listeners see the first book as live.
    this.feed.synced('snapshot applied');
    if (this.feed.apply(event, { truncateTo: this.depth }) !== 'ok') this.resync('snapshot rejected (crossed or malformed)');
  }

  /** One level; `seq` is set only when the adapter has checked it continues the connection's sequence. */
  onUpdate(levels: BookLevels, seq: number | null, localTs: number): void {
    this.feed.received(localTs, levels.bids.length + levels.asks.length);
    if (this.feed.state !== 'synced') {
      // Before the snapshot (or after a failed check, until the new one): nothing to apply it to.
      this.feed.staleDropped();
      return;
    }
    const event: BookEvent = this.feed.event('delta', { bids: levels.bids, asks: levels.asks, localTs });
    if (seq !== null) {
      event.seq = seq;
      event.prevSeq = seq - 1;
    }
    const result = this.feed.apply(event, { truncateTo: this.depth });
    if (result !== 'ok') this.resync(result === 'crossed' ? 'crossed book' : 'malformed level');
  }

  onChecksum(checksum: number, localTs: number): void {
    this.feed.received(localTs, 0);
    if (this.feed.state !== 'synced') return;
    const local = bitfinexChecksum(this.feed.book);
    this.feed.checksum(local === checksum);
    if (local === checksum) return;
    this.hooks.note('checksum-failed', { expected: checksum, computed: local, input: checksumText(this.feed.book).slice(0, 200) });
    this.resync(`checksum mismatch: venue ${checksum}, book ${local}`);
  }

  /** The connection's sequence broke (`expected`, got `seq`): a live book may have missed a message. */
  onSequenceBreak(expected: number, seq: number): void {
    if (this.feed.state !== 'synced') return;
    this.feed.gap();
    this.hooks.note('gap', { expected, seq });
    this.resync(`sequence gap on the connection: expected ${expected}, got ${seq}`);
  }

  /** A message for this book could not be read: it may have changed the book, so rebuild it. */
  onUnreadable(reason: string): void {
    if (this.feed.state === 'synced') this.resync(`unreadable book message: ${reason}`);
  }

  private resync(reason: string): void {
    this.feed.resync(reason);
    this.hooks.note('resync', { reason });
    this.hooks.resubscribe(reason);
  }
}
