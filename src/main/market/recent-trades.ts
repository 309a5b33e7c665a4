/**
 * The last prints of every feed, kept in memory: the first frame of a tape (its backlog) and
 * `GET /api/trades` read them. Kept per SymbolFeed, so a capture replayed in the app and the live
 * feed of the same venue:symbol never mix; a feed the market lets go of is forgotten.
 */
import { MAX_TRADES_PER_FRAME, type TradePrint } from '../../shared/contract';
import type { Trade } from '../../shared/market';
import type { SymbolFeed } from '../venues/symbol-feed';

/** Where prints come from (the market service). */
export interface TradeUpdates {
  onTrade(listener: (feed: SymbolFeed, trade: Trade) => void): () => void;
}

export interface FeedReleases {
  onReleased(listener: (feeds: readonly SymbolFeed[]) => void): () => void;
}

/** A trade as a tape shows it: the venue and symbol are the subscription's. */
export function tradePrint(trade: Trade): TradePrint {
  const print: TradePrint = {
    id: trade.id,
    price: trade.price,
    size: trade.size,
    side: trade.side,
    exchangeTs: trade.exchangeTs,
    localTs: trade.localTs,
  };
  if (trade.fills !== undefined && trade.fills > 1) print.fills = trade.fills;
  if (trade.history) print.history = true;
  return print;
}

/** A fixed-size ring of the newest prints of one feed. */
class PrintRing {
  private readonly slots: TradePrint[] = [];
  /** Index of the oldest print once the ring is full. */
  private start = 0;

  constructor(private readonly capacity: number) {}

  push(print: TradePrint): void {
    if (this.slots.length < this.capacity) {
      this.slots.push(print);
      return;
    }
    this.slots[this.start] = print;
    this.start = (this.start + 1) % this.capacity;
  }

  /** The newest `n` prints, oldest first. */
  newest(n: number): TradePrint[] {
    const size = this.slots.length;
    const take = Math.max(0, Math.min(n, size));
    const out: TradePrint[] = new Array<TradePrint>(take);
    for (let i = 0; i < take; i++) out[i] = this.slots[(this.start + size - take + i) % size]!;
    return out;
  }
}

export class RecentTrades {
  private readonly rings = new Map<SymbolFeed, PrintRing>();
  private readonly offs: Array<() => void>;

  constructor(
    market: TradeUpdates & FeedReleases,
    /** Prints kept per feed: enough for the largest backlog a tape may ask for. */
    readonly capacity = MAX_TRADES_PER_FRAME,
  ) {
    this.offs = [
      market.onTrade((feed, trade) => {
        let ring = this.rings.get(feed);
        if (!ring) this.rings.set(feed, (ring = new PrintRing(this.capacity)));
        ring.push(tradePrint(trade));
      }),
      market.onReleased((feeds) => {
        for (const feed of feeds) this.rings.delete(feed);
      }),
    ];
  }

  /** The newest `n` prints of `feed`, oldest first (fewer when fewer arrived). */
  newest(feed: SymbolFeed, n: number): TradePrint[] {
    return this.rings.get(feed)?.newest(n) ?? [];
  }

  close(): void {
    for (const off of this.offs) off();
    this.rings.clear();
  }
}
