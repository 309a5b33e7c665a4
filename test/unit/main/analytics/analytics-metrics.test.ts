/**
 * Every metric against numbers worked out by hand from small books (the arithmetic is in the
 * comments), through the same path a live book takes: book event → AnalyticsService.onBook.
 */
import { describe, expect, it } from 'vitest';
import { AnalyticsService } from '../../../../src/main/analytics/service';
import { median } from '../../../../src/main/analytics/rolling-median';
import { ofiContribution } from '../../../../src/main/analytics/ofi';
import { ScriptedFeed, T0, type Levels } from '../../../support/analytics-scene';

const BIDS: Levels = [
  ['100.0', '2'],
  ['99.5', '3'],
  ['99.0', '5'],
];
const ASKS: Levels = [
  ['100.5', '1'],
  ['101.0', '4'],
  ['102.0', '10'],
];

function setup(config = {}) {
  const service = new AnalyticsService({ config: { imbalanceLevels: 3, weightedLevels: 2, slopeLevels: 3, ofiLevels: 2, depthBandsBps: [10, 50, 100], ...config } });
  const feed = new ScriptedFeed('binance-spot', 'TEST', service);
  return { service, feed };
}

describe('metrics on a hand-built book', () => {
  it('mid, microprice, spread, imbalance, weighted price, slope and depth bands', () => {
    const { service, feed } = setup();
    feed.snapshot(T0 + 100, BIDS, ASKS);
    const f = service.track(feed).frame('synced');
    expect(f.bestBid).toBe('100.0');
    expect(f.bestAsk).toBe('100.5');
    // mid = (100 + 100.5) / 2
    expect(f.mid).toBe(100.25);
    // I = 2 / (2 + 1); microprice = I·100.5 + (1 − I)·100 = 67 + 33.33…
    expect(f.microprice).toBeCloseTo((2 / 3) * 100.5 + (1 / 3) * 100, 12);
    expect(f.spread).toBe(0.5);
    // 10⁴ · 0.5 / 100.25
    expect(f.spreadBps).toBeCloseTo(49.87531172, 7);
    expect(f.spreadOverAsk).toBeCloseTo(0.5 / 100.5, 14);
    // N = 3: bids 2 + 3 + 5 = 10, asks 1 + 4 + 10 = 15 → (10 − 15) / 25
    expect(f.imbalance).toBeCloseTo(-0.2, 14);
    expect(f.depthTop).toEqual({ bid: 10, ask: 15 });
    // N = 2: Σpq = 100·2 + 99.5·3 + 100.5·1 + 101·4 = 1003 over Σq = 10; bid 498.5 / 5, ask 504.5 / 5
    expect(f.weightedPrice.both).toBeCloseTo(100.3, 12);
    expect(f.weightedPrice.bid).toBeCloseTo(99.7, 12);
    expect(f.weightedPrice.ask).toBeCloseTo(100.9, 12);
    // Bid slope, N = 3: d = a, 3a, 5a with a = 10⁴·0.25/100.25; QP = 20, 50, 100.
    // x̄ = 3a, Sxy = (−2a)(−36.67) + (2a)(43.33) = 160a, Sxx = 8a² → β = 20 / a.
    const a = (0.25 / 100.25) * 10_000;
    expect(f.slope.bid).toBeCloseTo(20 / a, 10);
    // Ask slope: d = a, 3a, 7a; QP = 100/15, 500/15, 100 → computed the long way here.
    const xs = [a, 3 * a, 7 * a];
    const ys = [100 / 15, 500 / 15, 100];
    const mx = (xs[0]! + xs[1]! + xs[2]!) / 3;
    const my = (ys[0]! + ys[1]! + ys[2]!) / 3;
    const sxy = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0);
    const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    expect(f.slope.ask).toBeCloseTo(sxy / sxx, 10);
    // Bands around 100.25: ±10 bps = [100.14975, 100.35025] holds nothing;
    // ±50 bps = [99.74875, 100.75125]: bid 100 (2), ask 100.5 (1);
    // ±100 bps = [99.2475, 101.2525]: bids 100, 99.5 (5, notional 498.5), asks 100.5, 101 (5, 504.5).
    expect(f.depthBands).toEqual([
      { bps: 10, bid: 0, ask: 0, bidNotional: 0, askNotional: 0, truncated: false },
      { bps: 50, bid: 2, ask: 1, bidNotional: 200, askNotional: 100.5, truncated: false },
      { bps: 100, bid: 5, ask: 5, bidNotional: 498.5, askNotional: 504.5, truncated: false },
    ]);
  });

  it('imbalance over fewer levels and its bounds', () => {
    const { service, feed } = setup({ imbalanceLevels: 1 });
    feed.snapshot(T0, BIDS, ASKS);
    // (2 − 1) / 3
    expect(service.track(feed).frame('synced').imbalance).toBeCloseTo(1 / 3, 14);
    feed.delta(T0 + 10, [], [['100.5', '0'], ['101.0', '0'], ['102.0', '0']]);
    const f = service.track(feed).frame('synced');
    // No asks: imbalance +1, no mid, no spread, no microprice, no slope.
    expect(f.imbalance).toBe(1);
    expect(f.mid).toBeNull();
    expect(f.spread).toBeNull();
    expect(f.microprice).toBeNull();
    expect(f.slope).toEqual({ bid: null, ask: null, levels: 3 });
    expect(f.bestAsk).toBeNull();
  });

  it('a band with more levels than the scan limit says it is truncated', () => {
    const { service, feed } = setup({ maxBandLevels: 1 });
    feed.snapshot(T0, BIDS, ASKS);
    const bands = service.track(feed).frame('synced').depthBands;
    // ±100 bps holds two levels a side; only one is scanned.
    expect(bands[2]).toMatchObject({ bid: 2, ask: 1, truncated: true });
    // With two allowed, the third bid (99.0, 124.7 bps out) is beyond the widest band: complete.
    const wider = setup({ maxBandLevels: 2 });
    wider.feed.snapshot(T0, BIDS, ASKS);
    expect(wider.service.track(wider.feed).frame('synced').depthBands[2]).toMatchObject({ bid: 5, ask: 5, truncated: false });
  });

  it('spread comes from exact ticks, not from subtracting floats', () => {
    const { service, feed } = setup();
    feed.snapshot(T0, [['0.3527', '10']], [['0.3531', '10']]);
    // 0.3531 − 0.3527 in floats is 0.00039999999999995595
    expect(service.track(feed).frame('synced').spread).toBe(0.0004);
  });
});

