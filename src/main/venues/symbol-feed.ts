import type { LatencyHopName, SymbolHealth } from '../../shared/contract';
import type { BookEvent, SyncState, Trade, VenueId } from '../../shared/market';
import { InvalidLevelError, OrderBook } from '../book/order-book';
import { PriceKeyError } from '../book/price-key';
import { nullLogger, type Logger } from '../log';
import type { TradeBatch } from '../trades/batch';
import { isTradeThrough, TradeStats, type TradeStatsSnapshot } from '../trades/stats';
import { HealthCounters } from './health';

export interface FeedListener {
  /** The book changed (snapshot or delta applied). */
  onBook(feed: SymbolFeed, event: BookEvent): void;
  onState(feed: SymbolFeed, from: SyncState, to: SyncState, reason: string): void;
  /**
   * A trade was accepted on this symbol's trade channel: a live print, or history the venue sent on
   * subscribe (`trade.history`). Duplicates are never forwarded. Optional: book-only listeners omit it.
   */
  onTrade?(feed: SymbolFeed, trade: Trade): void;
  /** A message for this symbol arrived (with the exchange's time when it carries one); `replay --latency` listens. */
  onReceived?(feed: SymbolFeed, localTs: number, exchangeTs: number | undefined): void;
}

export type ApplyResult = 'ok' | 'crossed' | 'invalid';

/**
 * The per-symbol state machine (DESIGN.md "Venue adapters"): subscribed → connecting → buffering →
 * synced, any integrity failure → resyncing → synced, connection loss → connecting, a refusal by the
 * venue → failed (final). A move not listed here is a bug in the caller.
 */
const NEXT: Readonly<Record<SyncState, readonly SyncState[]>> = {
  idle: ['connecting'],
  connecting: ['buffering', 'failed'],
  buffering: ['synced', 'resyncing', 'connecting', 'failed'],
  synced: ['resyncing', 'connecting', 'failed'],
  resyncing: ['synced', 'connecting', 'failed'],
  failed: [],
};

export class IllegalTransitionError extends Error {}

/**
 * What an illegal transition does: under test (vitest sets NODE_ENV=test) it throws, so every venue
 * and replay test is a net for it; in the app it is refused (the state stays) and logged as an error,
 * because a book left in its last legal state is better than a crashed feed.
 */
export const transitionPolicy = { throwOnIllegal: process.env.NODE_ENV === 'test' };

/**
 * One venue:symbol: its book, its sync state and its health. Venue sync code decides when to apply
 * and what went wrong; this class applies, checks the result, moves the state and is the only
 * writer of the health counters, through one named method per kind of event, the same for every
 * venue.
 */
export class SymbolFeed {
  readonly book: OrderBook;
  private readonly counters = new HealthCounters();
  /**
   * Trade integrity per trade stream of this symbol. Resent trades after a reconnect are rarely more
   * than a few hundred; 2,000 remembered ids per stream catch them without holding a long history.
   */
  private readonly tradeStats = new TradeStats({ recentIds: 2_000 });
  /** Trade streams seen, and whether the venue numbers each consecutively (holes there are losses). */
  private readonly tradeStreams = new Map<string, boolean>();
  private syncState: SyncState = 'idle';
  /** Bumped on every state change so publishers notice a state-only change. */
  stateVersion = 0;
  lastExchangeTs: number | null = null;
  lastLocalTs = 0;
  /**
   * Book events applied since this feed began (GET /api/book's `sequence`). A desk collector numbers
   * what it publishes with it; a desk subscriber sets it to the collector's number.
   */
  bookSequence = 0;

  constructor(
    readonly venue: VenueId,
    readonly symbol: string,
    private readonly listener: FeedListener,
    private readonly logger: Logger = nullLogger,
  ) {
    this.book = new OrderBook(venue, symbol);
  }

  get state(): SyncState {
    return this.syncState;
  }

  get health(): Readonly<HealthCounters> {
    return this.counters;
  }

  // ---- transitions ------------------------------------------------------------------------------

  /** Subscribed; waiting for the connection. */
  connecting(reason: string): void {
    this.moveTo('connecting', reason);
  }

