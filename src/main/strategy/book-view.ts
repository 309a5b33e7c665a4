/** What the strategy reads from a book: the best levels and the displayed size at an exact price. */
import type { Side } from '../../shared/market';
import type { OrderBook } from '../book/order-book';
import { Exact } from './exact';

export interface BookLevelView {
  price: Exact;
  size: Exact;
}

export interface BookView {
  best(side: Side): BookLevelView | null;
  /** Displayed size at exactly this price (zero when no level is there). */
  sizeAt(side: Side, price: Exact): Exact;
  /** Fractional digits of the book's finest price so far (its price step is 10^-decimals). */
  priceDecimals(): number;
}

/** The live OrderBook seen through BookView, reading the venue's exact size text. */
export function orderBookView(book: OrderBook): BookView {
  return {
    best(side) {
      const level = side === 'bid' ? book.bestBid() : book.bestAsk();
      return level ? { price: Exact.of(level.price), size: Exact.of(level.sizeText) } : null;
    },
    sizeAt(side, price) {
      const units = price.unitsAt(book.priceScale);
      if (units === null) return Exact.ZERO;
      const level = book.levelAt(side, Number(units));
      return level ? Exact.of(level.sizeText) : Exact.ZERO;
    },
    priceDecimals: () => book.priceScale,
  };
}
