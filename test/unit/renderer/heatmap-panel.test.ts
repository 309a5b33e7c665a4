import { describe, expect, it } from 'vitest';
import type { HeatmapFrame } from '../../../src/shared/contract';
import { cellCode, fitColourScale, NO_DATA } from '../../../src/renderer/src/panels/heatmap/colormap';
import { HeatmapColumns } from '../../../src/renderer/src/panels/heatmap/column-store';
import { buildCells, decimalsOf, lineYs, makeView, MIN_LINE_GAP_PX, niceStep, priceTicks, ROWS, timeTicks, yOfPrice } from '../../../src/renderer/src/panels/heatmap/view';
import { seededRandom } from '../../../src/main/venues/demo/market';

const T0 = 1_723_161_254_000;

function frame(ts: number, mid: number, rowStep: number, sizeAt: (price: number) => number): HeatmapFrame {
  const rows = ROWS;
  const basePrice = Math.floor((mid - (rows / 2) * rowStep) / rowStep) * rowStep;
  const sizes = Array.from({ length: rows }, (_, i) => sizeAt(basePrice + i * rowStep));
  return { venue: 'demo', symbol: 'X', state: 'synced', ts, basePrice, rowStep, sizes, bestBid: mid - rowStep / 10, bestAsk: mid + rowStep / 10 };
}

describe('heatmap colour scale', () => {
  it('keeps typical size dark and lets walls stand out (most cells in the bottom of the ramp)', () => {
    const rand = seededRandom(7);
    // A book of ordinary levels (1–3) with 1% walls of 40–60.
    const sizes = Float64Array.from({ length: 20_000 }, () => (rand() < 0.01 ? 40 + rand() * 20 : 1 + rand() * 2));
    const scale = fitColourScale(sizes.slice(), sizes.length, 3)!;
    const codes = Array.from(sizes, (s) => cellCode(s, scale));
    const dim = codes.filter((c) => c < 2 + 0.25 * 253).length / codes.length;
    expect(dim).toBeGreaterThan(0.9);
    expect(cellCode(60, scale)).toBeGreaterThan(2 + 0.85 * 253);
    // More contrast: fewer cells lit.
    const high = fitColourScale(sizes.slice(), sizes.length, 5)!;
    expect(cellCode(3, high)).toBeLessThan(cellCode(3, fitColourScale(sizes.slice(), sizes.length, 1)!));
    // An empty bin is code 1, below any size.
    expect(cellCode(0, scale)).toBe(1);
    expect(cellCode(1e-9, scale)).toBeGreaterThanOrEqual(2);
  });

  it('one huge wall does not wash out the rest (quantiles, not the maximum)', () => {
    const sizes = Float64Array.from({ length: 5000 }, (_, i) => (i === 0 ? 1e9 : 1 + (i % 10)));
    const without = Float64Array.from(sizes.subarray(1));
    const scale = fitColourScale(sizes, sizes.length, 3)!;
    expect(scale.ceiling).toBeLessThan(100);
    expect(cellCode(10, scale)).toBe(cellCode(10, fitColourScale(without, without.length, 3)!));
    // A book with nothing standing out stays dim.
    const flat = Float64Array.from({ length: 1000 }, () => 5);
    expect(cellCode(5, fitColourScale(flat, flat.length, 3)!)).toBeLessThan(2 + 0.25 * 253);
  });
});

