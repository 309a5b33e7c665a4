import type { OrderBook, TopOfBook } from './order-book';

/**
 * Detects changes of best bid/ask price or size. Top of book is recorded on every such change, so
 * this is what the store and the replay's `topOfBookChanges` count.
 */
export class TopOfBookTracker {
  private last: TopOfBook = { bid: null, bidSize: null, ask: null, askSize: null };

  /** The new top of book if it differs from the last one seen, else null. */
  update(book: OrderBook): TopOfBook | null {
    const bid = book.bestBid();
    const ask = book.bestAsk();
    const l = this.last;
    if (
      (bid?.price ?? null) === l.bid &&
      (bid?.sizeText ?? null) === l.bidSize &&
      (ask?.price ?? null) === l.ask &&
      (ask?.sizeText ?? null) === l.askSize
    ) {
      return null;
    }
    this.last = book.topOfBook();
    return this.last;
  }

  reset(): void {
    this.last = { bid: null, bidSize: null, ask: null, askSize: null };
  }
}