  /** The venue has been asked for the book: throw away what we held and wait for the snapshot. */
  awaitSnapshot(reason: string): void {
    this.book.clear();
    this.moveTo('buffering', reason);
  }

  /** The snapshot is in: the book is live. */
  synced(reason: string): void {
    this.moveTo('synced', reason);
  }

  /** The book can no longer be trusted: throw it away and wait for a fresh snapshot. */
  resync(reason: string): void {
    this.counters.lastError = reason;
    this.book.clear();
    this.moveTo('resyncing', reason);
  }

  /** The connection carrying this symbol went down (a reconnect follows); a failed feed stays failed. */
  connectionLost(reason: string): void {
    if (this.syncState === 'failed') return;
    this.counters.reconnects++;
    this.counters.lastError = reason;
    this.book.clear();
    this.moveTo('connecting', reason);
  }

  /** The venue refused this symbol: nothing more will come for it. */
  fail(reason: string): void {
    this.counters.lastError = reason;
    this.book.clear();
    this.moveTo('failed', reason);
  }

  private moveTo(to: SyncState, reason: string): void {
    const from = this.syncState;
    if (from === to) return;
    if (!NEXT[from].includes(to)) {
      const message = `${this.venue} ${this.symbol}: illegal state change ${from} → ${to} (${reason})`;
      if (transitionPolicy.throwOnIllegal) throw new IllegalTransitionError(message);
      this.logger.log('error', 'illegal-transition', { venue: this.venue, symbol: this.symbol, from, to, reason });
      return;
    }
    this.syncState = to;
    this.stateVersion++;
    if (to === 'resyncing') this.counters.resyncs++;
    this.listener.onState(this, from, to, reason);
  }

  // ---- health -----------------------------------------------------------------------------------

  /** A message for this symbol arrived carrying `levels` level updates. */
  received(now: number, levels: number, exchangeTs?: number): void {
    this.counters.onMessage(now, levels, exchangeTs);
    this.listener.onReceived?.(this, now, exchangeTs);
  }

  /** A later hop's latency for this symbol (receipt → window frame; collector hops behind a collector). */
  hop(name: LatencyHopName, now: number, ms: number): void {
    this.counters.hops.add(name, now, ms);
  }

  /** A sequence break (the caller resyncs). */
  gap(): void {
    this.counters.gaps++;
  }

  /** The venue's checksum agreed with the book, or not (the caller resyncs). */
  checksum(ok: boolean): void {
    if (ok) this.counters.checksumOk++;
    else this.counters.checksumFailed++;
  }

  /** The venue's best bid/offer agreed with the book, or not; `mismatch` describes a disagreement. */
  bbo(ok: boolean, mismatch?: string): void {
    if (ok) {
      this.counters.bboOk++;
      return;
    }
    this.counters.bboFailed++;
    if (mismatch !== undefined) this.counters.lastError = mismatch;
  }

  /** A frame naming this symbol could not be read and was skipped. */
  malformed(reason: string): void {
    this.counters.malformed++;
    this.counters.lastError = `malformed frame skipped: ${reason}`;
  }

  /** A frame naming no symbol could not be read on the connection carrying this symbol. */
  connectionMalformed(reason: string): void {
    this.counters.connectionMalformed++;
    this.counters.lastError = `malformed frame (naming no symbol) skipped on this connection: ${reason}`;
  }

  /** Messages dropped because the book already holds them (or has no base for them yet). */
  staleDropped(n = 1): void {
    this.counters.staleDropped += n;
  }

  /** Diffs held while the snapshot is awaited. */
  buffered(size: number): void {
    this.counters.bufferSize = size;
  }

  /** Something the user should read (a failed snapshot request, the venue's error), without a state change. */
  error(message: string): void {
    this.counters.lastError = message;
  }

  // ---- trades -----------------------------------------------------------------------------------

  /**
   * A parsed trade message: each of its trades for this symbol goes through `trade`. Trades do not
   * wait for the book: they count from the first frame whatever the book's state.
   */
  trades(batch: TradeBatch): void {
    for (const trade of batch.trades) this.trade(trade, batch.stream, batch.consecutiveIds);
  }

