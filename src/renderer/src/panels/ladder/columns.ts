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
  const priceW = Math.ceil(chars.price * charWidth) + 2 * PRICE_GUTTER;
  const sizeW = Math.ceil(chars.size * charWidth) + COLUMN_PAD;
  let cumW = showCum ? Math.ceil(chars.cum * charWidth) + COLUMN_PAD : 0;
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

