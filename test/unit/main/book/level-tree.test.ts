import { describe, expect, it } from 'vitest';
import { LevelTree } from '../../../../src/main/book/level-tree';
import { lastDecimals, lastMantissa, scanDecimal } from '../../../../src/main/book/price-key';
import { OrderBook } from '../../../../src/main/book/order-book';
import { seededRandom } from '../../../../src/main/venues/demo/market';

describe('LevelTree', () => {
  it('matches a sorted-array model through 200,000 random inserts, updates, deletes and truncations', () => {
    const rand = seededRandom(7);
    const levels = new LevelTree<string>();
    const model = new Map<number, string>();
    for (let step = 0; step < 200_000; step++) {
      // Mostly near the front (like a book's top), sometimes anywhere in a wide range.
      const key = rand() < 0.9 ? Math.floor(rand() * 80) : Math.floor(rand() * 5000) - 1000;
      const op = rand();
      if (op < 0.4) {
        expect(levels.delete(key)).toBe(model.delete(key));
      } else if (op < 0.7) {
        // get then set of the same key: the search hint path
        expect(levels.get(key)).toBe(model.get(key));
        levels.set(key, `v${step}`);
        model.set(key, `v${step}`);
      } else if (op < 0.99995) {
        levels.set(key, `w${step}`);
        model.set(key, `w${step}`);
      } else {
        const keep = Math.floor(rand() * 100);
        while (levels.size > keep) levels.deleteLast();
        const sorted = [...model.keys()].sort((a, b) => a - b);
        for (const k of sorted.slice(keep)) model.delete(k);
      }
      if (step % 5000 === 0 || step === 199_999) {
        const sorted = [...model.entries()].sort((a, b) => a[0] - b[0]);
        expect(levels.size).toBe(model.size);
        expect([...levels.values()]).toEqual(sorted.map((e) => e[1]));
        expect(levels.firstKey()).toBe(sorted[0]?.[0]);
        expect(levels.last()).toBe(sorted.at(-1)?.[1]);
        for (const [k, v] of sorted) expect(levels.get(k)).toBe(v);
      }
    }
  });

  it('stops forEach when the visitor returns false and counts what it visited', () => {
    const levels = new LevelTree<number>();
    for (let i = 300; i > 0; i--) levels.set(i, i);
    const seen: number[] = [];
    expect(levels.forEach((v) => (seen.push(v), v < 70 ? undefined : false))).toBe(70);
    expect(seen).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
  });

  it('after a bulk load, keeps matching the model while chunks split, empty out and join', () => {
    const rand = seededRandom(11);
    const levels = new LevelTree<number>();
    const model = new Map<number, number>();
    const keys = Array.from({ length: 3000 }, (_, i) => i * 3);
    levels.load(keys, keys.map((k) => -k));
    for (const k of keys) model.set(k, -k);
    const check = (): void => {
      const sorted = [...model.entries()].sort((a, b) => a[0] - b[0]);
      expect(levels.size).toBe(model.size);
      expect([...levels.values()]).toEqual(sorted.map((e) => e[1]));
      expect(levels.firstKey()).toBe(sorted[0]?.[0]);
      expect(levels.lastKey()).toBe(sorted.at(-1)?.[0] ?? Number.NEGATIVE_INFINITY);
    };
    // Delete whole runs (chunks empty and join), then fill gaps between loaded keys (chunks split).
    for (let step = 0; step < 30_000; step++) {
      const key = Math.floor(rand() * 9000);
      if (step < 15_000 ? rand() < 0.8 : rand() < 0.2) expect(levels.delete(key)).toBe(model.delete(key));
      else {
        levels.set(key, step);
        model.set(key, step);
      }
      if (step % 3000 === 0) check();
    }
    check();
    while (levels.size > 0) {
      levels.deleteLast();
      model.delete(Math.max(...model.keys()));
      if (levels.size % 500 === 0) check();
    }
    expect(levels.first()).toBeUndefined();
    expect(() => levels.load([1, 3, 3], [1, 2, 3])).toThrow(RangeError);
  });

  it('scales keys keeping order and refuses a key that would lose exactness', () => {
    const levels = new LevelTree<string>();
    levels.set(5, 'a');
    levels.set(-3, 'b');
    levels.scaleKeys(100);
    expect(levels.get(500)).toBe('a');
    expect(levels.get(-300)).toBe('b');
    expect(() => levels.scaleKeys(1e15)).toThrow(RangeError);
  });
});

describe('scanDecimal', () => {
  it('reads mantissa and decimals exactly, dropping trailing fractional zeros', () => {
    const cases: Array<[string, number, number]> = [
      ['0.35130000', 3513, 4],
      ['64250.10', 642501, 1],
      ['100', 100, 0],
      ['0.000833500', 8335, 7],
      ['-3.10', -31, 1],
      ['5.', 5, 0],
      ['.5', 5, 1],
      ['0.0000', 0, 0],
      ['1234567890.12345678', Number.NaN, 8], // 18 digits: beyond exact, refused
      ['1e-5', 1, 5],
    ];
    for (const [text, mantissa, decimals] of cases) {
      if (text === '1234567890.12345678') {
        expect(scanDecimal(text)).toBe(false); // beyond 2^53: not keyable exactly
        continue;
      }
      expect(scanDecimal(text), text).toBe(true);
      expect(lastMantissa(), text).toBe(mantissa);
      expect(lastDecimals(), text).toBe(decimals);
    }
    for (const bad of ['', '-', '.', '1.2.3', 'abc', '1,5', '0x10', ' 1']) expect(scanDecimal(bad), bad).toBe(false);
  });

  it('gives the book the same size numbers as Number() for every text form', () => {
    const rand = seededRandom(3);
    const book = new OrderBook('demo', 'X');
    for (let i = 0; i < 20_000; i++) {
      const digits = Math.floor(rand() * 12);
      const text = (rand() * 10 ** Math.floor(rand() * 8)).toFixed(digits);
      book.setLevel('bid', '1', text);
      expect(book.bestBid()?.size ?? 0, text).toBe(Number(text));
    }
    book.setLevel('bid', '1', '12345678901234567.5'); // beyond the exact path: Number()'s value
    expect(book.bestBid()?.size).toBe(Number('12345678901234567.5'));
  });
});
