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
import { ResubscribeBookSync } from '../resubscribe-sync';
import type { BookDelta, BookSnapshot } from './messages';

export class KrakenFuturesBookSync extends ResubscribeBookSync {

  onSnapshot(snapshot: BookSnapshot, localTs: number): void {
    if (!this.snapshotWelcome(snapshot.bids.length + snapshot.asks.length, snapshot.timestamp, localTs)) return;
    const event = this.feed.event('snapshot', { bids: snapshot.bids, asks: snapshot.asks, seq: snapshot.seq, localTs });
    if (snapshot.timestamp !== undefined) event.exchangeTs = snapshot.timestamp;
    // Synced before applying so listeners see the first book as live.
    this.feed.synced('snapshot applied');
    this.sequence = snapshot.seq;
    this.applySnapshot(event);
  }

  onDelta(delta: BookDelta, localTs: number): void {
    const lastSeq = this.sequence;
    if (!this.updateWelcome(1, delta.timestamp, localTs, lastSeq !== null) || lastSeq === null) return;
    const expected = lastSeq + 1;
    if (delta.seq !== expected) {
      this.sequenceBreak({ lastSeq, seq: delta.seq }, `sequence break: seq ${delta.seq}, expected ${expected}`);
      return;
    }
    const level = [[delta.price, delta.qty] as const];
    const event: BookEvent = this.feed.event('delta', {
      bids: delta.side === 'buy' ? level : [],
      asks: delta.side === 'sell' ? level : [],
      seq: delta.seq,
      prevSeq: lastSeq,
      localTs,
    });
    if (delta.timestamp !== undefined) event.exchangeTs = delta.timestamp;
    this.sequence = delta.seq;
    this.applyUpdate(event);
  }
}
