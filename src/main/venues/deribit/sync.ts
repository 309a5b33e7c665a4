/**
 * Deribit incremental book synchronisation for one instrument (docs/venues.md#deribit):
 *   snapshot → replace the book (the first notification after subscribing); remember change_id.
 *   change   → prev_change_id must equal the change_id held; then apply and hold its change_id.
 *              Anything else means a notification was missed: a gap.
 * Deribit sends no checksum. A gap, a crossed book or a malformed level throws the book away and
 * resubscribes the book channel, whose first notification is a fresh snapshot.
 */
import type { BookEvent } from '../../../shared/market';
import { awaitsBook } from '../resubscribe';
import type { SymbolFeed } from '../symbol-feed';
import type { BookData } from './messages';

export interface DeribitSyncHooks {
  /** Unsubscribe and subscribe this instrument's book again, for a fresh snapshot. */
  resubscribe(reason: string): void;
  note(event: string, fields: Record<string, unknown>): void;
}

export class DeribitBookSync {
  /** change_id of the last applied notification; null before a snapshot. */
  changeId: number | null = null;

  constructor(
    private readonly feed: SymbolFeed,
    private readonly hooks: DeribitSyncHooks,
  ) {}

  start(): void {
    this.changeId = null;
    this.feed.awaitSnapshot('subscribed; waiting for the snapshot');
  }

  onSnapshot(data: BookData, localTs: number): void {
    this.feed.received(localTs, data.bids.length + data.asks.length, data.timestamp);
    if (!awaitsBook(this.feed.state)) return;
    this.feed.synced('snapshot applied');
    this.changeId = data.changeId;
    if (this.feed.apply(this.event('snapshot', data, localTs)) !== 'ok') this.resync('snapshot rejected (crossed or malformed)');
  }

  onChange(data: BookData, localTs: number): void {
    this.feed.received(localTs, data.bids.length + data.asks.length, data.timestamp);
    if (this.feed.state !== 'synced' || this.changeId === null) {
      // Before the snapshot, or in flight from before a resubscribe: the snapshot will carry it.
      this.feed.staleDropped();
      return;
    }
    if (data.prevChangeId !== this.changeId) {
      this.feed.gap();
      this.hooks.note('gap', { changeId: this.changeId, prevChangeId: data.prevChangeId, nextChangeId: data.changeId });
      this.resync(`sequence gap: prev_change_id ${data.prevChangeId}, expected ${this.changeId}`);
      return;
    }
    this.changeId = data.changeId;
    const result = this.feed.apply(this.event('delta', data, localTs));
    if (result !== 'ok') this.resync(result === 'crossed' ? 'crossed book' : 'malformed level');
  }

  private event(kind: 'snapshot' | 'delta', data: BookData, localTs: number): BookEvent {
    const event = this.feed.event(kind, { bids: data.bids, asks: data.asks, localTs, seq: data.changeId });
    if (data.prevChangeId !== undefined) event.prevSeq = data.prevChangeId;
    if (data.timestamp !== undefined) event.exchangeTs = data.timestamp;
    return event;
  }

  private resync(reason: string): void {
    this.changeId = null;
    this.feed.resync(reason);
    this.hooks.note('resync', { reason });
    this.hooks.resubscribe(reason);
  }
}
