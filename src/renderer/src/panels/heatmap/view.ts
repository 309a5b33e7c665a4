import { cellCode, fitColourScale, NO_DATA, type ColourScale } from './colormap';
import type { HeatColumn, HeatmapColumns } from './column-store';
import { formatTrimmed } from '../../format';

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
  /** False when nothing on screen changed since the last build (the same codes: no need to paint them again). */
  changed: boolean;
}

/** The colour scale is fitted again at most this often while columns arrive (not on every draw). */
export const SCALE_REFIT_MS = 250;
/** A refitted scale within this share of the one in use keeps the one in use (steady colours, cached codes stay valid). */
const SCALE_KEEP_RATIO = 0.03;

/**
 * Builds the cell codes for a view, doing only what changed since the last build: a column's 120 codes
 * are computed once per colour scale and window of rows and then copied, so while the book streams only
 * the new columns cost anything. The colour scale is fitted to what is visible (quantiles of up to 8k
 * sampled sizes) when the window, contrast or grid changes, and otherwise at most every SCALE_REFIT_MS
 * as columns arrive; a pointer move over an unchanged view rebuilds nothing.
 */
export class CellBuilder {
  private codes = new Uint8Array(0);
  private scale: ColourScale | null = null;
  private fittedAt = -Infinity;
  /** The rows, contrast, grid and width the scale and the cached column codes are for. */
  private viewKey = '';
  /** The columns the codes were built from (columns are replaced, never changed in place). */
  private heldArray: HeatColumn[] | null = null;
  private heldLength = -1;
  private heldNewest: HeatColumn | undefined = undefined;
  private heldEndTs = -1;
  /** Each column's codes on the current scale and rows. */
  private columnCodes = new WeakMap<HeatColumn, Uint8Array>();
  /** Columns changed since the scale was last fitted (a refit is due once SCALE_REFIT_MS has passed). */
  private scaleStale = false;
  private readonly samples = new Float64Array(MAX_SCALE_SAMPLES);

  /** Whether a refit was put off (the caller draws again after SCALE_REFIT_MS so the colours settle). */
  get refitPending(): boolean {
    return this.scaleStale;
  }

  /** `now` (ms) paces the refits; `refit` forces one. */
  build(columns: HeatmapColumns, view: View, contrast: number, now: number, refit = false): Cells {
    const start = startTs(view);
    const first = Math.max(0, columns.firstEndingAfter(start) - 1);
    let last = first;
    while (last < columns.columns.length && columns.columns[last]!.ts < view.endTs) last++;
    const newest = columns.columns[last - 1];
    const viewKey = `${view.topRow}|${contrast}|${view.rowStep}|${view.slots}`;
    const viewChanged = viewKey !== this.viewKey;
    const dataChanged = columns.columns !== this.heldArray || columns.columns.length !== this.heldLength || newest !== this.heldNewest || view.endTs !== this.heldEndTs;
    const refitDue = this.scaleStale && now - this.fittedAt >= SCALE_REFIT_MS;
    if (!refit && !viewChanged && !dataChanged && !refitDue) return { codes: this.codes, scale: this.scale, changed: false };
    if (viewChanged) this.columnCodes = new WeakMap();
    let scaleChanged = false;
    if (refit || viewChanged || now - this.fittedAt >= SCALE_REFIT_MS) {
      const fitted = this.fit(columns, view, first, last, contrast);
      this.fittedAt = now;
      this.scaleStale = false;
      if (!sameScale(fitted, this.scale)) {
        this.scale = fitted;
        this.columnCodes = new WeakMap();
        scaleChanged = true;
      }
    } else {
      this.scaleStale = true;
    }
    if (!refit && !viewChanged && !dataChanged && !scaleChanged) return { codes: this.codes, scale: this.scale, changed: false };
    this.viewKey = viewKey;
    this.heldArray = columns.columns;
    this.heldLength = columns.columns.length;
    this.heldNewest = newest;
    this.heldEndTs = view.endTs;

    const cellCount = view.slots * ROWS;
    if (this.codes.length !== cellCount) this.codes = new Uint8Array(cellCount);
    const codes = this.codes;
    codes.fill(NO_DATA);
    for (let k = first; k < last; k++) {
      const c = columns.columns[k]!;
      const s0 = Math.max(0, Math.floor((c.ts - start) / view.columnMs));
      const s1 = Math.min(view.slots, Math.ceil((columns.endOf(k) - start) / view.columnMs));
      if (s1 <= s0) continue;
      let column = this.columnCodes.get(c);
      if (!column) {
        column = columnCodesFor(c, view.topRow, this.scale);
        this.columnCodes.set(c, column);
      }
      for (let r = 0; r < ROWS; r++) {
        const code = column[r]!;
        const rowOffset = r * view.slots;
        for (let s = s0; s < s1; s++) codes[rowOffset + s] = code;
      }
    }
    return { codes, scale: this.scale, changed: true };
  }

  /** Fit the scale to the visible sizes, at most MAX_SCALE_SAMPLES of them taken evenly. */
  private fit(columns: HeatmapColumns, view: View, first: number, last: number, contrast: number): ColourScale | null {
    const bottomRow = view.topRow - ROWS;
    let total = 0;
    for (let k = first; k < last; k++) {
      const c = columns.columns[k]!;
      total += Math.max(0, Math.min(c.sizes.length, view.topRow - c.baseRow) - Math.max(0, bottomRow - c.baseRow));
    }
    // Every stride-th size, evenly over the window (the newest columns included).
    const stride = Math.max(1, Math.ceil(total / MAX_SCALE_SAMPLES));
    let index = 0;
    let n = 0;
    for (let k = first; k < last; k++) {
      const c = columns.columns[k]!;
      const lo = Math.max(0, bottomRow - c.baseRow);
      const hi = Math.min(c.sizes.length, view.topRow - c.baseRow);
      // The first sampled index in this column: the next multiple of the stride.
      let i = lo + ((stride - (index % stride)) % stride);
      index += Math.max(0, hi - lo);
      for (; i < hi && n < this.samples.length; i += stride) this.samples[n++] = c.sizes[i]!;
    }
    return fitColourScale(this.samples, n, contrast);
  }
}

/** Most sizes sampled for the scale's quantiles. */
const MAX_SCALE_SAMPLES = 8192;

function sameScale(a: ColourScale | null, b: ColourScale | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a.floor - b.floor) <= SCALE_KEEP_RATIO * b.floor && Math.abs(a.ceiling - b.ceiling) <= SCALE_KEEP_RATIO * b.ceiling;
}

/** A column's codes for rows topRow-1 (index 0) down to topRow-ROWS, on a scale (none: all empty). */
function columnCodesFor(c: HeatColumn, topRow: number, scale: ColourScale | null): Uint8Array {
  const out = new Uint8Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const i = topRow - 1 - r - c.baseRow;
    const size = i >= 0 && i < c.sizes.length ? c.sizes[i]! : 0;
    out[r] = scale ? cellCode(size, scale) : 1;
  }
  return out;
}

/** Fill the cell codes for the view: each column on the slots it covers, coloured by a scale fitted to what is visible. */
export function buildCells(columns: HeatmapColumns, view: View, contrast: number): Cells {
  return new CellBuilder().build(columns, view, contrast, 0, true);
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

/** Size in the read-out: enough digits to tell levels apart, without float noise (float32 storage). */
export function formatHeatSize(size: number): string {
  if (size === 0) return '0';
  const digits = size >= 1000 ? 0 : size >= 100 ? 1 : size >= 1 ? 3 : 6;
  return formatTrimmed(size, digits);
}
