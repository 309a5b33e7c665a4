/**
 * Painting the ladder grid on a canvas: column layout (pure, tested) and the draw itself. One canvas
 * replaces ~120 table cells whose text changed on every frame, the ladder's main cost as a table.
 */
import { barScale, formatColumnSize, formatUnits, type GridRow } from './grid';

export const ROW_HEIGHT = 18;
export const HEADER_HEIGHT = 20;
const PAD = 8;
/** Room each side of the prices for the wall marker. */
const MARKER_GUTTER = 10;
/** Bars narrower than this are not worth drawing: the cumulative columns make room first. */
const MIN_BAR_WIDTH = 24;
/** The largest size that is not a wall fills this much of the bar width (walls fill all of it). */
const BAR_FILL = 0.8;

export const FONT = "12px 'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace";
const FONT_BOLD = `600 ${FONT}`;
const HEADER_FONT = "500 11px 'Inter', 'Segoe UI', system-ui, sans-serif";

const COLOR = {
  background: '#131a23',
  spreadRow: '#0f151d',
  unloadedRow: '#0b1016',
  rowLine: '#18202b',
  edge: '#222c3a',
  text: '#d7dee8',
  muted: '#7d8a9c',
  emptyPrice: '#4f5b6b',
  bid: '#26a96c',
  ask: '#e5534b',
  bidBar: 'rgba(38, 169, 108, 0.45)',
  askBar: 'rgba(229, 83, 75, 0.45)',
  bidWallBar: 'rgba(38, 169, 108, 0.85)',
  askWallBar: 'rgba(229, 83, 75, 0.85)',
  bestBid: 'rgba(38, 169, 108, 0.10)',
  bestAsk: 'rgba(229, 83, 75, 0.10)',
  wall: '#f5d142',
};

/** Characters the widest text of each column needs (monospace digits: width = chars × char width). */
export interface ColumnChars {
  price: number;
  size: number;
  cum: number;
}

/** Left/right edges of each column in CSS pixels; bars grow outwards from their size column. */
export interface LadderColumns {
  bidCum: { left: number; right: number } | null;
  bidBar: { left: number; right: number };
  bidSize: { left: number; right: number };
  price: { left: number; right: number };
  askSize: { left: number; right: number };
  askBar: { left: number; right: number };
  askCum: { left: number; right: number } | null;
}

/**
 * bid cum | bid bar | bid size | price | ask size | ask bar | ask cum, mirrored about the price
 * column in the middle. Text columns are as wide as their widest text, so a bar never runs under a
 * number; the cumulative columns are dropped when they would squeeze the bars below MIN_BAR_WIDTH.
 */
export function ladderColumns(width: number, chars: ColumnChars, charWidth: number, showCum: boolean): LadderColumns {
  // Whole pixels, so bars and row lines stay crisp.
  const priceW = Math.ceil(chars.price * charWidth) + 2 * MARKER_GUTTER;
  const sizeW = Math.ceil(chars.size * charWidth) + PAD;
  let cumW = showCum ? Math.ceil(chars.cum * charWidth) + PAD : 0;
  const side = Math.max(0, Math.floor((width - priceW) / 2));
  if (cumW > 0 && side - sizeW - cumW < MIN_BAR_WIDTH) cumW = 0;
  const barW = Math.max(0, side - sizeW - cumW);
  const priceLeft = side;
  const priceRight = side + priceW;
  return {
    bidCum: cumW > 0 ? { left: 0, right: cumW } : null,
    bidBar: { left: cumW, right: cumW + barW },
    bidSize: { left: cumW + barW, right: priceLeft },
    price: { left: priceLeft, right: priceRight },
    askSize: { left: priceRight, right: priceRight + sizeW },
    askBar: { left: priceRight + sizeW, right: priceRight + sizeW + barW },
    askCum: cumW > 0 ? { left: priceRight + sizeW + barW, right: priceRight + sizeW + barW + cumW } : null,
  };
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
}

