/**
 * Painting the ladder grid on a canvas (columns from columns.ts). One canvas
 * replaces ~120 table cells whose text changed on every frame, the ladder's main cost as a table.
 */
import { COLUMN_PAD, PRICE_GUTTER, ladderColumns, type ColumnChars } from './columns';
import { barScale, formatColumnSize, formatUnits, type GridRow } from './grid';
import { withAlpha, type Palette } from '../../theme/palette';
import { currentPalette } from '../../theme/theme';

export type { ColumnChars };

export const ROW_HEIGHT = 18;
export const HEADER_HEIGHT = 20;
/** The largest size that is not a wall fills this much of the bar width (walls fill all of it). */
const BAR_FILL = 0.8;

const FONT = "12px 'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace";
const FONT_BOLD = `600 ${FONT}`;
const HEADER_FONT = "500 11px 'Inter', 'Segoe UI', system-ui, sans-serif";

/** The ladder's colours in a theme (cached per palette: the ladder paints up to 20 times a second). */
const coloursByPalette = new Map<Palette, ReturnType<typeof ladderColours>>();
function ladderColours(p: Palette) {
  return {
    background: p.panel,
    spreadRow: p.spreadRow,
    unloadedRow: p.unloadedRow,
    rowLine: p.rowLine,
    edge: p.panelEdge,
    text: p.text,
    muted: p.muted,
    emptyPrice: p.faint,
    bid: p.bid,
    ask: p.ask,
    bidBar: withAlpha(p.bid, 0.45),
    askBar: withAlpha(p.ask, 0.45),
    bidWallBar: withAlpha(p.bid, 0.85),
    askWallBar: withAlpha(p.ask, 0.85),
    bestBid: withAlpha(p.bid, 0.1),
    bestAsk: withAlpha(p.ask, 0.1),
    wall: p.wall,
    buyVol: p.buy,
    sellVol: p.sell,
    unknownTrade: p.muted,
  };
}
function paletteColours() {
  const p = currentPalette();
  let c = coloursByPalette.get(p);
  if (!c) coloursByPalette.set(p, (c = ladderColours(p)));
  return c;
}

/** Everything one paint needs: the rows and how to write their numbers. */
export interface PaintInput {
  width: number;
  height: number;
  rows: GridRow[];
  /** Price units are 10^-priceDecimals; prices are shown with `priceShown` decimals. */
  priceDecimals: number;
  priceShown: number;
  sizeShown: number;
  showCum: boolean;
  /** Draw the traded volume columns (when there is room). */
  showVol: boolean;
  /** The last print's row price (in units) and side: its price cell gets a box in the side's colour. */
  lastTrade: { price: number; side: 'buy' | 'sell' | 'unknown' } | null;
  bestBid: number | null;
  bestAsk: number | null;
  /** Widest texts so far (kept so the columns do not shift as numbers change length); updated in place. */
  chars: ColumnChars;
}

/** The texts of one row as painted ('' where empty): what tests and the a11y summary can read. */
export interface RowTexts {
  price: string;
  bid: string;
  ask: string;
  bidCum: string;
  askCum: string;
  buyVol: string;
  sellVol: string;
}

export function rowTexts(input: Pick<PaintInput, 'rows' | 'priceDecimals' | 'priceShown' | 'sizeShown'>): RowTexts[] {
  return input.rows.map((r) => ({
    price: formatUnits(r.price, input.priceDecimals, input.priceShown),
    bid: r.bidSize > 0 ? formatColumnSize(r.bidSize, input.sizeShown) : '',
    ask: r.askSize > 0 ? formatColumnSize(r.askSize, input.sizeShown) : '',
    bidCum: r.bidSize > 0 ? formatColumnSize(r.bidCum, input.sizeShown) : '',
    askCum: r.askSize > 0 ? formatColumnSize(r.askCum, input.sizeShown) : '',
    buyVol: r.buyVol > 0 ? formatColumnSize(r.buyVol, input.sizeShown) : '',
    sellVol: r.sellVol > 0 ? formatColumnSize(r.sellVol, input.sizeShown) : '',
  }));
}

