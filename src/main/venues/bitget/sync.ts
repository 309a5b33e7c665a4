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
import { ResubscribeBookSync } from '../resubscribe-sync';
import { bitgetChecksum, bitgetChecksumText } from './checksum';
import type { BookData } from './messages';

export class BitgetBookSync extends ResubscribeBookSync {

  onSnapshot(data: BookData, localTs: number): void {
    if (!this.snapshotWelcome(data.bids.length + data.asks.length, data.ts, localTs)) return;
    this.feed.synced('snapshot applied');
    this.sequence = data.seq ?? null;
    const event = this.event('snapshot', data, localTs);
    if (data.seq !== undefined) event.seq = data.seq;
    if (this.applySnapshot(event)) this.verify(data);
  }

  onUpdate(data: BookData, localTs: number): void {
    if (!this.updateWelcome(data.bids.length + data.asks.length, data.ts, localTs)) return;
    const event = this.event('delta', data, localTs);
    if (data.seq !== undefined && this.sequence !== null) {
      if (data.seq <= this.sequence) {
        this.sequenceBreak({ lastSeq: this.sequence, seq: data.seq }, `sequence break: seq ${data.seq} after ${this.sequence}`);
        return;
      }
      // The replay counts an update as continuity-checked when it carries these.
      event.prevSeq = this.sequence;
      event.seq = data.seq;
    }
    if (data.seq !== undefined) this.sequence = data.seq;
    if (data.bids.length > 0 || data.asks.length > 0) {
      if (!this.applyUpdate(event)) return;
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
    this.checkChecksum(data.checksum, bitgetChecksum(this.feed.book), () => bitgetChecksumText(this.feed.book));
  }
}
