/**
 * Deribit incremental book synchronisation for one instrument (docs/venues.md#deribit):
 *   snapshot → replace the book (the first notification after subscribing); remember change_id.
 *   change   → prev_change_id must equal the change_id held; then apply and hold its change_id.
 *              Anything else means a notification was missed: a gap.
 * Deribit sends no checksum. A gap, a crossed book or a malformed level throws the book away and
 * resubscribes the book channel, whose first notification is a fresh snapshot.
 */
import type { BookEvent } from '../../../shared/market';
import { ResubscribeBookSync } from '../resubscribe-sync';
import type { BookData } from './messages';

export class DeribitBookSync extends ResubscribeBookSync {
  /** change_id of the last applied notification; null before a snapshot. */
  get changeId(): number | null {
    return this.sequence;
  }

  onSnapshot(data: BookData, localTs: number): void {
    if (!this.snapshotWelcome(data.bids.length + data.asks.length, data.timestamp, localTs)) return;
    this.feed.synced('snapshot applied');
    this.sequence = data.changeId;
    this.applySnapshot(this.event('snapshot', data, localTs));
  }

  onChange(data: BookData, localTs: number): void {
    if (!this.updateWelcome(data.bids.length + data.asks.length, data.timestamp, localTs, this.changeId !== null)) return;
    if (data.prevChangeId !== this.changeId) {
      this.sequenceBreak(
        { changeId: this.changeId, prevChangeId: data.prevChangeId, nextChangeId: data.changeId },
        `sequence gap: prev_change_id ${data.prevChangeId}, expected ${this.changeId}`,
      );
      return;
    }
    this.sequence = data.changeId;
    this.applyUpdate(this.event('delta', data, localTs));
  }

  private event(kind: 'snapshot' | 'delta', data: BookData, localTs: number): BookEvent {
    const event = this.feed.event(kind, { bids: data.bids, asks: data.asks, localTs, seq: data.changeId });
    if (data.prevChangeId !== undefined) event.prevSeq = data.prevChangeId;
    if (data.timestamp !== undefined) event.exchangeTs = data.timestamp;
    return event;
  }
}
