import { describe, expect, it } from 'vitest';
import { ORDER_FLOW_LAYOUT } from '../../../../src/main/cli/bench-renderer';
import { parseLayout } from '../../../../src/renderer/src/layout/model';

describe('the renderer bench order-flow dashboard', () => {
  // The page drops panels it does not recognise without a word: the bench would then measure less.
  it('is a layout the page loads whole: every panel, in order, following the dashboard symbol', () => {
    const loaded = parseLayout(JSON.parse(JSON.stringify(ORDER_FLOW_LAYOUT)));
    const kinds = loaded.columns.flatMap((c) => c.panels.map((p) => p.kind));
    expect(kinds).toEqual(['ladder', 'depth', 'timeseries', 'heatmap', 'tape', 'health', 'candles', 'footprint', 'traded-profile']);
    expect(loaded.columns.flatMap((c) => c.panels).every((p) => p.link === 'dashboard')).toBe(true);
    expect(loaded.columns.map((c) => c.size).reduce((a, b) => a + b, 0)).toBe(100);
    for (const c of loaded.columns) expect(c.panelSizes.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('turns the heatmap trade bubbles on for every trade size', () => {
    const heatmap = parseLayout(ORDER_FLOW_LAYOUT).columns.flatMap((c) => c.panels).find((p) => p.kind === 'heatmap');
    expect(heatmap?.settings).toEqual({ minTrade: 0 });
  });
});
