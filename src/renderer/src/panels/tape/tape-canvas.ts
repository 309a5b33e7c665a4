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
/** Fonts by [history][large]: built once (a font string is parsed each time it is set). */
const FONTS = [
  [`12px ${FAMILY}`, `700 12px ${FAMILY}`],
  [`italic 12px ${FAMILY}`, `italic 700 12px ${FAMILY}`],
] as const;

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
  const shown = Math.max(0, Math.min(lines.length, Math.ceil((height - view.top) / ROW_HEIGHT)));
  const y = (i: number) => view.top + i * ROW_HEIGHT;
  const large = (line: TapeLine) => line.sizeValue >= view.threshold;
  const fontOf = (line: TapeLine, bold: boolean) => FONTS[line.history ? 1 : 0][bold ? 1 : 0];
  const alphaOf = (line: TapeLine) => (line.history ? 0.55 : 1);
  const texts = lines.slice(0, shown).map(view.texts);
  // Column by column, setting font, colour and alpha only when they change (each costs a parse).
  let font = '';
  let fill = '';
  let alpha = 1;
  const style = (f: string, colour: string, a: number) => {
    if (f !== font) ctx.font = font = f;
    if (colour !== fill) ctx.fillStyle = fill = colour;
    if (a !== alpha) ctx.globalAlpha = alpha = a;
  };
  for (let i = 0; i < shown; i++) {
    const line = lines[i]!;
    if (large(line)) {
      style(font, c.band[line.side], 1);
      ctx.fillRect(0, y(i), width, ROW_HEIGHT);
    }
  }
  ctx.textAlign = 'left';
  for (let i = 0; i < shown; i++) {
    const line = lines[i]!;
    style(fontOf(line, large(line)), c.time, alphaOf(line));
    ctx.fillText(texts[i]!.time, 10, y(i) + ROW_HEIGHT / 2);
  }
  ctx.textAlign = 'right';
  for (let i = 0; i < shown; i++) {
    const line = lines[i]!;
    style(fontOf(line, large(line)), c.side[line.side], alphaOf(line));
    ctx.fillText(texts[i]!.price, priceRight, y(i) + ROW_HEIGHT / 2);
    ctx.fillText(texts[i]!.size, sizeRight, y(i) + ROW_HEIGHT / 2);
  }
  for (let i = 0; i < shown; i++) {
    if (!texts[i]!.prints) continue;
    style(fontOf(lines[i]!, false), c.prints, alphaOf(lines[i]!));
    ctx.fillText(texts[i]!.prints, printsRight, y(i) + ROW_HEIGHT / 2);
  }
  ctx.globalAlpha = 1;
  return shown;
}
