import { describe, expect, it } from 'vitest';
import { HeatmapHistory, type LevelPair } from '../../../../src/main/publish/heatmap-history';
import { commands, HeatmapHistoryResponseSchema, parseCommandRequest } from '../../../../src/shared/contract';

/** A book around `mid` with one tick of spread: `levels` prices per side, size = 1 + distance in ticks. */
function book(mid: number, tick: number, levels: number): { bid: number; ask: number; bids: LevelPair[]; asks: LevelPair[] } {
  const bid = Math.round((mid - tick / 2) / tick) * tick;
  const ask = bid + tick;
  const bids: LevelPair[] = [];
  const asks: LevelPair[] = [];
  for (let i = 0; i < levels; i++) {
    bids.push([bid - i * tick, 1 + i]);
    asks.push([ask + i * tick, 1 + i]);
  }
  return { bid, ask, bids, asks };
}

const T0 = 1_723_161_254_000;

describe('HeatmapHistory', () => {
  it('states its memory up front and never holds more than its capacity', () => {
    const h = new HeatmapHistory({ rowStep: 0.1, rows: 120, columnMs: 250, keepMs: 60 * 60 * 1000 });
    expect(h.bytesPerColumn).toBe(120 * 4 + 32);
    expect(h.capacity).toBe(14_401);
    expect(h.capacityBytes).toBe(512 * 14_401);
    // Two hours of columns, one per 250 ms: an hour is kept, the older hour is evicted.
    const b = book(100, 0.1, 30);
    for (let i = 0; i < 2 * 14_400; i++) h.addBook(T0 + i * 250, b.bid, b.ask, b.bids, b.asks);
    expect(h.size).toBeLessThanOrEqual(h.capacity);
    expect(h.newestTs).toBe(T0 + (2 * 14_400 - 1) * 250);
    expect(h.newestTs! - h.oldestTs!).toBeGreaterThanOrEqual(60 * 60 * 1000 - 250);
    expect(h.newestTs! - h.oldestTs!).toBeLessThan(60 * 60 * 1000);
    expect(h.range(0, T0).columns).toHaveLength(0);
  });

  it('keeps one column per time slot (the last state wins) and ignores columns older than the newest slot', () => {
    const h = new HeatmapHistory({ rowStep: 1, rows: 20, columnMs: 250 });
    expect(h.addBook(T0 + 10, 99, 101, [[99, 5]], [[101, 7]])).toBe(true);
    expect(h.addBook(T0 + 200, 99, 101, [[99, 6]], [[101, 8]])).toBe(true);
    expect(h.size).toBe(1);
    expect(h.addBook(T0 - 1, 99, 101, [[99, 1]], [[101, 1]])).toBe(false);
    expect(h.addBook(T0 + 260, null, null, [], [])).toBe(false);
    const [col] = h.range(T0, T0 + 250).columns;
    expect(col!.ts).toBe(T0);
    const at = (price: number) => col!.sizes[Math.floor((price - col!.basePrice) / 1)];
    expect(at(99)).toBe(6);
    expect(at(101)).toBe(8);
  });

  it('evicts columns more than keepMs behind the newest even when the ring is not full (a gap in the feed)', () => {
    const h = new HeatmapHistory({ rowStep: 1, rows: 10, columnMs: 1000, keepMs: 10_000 });
    for (let i = 0; i < 5; i++) h.addBook(T0 + i * 1000, 99, 101, [[99, 1]], [[101, 1]]);
    expect(h.size).toBe(5);
    h.addBook(T0 + 12_000, 99, 101, [[99, 1]], [[101, 1]]);
    // Columns at T0+0..2000 are 10 s or more behind T0+12000; T0+3000 and T0+4000 remain.
    expect(h.range(0, Infinity).columns.map((c) => c.ts - T0)).toEqual([3000, 4000, 12_000]);
  });

  it('answers time ranges [from, to) by binary search, including across the ring wrap', () => {
    const h = new HeatmapHistory({ rowStep: 1, rows: 10, columnMs: 100, keepMs: 1000 });
    for (let i = 0; i < 37; i++) h.addBook(T0 + i * 100, 99, 101, [[99, i]], [[101, 1]]);
    // Capacity 11: the last 11 slots are held, physically wrapped.
    const all = h.range(0, Infinity).columns.map((c) => (c.ts - T0) / 100);
    expect(all).toEqual([27, 28, 29, 30, 31, 32, 33, 34, 35, 36].slice(-all.length));
    expect(h.range(T0 + 3000, T0 + 3300).columns.map((c) => (c.ts - T0) / 100)).toEqual([30, 31, 32]);
    expect(h.range(T0 + 3050, T0 + 3150).columns.map((c) => (c.ts - T0) / 100)).toEqual([31]);
    expect(h.range(T0 + 9000, T0 + 9900).columns).toEqual([]);
    expect(h.range(0, Infinity).oldestTs).toBe(T0 + all[0]! * 100);
  });

  it('follows a price range that moves: each column is centred on its own mid and keeps sizes at their prices', () => {
    const tick = 0.5;
    const h = new HeatmapHistory({ rowStep: tick, rows: 40, columnMs: 250 });
    // The market climbs 100 ticks; a wall of 500 sits at 1008 the whole time.
    for (let i = 0; i <= 100; i++) {
      const b = book(1000 + i * tick, tick, 30);
      const bids = b.bids.map(([p, s]) => [p, p === 1008 ? 500 : s] as const);
      const asks = b.asks.map(([p, s]) => [p, p === 1008 ? 500 : s] as const);
      h.addBook(T0 + i * 250, b.bid, b.ask, bids, asks);
    }
    const { columns, rowStep } = h.range(0, Infinity);
    expect(rowStep).toBe(tick);
    expect(columns).toHaveLength(101);
    const first = columns[0]!;
    const last = columns.at(-1)!;
    expect(last.basePrice - first.basePrice).toBeCloseTo(100 * tick, 9);
    for (const c of columns) {
      const mid = (c.bestBid! + c.bestAsk!) / 2;
      expect(mid).toBeGreaterThan(c.basePrice);
      expect(mid).toBeLessThan(c.basePrice + c.sizes.length * tick);
      // Where 1008 is inside the column's window it holds the wall.
      const i = Math.round((1008 - c.basePrice) / tick);
      if (i >= 0 && i < c.sizes.length) expect(c.sizes[i]).toBe(500);
    }
    // The wall is in view at the start (mid 1000, window ±10) and gone from view at the end (mid 1050).
    expect(first.sizes.includes(500)).toBe(true);
    expect(last.sizes.includes(500)).toBe(false);
  });

  it('re-bins to a coarser step, splitting a bin that straddles two coarse bins by overlap; total size is kept', () => {
    const h = new HeatmapHistory({ rowStep: 2, rows: 20, columnMs: 250 });
    // Levels at 90..110 step 1, size 1 each; bins of 2 hold 2 each.
    const bids: LevelPair[] = [];
    const asks: LevelPair[] = [];
    for (let p = 100; p >= 90; p--) bids.push([p, 1]);
    for (let p = 101; p <= 110; p++) asks.push([p, 1]);
    h.addBook(T0, 100, 101, bids, asks);
    const fine = h.range(0, Infinity).columns[0]!;
    const coarse = h.range(0, Infinity, { rowStep: 5 });
    expect(coarse.rowStep).toBe(5);
    const c = coarse.columns[0]!;
    const total = (s: number[]) => s.reduce((a, b) => a + b, 0);
    expect(total(c.sizes)).toBeCloseTo(total(fine.sizes), 9);
    expect(total(fine.sizes)).toBe(21);
    // Coarse bin [95, 100) holds levels 95..99 = 5; bin [100, 105) holds 100..104 = 5.
    const at = (price: number) => c.sizes[Math.floor((price - c.basePrice) / 5)];
    expect(at(95)).toBeCloseTo(5, 9);
    expect(at(100)).toBeCloseTo(5, 9);
    // A finer step than the history's cannot be made up: the history's own step comes back.
    expect(h.range(0, Infinity, { rowStep: 1 }).rowStep).toBe(2);
  });

  it('merges columns in time to stay within maxColumns (mean size per bin, last best prices)', () => {
    const h = new HeatmapHistory({ rowStep: 1, rows: 10, columnMs: 100 });
    for (let i = 0; i < 10; i++) h.addBook(T0 + i * 100, 99 + (i === 9 ? 1 : 0), 101, [[99, i]], [[101, 1]]);
    const r = h.range(0, Infinity, { maxColumns: 5 });
    expect(r.merged).toBe(true);
    expect(r.columnMs).toBe(200);
    expect(r.columns.map((c) => c.ts - T0)).toEqual([0, 200, 400, 600, 800]);
    const at = (c: (typeof r.columns)[number], price: number) => c.sizes[price - c.basePrice];
    expect(at(r.columns[0]!, 99)).toBeCloseTo(0.5, 9);
    expect(at(r.columns[2]!, 99)).toBeCloseTo(4.5, 9);
    expect(r.columns[4]!.bestBid).toBe(100);
  });

  it('takes pre-binned stream columns at its own step, re-centred on their mid', () => {
    const h = new HeatmapHistory({ rowStep: 0.01, rows: 10, columnMs: 250 });
    const sizes = new Array<number>(120).fill(0);
    // Stream window from 0.50 up: bins 10 (0.60), 11 (0.61) and 12 (0.62).
    sizes[10] = 3;
    sizes[11] = 4;
    sizes[12] = 9;
    expect(h.addColumn({ ts: T0, basePrice: 0.5, rowStep: 0.01, sizes, bestBid: 0.61, bestAsk: 0.62 })).toBe(true);
    const c = h.range(0, Infinity).columns[0]!;
    expect(c.sizes).toHaveLength(10);
    const at = (price: number) => c.sizes[Math.round((price - c.basePrice) / 0.01)];
    expect(at(0.6)).toBe(3);
    expect(at(0.61)).toBe(4);
    expect(at(0.62)).toBe(9);
    expect(() => h.addColumn({ ts: T0 + 250, basePrice: 0.5, rowStep: 0.02, sizes, bestBid: 0.61, bestAsk: 0.62 })).toThrow(/row step/);
  });

  it('a range answers the heatmap.history command as the contract declares it', () => {
    const h = new HeatmapHistory({ rowStep: 0.5, rows: 20 });
    const b = book(100, 0.5, 10);
    for (let i = 0; i < 8; i++) h.addBook(T0 + i * 250, b.bid, b.ask, b.bids, b.asks);
    const request = parseCommandRequest('heatmap.history', { venue: 'demo', symbol: 'BTCUSDT', from: T0, to: T0 + 2000, rowStep: 1 });
    expect(request.maxColumns).toBe(4000);
    const { rowStep, columnMs, columns, oldestTs } = h.range(request.from, request.to, { rowStep: request.rowStep, maxColumns: request.maxColumns });
    const response = HeatmapHistoryResponseSchema.parse({ venue: request.venue, symbol: request.symbol, rowStep, columnMs, columns, oldestTs });
    expect(response.columns).toHaveLength(8);
    expect(response.rowStep).toBe(1);
    expect(() => parseCommandRequest('heatmap.history', { venue: 'demo', symbol: 'BTCUSDT', from: T0 + 1, to: T0 })).toThrow(/from must be before to/);
    expect(commands['heatmap.history']).toBeDefined();
  });
});
