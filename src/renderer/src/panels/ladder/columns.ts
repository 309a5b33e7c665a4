/** The ladder's column layout: pure arithmetic on widths, so it is tested without a canvas. */

/** Padding beside each number, in CSS pixels. */
export const COLUMN_PAD = 8;
/** Room each side of the prices for the wall marker. */
export const PRICE_GUTTER = 10;
/** Bars narrower than this are not worth drawing: the cumulative columns make room first. */
const MIN_BAR_WIDTH = 24;

/** Characters the widest text of each column needs (monospace digits: width = chars × char width). */
export interface ColumnChars {
  price: number;
  size: number;
  cum: number;
  /** Traded volume columns (absent: none yet). */
  vol?: number;
}

/** Left/right edges of each column in CSS pixels; bars grow outwards from their size column. */
export interface LadderColumns {
  bidCum: { left: number; right: number } | null;
  bidBar: { left: number; right: number };
  bidSize: { left: number; right: number };
  /** Taker-sell volume (prints that hit the bids), between the bid sizes and the prices. */
  sellVol: { left: number; right: number } | null;
  price: { left: number; right: number };
  /** Taker-buy volume (prints that lifted the asks), between the prices and the ask sizes. */
  buyVol: { left: number; right: number } | null;
  askSize: { left: number; right: number };
  askBar: { left: number; right: number };
  askCum: { left: number; right: number } | null;
}

/**
 * bid cum | bid bar | bid size | sell vol | price | buy vol | ask size | ask bar | ask cum, mirrored
 * about the price column in the middle. Text columns are as wide as their widest text, so a bar never
 * runs under a number; the cumulative columns, then the volume columns, are dropped when they would
 * squeeze the bars below MIN_BAR_WIDTH.
 */
export function ladderColumns(width: number, chars: ColumnChars, charWidth: number, showCum: boolean, showVol = false): LadderColumns {
  // Whole pixels, so bars and row lines stay crisp.
  const priceW = Math.ceil(chars.price * charWidth) + 2 * PRICE_GUTTER;
  const sizeW = Math.ceil(chars.size * charWidth) + COLUMN_PAD;
  let cumW = showCum ? Math.ceil(chars.cum * charWidth) + COLUMN_PAD : 0;
  let volW = showVol ? Math.ceil(Math.max(chars.vol ?? 0, 4) * charWidth) + COLUMN_PAD : 0;
  const side = Math.max(0, Math.floor((width - priceW) / 2));
  if (cumW > 0 && side - sizeW - volW - cumW < MIN_BAR_WIDTH) cumW = 0;
  if (volW > 0 && side - sizeW - volW < MIN_BAR_WIDTH) volW = 0;
  const barW = Math.max(0, side - sizeW - volW - cumW);
  const priceLeft = side;
  const priceRight = side + priceW;
  const askSizeLeft = priceRight + volW;
  return {
    bidCum: cumW > 0 ? { left: 0, right: cumW } : null,
    bidBar: { left: cumW, right: cumW + barW },
    bidSize: { left: cumW + barW, right: priceLeft - volW },
    sellVol: volW > 0 ? { left: priceLeft - volW, right: priceLeft } : null,
    price: { left: priceLeft, right: priceRight },
    buyVol: volW > 0 ? { left: priceRight, right: askSizeLeft } : null,
    askSize: { left: askSizeLeft, right: askSizeLeft + sizeW },
    askBar: { left: askSizeLeft + sizeW, right: askSizeLeft + sizeW + barW },
    askCum: cumW > 0 ? { left: askSizeLeft + sizeW + barW, right: askSizeLeft + sizeW + barW + cumW } : null,
  };
}

