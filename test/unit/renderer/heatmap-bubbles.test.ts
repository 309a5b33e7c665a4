import { describe, expect, it } from 'vitest';
import type { HeatmapColumns } from '../../../src/renderer/src/panels/heatmap/column-store';
import { makeView, startTs, type View } from '../../../src/renderer/src/panels/heatmap/view';

interface Bubble {
  r: number;
  buy: number;
  sell: number;
}
/**
 * bubbles.ts draws on canvases (DOM types, which this Node program is compiled without): it is loaded
 * by a path the compiler does not follow, through the part of its interface the test needs.
 */
const BUBBLES = '../../../src/renderer/src/panels/heatmap/bubbles';
const { layoutBubbles, MAX_BUBBLES, MAX_RADIUS_PX, MIN_RADIUS_PX } = (await import(/* @vite-ignore */ BUBBLES)) as {
  layoutBubbles: (view: View, columns: HeatmapColumns, minSize: number) => Bubble[];
  MAX_BUBBLES: number;
  MAX_RADIUS_PX: number;
  MIN_RADIUS_PX: number;
};

/** Trades per column slot, as the column store holds them: [price, buy volume, sell volume]. */
function columnsWith(trades: Map<number, Array<[number, number, number]>>): HeatmapColumns {
  return { trades } as unknown as HeatmapColumns;
}

describe('heatmap trade bubbles', () => {
  const columnMs = 250;
  const endTs = 1_000_000;
  // Rows of 0.5 from 100 down.
  const view = makeView(600, 400, columnMs, endTs, 0.5, 200);

  it('draws only the biggest MAX_BUBBLES of a busy screen, at the scale of the biggest in view', () => {
    const trades = new Map<number, Array<[number, number, number]>>();
    let n = 0;
    // Every column slot in view, ten prices in each.
    for (let ts = Math.ceil(startTs(view) / columnMs) * columnMs; ts < endTs; ts += columnMs) {
      const cells: Array<[number, number, number]> = [];
      for (let row = 0; row < 10; row++) cells.push([95 + row * 0.5, (n++ % 97) + 1, 0]);
      trades.set(ts, cells);
    }
    expect(n).toBeGreaterThan(MAX_BUBBLES);
    const bubbles = layoutBubbles(view, columnsWith(trades), 0);
    expect(bubbles).toHaveLength(MAX_BUBBLES);
    // Biggest first; the biggest print (97) has the largest radius, and every dropped one was no bigger than the last kept.
    for (let i = 1; i < bubbles.length; i++) expect(bubbles[i]!.r).toBeLessThanOrEqual(bubbles[i - 1]!.r);
    expect(bubbles[0]!.buy).toBe(97);
    expect(bubbles[0]!.r).toBe(MAX_RADIUS_PX);
    const smallestKept = bubbles[bubbles.length - 1]!.buy;
    const all = [...trades.values()].flat().map(([, buy]) => buy);
    expect(all.filter((v) => v > smallestKept).length).toBeLessThan(MAX_BUBBLES);
    expect(bubbles.every((b) => b.r >= MIN_RADIUS_PX)).toBe(true);
  });

  it('draws every bubble of a quiet screen, above the size filter', () => {
    const trades = new Map<number, Array<[number, number, number]>>([
      [endTs - 4 * columnMs, [[99, 2, 0]]],
      [endTs - 2 * columnMs, [[98.5, 0, 5], [99.5, 1, 1]]],
    ]);
    expect(layoutBubbles(view, columnsWith(trades), 0)).toHaveLength(3);
    expect(layoutBubbles(view, columnsWith(trades), 2.5).map((b) => b.sell)).toEqual([5]);
    expect(layoutBubbles(view, columnsWith(trades), -1)).toHaveLength(0);
  });
});
