import { describe, expect, it } from 'vitest';
import type { BookListener } from '../../../../src/main/market/service';
import { depthFrame } from '../../../../src/main/publish/views/depth';
import { heatmapSource } from '../../../../src/main/publish/views/heatmap';
import { buildLadderFrame } from '../../../../src/main/publish/views/ladder';
import { autoRangeBps, niceStep } from '../../../../src/main/publish/views/range';
import { topOfBookSource } from '../../../../src/main/publish/views/top-of-book';
import { SymbolFeed } from '../../../../src/main/venues/symbol-feed';
import type { HeatmapFrame, TopOfBookFrame } from '../../../../src/shared/contract';

function feedWith(bids: [string, string][], asks: [string, string][]): SymbolFeed {
  const feed = new SymbolFeed('demo', 'T', { onBook: () => {}, onState: () => {} });
  feed.book.applySnapshot(bids, asks);
  return feed;
}

describe('book views', () => {
  it('buckets depth by distance from mid in bps', () => {
    // mid = 100; 1 bp = 0.01
    const feed = feedWith(
      [
        ['99.99', '1'], // 1 bp → bucket 0 (2-bp buckets)
        ['99.97', '2'], // 3 bp → bucket 1
        ['99.00', '5'], // 100 bp → beyond 10 bp range
      ],
      [
        ['100.01', '3'],
        ['100.02', '4'], // 2 bp → bucket 1
      ],
    );
    const f = depthFrame(feed, 10, 5);
    expect(f.mid).toBe(100);
    expect(f.bucketBps).toBe(2);
    expect(f.bidSizes).toEqual([1, 2, 0, 0, 0]);
    expect(f.askSizes).toEqual([3, 4, 0, 0, 0]);
    expect(f.bidBeyond).toBe(5);
    expect(f.askBeyond).toBe(0);
  });

  it('picks nice heatmap rows no finer than a tick and keeps the grid fixed', () => {
    expect(niceStep(0.037, 0.01)).toBe(0.05);
    expect(niceStep(0.0004, 0.01)).toBe(0.01);
    expect(niceStep(12, 0.01)).toBe(20);
    const feed = feedWith([['99.95', '1'], ['99.90', '2']], [['100.05', '3']]);
    let t = 1000;
    const src = heatmapSource(feed, 20, 20, 250, () => t);
    const f1 = src.build() as HeatmapFrame;
    // 20 bp of 100 = 0.2 over 20 rows → 0.01 rows
    expect(f1.rowStep).toBe(0.01);
    expect(f1.sizes.reduce((a, b) => a + b, 0)).toBe(6);
    const row = (p: number) => Math.floor((p - f1.basePrice) / f1.rowStep + 1e-7);
    expect(f1.sizes[row(99.95)]).toBe(1);
    expect(f1.sizes[row(100.05)]).toBe(3);
    expect(src.version()).toBe(4);
    t = 1300;
    expect(src.version()).toBe(5);
    feed.book.applyDelta([['100.5', '1']], [['101.0', '1']]); // mid moves up; row height stays
    const f2 = src.build() as HeatmapFrame;
    expect(f2.rowStep).toBe(0.01);
  });

  it('streams top-of-book changes, one point per 100 ms, and lets go of its listener', () => {
    const listeners = new Set<BookListener>();
    const updates = { onBook: (l: BookListener) => (listeners.add(l), () => void listeners.delete(l)) };
    const feed = feedWith([['10', '1']], [['11', '1']]);
    const src = topOfBookSource(updates, feed);
    const emit = (localTs: number, bid: string) => {
      feed.book.applyDelta([[bid, '1']], []);
      feed.lastLocalTs = localTs;
      for (const l of listeners) l(feed, { venue: 'demo', symbol: 'T', kind: 'delta', bids: [], asks: [], localTs });
    };
    emit(1_000, '10.1');
    emit(1_050, '10.2'); // same 100 ms bucket: replaces the previous point
    emit(1_150, '10.3');
    const frame = src.build() as TopOfBookFrame;
    expect(frame.points.map((p) => p.bid)).toEqual([10, 10.2, 10.3]);
    expect((src.build() as TopOfBookFrame).points).toEqual([]);
    src.dispose!();
    expect(listeners.size).toBe(0);
  });
});

describe('top of book view, before the first event', () => {
  it('sends no point for an empty book with no event time (never one at the wall clock)', () => {
    const feed = new SymbolFeed('demo', 'T', { onBook: () => {}, onState: () => {} });
    const listeners = new Set<BookListener>();
    const updates = { onBook: (l: BookListener) => (listeners.add(l), () => void listeners.delete(l)) };
    const src = topOfBookSource(updates, feed);
    expect((src.build() as TopOfBookFrame).points).toEqual([]);
    feed.book.applySnapshot([['10.1', '1']], [['10.2', '1']]);
    feed.lastLocalTs = 1_723_161_254_000;
    for (const l of listeners) l(feed, { venue: 'demo', symbol: 'T', kind: 'snapshot', bids: [], asks: [], localTs: feed.lastLocalTs });
    expect((src.build() as TopOfBookFrame).points).toEqual([{ t: 1_723_161_254_000, bid: 10.1, ask: 10.2, bidSize: 1, askSize: 1 }]);
    src.dispose!();
  });
});

describe('ladder grouping', () => {
  it('sums levels into rows of N ticks, rounding away from the spread, with exact prices', () => {
    const feed = feedWith(
      [
        ['100.04', '1'],
        ['100.01', '2'],
        ['99.99', '4'],
        ['99.95', '8'],
      ],
      [
        ['100.06', '1'],
        ['100.10', '2'],
        ['100.11', '3'],
      ],
    );
    const instrument = { venue: 'demo', symbol: 'T', display: 'T', base: 'T', quote: 'U', tickSize: '0.01', lotSize: null, pricePrecision: 2, sizePrecision: 0, status: 'trading' } as const;
    const f = buildLadderFrame(feed, 3, instrument, 5); // rows of 0.05
    expect(f.bids).toEqual([
      ['100.00', '3'],
      ['99.95', '12'],
    ]);
    expect(f.asks).toEqual([
      ['100.10', '3'],
      ['100.15', '3'],
    ]);
    expect(f.spread).toBe('0.02');
    const plain = buildLadderFrame(feed, 2, instrument, 1);
    expect(plain.bids).toEqual([
      ['100.04', '1'],
      ['100.01', '2'],
    ]);
  });
});

describe('automatic chart ranges', () => {
  it('reaches the Nth level on both sides, rounded to 1-2-5', () => {
    const bids = Array.from({ length: 100 }, (_, i) => [(100 - 0.01 * (i + 1)).toFixed(2), '1'] as [string, string]);
    const asks = Array.from({ length: 100 }, (_, i) => [(100 + 0.02 * (i + 1)).toFixed(2), '1'] as [string, string]);
    const feed = feedWith(bids, asks);
    // mid 100.005; the 100th ask is 102.00: 199.5 bps × 1.05 → 209 → rounded up to 500
    expect(autoRangeBps(feed.book, 100)).toBe(500);
    // the 10th: ask 100.20 → 19.5 bps × 1.05 = 20.5 → 50
    expect(autoRangeBps(feed.book, 10)).toBe(50);
    expect(autoRangeBps(feedWith([], [['1', '1']]).book, 10)).toBeNull();
  });
});