  /**
   * One trade from the venue's trade channel. A trade whose id was seen already (resent after a
   * reconnect) is dropped; history sent on subscribe is forwarded flagged and kept out of the counts;
   * a live trade is counted, its id checked for holes (where the venue numbers consecutively) and its
   * price checked against the book's top, then forwarded.
   */
  trade(trade: Trade, stream: string, consecutiveIds: boolean): void {
    if (this.syncState === 'failed') return;
    // A venue may send one product's trades under another name (Coinbase Advanced: -USD for -USDC).
    const own = trade.venue === this.venue && trade.symbol === this.symbol ? trade : { ...trade, venue: this.venue, symbol: this.symbol };
    this.tradeStreams.set(stream, consecutiveIds);
    const verdict = this.tradeStats.add(own, stream, consecutiveIds);
    if (verdict === 'duplicate') {
      this.counters.tradeDuplicates++;
      return;
    }
    if (verdict === 'counted') {
      this.counters.trades++;
      if (this.printedThroughBook(own)) {
        this.counters.tradeAnomalies++;
        this.logger.log('info', 'trade-through', { venue: this.venue, symbol: this.symbol, id: own.id, price: own.price, side: own.side, bestBid: this.book.bestBid()?.price, bestAsk: this.book.bestAsk()?.price });
      }
      if (consecutiveIds) this.countTradeGaps(own);
    }
    this.listener.onTrade?.(this, own);
  }

  /** The connection carrying this symbol's trades (a separate one) went down; a reconnect follows. */
  tradesInterrupted(reason: string): void {
    if (this.syncState === 'failed') return;
    this.counters.lastError = `trade channel interrupted: ${reason}`;
  }

  /** Totals and integrity of every trade stream of this symbol (replay reports them). */
  tradeTotals(): TradeStatsSnapshot[] {
    return this.tradeStats.all();
  }

  private countTradeGaps(trade: Trade): void {
    let gaps = 0;
    for (const [stream, consecutive] of this.tradeStreams) if (consecutive) gaps += this.tradeStats.idGaps(this.venue, this.symbol, stream);
    if (gaps > this.counters.tradeGaps) {
      this.counters.lastError = `trade id gap before trade ${trade.id}: trades were lost`;
      this.logger.log('warn', 'trade-gap', { venue: this.venue, symbol: this.symbol, id: trade.id, gaps });
    }
    this.counters.tradeGaps = gaps;
  }

  /**
   * A print through a price the book still shows on the other side. Judged only against a synced book
   * whose exchange time is known and not before the trade's: a book that has not yet caught up with
   * the trade would show levels the trade already took.
   */
  private printedThroughBook(trade: Trade): boolean {
    if (this.syncState !== 'synced' || this.lastExchangeTs === null) return false;
    const bestBid = this.book.bestBid()?.price ?? null;
    const bestAsk = this.book.bestAsk()?.price ?? null;
    return isTradeThrough(trade, { bestBid, bestAsk, exchangeTs: this.lastExchangeTs });
  }

  // ---- book -------------------------------------------------------------------------------------

  /** A normalized event for this feed's book. */
  event(kind: BookEvent['kind'], fields: Omit<BookEvent, 'venue' | 'symbol' | 'kind'>): BookEvent {
    return { venue: this.venue, symbol: this.symbol, kind, ...fields };
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
        this.counters.snapshotAt = event.localTs;
      } else {
        this.book.applyDelta(event.bids, event.asks);
      }
      if (options?.truncateTo !== undefined) this.book.truncate(options.truncateTo);
    } catch (error) {
      if (error instanceof InvalidLevelError || error instanceof PriceKeyError) {
        this.counters.malformed++;
        this.counters.lastError = error.message;
        return 'invalid';
      }
      throw error;
    }
    this.lastExchangeTs = event.exchangeTs ?? null;
    this.lastLocalTs = event.localTs;
    if (this.book.isCrossed()) {
      this.counters.crossed++;
      this.counters.lastError = `crossed book: best bid ${this.book.bestBid()?.price} >= best ask ${this.book.bestAsk()?.price}`;
      return 'crossed';
    }
    this.bookSequence++;
    this.listener.onBook(this, event);
    return 'ok';
  }

  healthSnapshot(now: number): SymbolHealth {
    return this.counters.snapshot(this.venue, this.symbol, this.syncState, now);
  }
}