export function rowTexts(input: Pick<PaintInput, 'rows' | 'priceDecimals' | 'priceShown' | 'sizeShown'>): RowTexts[] {
  return input.rows.map((r) => ({
    price: formatUnits(r.price, input.priceDecimals, input.priceShown),
    bid: r.bidSize > 0 ? formatColumnSize(r.bidSize, input.sizeShown) : '',
    ask: r.askSize > 0 ? formatColumnSize(r.askSize, input.sizeShown) : '',
    bidCum: r.bidSize > 0 ? formatColumnSize(r.bidCum, input.sizeShown) : '',
    askCum: r.askSize > 0 ? formatColumnSize(r.askCum, input.sizeShown) : '',
  }));
}

/** Paint the header and rows; returns the texts painted. `ctx` is in CSS pixels (see prepareCanvas). */
export function paintLadder(ctx: CanvasRenderingContext2D, input: PaintInput): RowTexts[] {
  const { width, height, rows, chars } = input;
  const texts = rowTexts(input);
  for (const t of texts) {
    chars.price = Math.max(chars.price, t.price.length);
    chars.size = Math.max(chars.size, t.bid.length, t.ask.length);
    chars.cum = Math.max(chars.cum, t.bidCum.length, t.askCum.length);
  }
  ctx.font = FONT;
  const charWidth = ctx.measureText('0').width;
  const cols = ladderColumns(width, chars, charWidth, input.showCum);

  ctx.fillStyle = COLOR.background;
  ctx.fillRect(0, 0, width, height);

  // Header.
  ctx.font = HEADER_FONT;
  ctx.fillStyle = COLOR.muted;
  ctx.textBaseline = 'middle';
  const headerY = HEADER_HEIGHT / 2;
  ctx.textAlign = 'right';
  if (cols.bidCum) ctx.fillText('Cum', cols.bidCum.right - PAD / 2, headerY);
  ctx.fillText('Bid', cols.bidSize.right - PAD / 2, headerY);
  ctx.fillText('Ask', cols.askSize.right - PAD / 2, headerY);
  if (cols.askCum) ctx.fillText('Cum', cols.askCum.right - PAD / 2, headerY);
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
    if (t.bid) ctx.fillText(t.bid, cols.bidSize.right - PAD / 2, mid(i));
    if (t.ask) ctx.fillText(t.ask, cols.askSize.right - PAD / 2, mid(i));
  }
  if (cols.bidCum && cols.askCum) {
    ctx.fillStyle = COLOR.muted;
    for (let i = 0; i < rows.length; i++) {
      const t = texts[i]!;
      if (t.bidCum) ctx.fillText(t.bidCum, cols.bidCum.right - PAD / 2, mid(i));
      if (t.askCum) ctx.fillText(t.askCum, cols.askCum.right - PAD / 2, mid(i));
    }
  }
  // Walls: the size in bold yellow and a diamond at the price column's edge on its side.
  ctx.font = FONT_BOLD;
  ctx.fillStyle = COLOR.wall;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!r.wall) continue;
    const t = texts[i]!;
    if (t.bid) ctx.fillText(t.bid, cols.bidSize.right - PAD / 2, mid(i));
    if (t.ask) ctx.fillText(t.ask, cols.askSize.right - PAD / 2, mid(i));
    const x = r.bidSize > 0 ? cols.price.left + MARKER_GUTTER / 2 : cols.price.right - MARKER_GUTTER / 2;
    diamond(ctx, x, mid(i), 3);
  }
  // Prices: coloured by side where a level rests, dim where the price is empty; the best two bold.
  ctx.textAlign = 'center';
  const priceX = (cols.price.left + cols.price.right) / 2;
  const priceColor = (r: GridRow) => (r.bidSize > 0 ? COLOR.bid : r.askSize > 0 ? COLOR.ask : COLOR.emptyPrice);
  const isBest = (r: GridRow) => r.price === input.bestBid || r.price === input.bestAsk;
  ctx.font = FONT;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (isBest(r)) continue;
    ctx.fillStyle = priceColor(r);
    ctx.fillText(texts[i]!.price, priceX, mid(i));
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
