import { describe, expect, it } from 'vitest';
import { InvalidLevelError, OrderBook } from '../../../../src/main/book/order-book';
import { PriceKeyError } from '../../../../src/main/book/price-key';
import { canonicalDecimal, expandExponent, toFixedDecimals, formatScaled } from '../../../../src/shared/decimal';

describe('decimal text', () => {
  it('canonicalizes without floats', () => {
    expect(canonicalDecimal('0.35130000')).toBe('0.3513');
    expect(canonicalDecimal('6195.00000000')).toBe('6195');
    expect(canonicalDecimal('000100.1000')).toBe('100.1');
    expect(canonicalDecimal('0.000022890')).toBe('0.00002289');
    expect(canonicalDecimal('-0.0')).toBe('0');
    expect(canonicalDecimal('12345678901234567890.123456789')).toBe('12345678901234567890.123456789');
  });
  it('expands exponents exactly', () => {
    expect(expandExponent('1.5e-7')).toBe('0.00000015');
    expect(expandExponent('2E3')).toBe('2000');
    expect(expandExponent('1.25e1')).toBe('12.5');
  });
  it('formats to fixed decimals without rounding', () => {
    expect(toFixedDecimals('45281', 1)).toBe('45281.0');
    expect(toFixedDecimals('0.0799', 8)).toBe('0.07990000');
    expect(() => toFixedDecimals('0.123', 2)).toThrow();
    expect(formatScaled(22890, 9)).toBe('0.000022890');
    expect(formatScaled(-5, 2)).toBe('-0.05');
  });
});

describe('OrderBook', () => {
  it('snapshot replaces, delta sets absolute size, zero deletes', () => {
    const book = new OrderBook('demo', 'X');
    book.applySnapshot(
      [
        ['100.0', '1'],
        ['99.5', '2'],
      ],
      [
        ['101', '3'],
        ['102.25', '4'],
      ],
    );
    expect(book.bestBid()?.price).toBe('100.0');
    expect(book.bestAsk()?.price).toBe('101');
    book.applyDelta([['100.00', '5']], [['101.000', '0']]);
    expect(book.levelCount('bid')).toBe(2);
    expect(book.bestBid()?.sizeText).toBe('5');
    expect(book.bestAsk()?.price).toBe('102.25');
    book.applyDelta([['98', '0']], []); // deleting an unknown level is ignored
    expect(book.levelCount('bid')).toBe(2);
    book.applySnapshot([['1', '1']], []);
    expect(book.levelCount('bid')).toBe(1);
    expect(book.levelCount('ask')).toBe(0);
  });

  it('keeps keys exact when a finer price arrives later', () => {
    const book = new OrderBook('demo', 'X');
    book.applySnapshot([['0.1', '1'], ['0.3', '1']], [['0.7', '1']]);
    book.applyDelta([['0.2000001', '2']], []);
    expect(book.top('bid', 3).map((l) => l.price)).toEqual(['0.3', '0.2000001', '0.1']);
    // 0.1 + 0.2 is not 0.3 in floats; as exact keys these are distinct levels, and "0.30" is "0.3".
    book.applyDelta([['0.30', '9']], []);
    expect(book.levelCount('bid')).toBe(3);
    expect(book.bestBid()?.size).toBe(9);
    expect(book.priceText(book.bestBid()!)).toBe('0.3000000');
  });

  it('detects a crossed book', () => {
    const book = new OrderBook('demo', 'X');
    book.applySnapshot([['100', '1']], [['101', '1']]);
    expect(book.isCrossed()).toBe(false);
    book.applyDelta([['101', '1']], []);
    expect(book.isCrossed()).toBe(true);
  });

  it('rejects text that is not a decimal', () => {
    const book = new OrderBook('demo', 'X');
    expect(() => book.setLevel('bid', 'abc', '1')).toThrow(InvalidLevelError);
    expect(() => book.setLevel('bid', '1', 'NaN')).toThrow(InvalidLevelError);
    expect(() => book.setLevel('bid', '1', '-2')).toThrow(InvalidLevelError);
    expect(book.levelCount('bid')).toBe(0);
  });

  it('computes cumulative depth, walks the book and truncates', () => {
    const book = new OrderBook('demo', 'X');
    book.applySnapshot(
      [
        ['99', '1'],
        ['98', '2'],
        ['97', '3'],
      ],
      [
        ['101', '1'],
        ['102', '2'],
        ['103', '3'],
      ],
    );
    const cum = book.cumulativeDepth('ask');
    expect(cum.map((c) => c.cumSize)).toEqual([1, 3, 6]);
    expect(cum[2]!.cumNotional).toBe(101 + 204 + 309);
    const buy = book.walk('buy', 2);
    // 1 @ 101 + 1 @ 102 = 203 → VWAP 101.5
    expect(buy.vwap).toBe(101.5);
    expect(buy.worstPrice).toBe('102');
    expect(buy.levelsConsumed).toBe(2);
    expect(buy.complete).toBe(true);
    const sell = book.walk('sell', 10);
    expect(sell.filled).toBe(6);
    expect(sell.complete).toBe(false);
    expect(sell.cost).toBe(99 + 196 + 291);
    book.truncate(2);
    expect(book.top('bid', 10).map((l) => l.price)).toEqual(['99', '98']);
    expect(book.top('ask', 10).map((l) => l.price)).toEqual(['101', '102']);
  });
});

