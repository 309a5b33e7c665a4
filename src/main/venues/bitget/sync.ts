/**
 * Bitget `books` synchronisation for one instrument (docs/venues.md#bitget):
 *   snapshot → replace the book (the first push after subscribing, and again after a resubscribe).
 *   update   → apply the levels (size "0" deletes); updates before the snapshot are dropped.
 *   checksum → after applying every message that carries one (snapshots included): signed CRC32 of
 *              the top 25 levels per side, interleaved, in the exchange's strings.
 *   seq      → (v2 only) must increase from message to message. Bitget documents it as increasing,
 *              not as consecutive, so it catches a message out of order or repeated, not a lost one;
 *              the checksum catches that.
 * A failed checksum, a seq that does not increase, a crossed book or a malformed level throws the
 * book away and resubscribes the instrument for a fresh snapshot.
 */
import type { BookEvent } from '../../../shared/market';
import { awaitsBook } from '../resubscribe';
import type { SymbolFeed } from '../symbol-feed';
import { bitgetChecksum, bitgetChecksumText } from './checksum';
import type { BookData } from './messages';

export interface BitgetSyncHooks {
  /** Unsubscribe and subscribe this instrument's book again, for a fresh snapshot. */
  resubscribe(reason: string): void;
  note(event: string, fields: Record<string, unknown>): void;
}

export class BitgetBookSync {
  /** seq of the last applied message; null before a snapshot or on feeds without seq (v1). */
  lastSeq: number | null = null;

  constructor(
    private readonly feed: SymbolFeed,
    private readonly hooks: BitgetSyncHooks,
  ) {}

  start(): void {
    this.lastSeq = null;
    this.feed.awaitSnapshot('subscribed; waiting for the snapshot');
  }

  onSnapshot(data: BookData, localTs: number): void {
    this.feed.received(localTs, data.bids.length + data.asks.length, data.ts);
    if (!awaitsBook(this.feed.state)) return;
    this.feed.synced('snapshot applied');
    this.lastSeq = data.seq ?? null;
    const event = this.event('snapshot', data, localTs);
    if (data.seq !== undefined) event.seq = data.seq;
    if (this.feed.apply(event) !== 'ok') {
      this.resync('snapshot rejected (crossed or malformed)');
      return;
    }
    this.verify(data);
  }

  onUpdate(data: BookData, localTs: number): void {
    this.feed.received(localTs, data.bids.length + data.asks.length, data.ts);
    if (this.feed.state !== 'synced') {
      this.feed.staleDropped();
      return;
    }
    const event = this.event('delta', data, localTs);
    if (data.seq !== undefined && this.lastSeq !== null) {
      if (data.seq <= this.lastSeq) {
        this.feed.gap();
        this.hooks.note('gap', { lastSeq: this.lastSeq, seq: data.seq });
        this.resync(`sequence break: seq ${data.seq} after ${this.lastSeq}`);
        return;
      }
      // The replay counts an update as continuity-checked when it carries these.
      event.prevSeq = this.lastSeq;
      event.seq = data.seq;
    }
    if (data.seq !== undefined) this.lastSeq = data.seq;
    if (data.bids.length > 0 || data.asks.length > 0) {
      const result = this.feed.apply(event);
      if (result !== 'ok') {
        this.resync(result === 'crossed' ? 'crossed book' : 'malformed level');
        return;
      }
    }
    this.verify(data);
  }

  private event(kind: 'snapshot' | 'delta', data: BookData, localTs: number): BookEvent {
    const event = this.feed.event(kind, { bids: data.bids, asks: data.asks, localTs });
    if (data.checksum !== undefined) event.checksum = data.checksum;
    if (data.ts !== undefined) event.exchangeTs = data.ts;
    return event;
  }

  private verify(data: BookData): void {
    if (data.checksum === undefined) return;
    const local = bitgetChecksum(this.feed.book);
    this.feed.checksum(local === data.checksum);
    if (local === data.checksum) return;
    this.hooks.note('checksum-failed', { expected: data.checksum, computed: local, input: bitgetChecksumText(this.feed.book).slice(0, 200) });
    this.resync(`checksum mismatch: venue ${data.checksum}, book ${local}`);
  }

  private resync(reason: string): void {
    this.lastSeq = null;
    this.feed.resync(reason);
    this.hooks.note('resync', { reason });
    this.hooks.resubscribe(reason);
  }
}
