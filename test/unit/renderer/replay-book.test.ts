import { describe, expect, it } from 'vitest';
import { replayDashboardBook } from '../../../src/renderer/src/components/replay-book';

// The kraken capture's books, in the order the replay meets them.
const books = [
  { venue: 'kraken', symbol: 'WAVES/EUR' },
  { venue: 'kraken', symbol: 'KSM/XBT' },
] as const;

describe('the book the dashboard shows when a capture plays', () => {
  it('keeps a book of the capture the trader already picked', () => {
    const picked = { venue: 'kraken', symbol: 'KSM/XBT' } as const;
    expect(replayDashboardBook(picked, books)).toBe(picked);
  });

  it("moves a live symbol to the capture's first book", () => {
    expect(replayDashboardBook({ venue: 'demo', symbol: 'BTCUSDT' }, books)).toEqual({ venue: 'kraken', symbol: 'WAVES/EUR' });
    expect(replayDashboardBook(null, books)).toEqual({ venue: 'kraken', symbol: 'WAVES/EUR' });
  });

  it('matches venue and symbol both: the same symbol on another venue is not the capture’s', () => {
    expect(replayDashboardBook({ venue: 'binance-spot', symbol: 'KSM/XBT' }, books)).toEqual({ venue: 'kraken', symbol: 'WAVES/EUR' });
  });

  it('has nothing to show before the capture has met a book', () => {
    expect(replayDashboardBook({ venue: 'demo', symbol: 'BTCUSDT' }, [])).toBeUndefined();
  });
});
