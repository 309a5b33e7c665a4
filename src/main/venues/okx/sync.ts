/**
 * OKX incremental book synchronisation for one instrument (docs/venues.md#okx):
 *   snapshot → replace the book; remember seqId.
 *   update   → prevSeqId must equal the seqId we hold, whatever seqId itself is: that one rule accepts
 *              the normal case (seqId grows), the no-change keep-alive (seqId == prevSeqId, empty
 *              sides) and the reset after maintenance (seqId < prevSeqId). Anything else is a gap.
 *   checksum → verified after applying when present and non-zero (legacy signed CRC32 of 25 levels).
 * Feeds without seqId (the 2021/2022 captures) rely on the checksum alone. A gap, a failed checksum,
 * a crossed book or a malformed level throws the book away and resubscribes for a fresh snapshot.
 */
import type { BookEvent } from '../../../shared/market';
import { awaitsBook } from '../resubscribe';
import type { SymbolFeed } from '../symbol-feed';
import { okxChecksum, okxChecksumText } from './checksum';
import type { BookData } from './messages';

export interface OkxSyncHooks {
  /** Unsubscribe and subscribe this instrument again, for a fresh snapshot. */
  resubscribe(reason: string): void;
  note(event: string, fields: Record<string, unknown>): void;
}

export class OkxBookSync {
  /** seqId of the last applied message; null before a snapshot or on feeds without seqId. */
  lastSeqId: number | null = null;

  constructor(
    private readonly feed: SymbolFeed,
    private readonly hooks: OkxSyncHooks,
  ) {}

  start(): void {
    this.lastSeqId = null;
    this.feed.awaitSnapshot('subscribed; waiting for the snapshot');
  }

  onSnapshot(data: BookData, localTs: number): void {
    this.feed.received(localTs, data.bids.length + data.asks.length, data.ts);
    if (!awaitsBook(this.feed.state)) return;
    this.feed.synced('snapshot applied');
    this.lastSeqId = data.seqId ?? null;
    if (this.feed.apply(this.event('snapshot', data, localTs)) !== 'ok') {
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
    if (data.prevSeqId !== undefined && this.lastSeqId !== null && data.prevSeqId !== this.lastSeqId) {
      this.feed.gap();
      this.hooks.note('gap', { lastSeqId: this.lastSeqId, prevSeqId: data.prevSeqId, seqId: data.seqId });
      this.resync(`sequence gap: prevSeqId ${data.prevSeqId}, expected ${this.lastSeqId}`);
      return;
    }
    if (data.seqId !== undefined) this.lastSeqId = data.seqId;
    // A keep-alive (no levels) changes nothing; it still carries a checksum to verify.
    if (data.bids.length > 0 || data.asks.length > 0) {
      const result = this.feed.apply(this.event('delta', data, localTs));
      if (result !== 'ok') {
        this.resync(result === 'crossed' ? 'crossed book' : 'malformed level');
        return;
      }
    }
    this.verify(data);
  }

  private event(kind: 'snapshot' | 'delta', data: BookData, localTs: number): BookEvent {
    const event = this.feed.event(kind, { bids: data.bids, asks: data.asks, localTs });
    if (data.seqId !== undefined) event.seq = data.seqId;
    if (data.prevSeqId !== undefined) event.prevSeq = data.prevSeqId;
    if (data.checksum !== undefined && data.checksum !== 0) event.checksum = data.checksum;
    if (data.ts !== undefined) event.exchangeTs = data.ts;
    return event;
  }

  private verify(data: BookData): void {
    // Absent, or 0 since the 2026 deprecation: nothing to check.
    if (data.checksum === undefined || data.checksum === 0) return;
    const local = okxChecksum(this.feed.book);
    this.feed.checksum(local === data.checksum);
    if (local === data.checksum) return;
    this.hooks.note('checksum-failed', { expected: data.checksum, computed: local, input: okxChecksumText(this.feed.book).slice(0, 200) });
    this.resync(`checksum mismatch: venue ${data.checksum}, book ${local}`);
  }

  private resync(reason: string): void {
    this.lastSeqId = null;
    this.feed.resync(reason);
    this.hooks.note('resync', { reason });
    this.hooks.resubscribe(reason);
  }
}
