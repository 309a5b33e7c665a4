/**
 * One HeatmapHistory per book, fed while the book is live, so a heatmap window opened later (or
 * reloaded) gets the past from the main process through `heatmap.history`.
 *
 * Columns are stamped with the book's own time: the local receive time of its events, which for a
 * replayed capture is the recorded time. A replay at full speed therefore fills one column per 250 ms
 * of capture, not per 250 ms of wall clock. A book is sampled on the first event of each column slot,
 * and live books also on a timer, so a quiet live book still gets its columns; a replayed book gets
 * none while paused or after it ended (its recorded clock stands still).
 *
 * Beside each history, the book's prints per column slot (heatmap-trades.ts) for the heatmap's trade
 * bubbles: `heatmap.history` answers carry them per slot, and the stream's frames carry the latest two slots.
 */
import type { HeatmapHistoryResponse } from '../../shared/contract';
import type { Trade } from '../../shared/market';
import type { OrderBook } from '../book/order-book';
import type { SymbolFeed } from '../venues/symbol-feed';
import { DEFAULT_COLUMN_MS, DEFAULT_KEEP_MS, DEFAULT_ROWS, HeatmapHistory, type LevelPair } from './heatmap-history';
import { HeatmapTrades } from './heatmap-trades';
import { heatmapRowStep } from './views/heatmap';

/** What the histories need of the market (MarketService provides it). */
export interface HistoryMarket {
  onBook(listener: (feed: SymbolFeed) => void): () => void;
  /** Prints for the trade bubbles (a market without trades may leave it out). */
  onTrade?(listener: (feed: SymbolFeed, trade: Trade) => void): () => void;
  onReleased(listener: (feeds: readonly SymbolFeed[]) => void): () => void;
  feed(venue: string, symbol: string): SymbolFeed | undefined;
  isReplayFeed(feed: SymbolFeed): boolean;
}

export interface HeatmapHistoriesOptions {
  rows?: number;
  columnMs?: number;
  keepMs?: number;
  /** Wall clock for live books (tests pass their own). */
  now?: () => number;
}

interface Entry {
  history: HeatmapHistory;
  trades: HeatmapTrades;
  /** The last column slot sampled (floor(ts / columnMs)). */
  lastSlot: number;
}

export class HeatmapHistories {
  private readonly entries = new Map<SymbolFeed, Entry>();
  readonly rows: number;
  readonly columnMs: number;
  private readonly keepMs: number | undefined;
  private readonly now: () => number;

  constructor(
    private readonly market: HistoryMarket,
    options: HeatmapHistoriesOptions = {},
  ) {
    this.rows = options.rows ?? DEFAULT_ROWS;
    this.columnMs = options.columnMs ?? DEFAULT_COLUMN_MS;
    this.keepMs = options.keepMs;
    this.now = options.now ?? Date.now;
  }

  /** Start sampling; returns the function that stops it. */
  attach(): () => void {
    const offBook = this.market.onBook((feed) => this.sample(feed, feed.lastLocalTs));
    const offTrade = this.market.onTrade?.((feed, trade) => this.addTrade(feed, trade));
    const offReleased = this.market.onReleased((feeds) => {
      for (const feed of feeds) this.entries.delete(feed);
    });
    const timer = setInterval(() => this.sampleLiveBooks(), this.columnMs);
    timer.unref?.();
    return () => {
      clearInterval(timer);
      offBook();
      offTrade?.();
      offReleased();
      this.entries.clear();
    };
  }

  /** The book's time: its last event's local time for a replayed book (the recorded time), the wall clock otherwise. */
  timeOf(feed: SymbolFeed): number {
    return this.market.isReplayFeed(feed) ? feed.lastLocalTs : this.now();
  }

  /**
   * The row height of the book's history, creating the history if the book has a mid: the automatic
   * span's grid at the time it was created. Null while the book has no mid yet.
   */
  rowStep(feed: SymbolFeed): number | null {
    return this.entry(feed)?.history.rowStep ?? null;
  }

  /** Books with a history (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  history(feed: SymbolFeed): HeatmapHistory | undefined {
    return this.entries.get(feed)?.history;
  }

  /** The book's prints per column slot, once it has a history. */
  trades(feed: SymbolFeed): HeatmapTrades | undefined {
    return this.entries.get(feed)?.trades;
  }

  /** The `heatmap.history` answer for the book windows see at venue:symbol; null when the market has no such book. */
  query(request: { venue: HeatmapHistoryResponse['venue']; symbol: string; from: number; to: number; rowStep?: number; maxColumns: number }): HeatmapHistoryResponse | null {
    const feed = this.market.feed(request.venue, request.symbol);
    if (!feed) return null;
    const history = this.entries.get(feed)?.history;
    if (!history) {
      // Not sampled yet (the book is still syncing): nothing kept, which is not an error.
      return { venue: request.venue, symbol: request.symbol, rowStep: request.rowStep ?? 0, columnMs: this.columnMs, columns: [], oldestTs: null };
    }
    const range = history.range(request.from, request.to, { rowStep: request.rowStep, maxColumns: request.maxColumns });
    const trades = this.entries.get(feed)!.trades.spans(request.from, request.to, range.columnMs, range.rowStep);
    return { venue: request.venue, symbol: request.symbol, rowStep: range.rowStep, columnMs: range.columnMs, columns: range.columns, oldestTs: range.oldestTs, trades };
  }

  private sampleLiveBooks(): void {
    const now = this.now();
    for (const feed of this.entries.keys()) {
      if (!this.market.isReplayFeed(feed)) this.sample(feed, now);
    }
  }

  /** Add the book as it is now at `ts`, once per column slot, while it is in sync. */
  private sample(feed: SymbolFeed, ts: number): void {
    if (feed.state !== 'synced' || !(ts > 0)) return;
    const entry = this.entry(feed);
    if (!entry) return;
    const slot = Math.floor(ts / this.columnMs);
    if (slot <= entry.lastSlot) return;
    const book = feed.book;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (entry.history.addBook(ts, bid ? book.priceValue(bid) : null, ask ? book.priceValue(ask) : null, levelPairs(book, 'bid'), levelPairs(book, 'ask'))) {
      entry.lastSlot = slot;
    }
  }

  /**
   * A print joins its column slot (not one sent on subscribe from before it: that is no activity
   * here), while the book is in sync, like the columns: the history's grid is fixed from a synced book.
   */
  private addTrade(feed: SymbolFeed, trade: Trade): void {
    if (trade.history || feed.state !== 'synced') return;
    const entry = this.entry(feed);
    if (!entry) return;
    entry.trades.add(trade.localTs, Number(trade.price), Number(trade.size), trade.side);
  }

  private entry(feed: SymbolFeed): Entry | null {
    const existing = this.entries.get(feed);
    if (existing) return existing;
    const rowStep = heatmapRowStep(feed.book, this.rows, 0);
    if (rowStep === null || !(rowStep > 0)) return null;
    const entry: Entry = {
      history: new HeatmapHistory({ rowStep, rows: this.rows, columnMs: this.columnMs, keepMs: this.keepMs }),
      trades: new HeatmapTrades(this.columnMs, this.keepMs ?? DEFAULT_KEEP_MS),
      lastSlot: -Infinity,
    };
    this.entries.set(feed, entry);
    return entry;
  }
}

function* levelPairs(book: OrderBook, side: 'bid' | 'ask'): Generator<LevelPair> {
  for (const level of book.levels(side)) yield [book.priceValue(level), level.size];
}