describe('heatmap axes', () => {
  it('labels round prices at the instrument’s precision, none clipped at the top or bottom', () => {
    for (const [rowStep, mid, height] of [
      [0.05, 2681.17, 700],
      [0.0001, 1.9538, 1000],
      [0.05, 13.22, 1060],
      [1, 60_123, 400],
    ] as const) {
      const centre = Math.floor(mid / rowStep);
      const view = makeView(1280, height, 250, T0, rowStep, centre + ROWS / 2);
      const ticks = priceTicks(view);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      const step = Number(ticks[1]!.label) - Number(ticks[0]!.label);
      const nice = niceStep(Math.abs(step));
      expect(Math.abs(Math.abs(step) - nice)).toBeLessThan(nice * 1e-6);
      for (const t of ticks) {
        expect(t.pos).toBeGreaterThanOrEqual(7);
        expect(t.pos).toBeLessThanOrEqual(view.plotH - 7);
        // Exactly the step's decimals: 2681.5, 1.9540, 60120.
        expect(t.label.split('.')[1]?.length ?? 0).toBe(decimalsOf(nice));
      }
      // Labels at least 40 px apart.
      for (let i = 1; i < ticks.length; i++) expect(Math.abs(ticks[i]!.pos - ticks[i - 1]!.pos)).toBeGreaterThanOrEqual(39.9);
    }
    expect(decimalsOf(0.5)).toBe(1);
    expect(decimalsOf(0.0001)).toBe(4);
    expect(decimalsOf(20)).toBe(0);
  });

  it('labels times on round steps inside the plot', () => {
    const view = makeView(1600, 1000, 250, T0, 0.05, 1000);
    const ticks = timeTicks(view);
    expect(ticks.length).toBeGreaterThan(3);
    for (const t of ticks) {
      expect(t.label).toMatch(/^\d\d:\d\d:\d\d$/);
      expect(t.label.endsWith('0')).toBe(true);
      expect(t.pos).toBeGreaterThan(20);
      expect(t.pos).toBeLessThan(view.plotW - 20);
    }
  });

  it('a one-tick spread still gives two lines apart, the ask above the bid', () => {
    const view = makeView(1280, 720, 250, T0, 0.05, Math.floor(2681.17 / 0.05) + ROWS / 2);
    const { bidY, askY } = lineYs(view, 2681.17, 2681.18);
    expect(bidY! - askY!).toBeGreaterThanOrEqual(MIN_LINE_GAP_PX);
    // A wide spread is drawn where it is.
    const wide = lineYs(view, 2680, 2681);
    expect(wide.bidY).toBeCloseTo(yOfPrice(view, 2680), 9);
    expect(wide.askY).toBeCloseTo(yOfPrice(view, 2681), 9);
  });
});

describe('heatmap columns and cells', () => {
  it('places columns on their time slots; a short skipped tick is bridged, a long gap stays no data', () => {
    const store = new HeatmapColumns(250);
    const wall = (p: number) => (Math.abs(p - 100) < 1e-9 ? 50 : 1);
    for (let i = 0; i < 10; i++) store.addFrame(frame(T0 + i * 250 + 17, 100, 0.5, wall));
    // One tick skipped (T0+2500), then ten seconds without data, then one more column.
    for (let i = 11; i < 14; i++) store.addFrame(frame(T0 + i * 250 + 3, 100, 0.5, wall));
    store.addFrame(frame(T0 + 14_000, 100, 0.5, wall));
    const view = makeView(300, 200, 250, T0 + 14_250, 0.5, Math.floor(100 / 0.5) + ROWS / 2);
    const { codes } = buildCells(store, view, 3);
    const slots = view.slots;
    const slotOf = (t: number) => slots - (T0 + 14_250 - t) / 250;
    const wallRow = view.topRow - 1 - Math.floor(100 / 0.5);
    const at = (t: number) => codes[wallRow * slots + slotOf(t)]!;
    expect(at(T0)).toBeGreaterThan(200);
    expect(at(T0 + 2500)).toBe(at(T0 + 2250)); // bridged
    expect(at(T0 + 6000)).toBe(NO_DATA); // the long gap
    expect(at(T0 + 14_000)).toBeGreaterThan(200);
    // A frame in the same slot replaces the column.
    expect(store.addFrame(frame(T0 + 14_100, 100, 0.5, () => 2))).toBe(true);
    expect(store.newest!.sizes[0]).toBe(2);
  });

  it('merges history under live columns without replacing them, and ignores another grid', () => {
    const store = new HeatmapColumns(250);
    store.addFrame(frame(T0 + 1000, 100, 0.5, () => 7));
    const past = [0, 250, 500, 750, 1000].map((dt) => ({ ts: T0 + dt, basePrice: 80, sizes: new Array(ROWS).fill(3), bestBid: 99.9, bestAsk: 100.1 }));
    expect(store.addHistory(0.5, 250, past, T0)).toBe(4);
    expect(store.columns.map((c) => c.ts - T0)).toEqual([0, 250, 500, 750, 1000]);
    expect(store.columns.at(-1)!.sizes[0]).toBe(7);
    expect(store.historyOldestTs).toBe(T0);
    expect(store.addHistory(1, 250, past, T0)).toBe(0);
    // A change of grid starts over.
    store.addFrame(frame(T0 + 1250, 100, 1, () => 1));
    expect(store.columns).toHaveLength(1);
  });
});