describe('order-flow imbalance', () => {
  it('one-level e_n follows Cont–Kukanov–Stoikov case by case', () => {
    // Same bid price, size 2 → 3: +3 − 2.
    expect(ofiContribution(100, 3, 100, 2, 101, 1, 101, 1)).toBe(1);
    // Better bid: +q_n only.
    expect(ofiContribution(100.2, 1, 100, 3, 101, 1, 101, 1)).toBe(1);
    // Worse bid: −q_{n−1} only.
    expect(ofiContribution(99.5, 7, 100, 3, 101, 1, 101, 1)).toBe(-3);
    // Worse (higher) ask: +q^a_{n−1}.
    expect(ofiContribution(100, 2, 100, 2, 101, 4, 100.5, 1)).toBe(1);
    // Better (lower) ask: −q^a_n.
    expect(ofiContribution(100, 2, 100, 2, 100.8, 2, 101, 4)).toBe(-2);
  });

  it('best-level and multi-level OFI summed per second through the service', () => {
    const { service, feed } = setup();
    // S0 (snapshot: starts the chain, contributes nothing).
    feed.snapshot(T0 + 100, BIDS, ASKS);
    // S1: bid 100 size 2 → 3. Level 1: +3 − 2 = +1; level 2 (99.5×3, 101×4 unchanged): 0.
    feed.delta(T0 + 200, [['100.0', '3']], []);
    // S2: new best bid 100.2×1. Level 1: +1. Level 2: bid 99.5 → 100 (better, size 3): +3.
    feed.delta(T0 + 300, [['100.2', '1']], []);
    const mid = service.track(feed).frame('synced').ofi;
    expect(mid.best).toBe(2);
    expect(mid.multi).toBe(2 + 3);
    expect(mid.levels).toEqual([2, 3]);
    // Next second. S3: ask 100.5 gone → best ask 101×4 (worse): +q_{n−1} = +1.
    // Level 2: ask 101×4 → 102×10 (worse): +4.
    feed.delta(T0 + 1100, [], [['100.5', '0']]);
    // S4: ask 100.8×2 (better): −2. Level 2: 102×10 → 101×4 (better): −4.
    feed.delta(T0 + 1200, [], [['100.8', '2']]);
    const analytics = service.track(feed);
    const f = analytics.frame('synced').ofi;
    expect(f.best).toBe(1 - 2);
    expect(f.multi).toBe(1 - 2 + 4 - 4);
    expect(f.lastSecond).toEqual({ best: 2, multi: 5 });
    expect(analytics.lastSecondOfiLevels()).toEqual([2, 3]);
    expect(f.second).toBe(Math.floor((T0 + 1100) / 1000) * 1000);
    // The completed second is in the series.
    const s = analytics.series.window(10);
    expect(s.ofi).toEqual([2]);
    expect(s.ofiMulti).toEqual([5]);
    expect(s.updates).toEqual([3]);
  });

  it('a vanishing level subtracts its size; a snapshot does not count as flow', () => {
    const { service, feed } = setup({ ofiLevels: 3 });
    feed.snapshot(T0, BIDS, ASKS);
    // Level 3 bid 99×5 vanishes: level 3 bid becomes (−∞, 0): −5. Levels 1–2 unchanged.
    feed.delta(T0 + 10, [['99.0', '0']], []);
    let f = service.track(feed).frame('synced').ofi;
    expect(f.levels).toEqual([0, 0, -5]);
    // A new snapshot with very different sizes: no flow from the rebuild itself.
    feed.snapshot(T0 + 20, [['100.0', '50']], [['100.5', '50']]);
    f = service.track(feed).frame('synced').ofi;
    expect(f.levels).toEqual([0, 0, -5]);
  });
});