/** Paint the header and rows; returns the texts painted (volumes only where their columns fit). `ctx` is in CSS pixels (see prepareCanvas). */
export function paintLadder(ctx: CanvasRenderingContext2D, input: PaintInput): RowTexts[] {
  const { width, height, rows, chars } = input;
  const COLOR = paletteColours();
  const texts = rowTexts(input);
  for (const t of texts) {
    chars.price = Math.max(chars.price, t.price.length);
    chars.size = Math.max(chars.size, t.bid.length, t.ask.length);
    chars.cum = Math.max(chars.cum, t.bidCum.length, t.askCum.length);
    chars.vol = Math.max(chars.vol ?? 0, t.buyVol.length, t.sellVol.length);
  }
  ctx.font = FONT;
  const charWidth = ctx.measureText('0').width;
  const cols = ladderColumns(width, chars, charWidth, input.showCum, input.showVol);
  if (!cols.buyVol) {
    for (const t of texts) t.buyVol = t.sellVol = '';
  }

  ctx.fillStyle = COLOR.background;
  ctx.fillRect(0, 0, width, height);

  // Header.
  ctx.font = HEADER_FONT;
  ctx.fillStyle = COLOR.muted;
  ctx.textBaseline = 'middle';
  const headerY = HEADER_HEIGHT / 2;
  ctx.textAlign = 'right';
  if (cols.bidCum) ctx.fillText('Cum', cols.bidCum.right - COLUMN_PAD / 2, headerY);
  ctx.fillText('Bid', cols.bidSize.right - COLUMN_PAD / 2, headerY);
  ctx.fillText('Ask', cols.askSize.right - COLUMN_PAD / 2, headerY);
  if (cols.askCum) ctx.fillText('Cum', cols.askCum.right - COLUMN_PAD / 2, headerY);
  if (cols.sellVol) ctx.fillText('Sell', cols.sellVol.right - COLUMN_PAD / 2, headerY);
  if (cols.buyVol) ctx.fillText('Buy', cols.buyVol.right - COLUMN_PAD / 2, headerY);
  ctx.textAlign = 'center';
  ctx.fillText('Price', (cols.price.left + cols.price.right) / 2, headerY);
  ctx.fillStyle = COLOR.edge;
  ctx.fillRect(0, HEADER_HEIGHT - 1, width, 1);

  // Row backgrounds: the spread, the best prices, unloaded rows; a faint line between rows.
  const y = (i: number) => HEADER_HEIGHT + i * ROW_HEIGHT;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    let fill: string | null = null;
    if (r.unloaded) fill = COLOR.unloadedRow;
    else if (r.zone === 'spread') fill = COLOR.spreadRow;
    else if (r.price === input.bestBid) fill = COLOR.bestBid;
    else if (r.price === input.bestAsk) fill = COLOR.bestAsk;
    if (fill) {
      ctx.fillStyle = fill;
      ctx.fillRect(0, y(i), width, ROW_HEIGHT);
    }
  }
  ctx.fillStyle = COLOR.rowLine;
  for (let i = 1; i < rows.length; i++) ctx.fillRect(0, y(i), width, 1);
  // Lines that close the book at the best prices.
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.price === input.bestAsk) {
      ctx.fillStyle = COLOR.ask;
      ctx.fillRect(0, y(i + 1) - 1, width, 1);
    } else if (r.price === input.bestBid) {
      ctx.fillStyle = COLOR.bid;
      ctx.fillRect(0, y(i), width, 1);
    }
  }

  // Bars, anchored beside their size column and growing outwards. The largest ordinary size fills
  // BAR_FILL of the width; walls run to full width, more opaque.
  const scale = barScale(rows) / BAR_FILL;
  const barWidth = cols.bidBar.right - cols.bidBar.left - 2;
  if (barWidth >= 2) {
    for (const wall of [false, true]) {
      for (const side of ['bid', 'ask'] as const) {
        ctx.fillStyle = side === 'bid' ? (wall ? COLOR.bidWallBar : COLOR.bidBar) : wall ? COLOR.askWallBar : COLOR.askBar;
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i]!;
          const s = side === 'bid' ? r.bidSize : r.askSize;
          if (s <= 0 || r.wall !== wall) continue;
          const w = wall ? barWidth : Math.max(1, Math.round(Math.min(1, s / scale) * barWidth));
          ctx.fillRect(side === 'bid' ? cols.bidBar.right - 2 - w : cols.askBar.left + 2, y(i) + 3, w, ROW_HEIGHT - 6);
        }
      }
    }
  }

  // Numbers: sizes right-aligned in their columns (decimal points line up), prices centred.
  ctx.textBaseline = 'middle';
  const mid = (i: number) => Math.round(y(i) + ROW_HEIGHT / 2);
  ctx.font = FONT;
  ctx.textAlign = 'right';
  ctx.fillStyle = COLOR.text;
  for (let i = 0; i < rows.length; i++) {
    const t = texts[i]!;
    if (rows[i]!.wall) continue;
    if (t.bid) ctx.fillText(t.bid, cols.bidSize.right - COLUMN_PAD / 2, mid(i));
    if (t.ask) ctx.fillText(t.ask, cols.askSize.right - COLUMN_PAD / 2, mid(i));
  }
  if (cols.bidCum && cols.askCum) {
    ctx.fillStyle = COLOR.muted;
    for (let i = 0; i < rows.length; i++) {
      const t = texts[i]!;
      if (t.bidCum) ctx.fillText(t.bidCum, cols.bidCum.right - COLUMN_PAD / 2, mid(i));
      if (t.askCum) ctx.fillText(t.askCum, cols.askCum.right - COLUMN_PAD / 2, mid(i));
    }
  }
  // Traded volume: what taker sells hit beside the bids, what taker buys lifted beside the asks. (Each
  // colour in one pass: setting a canvas colour costs, 20 paints a second.)
  if (cols.sellVol && cols.buyVol) {
    ctx.fillStyle = COLOR.sellVol;
    for (let i = 0; i < rows.length; i++) if (texts[i]!.sellVol) ctx.fillText(texts[i]!.sellVol, cols.sellVol.right - COLUMN_PAD / 2, mid(i));
    ctx.fillStyle = COLOR.buyVol;
    for (let i = 0; i < rows.length; i++) if (texts[i]!.buyVol) ctx.fillText(texts[i]!.buyVol, cols.buyVol.right - COLUMN_PAD / 2, mid(i));
  }
  // The last print: a box round its price cell, in the colour of the taker's side.
  const lastRow = input.lastTrade ? rows.findIndex((r) => r.price === input.lastTrade!.price) : -1;
  if (lastRow >= 0) {
    const side = input.lastTrade!.side;
    ctx.strokeStyle = side === 'buy' ? COLOR.bid : side === 'sell' ? COLOR.ask : COLOR.unknownTrade;
    ctx.lineWidth = 1;
    ctx.strokeRect(cols.price.left + 1.5, y(lastRow) + 1.5, cols.price.right - cols.price.left - 3, ROW_HEIGHT - 3);
  }
  // Walls: the size in bold yellow and a diamond at the price column's edge on its side.
  ctx.font = FONT_BOLD;
  ctx.fillStyle = COLOR.wall;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!r.wall) continue;
    const t = texts[i]!;
    if (t.bid) ctx.fillText(t.bid, cols.bidSize.right - COLUMN_PAD / 2, mid(i));
    if (t.ask) ctx.fillText(t.ask, cols.askSize.right - COLUMN_PAD / 2, mid(i));
    const x = r.bidSize > 0 ? cols.price.left + PRICE_GUTTER / 2 : cols.price.right - PRICE_GUTTER / 2;
    diamond(ctx, x, mid(i), 3);
  }
  // Prices: coloured by side where a level rests, dim where the price is empty; the best two bold.
  ctx.textAlign = 'center';
  const priceX = (cols.price.left + cols.price.right) / 2;
  const priceColor = (r: GridRow) => (r.bidSize > 0 ? COLOR.bid : r.askSize > 0 ? COLOR.ask : COLOR.emptyPrice);
  const isBest = (r: GridRow) => r.price === input.bestBid || r.price === input.bestAsk;
  ctx.font = FONT;
  for (const colour of new Set([COLOR.bid, COLOR.ask, COLOR.emptyPrice])) {
    ctx.fillStyle = colour;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (!isBest(r) && priceColor(r) === colour) ctx.fillText(texts[i]!.price, priceX, mid(i));
    }
  }
  ctx.font = FONT_BOLD;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!isBest(r)) continue;
    ctx.fillStyle = priceColor(r);
    ctx.fillText(texts[i]!.price, priceX, mid(i));
  }
  return texts;
}

function diamond(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.lineTo(x + r, y);
  ctx.lineTo(x, y + r);
  ctx.lineTo(x - r, y);
  ctx.closePath();
  ctx.fill();
}
