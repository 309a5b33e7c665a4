import type { Side } from '../../shared/market';
import type { OrderBook, PriceLevel } from '../book/order-book';
import { pow10 } from '../book/price-key';

/**
 * The best levels of one side as the last book update left them, copied into preallocated arrays so
 * that every metric and detector reads the same numbers without touching the tree again and without
 * allocating per update. Prices are numbers here (tick / 10^scale); exact ticks are kept beside them.
 */
export class SideLevels {
  count = 0;
  /** Book scale the ticks are at. */
  scale = 0;
  readonly ticks: Float64Array;
  readonly prices: Float64Array;
  readonly sizes: Float64Array;
  /** Price text of the best level (the venue's own digits), null when the side is empty. */
  bestText: string | null = null;
  private limit = 0;
  private divisor = 1;
  private readonly collect = (level: PriceLevel): boolean => {
    const i = this.count;
    this.ticks[i] = level.tick;
    this.prices[i] = level.tick / this.divisor;
    this.sizes[i] = level.size;
    if (i === 0) this.bestText = level.price;
    this.count = i + 1;
    return this.count < this.limit;
  };

  constructor(
    readonly side: Side,
    readonly capacity: number,
  ) {
    this.ticks = new Float64Array(capacity);
    this.prices = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
  }

  /** Copy the book's best `capacity` levels of this side. */
  fill(book: OrderBook): void {
    this.count = 0;
    this.bestText = null;
    this.scale = book.priceScale;
    this.divisor = pow10(this.scale);
    this.limit = this.capacity;
    book.scan(this.side, this.collect);
  }

  clear(): void {
    this.count = 0;
    this.bestText = null;
  }

  /** Sum of sizes over the best `n` levels held. */
  depth(n: number): number {
    const m = Math.min(n, this.count);
    let sum = 0;
    for (let i = 0; i < m; i++) sum += this.sizes[i]!;
    return sum;
  }
}

/** A tick recorded at scale `from`, expressed at the larger scale `to` (book scales only grow). */
export function tickAtScale(tick: number, from: number, to: number): number {
  return from === to ? tick : tick * pow10(to - from);
}