/** Naive reference book: maps of canonical price → size text, sorted on demand with BigInt. */
class ReferenceBook {
  bids = new Map<string, string>();
  asks = new Map<string, string>();
  set(side: 'bid' | 'ask', price: string, size: string): void {
    const m = side === 'bid' ? this.bids : this.asks;
    const key = canonicalDecimal(price);
    if (Number(size) === 0) m.delete(key);
    else m.set(key, size);
  }
  sorted(side: 'bid' | 'ask'): [string, string][] {
    const m = side === 'bid' ? this.bids : this.asks;
    const toBig = (p: string): bigint => {
      const [i, f = ''] = p.split('.');
      return BigInt(i! + f.padEnd(12, '0'));
    };
    const entries = [...m.entries()];
    entries.sort((a, b) => {
      const d = toBig(a[0]) - toBig(b[0]);
      const s = d < 0n ? -1 : d > 0n ? 1 : 0;
      return side === 'bid' ? -s : s;
    });
    return entries;
  }
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('OrderBook against a naive reference', () => {
  it('agrees over 50,000 random operations with mixed decimal formats', () => {
    const rand = lcg(42);
    const book = new OrderBook('demo', 'R');
    const ref = new ReferenceBook();
    const formatPrice = (ticks: number, decimals: number): string => {
      // Same price in several spellings: extra trailing zeros must not create a new level.
      const base = formatScaled(ticks, decimals);
      const pad = Math.floor(rand() * 3);
      return pad === 0 ? base : (base.includes('.') ? base : base + '.') + '0'.repeat(pad);
    };
    for (let op = 0; op < 50_000; op++) {
      const r = rand();
      if (r < 0.001) {
        // snapshot
        const bids: [string, string][] = [];
        const asks: [string, string][] = [];
        ref.bids.clear();
        ref.asks.clear();
        for (let i = 0; i < 50; i++) {
          const b: [string, string] = [formatPrice(9000 - Math.floor(rand() * 500), 2), String(1 + Math.floor(rand() * 100))];
          const a: [string, string] = [formatPrice(9001 + Math.floor(rand() * 500), 2), String(1 + Math.floor(rand() * 100))];
          bids.push(b);
          asks.push(a);
        }
        book.applySnapshot(bids, asks);
        for (const [p, s] of bids) ref.set('bid', p, s);
        for (const [p, s] of asks) ref.set('ask', p, s);
        continue;
      }
      const side = rand() < 0.5 ? 'bid' : 'ask';
      // Decimals vary between 2 and 4 so the book rescales its keys along the way.
      const decimals = op > 20_000 ? 2 + Math.floor(rand() * 3) : 2;
      const mult = 10 ** (decimals - 2);
      const ticks = side === 'bid' ? 9000 * mult - Math.floor(rand() * 600 * mult) : 9001 * mult + Math.floor(rand() * 600 * mult);
      const price = formatPrice(ticks, decimals);
      const size = rand() < 0.4 ? (rand() < 0.5 ? '0' : '0.000') : (rand() * 50).toFixed(3);
      book.setLevel(side, price, size);
      ref.set(side, price, size);
      if (op % 997 === 0 || op === 49_999) {
        for (const s of ['bid', 'ask'] as const) {
          const expected = ref.sorted(s);
          const actual = [...book.levels(s)].map((l) => [canonicalDecimal(l.price), l.sizeText]);
          expect(actual).toEqual(expected);
        }
      }
      if (op % 101 === 0) {
        const rb = ref.sorted('bid')[0];
        expect(book.bestBid() ? canonicalDecimal(book.bestBid()!.price) : undefined).toBe(rb?.[0]);
      }
    }
  });

  it('snapshots in venue order (bulk-loaded) and irregular ones (level by level) both equal the reference, and take deltas after', () => {
    const rand = lcg(1234);
    const book = new OrderBook('demo', 'S');
    const ref = new ReferenceBook();
    const check = (): void => {
      for (const s of ['bid', 'ask'] as const) {
        const actual = [...book.levels(s)].map((l) => [canonicalDecimal(l.price), l.sizeText]);
        expect(actual).toEqual(ref.sorted(s));
        // Every level's tick is its exact price at the book's scale.
        for (const l of book.levels(s)) expect(canonicalDecimal(formatScaled(l.tick, book.priceScale))).toBe(canonicalDecimal(l.price));
      }
      expect(book.levelCount('bid')).toBe(ref.bids.size);
      expect(book.levelCount('ask')).toBe(ref.asks.size);
    };
    for (let round = 0; round < 300; round++) {
      // Prices with 0 to 4 decimals, so a snapshot can raise the book's scale; sides best first.
      const decimals = Math.floor(rand() * 5);
      const unit = 10 ** decimals;
      const depth = Math.floor(rand() * 400);
      const bids: [string, string][] = [];
      const asks: [string, string][] = [];
      let bidTick = 10_000 * unit;
      let askTick = bidTick + 1 + Math.floor(rand() * 5);
      for (let i = 0; i < depth; i++) {
        bids.push([formatScaled(bidTick, decimals), (0.001 + rand() * 9).toFixed(3)]);
        asks.push([formatScaled(askTick, decimals), (0.001 + rand() * 9).toFixed(3)]);
        bidTick -= 1 + Math.floor(rand() * 3);
        askTick += 1 + Math.floor(rand() * 3);
      }
      // A quarter of the snapshots are irregular: a swapped pair, a repeated price or a zero size.
      const flaw = depth > 2 && rand() < 0.25 ? Math.floor(rand() * 3) : -1;
      if (flaw === 0) [bids[0], bids[1]] = [bids[1]!, bids[0]!];
      if (flaw === 1) asks.splice(1, 0, [asks[0]![0], '7.5']);
      if (flaw === 2) bids[1] = [bids[1]![0], '0'];
      book.applySnapshot(bids, asks);
      ref.bids.clear();
      ref.asks.clear();
      for (const [p, s] of bids) ref.set('bid', p, s);
      for (const [p, s] of asks) ref.set('ask', p, s);
      check();
      // Deltas on the loaded tree: inserts, changes and deletes around the touch and deep inside.
      for (let i = 0; i < 200; i++) {
        const side = rand() < 0.5 ? 'bid' : 'ask';
        const offset = Math.floor(rand() * (depth + 20)) - 10;
        const tick = side === 'bid' ? 10_000 * unit - offset : 10_000 * unit + 1 + offset;
        const price = formatScaled(tick, decimals);
        const size = rand() < 0.4 ? '0' : (rand() * 5).toFixed(2);
        book.setLevel(side, price, size);
        ref.set(side, price, size);
      }
      check();
    }
  });

  it('a snapshot with an invalid level is rejected as level by level would be', () => {
    const book = new OrderBook('demo', 'E');
    expect(() => book.applySnapshot([['100', '1'], ['99', 'x']], [['101', '1']])).toThrow(InvalidLevelError);
    // A price that cannot be exact at the scale the snapshot needs (2^53 at 5 decimals): rejected too.
    expect(() => book.applySnapshot([['90071992547409.9', '1'], ['1.00001', '1']], [])).toThrow(PriceKeyError);
    book.applySnapshot([['100', '1']], [['101', '2']]);
    expect(book.topOfBook()).toEqual({ bid: '100', bidSize: '1', ask: '101', askSize: '2' });
  });

  it('agrees on top N and walk-the-book with the reference', () => {
    const rand = lcg(7);
    const book = new OrderBook('demo', 'W');
    const ref = new ReferenceBook();
    for (let i = 0; i < 5000; i++) {
      const price = (100 + Math.floor(rand() * 2000) / 100).toFixed(2);
      const size = (rand() * 5).toFixed(4);
      book.setLevel('ask', price, size);
      ref.set('ask', price, size);
    }
    const expected = ref.sorted('ask');
    expect(book.top('ask', 20).map((l) => canonicalDecimal(l.price))).toEqual(expected.slice(0, 20).map((e) => e[0]));
    let remaining = 37.5;
    let cost = 0;
    for (const [p, s] of expected) {
      const take = Math.min(remaining, Number(s));
      cost += take * Number(p);
      remaining -= take;
      if (remaining <= 0) break;
    }
    const walk = book.walk('buy', 37.5);
    expect(walk.cost).toBeCloseTo(cost, 6);
    expect(walk.vwap).toBeCloseTo(cost / 37.5, 9);
  });
});
