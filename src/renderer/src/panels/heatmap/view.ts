import { cellCode, fitColourScale, NO_DATA, type ColourScale } from './colormap';
import type { HeatmapColumns } from './column-store';

/** Width of one column slot on screen. */
export const COLUMN_PX = 3;
/** Price rows shown (the stream's column height). */
export const ROWS = 120;
/** Price axis on the right, time axis at the bottom. */
export const PRICE_AXIS_PX = 72;
export const TIME_AXIS_PX = 18;

/** What is on screen: a time window of column slots and a window of price rows. */
export interface View {
  width: number;
  height: number;
  plotW: number;
  plotH: number;
  columnMs: number;
  /** Column slots across the plot; the newest ends at endTs on the plot's right edge. */
  slots: number;
  endTs: number;
  rowStep: number;
  /** Bins topRow-1 (top of the plot) down to topRow-ROWS (bottom). */
  topRow: number;
}

export function makeView(width: number, height: number, columnMs: number, endTs: number, rowStep: number, topRow: number): View {
  const plotW = Math.max(10, width - PRICE_AXIS_PX);
  const plotH = Math.max(10, height - TIME_AXIS_PX);
  const slots = Math.max(1, Math.floor(plotW / COLUMN_PX));
  // Align the window to whole slots, so a column always falls on the same pixels as time passes.
  const alignedEnd = Math.ceil(endTs / columnMs) * columnMs;
  return { width, height, plotW, plotH, columnMs, slots, endTs: alignedEnd, rowStep, topRow };
}

export const startTs = (v: View): number => v.endTs - v.slots * v.columnMs;
/** Left edge of the slots' image (the plot may be a little wider than a whole number of slots). */
export const slotsLeft = (v: View): number => v.plotW - v.slots * COLUMN_PX;
export const xOfTime = (v: View, t: number): number => v.plotW - ((v.endTs - t) / v.columnMs) * COLUMN_PX;
export const timeOfX = (v: View, x: number): number => v.endTs - ((v.plotW - x) / COLUMN_PX) * v.columnMs;
export const yOfPrice = (v: View, price: number): number => ((v.topRow - price / v.rowStep) / ROWS) * v.plotH;
/** The bin under a y on the plot. */
export const rowOfY = (v: View, y: number): number => v.topRow - 1 - Math.floor((y / v.plotH) * ROWS);

/**
 * Keep the price window still while mid moves about its middle half; recentre only when mid leaves it
 * (a window that follows every tick makes walls jitter up and down).
 */
export function followCentre(previous: number | null, midRow: number): number {
  if (previous === null || Math.abs(midRow - previous) > ROWS / 4) return midRow;
  return previous;
}

/** The mid row of a column (or the one best price there is). */
export function midRow(columns: HeatmapColumns, bestBid: number | null, bestAsk: number | null): number | null {
  const mid = bestBid !== null && bestAsk !== null ? (bestBid + bestAsk) / 2 : (bestBid ?? bestAsk);
  return mid === null ? null : columns.row(mid);
}

/** Best bid and ask lines never closer than this, so a one-tick spread still shows two lines. */
export const MIN_LINE_GAP_PX = 5;

/** y of the best bid and ask, pushed apart about their middle to at least MIN_LINE_GAP_PX. */
export function lineYs(view: View, bid: number | null, ask: number | null): { bidY: number | null; askY: number | null } {
  let bidY = bid === null ? null : yOfPrice(view, bid);
  let askY = ask === null ? null : yOfPrice(view, ask);
  if (bidY !== null && askY !== null && bidY - askY < MIN_LINE_GAP_PX) {
    const middle = (bidY + askY) / 2;
    bidY = middle + MIN_LINE_GAP_PX / 2;
    askY = middle - MIN_LINE_GAP_PX / 2;
  }
  return { bidY, askY };
}

export interface Cells {
  /** slots × ROWS cell codes, row 0 at the top (see colormap: 0 no data, 1 empty bin, 2..255 size). */
  codes: Uint8Array;
  scale: ColourScale | null;
}

/** Reused between draws (one heatmap draws at a time: drawing is synchronous). */
const scratch = { sizes: new Float64Array(0), codes: new Uint8Array(0) };