describe('per-second series', () => {
  it('closes each second with the last values, carries quiet seconds, and keeps OFI per second', () => {
    const { service, feed } = setup();
    feed.snapshot(T0 + 100, BIDS, ASKS);
    feed.delta(T0 + 500, [['100.2', '1']], []);
    // Two quiet seconds, then an update at T0 + 3.2 s.
    feed.delta(T0 + 3200, [['100.2', '0']], []);
    const analytics = service.track(feed);
    const w = analytics.series.window(180);
    expect(w.t).toEqual([T0, T0 + 1000, T0 + 2000]);
    // Second 0 closed with the 100.2 bid: mid (100.2 + 100.5) / 2.
    expect(w.mid[0]).toBeCloseTo(100.35, 12);
    expect(w.mid[1]).toBeCloseTo(100.35, 12);
    expect(w.mid[2]).toBeCloseTo(100.35, 12);
    expect(w.updates).toEqual([2, 0, 0]);
    expect(w.ofi).toEqual([1, 0, 0]);
    // The series stream honours the requested window.
    expect(service.series('binance-spot', 'TEST', 2)!.t).toEqual([T0 + 1000, T0 + 2000]);
  });

  it('time-weighted averages weigh values by how long they held', () => {
    const { service, feed } = setup();
    feed.snapshot(T0, BIDS, ASKS); // spread 0.5 for 250 ms
    feed.delta(T0 + 250, [['100.2', '1']], []); // spread 0.3 for 750 ms
    feed.delta(T0 + 1000, [], []);
    const out = { spread: 0, depth: 0, seconds: 0 };
    service.track(feed).series.averages(15, out);
    expect(out.spread).toBeCloseTo(0.5 * 0.25 + 0.3 * 0.75, 12);
    expect(out.seconds).toBe(1);
  });
});

describe('rolling median', () => {
  it('matches a sorted reference on random data', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 50);
      const values = Array.from({ length: n }, () => Math.floor(rand() * 20));
      const sorted = [...values].sort((x, y) => x - y);
      const expected = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
      expect(median(Float64Array.from(values), n)).toBe(expected);
    }
  });
});
