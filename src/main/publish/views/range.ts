/** Price geometry the chart views share: the mid, a round step, and a range that reaches N levels. */
import type { OrderBook } from '../../book/order-book';

export function midOf(book: OrderBook): number | null {
  const bid = book.bestBid();
  const ask = book.bestAsk();
  return bid && ask ? (book.priceValue(bid) + book.priceValue(ask)) / 2 : null;
}

/** A "nice" step: 1, 2 or 5 × a power of ten, and never finer than `minStep` (the book's own tick). */
export function niceStep(raw: number, minStep: number): number {
  const target = Math.max(raw, minStep);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const m of [1, 2, 5, 10]) if (m * power >= target) return m * power;
  return 10 * power;
}

/**
 * A round range (1, 2 or 5 × 10^k bps) that reaches the `levels`-th level on both sides of the book,
 * or null while a side is empty. Books differ by orders of magnitude in how far their depth spreads.
 */
export function autoRangeBps(book: OrderBook, levels: number): number | null {
  const mid = midOf(book);
  if (mid === null) return null;
  let far = 0;
  for (const side of ['bid', 'ask'] as const) {
    const deepest = book.top(side, levels).at(-1);
    if (deepest) far = Math.max(far, (Math.abs(book.priceValue(deepest) - mid) / mid) * 10_000);
  }
  return far > 0 ? niceStep(far * 1.05, 0.1) : null;
}