/** Fill the cell codes for the view: each column on the slots it covers, coloured by a scale fitted to what is visible. */
export function buildCells(columns: HeatmapColumns, view: View, contrast: number): Cells {
  const cellCount = view.slots * ROWS;
  if (scratch.codes.length !== cellCount) scratch.codes = new Uint8Array(cellCount);
  const codes = scratch.codes;
  codes.fill(NO_DATA);
  const start = startTs(view);
  const first = Math.max(0, columns.firstEndingAfter(start) - 1);
  let last = first;
  while (last < columns.columns.length && columns.columns[last]!.ts < view.endTs) last++;
  const bottomRow = view.topRow - ROWS;
  // Pass 1: the visible sizes, for the scale.
  let n = 0;
  if (scratch.sizes.length < (last - first) * ROWS) scratch.sizes = new Float64Array((last - first) * ROWS * 2);
  for (let k = first; k < last; k++) {
    const c = columns.columns[k]!;
    const lo = Math.max(0, bottomRow - c.baseRow);
    const hi = Math.min(c.sizes.length, view.topRow - c.baseRow);
    for (let i = lo; i < hi; i++) scratch.sizes[n++] = c.sizes[i]!;
  }
  const scale = fitColourScale(scratch.sizes, n, contrast);
  // Pass 2: codes.
  for (let k = first; k < last; k++) {
    const c = columns.columns[k]!;
    const s0 = Math.max(0, Math.floor((c.ts - start) / view.columnMs));
    const s1 = Math.min(view.slots, Math.ceil((columns.endOf(k) - start) / view.columnMs));
    for (let r = 0; r < ROWS; r++) {
      const i = view.topRow - 1 - r - c.baseRow;
      const size = i >= 0 && i < c.sizes.length ? c.sizes[i]! : 0;
      const code = scale ? cellCode(size, scale) : 1;
      const rowOffset = r * view.slots;
      for (let s = s0; s < s1; s++) codes[rowOffset + s] = code;
    }
  }
  return { codes, scale };
}

/** 1, 2 or 5 × a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5]) if (m * power >= raw * (1 - 1e-9)) return m * power;
  return 10 * power;
}

/** Decimals that write every multiple of a step exactly (0.5 → 1, 0.05 → 2, 20 → 0). */
export function decimalsOf(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

export interface Tick {
  pos: number;
  label: string;
}

/** Labels no closer than this on the price axis, and no nearer an edge than half a label. */
const PRICE_LABEL_GAP_PX = 40;
const LABEL_HALF_PX = 7;

/** Round prices (1, 2 or 5 × 10^k, never finer than the row) labelled up the axis, none clipped at the edges. */
export function priceTicks(view: View): Tick[] {
  const pricePerPx = (view.rowStep * ROWS) / view.plotH;
  const step = Math.max(view.rowStep, niceStep(PRICE_LABEL_GAP_PX * pricePerPx));
  const decimals = decimalsOf(step);
  const bottom = (view.topRow - ROWS) * view.rowStep;
  const top = view.topRow * view.rowStep;
  const ticks: Tick[] = [];
  for (let k = Math.ceil(bottom / step - 1e-9); k * step <= top + 1e-9 * step; k++) {
    const price = k * step;
    const y = yOfPrice(view, price);
    if (y < LABEL_HALF_PX || y > view.plotH - LABEL_HALF_PX) continue;
    ticks.push({ pos: y, label: price.toFixed(decimals) });
  }
  return ticks;
}

const TIME_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map((s) => s * 1000);
const TIME_LABEL_GAP_PX = 80;
const TIME_LABEL_HALF_PX = 26;

/** Round times along the bottom (every 10 s, 30 s, 1 min…), none clipped at the edges. */
export function timeTicks(view: View): Tick[] {
  const pxPerMs = COLUMN_PX / view.columnMs;
  const step = TIME_STEPS_MS.find((s) => s * pxPerMs >= TIME_LABEL_GAP_PX) ?? TIME_STEPS_MS.at(-1)!;
  const ticks: Tick[] = [];
  // Round in local time (a 15 min step lands on :00, :15… where the offset is whole quarters).
  const offset = new Date(view.endTs).getTimezoneOffset() * 60_000;
  for (let t = Math.floor((view.endTs - offset) / step) * step + offset; t >= startTs(view); t -= step) {
    const x = xOfTime(view, t);
    if (x < TIME_LABEL_HALF_PX + slotsLeft(view) || x > view.plotW - TIME_LABEL_HALF_PX) continue;
    ticks.push({ pos: x, label: clockTime(t, step < 60_000) });
  }
  return ticks.reverse();
}

/** HH:MM:SS (or HH:MM) in local time. */
export function clockTime(t: number, seconds = true, millis = false): string {
  const d = new Date(t);
  const two = (n: number) => String(n).padStart(2, '0');
  let s = `${two(d.getHours())}:${two(d.getMinutes())}`;
  if (seconds) s += `:${two(d.getSeconds())}`;
  if (millis) s += `.${String(d.getMilliseconds()).padStart(3, '0')}`;
  return s;
}
