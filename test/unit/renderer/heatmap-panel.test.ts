import { describe, expect, it } from 'vitest';
import type { HeatmapFrame } from '../../../src/shared/contract';
import { cellCode, fitColourScale, NO_DATA } from '../../../src/renderer/src/panels/heatmap/colormap';
import { HeatmapColumns } from '../../../src/renderer/src/panels/heatmap/column-store';
import { buildCells, CellBuilder, decimalsOf, formatHeatSize, SCALE_REFIT_MS, lineYs, makeView, MIN_LINE_GAP_PX, niceStep, priceTicks, ROWS, timeTicks, yOfPrice } from '../../../src/renderer/src/panels/heatmap/view';
import { seededRandom } from '../../../src/main/venues/demo/market';
import { setNumberGrouping } from '../../../src/shared/format';

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

describe('heatmap cell builder (work only for what changed)', () => {
  const rowStep = 0.5;
  function streamed(count: number, seed: number): { store: HeatmapColumns; rand: () => number } {
    const rand = seededRandom(seed);
    const store = new HeatmapColumns(250);
    for (let i = 0; i < count; i++) store.addFrame(frame(T0 + i * 250, 100, rowStep, () => (rand() < 0.2 ? 0 : 1 + rand() * 3 + (rand() < 0.02 ? 50 : 0))));
    return { store, rand };
  }
  const viewAt = (store: HeatmapColumns) => makeView(600, 300, 250, store.newest!.ts + 250, rowStep, Math.floor(100 / rowStep) + ROWS / 2);

  it('builds, column after column, the same codes as a fresh build on the same scale', () => {
    const { store, rand } = streamed(150, 3);
    const builder = new CellBuilder();
    let now = 0;
    for (let i = 150; i < 260; i++) {
      store.addFrame(frame(T0 + i * 250, 100, rowStep, () => (rand() < 0.2 ? 0 : 1 + rand() * 3 + (rand() < 0.02 ? 50 : 0))));
      now += 50; // a frame every 50 ms: the scale is refitted on every fifth
      const view = viewAt(store);
      const cells = builder.build(store, view, 3, now);
      expect(cells.changed).toBe(true);
      // A fresh build on the scale the incremental one uses gives the same codes, cell for cell.
      const fresh = buildCells(store, view, 3);
      if (fresh.scale && cells.scale && fresh.scale.floor === cells.scale.floor && fresh.scale.ceiling === cells.scale.ceiling) {
        expect(Buffer.from(cells.codes).equals(Buffer.from(fresh.codes))).toBe(true);
      }
      // And the scale it uses is never far from the fitted one (refits are paced, not skipped).
      expect(Math.abs(cells.scale!.floor - fresh.scale!.floor) / fresh.scale!.floor).toBeLessThan(0.25);
    }
  });

  it('a draw with nothing new (a pointer move) rebuilds nothing; new rows or contrast rebuild at once', () => {
    const { store } = streamed(200, 5);
    const builder = new CellBuilder();
    const view = viewAt(store);
    const first = builder.build(store, view, 3, 1000);
    expect(first.changed).toBe(true);
    const codes = Uint8Array.from(first.codes);
    const again = builder.build(store, view, 3, 1010);
    expect(again.changed).toBe(false);
    expect(Buffer.from(again.codes).equals(Buffer.from(codes))).toBe(true);
    // Contrast changes the scale at once, even inside the refit interval.
    const sharper = builder.build(store, view, 5, 1020);
    expect(sharper.changed).toBe(true);
    expect(sharper.scale!.floor).toBeGreaterThan(first.scale!.floor);
    expect(Buffer.from(sharper.codes).equals(Buffer.from(buildCells(store, view, 5).codes))).toBe(true);
    // The price window moved: codes for the new rows, at once (on a scale within 3% of a fresh fit's,
    // so within a few codes of a fresh build, cell for cell).
    const moved = makeView(600, 300, 250, view.endTs, rowStep, view.topRow + 7);
    const movedCells = builder.build(store, moved, 5, 1030);
    expect(movedCells.changed).toBe(true);
    const fresh = buildCells(store, moved, 5).codes;
    let worst = 0;
    for (let i = 0; i < fresh.length; i++) worst = Math.max(worst, Math.abs(movedCells.codes[i]! - fresh[i]!));
    expect(worst).toBeLessThanOrEqual(4);
  });

  it('a refit put off while columns stream is due after the interval, even with no new column', () => {
    const { store } = streamed(200, 9);
    const builder = new CellBuilder();
    builder.build(store, viewAt(store), 3, 0);
    // Walls everywhere in the next five columns: the scale should follow, but not within 250 ms.
    for (let i = 200; i < 205; i++) store.addFrame(frame(T0 + i * 250, 100, rowStep, () => 500));
    builder.build(store, viewAt(store), 3, 100);
    expect(builder.refitPending).toBe(true);
    const before = builder.build(store, viewAt(store), 3, 150).scale!;
    const later = builder.build(store, viewAt(store), 3, 100 + SCALE_REFIT_MS);
    expect(builder.refitPending).toBe(false);
    const fitted = buildCells(store, viewAt(store), 3).scale!;
    expect(later.scale!.ceiling).toBeGreaterThan(before.ceiling * 1.5);
    expect(Math.abs(later.scale!.ceiling - fitted.ceiling)).toBeLessThanOrEqual(0.03 * fitted.ceiling);
  });
});

describe('heatmap read-out sizes', () => {
  it('show enough digits to tell levels apart, without float noise, grouped as the settings say', () => {
    // float32 storage: 0.1 comes back as 0.10000000149…
    expect(formatHeatSize(Math.fround(0.1))).toBe('0.1');
    expect(formatHeatSize(Math.fround(1.2345))).toBe('1.235');
    expect(formatHeatSize(123.45)).toBe('123.5');
    expect(formatHeatSize(0)).toBe('0');
    expect(formatHeatSize(1_234_567.8)).toBe('1,234,568');
    setNumberGrouping(false);
    try {
      expect(formatHeatSize(1_234_567.8)).toBe('1234568');
    } finally {
      setNumberGrouping(true);
    }
  });
});
