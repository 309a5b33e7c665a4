/**
 * Drawing the footprint: one column per candle (newest at the right), one row per price row of the
 * frame's step, each cell "sell × buy" on a background tinted by the row's delta, the point of
 * control outlined, diagonal imbalances in bold with a coloured edge, and the candle's delta and
 * volume under it. Returns what it drew, which the panel exposes for tests and assistive tools.
 */
import type { FootprintCandle, FootprintFrame } from '../../../../shared/order-flow';
import { formatPriceText, formatQuantity, formatSigned } from '../../format';

/**
 * The part of a 2D canvas context the order-flow drawings use (a CanvasRenderingContext2D is one);
 * named here so the drawings can be checked in Node with a recording stand-in.
 */
export interface DrawContext {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  font: string;
  textAlign: unknown;
  textBaseline: unknown;
  globalAlpha: number;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  fill(): void;
  setLineDash(segments: number[]): void;
}

export const AXIS_WIDTH = 72;
/** Room under the columns for the candle's delta, volume and time. */
export const FOOTER_HEIGHT = 46;
/** The row height the automatic row size aims for, and the bounds a row is drawn within. */
export const ROW_HEIGHT = 17;
const MIN_ROW_HEIGHT = 14;
const MAX_ROW_HEIGHT = 22;
export const MIN_COLUMN_WIDTH = 84;

const COLORS = {
  background: '#131a23',
  grid: '#1f2937',
  text: '#c9d3df',
  muted: '#7d8a9c',
  buy: '#26a96c',
  sell: '#e5534b',
  poc: '#f5d142',
};

export interface FootprintDrawn {
  /** Candles drawn (oldest first), each with its POC label. */
  candles: Array<{ start: number; poc: string | null; rows: number; buyImbalances: number; sellImbalances: number }>;
  /** Price labels on the axis, top to bottom. */
  priceLabels: string[];
}

/** Row index of a price text at the step (rows are whole multiples of the step). */
export function rowIndex(price: string, step: number): number {
  return Math.round(Number(price) / step);
}

/** The candles that fit in `width` (the newest), and a column width that fits their text. */
export function visibleCandles(candles: FootprintCandle[], width: number, columnWidth: number): FootprintCandle[] {
  const fit = Math.max(1, Math.floor(width / columnWidth));
  return candles.slice(-fit);
}

function timeLabel(start: number, intervalMs: number): string {
  const d = new Date(start);
  const hm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return intervalMs < 60_000 ? `${hm}:${String(d.getUTCSeconds()).padStart(2, '0')}` : hm;
}

const FONT = '11px system-ui, sans-serif';
const BOLD_FONT = 'bold 11px system-ui, sans-serif';

/** Most texts kept by the caches below before they start afresh (a frame has a few hundred). */
const MAX_CACHED_TEXTS = 4000;

/**
 * Volumes as shown (the frame's exact decimal text at the lot's decimals) and their widths, by text:
 * from one frame to the next almost all cells are the same, and formatting and measuring each cell
 * again was most of a draw's script time.
 */
const formattedVolumes = new Map<string, string>();
const measuredWidths = new Map<string, number>();

function cachedVolume(text: string, sizeDecimals: number): string {
  const key = `${sizeDecimals}|${text}`;
  let shown = formattedVolumes.get(key);
  if (shown === undefined) {
    if (formattedVolumes.size >= MAX_CACHED_TEXTS) formattedVolumes.clear();
    shown = formatQuantity(Number(text), sizeDecimals);
    formattedVolumes.set(key, shown);
  }
  return shown;
}

function measuredWidth(ctx: DrawContext, text: string): number {
  let width = measuredWidths.get(text);
  if (width === undefined) {
    if (measuredWidths.size >= MAX_CACHED_TEXTS) measuredWidths.clear();
    width = ctx.measureText(text).width;
    measuredWidths.set(text, width);
  }
  return width;
}

