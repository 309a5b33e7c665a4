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
import { ResubscribeBookSync } from '../resubscribe-sync';
import { okxChecksum, okxChecksumText } from './checksum';
import type { BookData } from './messages';

export class OkxBookSync extends ResubscribeBookSync {
  /** seqId of the last applied message; null before a snapshot or on feeds without seqId. */
  get lastSeqId(): number | null {
    return this.sequence;
  }

  onSnapshot(data: BookData, localTs: number): void {
    if (!this.snapshotWelcome(data.bids.length + data.asks.length, data.ts, localTs)) return;
    this.feed.synced('snapshot applied');
    this.sequence = data.seqId ?? null;
    if (this.applySnapshot(this.event('snapshot', data, localTs))) this.verify(data);
  }

  onUpdate(data: BookData, localTs: number): void {
    if (!this.updateWelcome(data.bids.length + data.asks.length, data.ts, localTs)) return;
    if (data.prevSeqId !== undefined && this.lastSeqId !== null && data.prevSeqId !== this.lastSeqId) {
      this.sequenceBreak(
        { lastSeqId: this.lastSeqId, prevSeqId: data.prevSeqId, seqId: data.seqId },
        `sequence gap: prevSeqId ${data.prevSeqId}, expected ${this.lastSeqId}`,
      );
      return;
    }
    if (data.seqId !== undefined) this.sequence = data.seqId;
    // A keep-alive (no levels) changes nothing; it still carries a checksum to verify.
    if (data.bids.length > 0 || data.asks.length > 0) {
      if (!this.applyUpdate(this.event('delta', data, localTs))) return;
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
    this.checkChecksum(data.checksum, okxChecksum(this.feed.book), () => okxChecksumText(this.feed.book));
  }
}
