/** What is drawn over the cells on a 2D canvas: best bid/ask lines, axes, the hovered cell and the frozen label. */
import { context2d, sizeCanvas } from '../canvas';
import type { HeatmapColumns } from './column-store';
import { currentPalette } from '../../theme/theme';
import { COLUMN_PX, lineYs, priceTicks, slotsLeft, startTs, timeTicks, xOfTime, yOfPrice, type View } from './view';

/**
 * Best bid/ask lines: bright on the heatmap's dark field (dark and colour-blind themes, the latter in
 * its blue and orange), the light theme's deeper green and red on its light field.
 */
export function heatmapSideColours(): { bid: string; ask: string } {
  const p = currentPalette();
  if (p.name === 'colour-blind') return { bid: p.buy, ask: p.sell };
  if (p.name === 'light') return { bid: p.bid, ask: p.ask };
  return { bid: '#3fd68b', ask: '#ff6b5e' };
}

/** The overlay's own colours on the theme's plot: axes, grid, line casing, hover, labels. */
interface Chrome {
  casing: string;
  axisBg: string;
  axisText: string;
  grid: string;
  hoverLine: string;
  hoverBox: string;
  tagText: string;
  frozenBg: string;
  frozenEdge: string;
  frozenText: string;
  frozenBid: string;
  frozenAsk: string;
}

const DARK_CHROME: Chrome = {
  casing: 'rgba(5, 8, 12, 0.9)',
  axisBg: '#0f141b',
  axisText: '#8c99ab',
  grid: 'rgba(140, 153, 171, 0.08)',
  hoverLine: 'rgba(255, 255, 255, 0.35)',
  hoverBox: '#ffffff',
  tagText: '#071009',
  frozenBg: 'rgba(12, 16, 22, 0.85)',
  frozenEdge: '#c9a227',
  frozenText: '#f0d58a',
  frozenBid: '#b4bcc6',
  frozenAsk: '#7d868f',
};

const LIGHT_CHROME: Chrome = {
  casing: 'rgba(255, 255, 255, 0.9)',
  axisBg: '#f3f5f8',
  axisText: '#5b6778',
  grid: 'rgba(60, 72, 88, 0.10)',
  hoverLine: 'rgba(20, 28, 38, 0.45)',
  hoverBox: '#1d2530',
  tagText: '#ffffff',
  frozenBg: 'rgba(255, 255, 255, 0.9)',
  frozenEdge: '#a66f00',
  frozenText: '#6b4700',
  frozenBid: '#5b6778',
  frozenAsk: '#98a2b0',
};

export function heatmapChrome(): Chrome {
  return currentPalette().name === 'light' ? LIGHT_CHROME : DARK_CHROME;
}
const FONT = '11px system-ui, sans-serif';

export interface OverlayState {
  /** Shown over a greyed heatmap when the book is not live (replay ended, paused, resyncing). */
  frozenLabel: string | null;
  hover: { x: number; row: number } | null;
  priceDecimals: number;
}

