import { describe, expect, it } from 'vitest';
import type { BookEvent } from '../../../../../src/shared/market';
import type { BookFrame, LevelPair } from '../../../../../src/main/venues/hyperliquid/messages';
import { HyperliquidBookSync } from '../../../../../src/main/venues/hyperliquid/sync';
import { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import { heldLevels } from '../../../../support/books';

function harness(): { feed: SymbolFeed; sync: HyperliquidBookSync; events: BookEvent[]; notes: string[] } {
  const events: BookEvent[] = [];
  const notes: string[] = [];
  const feed = new SymbolFeed('hyperliquid', 'BTC', { onBook: (_f, e) => void events.push(e), onState: () => {} });
  const sync = new HyperliquidBookSync(feed, (event) => void notes.push(event));
  feed.connecting('subscribed');
  sync.start();
  return { feed, sync, events, notes };
}

const frame = (time: number, bids: LevelPair[], asks: LevelPair[]): BookFrame => ({ coin: 'BTC', time, bids, asks });

describe('Hyperliquid book sync (whole books, no sequence)', () => {
  it('applies the first frame as a snapshot and later ones as the change from the book held', () => {
    const h = harness();
    h.sync.onBook(frame(1000, [['100.0', '1'], ['99.0', '2']], [['101.0', '3'], ['102.0', '4']]), 1);
    expect(h.feed.state).toBe('synced');
    expect(h.events[0]).toMatchObject({ kind: 'snapshot', exchangeTs: 1000 });

    // 100.0 resized, 99.0 gone, 98.5 new; asks: 101.0 gone, 102.0 unchanged, 103.0 new.
    h.sync.onBook(frame(1001, [['100.0', '1.5'], ['98.5', '7']], [['102.0', '4'], ['103.0', '1']]), 2);
    const delta = h.events[1]!;
    expect(delta).toMatchObject({ kind: 'delta', exchangeTs: 1001, localTs: 2 });
    expect(delta.bids).toEqual([['100.0', '1.5'], ['98.5', '7'], ['99.0', '0']]);
    expect(delta.asks).toEqual([['103.0', '1'], ['101.0', '0']]);
    expect(delta.seq).toBeUndefined();
    // The book is exactly the last frame.
    expect(heldLevels(h.feed)).toEqual({ bids: [['100.0', '1.5'], ['98.5', '7']], asks: [['102.0', '4'], ['103.0', '1']] });
    expect(h.feed.health.levelUpdates).toBe(4 + 5);
  });

  it('applies an unchanged frame as an empty update (the venue confirmed the book at a later time)', () => {
    const h = harness();
    const bids: LevelPair[] = [['100.0', '1']];
    const asks: LevelPair[] = [['101.0', '1']];
    h.sync.onBook(frame(1000, bids, asks), 1);
    h.sync.onBook(frame(1000, bids, asks), 2);
    h.sync.onBook(frame(1500, bids, asks), 3);
    expect(h.events.map((e) => [e.kind, e.bids.length + e.asks.length])).toEqual([['snapshot', 2], ['delta', 0], ['delta', 0]]);
    expect(h.feed.lastExchangeTs).toBe(1500);
    expect(h.feed.health.gaps).toBe(0);
  });

  it('counts time going back as a gap, throws the book away, and rebuilds from the next frame', () => {
    const h = harness();
    h.sync.onBook(frame(2000, [['100.0', '1']], [['101.0', '1']]), 1);
    h.sync.onBook(frame(1999, [['100.0', '9']], [['101.0', '9']]), 2);
    expect(h.feed.health.gaps).toBe(1);
    expect(h.feed.health.resyncs).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.feed.book.levelCount('bid')).toBe(0);
    expect(h.notes).toEqual(['gap', 'resync']);
    // The venue's clock is where it is: the next frame is taken as a whole new book, whatever its time.
    h.sync.onBook(frame(1999, [['100.0', '2']], [['101.0', '2']]), 3);
    expect(h.feed.state).toBe('synced');
    expect(h.events.at(-1)!.kind).toBe('snapshot');
    expect(heldLevels(h.feed)).toEqual({ bids: [['100.0', '2']], asks: [['101.0', '2']] });
  });

  it('counts a crossed book, throws it away, and rebuilds from the next frame', () => {
    const h = harness();
    h.sync.onBook(frame(1, [['100.0', '1']], [['101.0', '1']]), 1);
    h.sync.onBook(frame(2, [['101.5', '1']], [['101.0', '1']]), 2);
    expect(h.feed.health.crossed).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    h.sync.onBook(frame(3, [['100.5', '1']], [['101.0', '1']]), 3);
    expect(h.feed.state).toBe('synced');
    expect(heldLevels(h.feed)).toEqual({ bids: [['100.5', '1']], asks: [['101.0', '1']] });
  });

  it('drops frames that arrive while the connection is down', () => {
    const h = harness();
    h.sync.onBook(frame(1, [['100.0', '1']], [['101.0', '1']]), 1);
    h.feed.connectionLost('socket closed');
    h.sync.onBook(frame(2, [['100.0', '1']], [['101.0', '1']]), 2);
    expect(h.feed.health.staleDropped).toBe(1);
    expect(h.feed.state).toBe('connecting');
    h.sync.start();
    h.sync.onBook(frame(1, [['100.0', '3']], [['101.0', '3']]), 3);
    expect(h.feed.state).toBe('synced');
    expect(h.feed.health.gaps).toBe(0);
  });
});
