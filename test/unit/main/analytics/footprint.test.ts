/**
 * Footprint candles and the traded volume profile against figures worked out by hand (rows, delta,
 * point of control, diagonal imbalances at the 3:1 edge, value area by pairs and by single rows).
 */
import { describe, expect, it } from 'vitest';
import { buildFootprint, FootprintCache } from '../../../../src/main/analytics/footprint';
import { autoGroupTicks, BuySell, FlowVolumes, groupRows, parseScaled, priceSpanTicks, rowStep, type FlowTrade } from '../../../../src/main/analytics/traded-volume-buckets';
import { buildTradedProfile, valueArea } from '../../../../src/main/analytics/traded-profile';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 7, 8, 12, 0, 0);

function trade(price: string, size: string, side: FlowTrade['side'], ts: number, history = false): FlowTrade {
  return { price, size, side, exchangeTs: ts, localTs: ts + 5, history };
}

/** The hand-worked candle: tick 0.5, four prices. */
function handCandle(start = T0): FlowTrade[] {
  return [
    trade('100.0', '1.5', 'buy', start + 1_000),
    trade('100.00', '0.5', 'sell', start + 2_000),
    trade('100.5', '6', 'buy', start + 3_000),
    trade('100.5', '1', 'sell', start + 4_000),
    trade('101.0', '2', 'buy', start + 5_000),
    trade('101', '3', 'sell', start + 6_000),
    trade('99.5', '4.5', 'sell', start + 7_000),
    trade('99.5', '0.25', 'buy', start + 59_999),
  ];
}

function flowOf(trades: FlowTrade[]): FlowVolumes {
  const flow = new FlowVolumes();
  for (const t of trades) flow.add(t);
  return flow;
}

