/**
 * The path from a market's events to the store, shared by the live app and `replay --db`: every
 * applied book event goes through a per-feed TopOfBookTracker, and each change of best bid/ask price
 * or size becomes one row; every print becomes one trade row; sync-state changes become feed history.
 */
import type { BookEvent, Instrument, SyncState, Trade } from '../../../shared/market';
import { TopOfBookTracker } from '../../book/top-of-book';
import type { SymbolFeed } from '../../venues/symbol-feed';
import { feedEventKind, type FeedEventRecord, type TopOfBookRow } from '../types';

export interface RecorderSink {
  recordTopOfBook(row: TopOfBookRow): void;
  recordTrade(trade: Trade): void;
  recordFeedEvent(event: FeedEventRecord): void;
  recordInstrument(instrument: Instrument): void;
}

export class MarketRecorder {
  private readonly trackers = new WeakMap<SymbolFeed, TopOfBookTracker>();
  private readonly described = new Set<string>();
  /** Top-of-book rows handed to the sink since this recorder started. */
  rows = 0;
  /** Trades handed to the sink since this recorder started. */
  trades = 0;

  constructor(
    private readonly sink: RecorderSink,
    /** Instrument metadata to store beside the first row of a symbol, when the venue's list is loaded. */
    private readonly instrumentOf: (venue: string, symbol: string) => Instrument | undefined = () => undefined,
  ) {}

  /** A book event was applied to `feed` (MarketService.onBook, or the replay's onBook). */
  readonly onBook = (feed: SymbolFeed, event: BookEvent): void => {
    let tracker = this.trackers.get(feed);
    if (!tracker) {
      tracker = new TopOfBookTracker();
      this.trackers.set(feed, tracker);
    }
    const top = tracker.update(feed.book);
    if (!top) return;
    this.describe(feed);
    this.rows++;
    this.sink.recordTopOfBook({
      venue: feed.venue,
      symbol: feed.symbol,
      exchangeTs: event.exchangeTs ?? null,
      localTs: event.localTs,
      bid: top.bid,
      bidSize: top.bidSize,
      ask: top.ask,
      askSize: top.askSize,
    });
  };

  /** A print of `feed` (MarketService.onTrade, or the replay's onTrade). */
  readonly onTrade = (feed: SymbolFeed, trade: Trade): void => {
    this.describe(feed);
    this.trades++;
    this.sink.recordTrade(trade);
  };

  /** A feed's sync state changed (MarketService.onState). */
  readonly onState = (feed: SymbolFeed, from: SyncState, to: SyncState, reason: string): void => {
    this.sink.recordFeedEvent({ venue: feed.venue, symbol: feed.symbol, ts: Date.now(), kind: feedEventKind(from, to), from, to, reason });
  };

  private describe(feed: SymbolFeed): void {
    const key = `${feed.venue}:${feed.symbol}`;
    if (this.described.has(key)) return;
    const instrument = this.instrumentOf(feed.venue, feed.symbol);
    if (!instrument) return;
    this.described.add(key);
    this.sink.recordInstrument(instrument);
  }
}