export function drawOverlay(canvas: HTMLCanvasElement, view: View, columns: HeatmapColumns, state: OverlayState): void {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(view.width * dpr);
  const h = Math.round(view.height * dpr);
  sizeCanvas(canvas, w, h, view.width, view.height);
  const ctx = context2d(canvas);
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, view.width, view.height);
  ctx.font = FONT;
  const chrome = heatmapChrome();
  const prices = priceTicks(view);

  // Faint price grid, under the lines.
  ctx.strokeStyle = chrome.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const t of prices) {
    const y = Math.round(t.pos) + 0.5;
    ctx.moveTo(slotsLeft(view), y);
    ctx.lineTo(view.plotW, y);
  }
  ctx.stroke();

  ctx.save();
  ctx.beginPath();
  ctx.rect(slotsLeft(view), 0, view.plotW - slotsLeft(view), view.plotH);
  ctx.clip();
  drawBestLines(ctx, view, columns, state.frozenLabel !== null, chrome);
  if (state.hover) {
    const x0 = Math.floor((state.hover.x - slotsLeft(view)) / COLUMN_PX) * COLUMN_PX + slotsLeft(view);
    const y0 = yOfPrice(view, (state.hover.row + 1) * view.rowStep);
    const y1 = yOfPrice(view, state.hover.row * view.rowStep);
    ctx.strokeStyle = chrome.hoverLine;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(slotsLeft(view), (y0 + y1) / 2);
    ctx.lineTo(view.plotW, (y0 + y1) / 2);
    ctx.moveTo(x0 + COLUMN_PX / 2, 0);
    ctx.lineTo(x0 + COLUMN_PX / 2, view.plotH);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.strokeStyle = chrome.hoverBox;
    ctx.strokeRect(x0 - 0.5, y0 - 0.5, COLUMN_PX + 1, Math.max(1, y1 - y0) + 1);
  }
  ctx.restore();

  // Price axis.
  ctx.fillStyle = chrome.axisBg;
  ctx.fillRect(view.plotW, 0, view.width - view.plotW, view.height);
  ctx.fillStyle = chrome.axisText;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  const tags = priceTags(view, columns);
  for (const t of prices) {
    ctx.fillRect(view.plotW, Math.round(t.pos), 4, 1);
    // A label under a best bid/ask tag would be unreadable.
    if (tags.some((tag) => Math.abs(tag.top + TAG_H / 2 - t.pos) < TAG_H)) continue;
    ctx.fillText(t.label, view.plotW + 7, t.pos);
  }
  drawPriceTags(ctx, view, tags, state.priceDecimals, chrome.tagText);

  // Time axis.
  ctx.fillStyle = chrome.axisBg;
  ctx.fillRect(0, view.plotH, view.plotW, view.height - view.plotH);
  ctx.fillStyle = chrome.axisText;
  ctx.textAlign = 'center';
  for (const t of timeTicks(view)) {
    ctx.fillRect(Math.round(t.pos), view.plotH, 1, 4);
    ctx.fillText(t.label, t.pos, view.plotH + (view.height - view.plotH) / 2 + 1);
  }

  if (state.frozenLabel) {
    ctx.font = '600 13px system-ui, sans-serif';
    const text = state.frozenLabel;
    const tw = ctx.measureText(text).width;
    const cx = (slotsLeft(view) + view.plotW) / 2;
    const cy = 26;
    ctx.fillStyle = chrome.frozenBg;
    ctx.fillRect(cx - tw / 2 - 10, cy - 13, tw + 20, 26);
    ctx.strokeStyle = chrome.frozenEdge;
    ctx.strokeRect(cx - tw / 2 - 10 + 0.5, cy - 13 + 0.5, tw + 19, 25);
    ctx.fillStyle = chrome.frozenText;
    ctx.textAlign = 'center';
    ctx.fillText(text, cx, cy + 1);
  }
}

/**
 * Best bid and ask: a dark-cased level across each column (so it reads over bright cells), joined to
 * the next column by a thin riser. The risers are drawn first and thin, so when the price jumps several
 * rows at a one-tick spread the bid's riser does not hide the ask's level, or the reverse. All of it
 * is axis-aligned rectangles, filled (a stroked path of hundreds of segments cost the canvas several
 * milliseconds to rasterise on every draw; the same shapes as rectangles cost a fraction of that).
 */
