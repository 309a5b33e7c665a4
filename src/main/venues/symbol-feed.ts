import type { SymbolHealth } from '../../shared/contract';
import type { BookEvent, SyncState, VenueId } from '../../shared/market';
import { InvalidLevelError, OrderBook } from '../book/order-book';
import { PriceKeyError } from '../book/price-key';
import { HealthCounters } from './health';

export interface FeedListener {
  /** The book changed (snapshot or delta applied). */
  onBook(feed: SymbolFeed, event: BookEvent): void;
  onState(feed: SymbolFeed, from: SyncState, to: SyncState, reason: string): void;
}

export type ApplyResult = 'ok' | 'crossed' | 'invalid';

/**
 * One venue:symbol: its book, its sync state and its health counters. Venue sync code decides when
 * to apply; this class applies, checks the result and tells listeners.
 */
export class SymbolFeed {
  readonly book: OrderBook;
  readonly health = new HealthCounters();
  private syncState: SyncState = 'idle';
  /** Bumped on every state change so publishers notice a state-only change. */
  stateVersion = 0;
  lastExchangeTs: number | null = null;
  lastLocalTs = 0;

  constructor(
    readonly venue: VenueId,
    readonly symbol: string,
    private readonly listener: FeedListener,
  ) {
    this.book = new OrderBook(venue, symbol);
  }

  get state(): SyncState {
    return this.syncState;
  }

  setState(to: SyncState, reason: string): void {
    const from = this.syncState;
    if (from === to) return;
    this.syncState = to;
    this.stateVersion++;
    if (to === 'resyncing') this.health.resyncs++;
    this.listener.onState(this, from, to, reason);
  }

  /**
   * Apply a normalized event. A level the book cannot key (malformed text) leaves the book partly
   * updated, so the caller must treat 'invalid' like a gap and rebuild; 'crossed' likewise.
   * `truncateTo` keeps only that many levels per side after applying, before anyone sees the book
   * (Kraken: the venue never deletes levels that fall out of the subscribed depth).
   */
  apply(event: BookEvent, options?: { truncateTo?: number }): ApplyResult {
    try {
      if (event.kind === 'snapshot') {
        this.book.applySnapshot(event.bids, event.asks);
        this.health.snapshotAt = event.localTs;
      } else {
        this.book.applyDelta(event.bids, event.asks);
      }
      if (options?.truncateTo !== undefined) this.book.truncate(options.truncateTo);
    } catch (error) {
      if (error instanceof InvalidLevelError || error instanceof PriceKeyError) {
        this.health.malformed++;
        this.health.lastError = error.message;
        return 'invalid';
      }
      throw error;
    }
    this.lastExchangeTs = event.exchangeTs ?? null;
    this.lastLocalTs = event.localTs;
    if (this.book.isCrossed()) {
      this.health.crossed++;
      this.health.lastError = `crossed book: best bid ${this.book.bestBid()?.price} >= best ask ${this.book.bestAsk()?.price}`;
      return 'crossed';
    }
    this.listener.onBook(this, event);
    return 'ok';
  }

  /** Forget the book (it is no longer known to match the venue). */
  reset(): void {
    this.book.clear();
  }

  healthSnapshot(now: number): SymbolHealth {
    return this.health.snapshot(this.venue, this.symbol, this.syncState, now);
  }
}
