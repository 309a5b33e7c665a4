import { describe, expect, it } from 'vitest';
import type { BookEvent } from '../../../../../src/shared/market';
import type { BookDelta, BookSnapshot } from '../../../../../src/main/venues/kraken-futures/messages';
import { KrakenFuturesBookSync } from '../../../../../src/main/venues/kraken-futures/sync';
import { ResubscribeTimers } from '../../../../../src/main/venues/resubscribe';
import { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';

function harness() {
  const events: BookEvent[] = [];
  const feed = new SymbolFeed('kraken-futures', 'PI_XBTUSD', { onBook: (_f, e) => void events.push(e), onState: () => {} });
  const resubscribes: string[] = [];
  const notes: string[] = [];
  const sync = new KrakenFuturesBookSync(feed, { resubscribe: (reason) => void resubscribes.push(reason), note: (event) => void notes.push(event) });
  feed.connecting('subscribed');
  sync.start();
  return { feed, sync, events, resubscribes, notes };
}

const snapshot = (seq: number): BookSnapshot => ({
  productId: 'PI_XBTUSD',
  seq,
  timestamp: 1000,
  bids: [['32189.5', '1130.0'], ['32188.5', '15741.0']],
  asks: [['32221.0', '500.0']],
});

const delta = (seq: number, side: 'buy' | 'sell', price: string, qty: string): BookDelta => ({ productId: 'PI_XBTUSD', seq, side, price, qty, timestamp: 1000 + seq });

describe('Kraken Futures book sync', () => {
  it('applies the snapshot, then deltas whose seq continues by one, carrying seq and prevSeq', () => {
    const h = harness();
    h.sync.onSnapshot(snapshot(100), 1);
    expect(h.feed.state).toBe('synced');
    h.sync.onDelta(delta(101, 'buy', '32190.0', '200.0'), 2);
    h.sync.onDelta(delta(102, 'sell', '32221.0', '0'), 3);
    h.sync.onDelta(delta(103, 'sell', '32230.5', '7.0'), 4);
    expect(h.feed.book.bestBid()).toMatchObject({ price: '32190.0', sizeText: '200.0' });
    expect(h.feed.book.bestAsk()).toMatchObject({ price: '32230.5' });
    expect(h.events.slice(1).map((e) => [e.seq, e.prevSeq, e.bids.length, e.asks.length])).toEqual([
      [101, 100, 1, 0],
      [102, 101, 0, 1],
      [103, 102, 0, 1],
    ]);
    expect(h.events[1]!.exchangeTs).toBe(1101);
    expect(h.feed.health.gaps).toBe(0);
  });

  it('drops deltas before the snapshot', () => {
    const h = harness();
    h.sync.onDelta(delta(99, 'buy', '1', '1'), 1);
    expect(h.feed.health.staleDropped).toBe(1);
    expect(h.events).toHaveLength(0);
    h.sync.onSnapshot(snapshot(100), 2);
    h.sync.onDelta(delta(101, 'buy', '32189.5', '0'), 3);
    expect(h.feed.health.gaps).toBe(0);
    expect(h.feed.book.bestBid()?.price).toBe('32188.5');
  });

  it('a skipped seq is a gap: the book is thrown away and the product resubscribed', () => {
    const h = harness();
    h.sync.onSnapshot(snapshot(100), 1);
    h.sync.onDelta(delta(101, 'buy', '32190.0', '1.0'), 2);
    h.sync.onDelta(delta(103, 'buy', '32191.0', '1.0'), 3);
    expect(h.feed.health.gaps).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.feed.book.levelCount('bid')).toBe(0);
    expect(h.resubscribes).toEqual(['sequence break: seq 103, expected 102']);
    // What follows the break is dropped until the new snapshot, which continues from its own seq.
    h.sync.onDelta(delta(104, 'buy', '32192.0', '1.0'), 4);
    expect(h.feed.health.staleDropped).toBe(1);
    h.sync.onSnapshot(snapshot(500), 5);
    h.sync.onDelta(delta(501, 'sell', '32221.0', '3.0'), 6);
    expect(h.feed.state).toBe('synced');
    expect(h.feed.book.bestAsk()?.sizeText).toBe('3.0');
    expect(h.feed.health.gaps).toBe(1);
  });

  it('a repeated or restarted seq is a break too (never silently skipped)', () => {
    for (const seq of [101, 7]) {
      const h = harness();
      h.sync.onSnapshot(snapshot(100), 1);
      h.sync.onDelta(delta(101, 'buy', '32190.0', '1.0'), 2);
      h.sync.onDelta(delta(seq, 'buy', '32190.0', '2.0'), 3);
      expect(h.feed.health.gaps, String(seq)).toBe(1);
      expect(h.resubscribes).toHaveLength(1);
    }
  });

  it('a delta that crosses the book resyncs', () => {
    const h = harness();
    h.sync.onSnapshot(snapshot(100), 1);
    h.sync.onDelta(delta(101, 'buy', '32221.0', '5.0'), 2);
    expect(h.feed.health.crossed).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.resubscribes).toEqual(['crossed book']);
  });
});

describe('resubscribe back-off on a venue without checksums', () => {
  /** A clock whose time moves only when told; timers fire as it passes them. */
  function manualClock() {
    let now = 0;
    const timers = new Map<number, { at: number; fn: () => void }>();
    let next = 1;
    return {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => {
        timers.set(next, { at: now + ms, fn });
        return next++;
      },
      clearTimeout: (h: unknown) => void timers.delete(h as number),
      advance(ms: number) {
        now += ms;
        for (const [h, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
          if (t.at <= now) {
            timers.delete(h);
            t.fn();
          }
        }
      },
    };
  }

  it('grows while breaks follow each other, and starts afresh after a quiet minute', () => {
    const clock = manualClock();
    const delays: number[] = [];
    const logger = { log: (_l: string, event: string, fields: Record<string, unknown> = {}) => void (event === 'resubscribe-scheduled' && delays.push(fields.delayMs as number)) };
    const feed = new SymbolFeed('kraken-futures', 'PI_XBTUSD', { onBook: () => {}, onState: () => {} });
    let sent = 0;
    const timers = new ResubscribeTimers(
      { venue: 'kraken-futures', logger, clock, snapshotTimeoutMs: 15_000, isClosed: () => false, isOpen: () => true },
      feed,
      () => void sent++,
    );
    for (let i = 0; i < 4; i++) {
      timers.schedule('sequence break');
      clock.advance(30_000);
    }
    expect(sent).toBe(4);
    // 250 ms doubling (half fixed, half jitter): each ceiling is above the last delay's floor.
    expect(delays[3]!).toBeGreaterThanOrEqual(1000);
    clock.advance(60_000);
    timers.schedule('sequence break');
    expect(delays[4]!).toBeLessThanOrEqual(250);
    timers.clear();
  });
});
