import { describe, expect, it } from 'vitest';
import { canonicalDecimal, decimalEquals } from '../../../../../src/shared/decimal';
import { OrderBook } from '../../../../../src/main/book/order-book';
import { SyntheticMarket } from '../../../../../src/main/venues/demo/market';

describe('the demo venue synthetic market', () => {
  it('streams contiguous diffs and tickers that rebuild its true book exactly, with walls and bursts', () => {
    const market = new SyntheticMarket(undefined, 123);
    const books = new Map<string, { book: OrderBook; lastU: number }>();
    for (const symbol of market.symbols()) {
      const snap = market.snapshot(symbol, 5000)!;
      const book = new OrderBook('demo', symbol);
      book.applySnapshot(snap.bids, snap.asks);
      books.set(symbol, { book, lastU: snap.lastUpdateId });
    }
    let tickers = 0;
    let bigLevels = 0;
    let maxBatch = 0;
    for (let step = 0; step < 3000; step++) {
      const now = 1_700_000_000_000 + step * 100;
      const intensity = step % 200 > 180 ? 8 : 1;
      for (const f of market.step(now, intensity)) {
        const d = f.depth as { U: number; u: number; b: [string, string][]; a: [string, string][] };
        const entry = books.get(f.symbol)!;
        expect(d.U).toBe(entry.lastU + 1);
        entry.lastU = d.u;
        entry.book.applyDelta(d.b, d.a);
        maxBatch = Math.max(maxBatch, d.b.length + d.a.length);
        expect(entry.book.isCrossed()).toBe(false);
        if (f.bookTicker) {
          tickers++;
          const t = f.bookTicker as { u: number; b: string; B: string; a: string; A: string };
          expect(t.u).toBe(d.u);
          const top = entry.book.topOfBook();
          expect(decimalEquals(t.b, top.bid!) && decimalEquals(t.B, top.bidSize!)).toBe(true);
          expect(decimalEquals(t.a, top.ask!) && decimalEquals(t.A, top.askSize!)).toBe(true);
        }
      }
    }
    for (const symbol of market.symbols()) {
      const truth = market.trueBook(symbol)!;
      const { book } = books.get(symbol)!;
      const side = (s: 'bid' | 'ask') => [...book.levels(s)].map((l) => [canonicalDecimal(l.price), canonicalDecimal(l.sizeText)]);
      expect(side('bid')).toEqual(truth.bids.map(([p, q]) => [canonicalDecimal(p), canonicalDecimal(q)]));
      expect(side('ask')).toEqual(truth.asks.map(([p, q]) => [canonicalDecimal(p), canonicalDecimal(q)]));
      expect(book.levelCount('bid')).toBeGreaterThan(300);
      // Walls: some level far above the typical size.
      const sizes = [...book.levels('bid')].slice(0, 40).map((l) => l.size);
      const median = [...sizes].sort((a, b) => a - b)[20]!;
      if (sizes.some((s) => s > median * 8)) bigLevels++;
    }
    expect(tickers).toBeGreaterThan(1000);
    expect(maxBatch).toBeGreaterThan(30); // bursts carry far bigger batches
    expect(bigLevels).toBeGreaterThan(0);
  });
});
