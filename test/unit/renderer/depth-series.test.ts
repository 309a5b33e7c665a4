import { describe, expect, it } from 'vitest';
import { depthSeries, emptyColumns } from '../../../src/renderer/src/panels/depth/depth-series';
import type { DepthFrame } from '../../../src/shared/contract';

const frame = (mid: number | null, bidSizes: number[], askSizes: number[]): DepthFrame => ({
  venue: 'demo',
  symbol: 'T',
  state: 'synced',
  mid,
  bucketBps: 10,
  bidSizes,
  askSizes,
  bidBeyond: 0,
  askBeyond: 0,
});

describe('depth chart columns', () => {
  it('lays bids out from the far bucket in to mid, then asks outwards, with cumulative totals from mid', () => {
    const [x, bidCum, askCum, bidBar, askBar] = depthSeries(frame(100, [1, 2], [3, 4]));
    expect((x as number[]).map((v) => Number(v.toFixed(6)))).toEqual([99.85, 99.95, 100.05, 100.15]);
    expect(bidCum).toEqual([3, 1, null, null]);
    expect(askCum).toEqual([null, null, 3, 7]);
    expect(bidBar).toEqual([2, 1, null, null]);
    expect(askBar).toEqual([null, null, 3, 4]);
  });

  it('refills the same columns frame after frame, shrinking and emptying them as the frames do', () => {
    const columns = emptyColumns();
    const first = depthSeries(frame(100, [1, 2, 3], [1, 2, 3]), columns);
    const second = depthSeries(frame(200, [5], [6]), columns);
    expect(second).toBe(first);
    expect(second[0]).toBe(columns.x);
    expect(second.map((c: ArrayLike<unknown>) => c.length)).toEqual([2, 2, 2, 2, 2]);
    expect(second[0][0]).toBeCloseTo(199.9, 9);
    expect(second[1]).toEqual([5, null]);
    expect(second[2]).toEqual([null, 6]);
    expect(depthSeries(frame(null, [1], [1]), columns).map((c: ArrayLike<unknown>) => c.length)).toEqual([0, 0, 0, 0, 0]);
  });
});