describe('footprint', () => {
  it('rows, delta, POC and diagonal imbalances of a candle match the hand computation', () => {
    const flow = flowOf(handCandle());
    const [candle, ...rest] = buildFootprint(flow, { intervalMs: MINUTE, step: rowStep('0.5', 1, 1), imbalanceRatio: 3, candles: 10 });
    expect(rest).toEqual([]);
    expect(candle!.start).toBe(T0);
    expect(candle!.rows).toEqual([
      { price: '101', sell: '3', buy: '2', delta: '-1', buyImbalance: false, sellImbalance: false },
      // 6 bought here against 0.5 sold one row below: 12:1.
      { price: '100.5', sell: '1', buy: '6', delta: '5', buyImbalance: true, sellImbalance: false },
      { price: '100', sell: '0.5', buy: '1.5', delta: '1', buyImbalance: false, sellImbalance: false },
      // 4.5 sold here against 1.5 bought one row above: exactly 3:1 counts; 0.25 bought against nothing below does not.
      { price: '99.5', sell: '4.5', buy: '0.25', delta: '-4.25', buyImbalance: false, sellImbalance: true },
    ]);
    expect([candle!.volume, candle!.buyVolume, candle!.sellVolume, candle!.delta, candle!.poc]).toEqual(['18.75', '9.75', '9', '0.75', '100.5']);

    // A ratio just above 3 no longer flags the exact 3:1 row.
    const strict = buildFootprint(flow, { intervalMs: MINUTE, step: rowStep('0.5', 1, 1), imbalanceRatio: 3.01, candles: 10 })[0]!;
    expect(strict.rows.map((r) => [r.price, r.buyImbalance, r.sellImbalance])).toEqual([
      ['101', false, false],
      ['100.5', true, false],
      ['100', false, false],
      ['99.5', false, false],
    ]);
  });

  it('groups rows of two ticks, recomputing POC and imbalances on the merged rows', () => {
    const candle = buildFootprint(flowOf(handCandle()), { intervalMs: MINUTE, step: rowStep('0.5', 1, 2), imbalanceRatio: 3, candles: 10 })[0]!;
    expect(candle.rows.map((r) => [r.price, r.sell, r.buy, r.delta, r.buyImbalance, r.sellImbalance])).toEqual([
      ['101', '3', '2', '-1', false, false],
      ['100', '1.5', '7.5', '6', false, false],
      ['99', '4.5', '0.25', '-4.25', false, false],
    ]);
    expect(candle.poc).toBe('100');
    expect(candle.volume).toBe('18.75');
  });

  it('splits candles by interval, leaves out history and unknown-side prints, and keeps only the newest candles', () => {
    const trades = [
      ...handCandle(T0),
      trade('100.5', '2', 'sell', T0 + MINUTE + 10),
      trade('100.5', '0.1', 'buy', T0 + 2 * MINUTE + 10),
      trade('250', '99', 'buy', T0 + MINUTE + 20, true),
      trade('250', '99', 'unknown', T0 + MINUTE + 30),
    ];
    const flow = flowOf(trades);
    const step = rowStep('0.5', 1, 1);
    const all = buildFootprint(flow, { intervalMs: MINUTE, step, imbalanceRatio: 3, candles: 10 });
    expect(all.map((c) => [c.start - T0, c.volume, c.delta])).toEqual([
      [0, '18.75', '0.75'],
      [MINUTE, '2', '-2'],
      [2 * MINUTE, '0.1', '0.1'],
    ]);
    expect(buildFootprint(flow, { intervalMs: MINUTE, step, imbalanceRatio: 3, candles: 2 }).map((c) => c.start - T0)).toEqual([MINUTE, 2 * MINUTE]);
    // 5 s candles: the first minute's prints fall in three 5 s intervals; 4.5 sold at 99.5 now has
    // nothing bought one row above it in its own candle, so it is no imbalance there.
    const fine = buildFootprint(flowOf(handCandle()), { intervalMs: 5_000, step, imbalanceRatio: 3, candles: 20 });
    expect(fine.map((c) => (c.start - T0) / 1000)).toEqual([0, 5, 55]);
    expect(fine[1]!.rows).toEqual([
      { price: '101', sell: '3', buy: '2', delta: '-1', buyImbalance: false, sellImbalance: false },
      { price: '99.5', sell: '4.5', buy: '0', delta: '-4.5', buyImbalance: false, sellImbalance: false },
    ]);
  });

  it('a cache of built candles rebuilds exactly the candles that received prints', () => {
    const flow = flowOf([...handCandle(T0), trade('100.5', '2', 'sell', T0 + MINUTE + 10)]);
    const options = { intervalMs: MINUTE, step: rowStep('0.5', 1, 1), imbalanceRatio: 3, candles: 10 };
    const cache = new FootprintCache();
    const first = buildFootprint(flow, options, cache);
    flow.add(trade('100', '1', 'sell', T0 + MINUTE + 20));
    const second = buildFootprint(flow, options, cache);
    // The untouched first minute is the very object built before; the second minute is rebuilt.
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]!.volume).toBe('3');
    // The same as building from nothing, and a different step starts afresh.
    expect(second).toEqual(buildFootprint(flow, options));
    expect(buildFootprint(flow, { ...options, step: rowStep('0.5', 1, 2) }, cache)[0]!.rows).toHaveLength(3);
  });

  it('sums exactly: ten prints of 0.1 are 1, not 0.9999999999999999', () => {
    const trades = Array.from({ length: 10 }, (_, i) => trade('0.00001234', '0.1', 'buy', T0 + i));
    const candle = buildFootprint(flowOf(trades), { intervalMs: MINUTE, step: rowStep('0.00000001', 8, 1), imbalanceRatio: 3, candles: 1 })[0]!;
    expect(candle.rows).toEqual([{ price: '0.00001234', sell: '0', buy: '1', delta: '1', buyImbalance: false, sellImbalance: false }]);
  });

  it('without a tick size, rows are one unit of the finest price digit seen', () => {
    const flow = flowOf([trade('105055', '1', 'buy', T0), trade('105055.5', '1', 'sell', T0)]);
    expect(flow.priceDecimals).toBe(1);
    const step = rowStep(null, flow.priceDecimals, 10);
    expect(step).toEqual({ mantissa: 10n, scale: 1 });
    expect(buildFootprint(flow, { intervalMs: MINUTE, step, imbalanceRatio: 3, candles: 1 })[0]!.rows.map((r) => r.price)).toEqual(['105055']);
  });
});

