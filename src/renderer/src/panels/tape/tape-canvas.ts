/**
 * What the tape shows, drawn on a canvas over its (transparent) table: the lines in view, newest on
 * top, time muted, price and size in the taker's colour, large lines bold on a band of that colour,
 * lines sent on subscribe dimmed and italic. Why a canvas: on a busy market every line in view is new
 * on every publisher tick, and rewriting ~100 cells of the page twenty times a second made laying
 * them out the largest single cost of a frame. The table (tape-rows.ts) is kept for screen readers
 * and tests at a calmer rate.
 *
 * Columns match the head's (tape.css): time from 10 px, 92 px wide; price and size right-aligned in the
 * two halves left between; the print count right-aligned at 10 px from the right edge.
 */
import type { Palette } from '../../theme/palette';
import { withAlpha } from '../../theme/palette';
import { currentPalette } from '../../theme/theme';
import type { TapeLine } from './tape-model';
import { ROW_HEIGHT, type LineTexts } from './tape-rows';

const FAMILY = "'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, monospace";

export interface TapePaint {
  /** CSS pixels of the view (the scroll box without its scroll bar). */
  width: number;
  height: number;
  /** The lines from the first one in view, newest first. */
  lines: readonly TapeLine[];
  /** Where the first line's top is, in CSS pixels from the view's top (0 or above it when scrolled part-way). */
  top: number;
  /** Lines at least this size are large. */
  threshold: number;
  texts: (line: TapeLine) => LineTexts;
}

const coloursByPalette = new Map<Palette, ReturnType<typeof tapeColours>>();
function tapeColours(p: Palette) {
  return {
    time: p.muted,
    prints: p.muted,
    side: { buy: p.bid, sell: p.ask, unknown: p.text },
    band: { buy: withAlpha(p.bid, 0.22), sell: withAlpha(p.ask, 0.22), unknown: p.scheme === 'dark' ? 'rgba(255, 255, 255, 0.08)' : 'rgba(0, 0, 0, 0.06)' },
  };
}

/** Draw the lines in view; returns how many were drawn. `ctx` is in CSS pixels (see prepareCanvas). */
export function paintTape(ctx: CanvasRenderingContext2D, view: TapePaint): number {
  const palette = currentPalette();
  let c = coloursByPalette.get(palette);
  if (!c) coloursByPalette.set(palette, (c = tapeColours(palette)));
  const { width, height, lines } = view;
  ctx.clearRect(0, 0, width, height);
  const priceRight = 110 + (width / 2 - 85);
  const sizeRight = width - 52;
  const printsRight = width - 10;
  ctx.textBaseline = 'middle';
  let drawn = 0;
  for (let i = 0; i < lines.length; i++) {
    const y = view.top + i * ROW_HEIGHT;
    if (y >= height) break;
    const line = lines[i]!;
    const t = view.texts(line);
    const large = line.sizeValue >= view.threshold;
    if (large) {
      ctx.fillStyle = c.band[line.side];
      ctx.fillRect(0, y, width, ROW_HEIGHT);
    }
    ctx.globalAlpha = line.history ? 0.55 : 1;
    ctx.font = `${line.history ? 'italic ' : ''}${large ? '700 ' : ''}12px ${FAMILY}`;
    const mid = y + ROW_HEIGHT / 2;
    ctx.textAlign = 'left';
    ctx.fillStyle = c.time;
    ctx.fillText(t.time, 10, mid);
    ctx.textAlign = 'right';
    ctx.fillStyle = c.side[line.side];
    ctx.fillText(t.price, priceRight, mid);
    ctx.fillText(t.size, sizeRight, mid);
    if (t.prints) {
      ctx.fillStyle = c.prints;
      ctx.font = `${line.history ? 'italic ' : ''}12px ${FAMILY}`;
      ctx.fillText(t.prints, printsRight, mid);
    }
    drawn++;
  }
  ctx.globalAlpha = 1;
  return drawn;
}
