/**
 * Trade bubbles over the heatmap: each column slot's prints at their price (one bubble per column and
 * price row, at the row's volume-weighted trade price), area proportional to the volume, coloured by
 * the aggressor: taker buys green, taker sells red, a column and row with both shows the smaller
 * side as a wedge of its share (the colour-blind and light themes use their own buy and sell colours). Bubbles below the minimum size (the heatmap's "Trades ≥" setting) are
 * not drawn; the largest visible bubble sets the scale so the biggest prints on screen stand out.
 */
import { context2d } from '../canvas';
import type { HeatmapColumns } from './column-store';
import { currentPalette } from '../../theme/theme';
import { COLUMN_PX, clockTime, slotsLeft, startTs, xOfTime, yOfPrice, type View } from './view';

export const BUY_BUBBLE = '#3fd68b';
export const SELL_BUBBLE = '#ff6b5e';

/** Taker buy and sell colours of the bubbles in the current theme (blue and orange where colour-blind safe). */
export function bubbleColours(): { buy: string; sell: string } {
  const p = currentPalette();
  return p.name === 'dark' ? { buy: BUY_BUBBLE, sell: SELL_BUBBLE } : { buy: p.bid, sell: p.ask };
}

/** Bubbles smaller than this get no wedge (it would not show). */
const WEDGE_MIN_RADIUS_PX = 3;
/** Radius of the largest visible bubble, and the smallest radius drawn, in CSS pixels. */
export const MAX_RADIUS_PX = 11;
export const MIN_RADIUS_PX = 1.5;
/**
 * At most this many bubbles are drawn, the biggest: a busy book shows thousands of prints in view, most
 * of them dots at the smallest radius on top of each other, and blending each one on every draw cost
 * the window more than they show.
 */
export const MAX_BUBBLES = 500;
/** Settings value that hides the bubbles. */
export const BUBBLES_OFF = -1;

export interface Bubble {
  x: number;
  y: number;
  r: number;
  /** Column start and length. */
  ts: number;
  spanMs: number;
  price: number;
  buy: number;
  sell: number;
}

/** The bubbles in view with at least `minSize` volume (none when minSize < 0), biggest first so small ones are drawn over them, at most MAX_BUBBLES. */
export function layoutBubbles(view: View, columns: HeatmapColumns, minSize: number): Bubble[] {
  if (minSize < 0) return [];
  const out: Bubble[] = [];
  if (columns.trades.size === 0) return out;
  let largest = 0;
  const step = view.columnMs;
  for (let ts = Math.floor(startTs(view) / step) * step; ts < view.endTs; ts += step) {
    const cells = columns.trades.get(ts);
    if (!cells) continue;
    const x = (xOfTime(view, ts) + xOfTime(view, ts + step)) / 2;
    for (const [price, buy, sell] of cells) {
      const volume = buy + sell;
      if (volume < minSize || volume <= 0) continue;
      const y = yOfPrice(view, price);
      if (y < -MAX_RADIUS_PX || y > view.plotH + MAX_RADIUS_PX) continue;
      if (volume > largest) largest = volume;
      out.push({ x, y, r: volume, ts, spanMs: step, price, buy, sell });
    }
  }
  // Area proportional to volume, relative to the largest in view.
  for (const b of out) b.r = Math.max(MIN_RADIUS_PX, MAX_RADIUS_PX * Math.sqrt(b.r / largest));
  // Small over big, so a small print beside a big one stays visible; only the biggest MAX_BUBBLES.
  out.sort((a, b) => b.r - a.r);
  if (out.length > MAX_BUBBLES) out.length = MAX_BUBBLES;
  return out;
}