describe('automatic row size', () => {
  it('picks the smallest 1, 2 or 5 × 10^k ticks that fits the traded span in the rows asked for', () => {
    const flow = flowOf([trade('2679.75', '1', 'buy', T0), trade('2683.5', '1', 'sell', T0 + 1), trade('2681', '1', 'sell', T0 + 2)]);
    const tick = rowStep('0.01', 2, 1);
    expect(priceSpanTicks([flow.day(Date.UTC(2024, 7, 8))], tick)).toBe(375);
    // 376 prices in 40 rows: at least 9.6 ticks a row → 10.
    expect(autoGroupTicks(375, 40)).toBe(10);
    expect(autoGroupTicks(375, 400)).toBe(1);
    expect(autoGroupTicks(375, 100)).toBe(5);
    expect(autoGroupTicks(0, 40)).toBe(1);
    expect(autoGroupTicks(1_000_000, 20)).toBe(100_000);
    expect(priceSpanTicks([], tick)).toBe(0);
  });
});

function rows(volumes: Record<number, number>): Map<bigint, BuySell> {
  const out = new Map<bigint, BuySell>();
  for (const [price, volume] of Object.entries(volumes)) {
    const cell = new BuySell();
    cell.addSize('buy', parseScaled(String(volume)));
    out.set(BigInt(price), cell);
  }
  return out;
}

describe('value area', () => {
  // Volumes at prices 1..9 (8 has none): total 50, 70% is 35.
  const profile = { 1: 1, 2: 2, 3: 5, 4: 8, 5: 20, 6: 7, 7: 3, 9: 4 };

  it('grows from the POC by the larger pair until 70%: 3..7 holding 43', () => {
    // POC 5 (20); pairs: below 4+3 = 13 beats above 6+7 = 10 → 33; then above 10 beats below 2+1 = 3 → 43 ≥ 35.
    expect(valueArea(rows(profile))).toEqual({ poc: 5n, low: 3n, high: 7n, volume: 43n });
  });

  it('by single rows: 4..6 holding exactly 35 (70% reached counts)', () => {
    // 20, + 8 (4 beats 6's 7) = 28, + 7 (6 beats 3's 5) = 35.
    expect(valueArea(rows(profile), 70, 1)).toEqual({ poc: 5n, low: 4n, high: 6n, volume: 35n });
  });

  it('takes both sides on a tie, and picks the POC nearest the middle of the range on equal volumes', () => {
    expect(valueArea(rows({ 1: 5, 2: 10, 3: 5 }))).toEqual({ poc: 2n, low: 1n, high: 3n, volume: 20n });
    expect(valueArea(rows({ 1: 5, 2: 5, 3: 1, 4: 5 }))?.poc).toBe(2n);
    expect(valueArea(new Map())).toBeNull();
  });

  it('a traded profile reports rows, POC, VAH and VAL at the row step', () => {
    const trades = [
      trade('2500.10', '1', 'buy', T0),
      trade('2500.2', '3', 'sell', T0 + 1),
      trade('2500.30', '0.5', 'buy', T0 + 2),
      trade('2500.9', '0.25', 'sell', T0 + 3),
    ];
    const flow = flowOf(trades);
    const day = flow.day(Date.UTC(2024, 7, 8));
    const p = buildTradedProfile(day, rowStep('0.01', 2, 10));
    // Rows of 0.10: 2500.1 (1), 2500.2 (3), 2500.3 (0.5), 2500.9 (0.25); total 4.75, 70% = 3.325.
    // POC 2500.2 (3); pairs: above 2500.3+2500.4 = 0.5, below only 2500.1 (the lowest row) = 1 → 4 ≥ 3.325.
    expect(p.rows).toEqual([
      { price: '2500.9', buy: '0', sell: '0.25' },
      { price: '2500.3', buy: '0.5', sell: '0' },
      { price: '2500.2', buy: '0', sell: '3' },
      { price: '2500.1', buy: '1', sell: '0' },
    ]);
    expect([p.volume, p.buyVolume, p.sellVolume, p.poc, p.valueAreaHigh, p.valueAreaLow, p.valueAreaVolume]).toEqual([
      '4.75',
      '1.5',
      '3.25',
      '2500.2',
      '2500.2',
      '2500.1',
      '4',
    ]);
    expect(groupRows(day, rowStep('0.01', 2, 10)).size).toBe(4);
  });
});
