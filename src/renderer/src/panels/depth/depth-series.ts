/** The depth chart's columns, built from a depth frame into arrays kept between frames. */
import type uPlot from 'uplot';
import type { DepthFrame } from '../../../../shared/contract';

type Column = Array<number | null>;

/** The chart's columns for one frame, kept between frames and refilled in place (no allocation per frame). */
export interface DepthColumns {
  x: number[];
  bidCum: Column;
  askCum: Column;
  bidBar: Column;
  askBar: Column;
  data: uPlot.AlignedData;
}

export function emptyColumns(): DepthColumns {
  const c = { x: [], bidCum: [], askCum: [], bidBar: [], askBar: [] };
  return { ...c, data: [c.x, c.bidCum, c.askCum, c.bidBar, c.askBar] };
}

/**
 * Chart data on one price axis: bids (left of mid) then asks, cumulative curves and per-bucket bars,
 * written into `into` (resized when the bucket count changes) and returned as uPlot's columns.
 */
export function depthSeries(f: DepthFrame, into: DepthColumns = emptyColumns()): uPlot.AlignedData {
  const { x, bidCum, askCum, bidBar, askBar } = into;
  const n = f.mid === null ? 0 : f.bidSizes.length;
  for (const column of [x, bidCum, askCum, bidBar, askBar]) column.length = 2 * n;
  if (f.mid === null) return into.data;
  // Bids run from the farthest bucket in to mid: the cumulative total is summed from mid outwards.
  let cum = 0;
  for (let i = 0; i < n; i++) {
    const at = n - 1 - i;
    cum += f.bidSizes[i]!;
    x[at] = f.mid * (1 - ((i + 0.5) * f.bucketBps) / 10_000);
    bidCum[at] = cum;
    askCum[at] = null;
    bidBar[at] = f.bidSizes[i]!;
    askBar[at] = null;
  }
  cum = 0;
  for (let i = 0; i < n; i++) {
    const at = n + i;
    cum += f.askSizes[i]!;
    x[at] = f.mid * (1 + ((i + 0.5) * f.bucketBps) / 10_000);
    bidCum[at] = null;
    askCum[at] = cum;
    bidBar[at] = null;
    askBar[at] = f.askSizes[i]!;
  }
  return into.data;
}
