import { describe, expect, it } from 'vitest';
import { flowOver, flowsFromSeries, flowsFromTrades, gridTimesOf, type SecondFlow } from '../../../src/renderer/src/panels/timeseries/flow';
import type { SeriesFrame } from '../../../src/shared/analytics';
import type { TradePrint } from '../../../src/shared/contract';

const print = (localTs: number, price: string, size: string, side: TradePrint['side'], history?: boolean): TradePrint => ({
  id: null,
  price,
  size,
  side,
  exchangeTs: localTs,
  localTs,
  ...(history ? { history } : {}),
});

describe('time series traded flow', () => {
  it('sums recorded trades per second of receive time the way the live series does', () => {
    const seconds = flowsFromTrades([
      print(5_100, '10', '2', 'buy'),
      print(5_900, '12', '1', 'sell'),
      print(5_950, '11', '1', 'unknown'),
      print(4_000, '9', '3', 'sell'),
      print(6_000, '10', '0', 'buy'), // empty print: not counted
      print(6_100, '10', '5', 'buy', true), // sent on subscribe from before it: not live flow
    ]);
    expect(seconds).toEqual([
      { t: 4_000, buy: 0, sell: 3, other: 0, trades: 1, notional: 27 },
      { t: 5_000, buy: 2, sell: 1, other: 1, trades: 3, notional: 20 + 12 + 11 },
    ]);
  });

  it('takes only the seconds of a series frame after the last one it has', () => {
    const frame = {
      t: [1_000, 2_000, 3_000],
      volume: [0, 3, 4],
      buyVolume: [0, 1, 4],
      sellVolume: [0, 2, 0],
      trades: [0, 2, 1],
      vwap: [null, 10, 20],
    } as unknown as SeriesFrame;
    expect(flowsFromSeries(frame, 1_000)).toEqual([
      { t: 2_000, buy: 1, sell: 2, other: 0, trades: 2, notional: 30 },
      { t: 3_000, buy: 4, sell: 0, other: 0, trades: 1, notional: 80 },
    ]);
  });

  it('puts a second on every finer point within it, or sums seconds into a longer point', () => {
    expect(gridTimesOf(7_000, 250)).toEqual([7_000, 7_250, 7_500, 7_750]);
    expect(gridTimesOf(7_000, 1000)).toEqual([7_000]);
    expect(gridTimesOf(7_000, 5000)).toEqual([5_000]);
    const seconds = new Map<number, SecondFlow>([
      [5_000, { t: 5_000, buy: 2, sell: 0, other: 0, trades: 1, notional: 20 }],
      [7_000, { t: 7_000, buy: 0, sell: 6, other: 2, trades: 3, notional: 8 * 12 }],
    ]);
    // A 100 ms point shows its whole second.
    expect(flowOver(seconds, 7_300, 100)).toMatchObject({ volume: 8, buy: 0, sell: 6, trades: 3, vwap: 12, imbalance: -1 });
    // A 5 s point sums its five seconds: VWAP over both, imbalance of the sided volume.
    const five = flowOver(seconds, 5_000, 5000);
    expect(five).toMatchObject({ volume: 10, buy: 2, sell: 6, other: 2, trades: 4 });
    expect(five.vwap).toBeCloseTo((20 + 96) / 10, 12);
    expect(five.imbalance).toBeCloseTo(-0.5, 12);
    // A point with no trades: nothing to average.
    expect(flowOver(seconds, 6_000, 1000)).toMatchObject({ volume: 0, trades: 0, vwap: null, imbalance: null });
  });
});