export function drawBubbles(canvas: HTMLCanvasElement, view: View, bubbles: readonly Bubble[], hovered: Bubble | null, frozen: boolean): void {
  if (bubbles.length === 0) return;
  const ctx = context2d(canvas);
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  const colours = bubbleColours();
  const styles = {
    buy: { line: colours.buy, fill: withAlpha(colours.buy, 0.55), wedge: withAlpha(colours.buy, 0.7) },
    sell: { line: colours.sell, fill: withAlpha(colours.sell, 0.55), wedge: withAlpha(colours.sell, 0.7) },
  };
  ctx.save();
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.beginPath();
  ctx.rect(slotsLeft(view), 0, view.plotW - slotsLeft(view), view.plotH);
  ctx.clip();
  ctx.globalAlpha = frozen ? 0.45 : 1;
  ctx.lineWidth = 1;
  // Biggest first, so small ones are drawn over them. Each is a stamp of a ready-drawn bubble of its
  // colours, radius (to a quarter pixel) and wedge (to 1/24 of a turn), copied in device pixels at a
  // whole pixel (no resampling): rasterising hundreds of anti-aliased circles and wedges on every
  // draw was most of the overlay's cost.
  const setKey = `${colours.buy}|${colours.sell}|${dpr}`;
  let stamps = stampSets.get(setKey);
  if (!stamps) stampSets.set(setKey, (stamps = []));
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  for (const b of bubbles) {
    if (b === hovered) continue;
    const buyMajor = b.buy >= b.sell;
    stampBubble(ctx, stamps, b.x * dpr, b.y * dpr, b.r, b.r < WEDGE_MIN_RADIUS_PX ? 0 : minorShareOf(b), buyMajor, styles[buyMajor ? 'buy' : 'sell'], styles[buyMajor ? 'sell' : 'buy'], dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  if (hovered) {
    const buyMajor = hovered.buy >= hovered.sell;
    drawBubble(ctx, hovered, minorShareOf(hovered), styles[buyMajor ? 'buy' : 'sell'], styles[buyMajor ? 'sell' : 'buy'], currentPalette().name === 'light' ? '#1d2530' : '#ffffff', 2);
  }
  ctx.restore();
}

type BubbleStyle = { line: string; fill: string; wedge: string };

/** The smaller side's share of a bubble's volume (its wedge). */
function minorShareOf(b: Bubble): number {
  return Math.min(b.buy, b.sell) / (b.buy + b.sell);
}

/**
 * A ready-drawn bubble: its image, and half its side (the centre's offset) in device pixels. An
 * ImageBitmap, not a canvas: drawing a canvas costs a snapshot of it on each draw (the bubbles took
 * 7.7 ms/s of the main thread on the demo as canvases, 5.7 as bitmaps).
 */
type Stamp = { image: CanvasImageSource; half: number };

/** Ready-drawn bubbles per colour scheme and pixel ratio, by side, radius (quarter pixels) and wedge (24ths of a turn). */
const stampSets = new Map<string, Array<Stamp | undefined>>();
const WEDGE_STEPS = 24;
const RADIUS_STEPS = Math.round(MAX_RADIUS_PX * 4) + 1;

/**
 * A bubble of radius `r` CSS pixels with a wedge of `minorShare` in the minor side's colour and a 1 px
 * outline, centred on (x, y) in device pixels (the context's transform is the identity), copied from
 * its stamp. `stamps` is the set for the current colours and pixel ratio.
 */
function stampBubble(ctx: CanvasRenderingContext2D, stamps: Array<Stamp | undefined>, x: number, y: number, r: number, minorShare: number, buyMajor: boolean, major: BubbleStyle, minor: BubbleStyle, dpr: number): void {
  const quarter = Math.min(RADIUS_STEPS - 1, Math.round(r * 4));
  const wedge = Math.round(minorShare * WEDGE_STEPS);
  const index = ((buyMajor ? 0 : 1) * RADIUS_STEPS + quarter) * (WEDGE_STEPS + 1) + wedge;
  let stamp = stamps[index];
  if (!stamp) {
    const radius = quarter / 4;
    const half = Math.ceil((radius + 1) * dpr) + 1;
    const canvas = new OffscreenCanvas(half * 2, half * 2);
    const s = canvas.getContext('2d');
    if (s) {
      s.setTransform(dpr, 0, 0, dpr, half, half);
      drawBubble(s, { x: 0, y: 0, r: radius }, wedge / WEDGE_STEPS, major, minor, major.line, 1);
    }
    stamp = stamps[index] = { image: canvas.transferToImageBitmap(), half };
  }
  ctx.drawImage(stamp.image, Math.round(x) - stamp.half, Math.round(y) - stamp.half);
}

function drawBubble(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, b: Pick<Bubble, 'x' | 'y' | 'r'>, minorShare: number, major: BubbleStyle, minor: BubbleStyle, outline: string, lineWidth: number): void {
  ctx.beginPath();
  ctx.arc(b.x, b.y, b.r, 0, Math.PI * 2);
  ctx.fillStyle = major.fill;
  ctx.fill();
  if (minorShare > 0 && b.r >= WEDGE_MIN_RADIUS_PX) {
    ctx.beginPath();
    ctx.moveTo(b.x, b.y);
    ctx.arc(b.x, b.y, b.r, -Math.PI / 2, -Math.PI / 2 + minorShare * Math.PI * 2);
    ctx.closePath();
    ctx.fillStyle = minor.wedge;
    ctx.fill();
  }
  ctx.beginPath();
  ctx.arc(b.x, b.y, b.r, 0, Math.PI * 2);
  ctx.lineWidth = lineWidth;
  ctx.strokeStyle = outline;
  ctx.stroke();
  ctx.lineWidth = 1;
}

/** The bubble under the pointer (the smallest that holds it), if any. */
export function bubbleAt(bubbles: readonly Bubble[], x: number, y: number): Bubble | null {
  let hit: Bubble | null = null;
  for (const b of bubbles) {
    const reach = Math.max(b.r, COLUMN_PX) + 1;
    if ((b.x - x) ** 2 + (b.y - y) ** 2 <= reach * reach && (!hit || b.r < hit.r)) hit = b;
  }
  return hit;
}

/** The read-out line for a hovered bubble: time, price, buy and sell volume. */
export function bubbleText(b: Bubble, priceDecimals: number, formatSize: (n: number) => string): string {
  return `${clockTime(b.ts, true, true)} · trades at ${b.price.toFixed(priceDecimals)} · buy ${formatSize(b.buy)} · sell ${formatSize(b.sell)}`;
}

function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
