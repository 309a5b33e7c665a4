/**
 * Kraken Futures book synchronisation for one product (docs/venues.md#kraken-futures):
 *   book_snapshot → replace the book; remember its seq.
 *   book          → one level (side buy = bid, sell = ask; qty is the new total, 0 deletes); its seq
 *                   must be the held seq + 1. Anything else (a skipped, repeated or restarted seq) is
 *                   a break: the book is thrown away and the product resubscribed for a new snapshot.
 * There is no checksum on this feed: the seq chain is the integrity check, with the crossed-book
 * check every venue has. Deltas before the snapshot (or after a break, until the new one) are dropped.
 */
import type { BookEvent } from '../../../shared/market';
import { awaitsBook } from '../resubscribe';
import type { SymbolFeed } from '../symbol-feed';
import type { BookDelta, BookSnapshot } from './messages';

export interface KrakenFuturesSyncHooks {
  /** Unsubscribe and subscribe this product's book again, for a fresh snapshot. */
  resubscribe(reason: string): void;
  note(event: string, fields: Record<string, unknown>): void;
}

export class KrakenFuturesBookSync {
  /** seq of the last applied message; null before a snapshot. */
  lastSeq: number | null = null;

  constructor(
    private readonly feed: SymbolFeed,
    private readonly hooks: KrakenFuturesSyncHooks,
  ) {}

  /** The subscribe request went out: wait for the snapshot. */
  start(): void {
    this.lastSeq = null;
    this.feed.awaitSnapshot('subscribed; waiting for the snapshot');
  }

  onSnapshot(snapshot: BookSnapshot, localTs: number): void {
    this.feed.received(localTs, snapshot.bids.length + snapshot.asks.length, snapshot.timestamp);
    if (!awaitsBook(this.feed.state)) return;
    const event = this.feed.event('snapshot', { bids: snapshot.bids, asks: snapshot.asks, seq: snapshot.seq, localTs });
    if (snapshot.timestamp !== undefined) event.exchangeTs = snapshot.timestamp;
    // Synced before applying so listeners see the first book as live.
    this.feed.synced('snapshot applied');
    this.lastSeq = snapshot.seq;
    if (this.feed.apply(event) !== 'ok') this.resync('snapshot rejected (crossed or malformed)');
  }

  onDelta(delta: BookDelta, localTs: number): void {
    this.feed.received(localTs, 1, delta.timestamp);
    if (this.feed.state !== 'synced' || this.lastSeq === null) {
      this.feed.staleDropped();
      return;
    }
    const expected = this.lastSeq + 1;
    if (delta.seq !== expected) {
      this.feed.gap();
      this.hooks.note('gap', { lastSeq: this.lastSeq, seq: delta.seq });
      this.resync(`sequence break: seq ${delta.seq}, expected ${expected}`);
      return;
    }
    const level = [[delta.price, delta.qty] as const];
    const event: BookEvent = this.feed.event('delta', {
      bids: delta.side === 'buy' ? level : [],
      asks: delta.side === 'sell' ? level : [],
      seq: delta.seq,
      prevSeq: this.lastSeq,
      localTs,
    });
    if (delta.timestamp !== undefined) event.exchangeTs = delta.timestamp;
    this.lastSeq = delta.seq;
    const result = this.feed.apply(event);
    if (result !== 'ok') this.resync(result === 'crossed' ? 'crossed book' : 'malformed level');
  }

  private resync(reason: string): void {
    this.lastSeq = null;
    this.feed.resync(reason);
    this.hooks.note('resync', { reason });
    this.hooks.resubscribe(reason);
  }
}