function drawBestLines(ctx: CanvasRenderingContext2D, view: View, columns: HeatmapColumns, frozen: boolean, chrome: Chrome): void {
  const from = Math.max(0, columns.firstEndingAfter(startTs(view)) - 1);
  /** x0, x1, y of each column's level; x, y0, y1 of each riser. */
  const levels: Record<'bid' | 'ask', number[]> = { bid: [], ask: [] };
  const risers: Record<'bid' | 'ask', number[]> = { bid: [], ask: [] };
  const last: Record<'bid' | 'ask', { x: number; y: number } | null> = { bid: null, ask: null };
  for (let k = from; k < columns.columns.length; k++) {
    const c = columns.columns[k]!;
    if (c.ts >= view.endTs) break;
    const x0 = xOfTime(view, c.ts);
    const x1 = xOfTime(view, columns.endOf(k));
    const { bidY, askY } = lineYs(view, c.bestBid, c.bestAsk);
    for (const [side, y] of [
      ['bid', bidY],
      ['ask', askY],
    ] as const) {
      const prev = last[side];
      if (y === null) {
        last[side] = null;
        continue;
      }
      // Join only columns that touch in time (a gap in the data stays a gap).
      if (prev && Math.abs(prev.x - x0) < 0.01 && prev.y !== y) risers[side].push(x0, prev.y, y);
      levels[side].push(x0, x1, y);
      last[side] = { x: x1, y };
    }
  }
  const sides = heatmapSideColours();
  const colour = { bid: frozen ? chrome.frozenBid : sides.bid, ask: frozen ? chrome.frozenAsk : sides.ask };
  // Risers: 1 px wide, centred on the column edge.
  ctx.globalAlpha = 0.55;
  for (const side of ['ask', 'bid'] as const) {
    ctx.fillStyle = colour[side];
    const r = risers[side];
    for (let i = 0; i < r.length; i += 3) ctx.fillRect(r[i]! - 0.5, Math.min(r[i + 1]!, r[i + 2]!), 1, Math.abs(r[i + 2]! - r[i + 1]!));
  }
  ctx.globalAlpha = 1;
  // Levels: a 4 px casing under a 2 px line, both centred on the level.
  for (const side of ['ask', 'bid'] as const) {
    const l = levels[side];
    for (const [style, half] of [
      [chrome.casing, 2],
      [colour[side], 1],
    ] as const) {
      ctx.fillStyle = style;
      for (let i = 0; i < l.length; i += 3) ctx.fillRect(l[i]!, l[i + 2]! - half, l[i + 1]! - l[i]!, 2 * half);
    }
  }
}

const TAG_H = 15;

interface PriceTag {
  price: number;
  top: number;
  colour: string;
}

/** The newest visible best bid and ask as tags on the price axis, kept apart so both stay readable. */
function priceTags(view: View, columns: HeatmapColumns): PriceTag[] {
  const i = columns.firstEndingAfter(view.endTs) - 1;
  const c = columns.columns[Math.min(i, columns.columns.length - 1)];
  if (!c || c.ts + c.spanMs <= startTs(view)) return [];
  let { bidY, askY } = lineYs(view, c.bestBid, c.bestAsk);
  if (bidY !== null && askY !== null && bidY - askY < TAG_H) {
    const middle = (bidY + askY) / 2;
    bidY = middle + TAG_H / 2;
    askY = middle - TAG_H / 2;
  }
  const tags: PriceTag[] = [];
  for (const [price, y, colour] of [
    [c.bestAsk, askY, heatmapSideColours().ask],
    [c.bestBid, bidY, heatmapSideColours().bid],
  ] as const) {
    if (price === null || y === null || y < -TAG_H || y > view.plotH + TAG_H) continue;
    tags.push({ price, top: Math.min(view.plotH - TAG_H, Math.max(0, y - TAG_H / 2)), colour });
  }
  return tags;
}

function drawPriceTags(ctx: CanvasRenderingContext2D, view: View, tags: PriceTag[], decimals: number, textColour: string): void {
  ctx.textAlign = 'left';
  for (const tag of tags) {
    ctx.fillStyle = tag.colour;
    ctx.fillRect(view.plotW + 1, tag.top, view.width - view.plotW - 1, TAG_H);
    ctx.fillStyle = textColour;
    ctx.fillText(tag.price.toFixed(decimals), view.plotW + 5, tag.top + TAG_H / 2 + 1);
  }
}
