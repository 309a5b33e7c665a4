/**
 * Every feed's recent trades in the little a candle needs, so a chart that opens later starts with the
 * candles of this session (a replayed capture is never in the store; a live feed's newest trades may
 * not be committed yet). Older trades come from the store: `snapshot` says from which receive time on
 * this log is whole, and the store is read before it.
 */
import type { Trade } from '../../shared/market';
import type { CandleTrade } from '../analytics/candles';
import type { SymbolFeed } from '../venues/symbol-feed';
import type { FeedReleases, TradeUpdates } from './recent-trades';

/** Trades kept per feed (about 100 bytes each). */
export const CANDLE_LOG_CAPACITY = 50_000;

export interface CandleLogSnapshot {
  /** The kept trades, in arrival order. */
  trades: CandleTrade[];
  /**
   * The store holds this feed's trades received before this time and the log every one from it on:
   * read the store for receive times before it. null: the log is empty and forgot nothing (read the
   * store up to now).
   */
  storeBefore: number | null;
}

class TradeRing {
  private readonly slots: CandleTrade[] = [];
  private start = 0;
  /** Highest receive time of a trade the ring has overwritten; -Infinity when none. */
  forgottenUpTo = -Infinity;

  constructor(private readonly capacity: number) {}

  push(trade: CandleTrade): void {
    if (this.slots.length < this.capacity) {
      this.slots.push(trade);
      return;
    }
    const old = this.slots[this.start]!;
    if (old.localTs > this.forgottenUpTo) this.forgottenUpTo = old.localTs;
    this.slots[this.start] = trade;
    this.start = (this.start + 1) % this.capacity;
  }

  snapshot(): CandleLogSnapshot {
    const size = this.slots.length;
    const ordered: CandleTrade[] = new Array<CandleTrade>(size);
    for (let i = 0; i < size; i++) ordered[i] = this.slots[(this.start + i) % size]!;
    // Trades at the receive time of a forgotten one come from the store, so none is counted twice or lost.
    const kept = this.forgottenUpTo === -Infinity ? ordered : ordered.filter((t) => t.localTs > this.forgottenUpTo);
    let first = Infinity;
    for (const t of kept) if (t.localTs < first) first = t.localTs;
    if (Number.isFinite(first)) return { trades: kept, storeBefore: first };
    return { trades: kept, storeBefore: this.forgottenUpTo === -Infinity ? null : this.forgottenUpTo + 0.001 };
  }
}

/** History sent on subscribe is never logged, so the copy needs no history flag. */
function candleTrade(trade: Trade): CandleTrade {
  return { price: trade.price, size: trade.size, side: trade.side, exchangeTs: trade.exchangeTs, localTs: trade.localTs };
}

export class CandleTradeLog {
  private readonly rings = new Map<SymbolFeed, TradeRing>();
  private readonly offs: Array<() => void>;

  constructor(
    market: TradeUpdates & FeedReleases,
    readonly capacity = CANDLE_LOG_CAPACITY,
  ) {
    this.offs = [
      market.onTrade((feed, trade) => {
        if (trade.history) return;
        let ring = this.rings.get(feed);
        if (!ring) this.rings.set(feed, (ring = new TradeRing(this.capacity)));
        ring.push(candleTrade(trade));
      }),
      market.onReleased((feeds) => {
        for (const feed of feeds) this.rings.delete(feed);
      }),
    ];
  }

  snapshot(feed: SymbolFeed): CandleLogSnapshot {
    return this.rings.get(feed)?.snapshot() ?? { trades: [], storeBefore: null };
  }

  close(): void {
    for (const off of this.offs) off();
    this.rings.clear();
  }
}