export function drawFootprint(ctx: DrawContext, frame: FootprintFrame | null, width: number, height: number, sizeDecimals: number): FootprintDrawn {
  const drawn: FootprintDrawn = { candles: [], priceLabels: [] };
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(0, 0, width, height);
  if (!frame || frame.candles.length === 0) return drawn;
  const step = Number(frame.rowStep);
  const plotW = width - AXIS_WIDTH;
  const plotH = height - FOOTER_HEIGHT;
  ctx.font = FONT;
  const volume = (text: string): string => cachedVolume(text, sizeDecimals);
  // Setting a font makes the canvas parse it: set it only when it changes.
  let font = FONT;
  const setFont = (wanted: string): void => {
    if (font !== wanted) ctx.font = font = wanted;
  };

  // Column width from the widest cell text of the frame (in the regular font), so every number fits.
  let widest = 0;
  for (const c of frame.candles) for (const r of c.rows) widest = Math.max(widest, measuredWidth(ctx, volume(r.sell)), measuredWidth(ctx, volume(r.buy)));
  const columnWidth = Math.max(MIN_COLUMN_WIDTH, Math.ceil(2 * widest + 28));
  const candles = visibleCandles(frame.candles, plotW, columnWidth);

  // Rows: from the highest to the lowest traded row of the visible candles.
  let top = -Infinity;
  let bottom = Infinity;
  let maxVolume = 0;
  for (const c of candles) {
    for (const r of c.rows) {
      const i = rowIndex(r.price, step);
      top = Math.max(top, i);
      bottom = Math.min(bottom, i);
      maxVolume = Math.max(maxVolume, Number(r.buy) + Number(r.sell));
    }
  }
  const rowCount = top - bottom + 1;
  const rowH = Math.max(MIN_ROW_HEIGHT, Math.min(MAX_ROW_HEIGHT, Math.floor(plotH / rowCount)));
  // When the rows do not all fit, keep the newest candle's POC in the middle.
  const newest = candles[candles.length - 1]!;
  const centre = newest.poc !== null ? rowIndex(newest.poc, step) : Math.round((top + bottom) / 2);
  const firstRow = rowCount * rowH <= plotH ? top + Math.floor((plotH / rowH - rowCount) / 2) : centre + Math.floor(plotH / rowH / 2);
  const y = (index: number): number => (firstRow - index) * rowH;

  candles.forEach((candle, n) => {
    const x = plotW - (candles.length - n) * columnWidth;
    const mid = x + columnWidth / 2;
    let buyImbalances = 0;
    let sellImbalances = 0;
    for (const r of candle.rows) {
      const ry = y(rowIndex(r.price, step));
      if (ry + rowH < 0 || ry > plotH) continue;
      const buy = Number(r.buy);
      const sell = Number(r.sell);
      // Tint by which side dominated, stronger with the row's share of the largest row.
      const alpha = 0.12 + 0.5 * ((buy + sell) / maxVolume);
      ctx.fillStyle = buy >= sell ? `rgba(38,169,108,${alpha.toFixed(3)})` : `rgba(229,83,75,${alpha.toFixed(3)})`;
      ctx.fillRect(x + 2, ry + 1, columnWidth - 4, rowH - 1);
      ctx.textBaseline = 'middle';
      setFont(r.sellImbalance ? BOLD_FONT : FONT);
      ctx.fillStyle = r.sellImbalance ? '#ff8a80' : COLORS.text;
      ctx.textAlign = 'right';
      ctx.fillText(volume(r.sell), mid - 7, ry + rowH / 2 + 0.5);
      setFont(r.buyImbalance ? BOLD_FONT : FONT);
      ctx.fillStyle = r.buyImbalance ? '#7ee2a8' : COLORS.text;
      ctx.textAlign = 'left';
      ctx.fillText(volume(r.buy), mid + 7, ry + rowH / 2 + 0.5);
      ctx.fillStyle = COLORS.muted;
      ctx.textAlign = 'center';
      setFont(FONT);
      ctx.fillText('×', mid, ry + rowH / 2 + 0.5);
      // Imbalances: a bar on the side that overwhelmed the other.
      if (r.sellImbalance) {
        sellImbalances++;
        ctx.fillStyle = COLORS.sell;
        ctx.fillRect(x + 2, ry + 1, 3, rowH - 1);
      }
      if (r.buyImbalance) {
        buyImbalances++;
        ctx.fillStyle = COLORS.buy;
        ctx.fillRect(x + columnWidth - 5, ry + 1, 3, rowH - 1);
      }
    }
    if (candle.poc !== null) {
      const py = y(rowIndex(candle.poc, step));
      ctx.strokeStyle = COLORS.poc;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x + 2.5, py + 1.5, columnWidth - 5, rowH - 2);
    }
    // Column separator and footer: delta (coloured), volume, time.
    setFont(FONT);
    ctx.fillStyle = COLORS.grid;
    ctx.fillRect(x + columnWidth - 1, 0, 1, plotH);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const delta = Number(candle.delta);
    ctx.fillStyle = delta > 0 ? COLORS.buy : delta < 0 ? COLORS.sell : COLORS.muted;
    ctx.fillText(`Δ ${formatSigned(delta, (v) => formatQuantity(v, sizeDecimals))}`, mid, plotH + 3);
    ctx.fillStyle = COLORS.text;
    ctx.fillText(volume(candle.volume), mid, plotH + 17);
    ctx.fillStyle = COLORS.muted;
    ctx.fillText(timeLabel(candle.start, frame.intervalMs), mid, plotH + 31);
    drawn.candles.push({ start: candle.start, poc: candle.poc, rows: candle.rows.length, buyImbalances, sellImbalances });
  });

  // Price axis: exact row prices at the instrument's precision, spaced at least 36 px apart.
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(plotW, 0, AXIS_WIDTH, height);
  ctx.fillStyle = COLORS.muted;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  setFont(FONT);
  const every = Math.max(1, Math.ceil(36 / rowH));
  for (let i = firstRow; y(i) < plotH; i--) {
    if (i % every !== 0) continue;
    const label = formatPriceText(rowPriceText(i, frame.rowStep), frame.priceDecimals);
    ctx.fillText(label, plotW + 6, y(i) + rowH / 2);
    drawn.priceLabels.push(label);
  }
  return drawn;
}

/** The exact text of row `index` × step, without float noise (the step's own decimals). */
export function rowPriceText(index: number, rowStep: string): string {
  const dot = rowStep.indexOf('.');
  const scale = dot === -1 ? 0 : rowStep.length - dot - 1;
  const stepUnits = BigInt(rowStep.replace('.', ''));
  const units = BigInt(index) * stepUnits;
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (scale === 0) return (negative ? '-' : '') + digits;
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  return `${negative ? '-' : ''}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}
