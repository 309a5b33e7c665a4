import { describe, expect, it } from 'vitest';
import type { BookEvent } from '../../../../../src/shared/market';
import { OrderBook } from '../../../../../src/main/book/order-book';
import { bitgetChecksum } from '../../../../../src/main/venues/bitget/checksum';
import type { BookData } from '../../../../../src/main/venues/bitget/messages';
import { BitgetBookSync } from '../../../../../src/main/venues/bitget/sync';
import { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';

type Level = [string, string];

interface Harness {
  feed: SymbolFeed;
  sync: BitgetBookSync;
  resubscribes: string[];
  events: BookEvent[];
  /** What a correct client holds: the checksum of every message is computed from it. */
  truth: OrderBook;
  snapshot(bids: Level[], asks: Level[], seq?: number): void;
  update(bids: Level[], asks: Level[], seq?: number, checksum?: number): void;
}

function harness(): Harness {
  const events: BookEvent[] = [];
  const feed = new SymbolFeed('bitget', 'BTCUSDT', { onBook: (_f, e) => void events.push(e), onState: () => {} });
  const resubscribes: string[] = [];
  const sync = new BitgetBookSync(feed, { resubscribe: (r) => resubscribes.push(r), note: () => {} });
  feed.connecting('subscribed');
  sync.start();
  const truth = new OrderBook('bitget', 'truth');
  const data = (bids: Level[], asks: Level[], seq: number | undefined, checksum: number): BookData => ({ bids, asks, checksum, ts: 1, ...(seq === undefined ? {} : { seq }) });
  let t = 0;
  return {
    feed,
    sync,
    resubscribes,
    events,
    truth,
    snapshot(bids, asks, seq) {
      truth.applySnapshot(bids, asks);
      sync.onSnapshot(data(bids, asks, seq, bitgetChecksum(truth)), ++t);
    },
    update(bids, asks, seq, checksum) {
      truth.applyDelta(bids, asks);
      sync.onUpdate(data(bids, asks, seq, checksum ?? bitgetChecksum(truth)), ++t);
    },
  };
}

const levels = (feed: SymbolFeed, side: 'bid' | 'ask') => [...feed.book.levels(side)].map((l) => [l.price, l.sizeText]);

describe('BitgetBookSync', () => {
  it('applies a snapshot and updates, verifying the checksum of every message (snapshot included)', () => {
    const h = harness();
    h.snapshot([['100.0', '1.00'], ['99.5', '2.00']], [['100.5', '3.00']]);
    h.update([['99.5', '0']], [['101.0', '4.50']]);
    h.update([['100.0', '1.25']], []);
    expect(h.feed.state).toBe('synced');
    expect(h.feed.health.checksumOk).toBe(3);
    expect(h.feed.health.checksumFailed).toBe(0);
    expect(levels(h.feed, 'bid')).toEqual([['100.0', '1.25']]);
    expect(levels(h.feed, 'ask')).toEqual([['100.5', '3.00'], ['101.0', '4.50']]);
    // v1 carries no seq: no event claims a continuity check.
    expect(h.events.every((e) => e.seq === undefined && e.prevSeq === undefined)).toBe(true);
    expect(h.events.every((e) => typeof e.checksum === 'number')).toBe(true);
  });

  it('a failed checksum throws the book away and resubscribes; the next snapshot rebuilds it', () => {
    const h = harness();
    h.snapshot([['100', '1']], [['101', '1']]);
    h.update([['100', '2']], [], undefined, 12345);
    expect(h.feed.health.checksumFailed).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.feed.book.levelCount('bid')).toBe(0);
    expect(h.resubscribes).toEqual(['checksum mismatch: venue 12345, book ' + String(bitgetChecksum(h.truth))]);
    h.update([['100', '3']], []); // still the old subscription: not applied
    expect(h.feed.health.staleDropped).toBe(1);
    h.snapshot([['100', '7']], [['101', '1']]);
    expect(h.feed.state).toBe('synced');
    expect(h.feed.book.bestBid()!.sizeText).toBe('7');
  });

  it('v2 seq: increasing (not necessarily by one) is continuity; a repeat or step back rebuilds', () => {
    const h = harness();
    h.snapshot([['100', '1']], [['101', '1']], 10);
    h.update([['100', '2']], [], 11);
    h.update([['100', '3']], [], 15);
    expect(h.feed.health.gaps).toBe(0);
    const deltas = h.events.filter((e) => e.kind === 'delta');
    expect(deltas.map((e) => [e.prevSeq, e.seq])).toEqual([[10, 11], [11, 15]]);
    h.update([['100', '4']], [], 15);
    expect(h.feed.health.gaps).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.resubscribes).toEqual(['sequence break: seq 15 after 15']);
    h.snapshot([['100', '4']], [['101', '1']], 3); // after maintenance seq may start lower: a snapshot resets it
    h.update([['100', '5']], [], 4);
    expect(h.feed.state).toBe('synced');
    expect(h.feed.health.gaps).toBe(1);
  });

  it('resyncs on a crossed book', () => {
    const h = harness();
    h.snapshot([['100', '1']], [['101', '1']]);
    h.sync.onUpdate({ bids: [['102', '1']], asks: [] }, 5);
    expect(h.feed.health.crossed).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.resubscribes).toEqual(['crossed book']);
  });

  it('ignores updates before the first snapshot', () => {
    const h = harness();
    h.sync.onUpdate({ bids: [['100', '1']], asks: [], checksum: 1 }, 1);
    expect(h.feed.book.levelCount('bid')).toBe(0);
    expect(h.feed.health.staleDropped).toBe(1);
    expect(h.feed.health.checksumOk + h.feed.health.checksumFailed).toBe(0);
    expect(h.feed.state).toBe('buffering');
  });
});
