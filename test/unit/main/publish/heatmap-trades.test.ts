import { describe, expect, it } from 'vitest';
import { HeatmapTrades } from '../../../../src/main/publish/heatmap-trades';

describe('heatmap trade bubbles per column slot', () => {
  it('sums taker buy and sell per price row of a slot, at the row’s volume-weighted price', () => {
    const t = new HeatmapTrades(250, 60_000);
    t.add(1000, 100.01, 2, 'buy');
    t.add(1100, 100.03, 1, 'sell');
    t.add(1200, 100.3, 4, 'buy');
    // Another slot, and a print with no taker side (not drawn).
    t.add(1250, 100.01, 9, 'buy');
    t.add(1010, 100.02, 5, 'unknown');
    const cells = t.cells(1000, 1250, 0.1);
    expect(cells).toHaveLength(2);
    expect(cells[0]![0]).toBeCloseTo((2 * 100.01 + 100.03) / 3, 9);
    expect(cells[0]!.slice(1)).toEqual([2, 1]);
    expect(cells[1]).toEqual([100.3, 4, 0]);
    expect(t.spans(0, 2000, 250, 0.1).map((s) => s.ts)).toEqual([1000, 1250]);
  });

  it('keeps only keepMs behind the newest slot, and ignores prints older than that', () => {
    const t = new HeatmapTrades(250, 1000);
    t.add(0, 10, 1, 'buy');
    t.add(750, 10, 1, 'sell');
    t.add(1500, 10, 1, 'buy');
    expect(t.spans(0, 2000, 250, 1).map((s) => s.ts)).toEqual([750, 1500]);
    t.add(100, 10, 1, 'buy');
    expect(t.slotCount).toBe(2);
  });
});
