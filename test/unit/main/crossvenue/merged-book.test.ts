/**
 * The merged book against one computed by hand: two venues quoting one asset with different ticks
 * (0.01 and 0.1), merged on the common tick 0.1, sizes summed exactly; then one venue leaves sync
 * (it must be listed as excluded with its reason and its levels must leave the merge) and comes back.
 */
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../../src/main/book/order-book';
import type { MemberBook } from '../../../../src/main/crossvenue/member';
import { mergeBooks } from '../../../../src/main/crossvenue/merged-book';
import { commonTick } from '../../../../src/main/crossvenue/views';
import type { VenueId } from '../../../../src/shared/market';

function member(venue: VenueId, tickSize: string, bids: Array<[string, string]>, asks: Array<[string, string]>): MemberBook {
  const book = new OrderBook(venue, 'BTCUSDT');
  book.applySnapshot(bids, asks);
  return { venue, symbol: 'BTCUSDT', state: 'synced', message: null, book, lastLocalTs: 1_000, tickSize };
}

// Venue A quotes on 0.01, venue B on 0.1. Sizes chosen so that float sums would be wrong (0.1 + 0.2).
const a = (): MemberBook =>
  member(
    'demo',
    '0.01',
    [
      ['100.05', '0.1'],
      ['100.01', '0.2'],
      ['99.97', '0.25'],
      ['99.80', '7'],
    ],
    [
      ['100.07', '1.5'],
      ['100.12', '3'],
      ['100.31', '0.7'],
    ],
  );
const b = (): MemberBook =>
  member(
    'demo-b',
    '0.1',
    [
      ['100.0', '4'],
      ['99.9', '1.000'],
    ],
    [
      ['100.1', '0.5'],
      ['100.2', '2'],
    ],
  );

/*
 * By hand, tick 0.1 (bids round down, asks up):
 *   bids  100.0: A 0.1 + 0.2 = 0.3, B 4     → 4.3
 *          99.9: A 0.25,            B 1     → 1.25
 *          99.8: A 7                        → 7
 *   asks  100.1: A 1.5,              B 0.5  → 2
 *         100.2: A 3,                B 2    → 5
 *         100.4: A 0.7                      → 0.7
 */
const BOTH_BIDS = [
  { price: '100.0', total: '4.3', venues: { demo: '0.3', 'demo-b': '4' } },
  { price: '99.9', total: '1.25', venues: { demo: '0.25', 'demo-b': '1' } },
  { price: '99.8', total: '7', venues: { demo: '7' } },
];
const BOTH_ASKS = [
  { price: '100.1', total: '2', venues: { demo: '1.5', 'demo-b': '0.5' } },
  { price: '100.2', total: '5', venues: { demo: '3', 'demo-b': '2' } },
  { price: '100.4', total: '0.7', venues: { demo: '0.7' } },
];

describe('merged book', () => {
  it('merges two venues on the coarsest tick, exactly, with each venue’s share', () => {
    const members = [a(), b()];
    expect(commonTick(members, 1)).toBe('0.1');
    const merged = mergeBooks(members, '0.1', 10);
    expect(merged.bids).toEqual(BOTH_BIDS);
    expect(merged.asks).toEqual(BOTH_ASKS);
    expect(merged.included).toEqual(['demo', 'demo-b']);
    expect(merged.excluded).toEqual([]);
  });

  it('keeps the best N rows, reading each book only as far as it can matter', () => {
    const merged = mergeBooks([a(), b()], '0.1', 2);
    expect(merged.bids).toEqual(BOTH_BIDS.slice(0, 2));
    expect(merged.asks).toEqual(BOTH_ASKS.slice(0, 2));
  });

  it('groups to a multiple of the tick', () => {
    const members = [a(), b()];
    const tick = commonTick(members, 5);
    expect(tick).toBe('0.5');
    // Bids: 100.0 row holds 100.05, 100.01, 100.0; 99.5 row holds the rest. Asks: 100.5 holds all.
    expect(mergeBooks(members, tick, 10).bids).toEqual([
      { price: '100.0', total: '4.3', venues: { demo: '0.3', 'demo-b': '4' } },
      { price: '99.5', total: '8.25', venues: { demo: '7.25', 'demo-b': '1' } },
    ]);
    expect(mergeBooks(members, tick, 10).asks).toEqual([{ price: '100.5', total: '7.7', venues: { demo: '5.2', 'demo-b': '2.5' } }]);
  });

  it('drops a venue that leaves sync, says why, and takes it back when it is synced again', () => {
    const members = [a(), b()];
    const venueB = members[1]!;
    venueB.state = 'resyncing';
    venueB.message = 'sequence gap: expected 1001, got 1005';
    const without = mergeBooks(members, '0.1', 10);
    expect(without.included).toEqual(['demo']);
    expect(without.excluded).toEqual([{ venue: 'demo-b', symbol: 'BTCUSDT', state: 'resyncing', reason: 'resyncing: sequence gap: expected 1001, got 1005' }]);
    expect(without.bids).toEqual([
      { price: '100.0', total: '0.3', venues: { demo: '0.3' } },
      { price: '99.9', total: '0.25', venues: { demo: '0.25' } },
      { price: '99.8', total: '7', venues: { demo: '7' } },
    ]);
    expect(without.asks.map((l) => l.venues)).toEqual([{ demo: '1.5' }, { demo: '3' }, { demo: '0.7' }]);

    // Buffering (snapshot in flight) is out of sync too, even with levels in the book.
    venueB.state = 'buffering';
    venueB.message = null;
    expect(mergeBooks(members, '0.1', 10).excluded).toEqual([{ venue: 'demo-b', symbol: 'BTCUSDT', state: 'buffering', reason: 'buffering' }]);

    // Back in sync, from a fresh snapshot that moved: the merge shows the new book.
    venueB.book!.applySnapshot([['100.0', '2.5']], [['100.1', '0.5']]);
    venueB.state = 'synced';
    venueB.message = 'sequence gap: expected 1001, got 1005'; // the last error stays in health; synced wins
    const back = mergeBooks(members, '0.1', 10);
    expect(back.excluded).toEqual([]);
    expect(back.bids[0]).toEqual({ price: '100.0', total: '2.8', venues: { demo: '0.3', 'demo-b': '2.5' } });
    expect(back.asks[0]).toEqual({ price: '100.1', total: '2', venues: { demo: '1.5', 'demo-b': '0.5' } });
  });

  it('lists a venue whose feed could not start, and merges the rest', () => {
    const missing: MemberBook = { venue: 'kraken', symbol: 'BTC/USDT', state: 'failed', message: 'BTC/USDT is not listed on Kraken', book: null, lastLocalTs: 0, tickSize: null };
    const merged = mergeBooks([a(), missing], '0.01', 1);
    expect(merged.excluded).toEqual([{ venue: 'kraken', symbol: 'BTC/USDT', state: 'failed', reason: 'failed: BTC/USDT is not listed on Kraken' }]);
    expect(merged.bids).toEqual([{ price: '100.05', total: '0.1', venues: { demo: '0.1' } }]);
  });
});
