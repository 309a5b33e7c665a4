/**
 * Every feed's traded volume by time and price (FlowVolumes), counted from its first print in this
 * session, for the footprint and the traded volume profile. A live feed's earlier prints (from
 * before this session) are read once from the store's trades table when a window first asks for the
 * feed, so a footprint opened after a restart still shows the day. A replayed feed is never mixed
 * with the live one: each SymbolFeed has its own aggregate, forgotten when the market releases it.
 */
import type { VenueId } from '../../shared/market';
import { FlowVolumes, RETENTION_MS } from '../analytics/traded-volume-buckets';
import type { SymbolFeed } from '../venues/symbol-feed';
import type { FeedReleases, TradeUpdates } from './recent-trades';

/** Recorded trades of one symbol, newest first pages (the store's `trades` query). */
export interface TradeHistorySource {
  trades(q: { venue: string; symbol: string; from: number; to: number; limit: number; newest?: boolean }): Promise<{
    rows: Array<{ price: string; size: string; side: 'buy' | 'sell' | 'unknown'; exchangeTs: number; localTs: number }>;
    truncated: boolean;
  }>;
}

/** Rows per store query, and the most rows read back for one feed. */
export const HISTORY_PAGE_ROWS = 20_000;
export const MAX_HISTORY_ROWS = 200_000;

export type HistoryState = 'none' | 'loading' | 'loaded' | 'failed';

interface FeedFlow {
  flow: FlowVolumes;
  /** Local time of the first print this session counted: the store is read strictly before it. */
  firstLocalTs: number | null;
  history: HistoryState;
}

export class TradeFlows {
  private readonly feeds = new Map<SymbolFeed, FeedFlow>();
  private readonly offs: Array<() => void>;

  constructor(
    market: TradeUpdates & FeedReleases,
    /** Where earlier prints are recorded (null without a store). */
    private readonly history: TradeHistorySource | null,
    /** A replayed feed has no recorded history to read. */
    private readonly isReplay: (feed: SymbolFeed) => boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.offs = [
      market.onTrade((feed, trade) => {
        const entry = this.entry(feed);
        entry.firstLocalTs ??= trade.localTs;
        entry.flow.add(trade);
      }),
      market.onReleased((feeds) => {
        for (const feed of feeds) this.feeds.delete(feed);
      }),
    ];
  }

  /** The feed's aggregate (empty until its first print). */
  flow(feed: SymbolFeed): FlowVolumes {
    return this.entry(feed).flow;
  }

  historyState(feed: SymbolFeed): HistoryState {
    return this.entry(feed).history;
  }

  /**
   * Read the feed's recorded prints from before this session into its aggregate, once (a live feed
   * with a store only). Resolves when done; failures are kept in the state, not thrown.
   */
  async loadHistory(feed: SymbolFeed, venue: VenueId): Promise<void> {
    const entry = this.entry(feed);
    if (!this.history || this.isReplay(feed) || entry.history !== 'none') return;
    entry.history = 'loading';
    const to = entry.firstLocalTs ?? this.now();
    const from = Math.max(0, to - RETENTION_MS);
    try {
      // Newest pages first, walking back: a busy day beyond the cap keeps its latest part.
      let end = to;
      let read = 0;
      const pages: Array<Awaited<ReturnType<TradeHistorySource['trades']>>['rows']> = [];
      while (read < MAX_HISTORY_ROWS && end > from) {
        const page = await this.history.trades({ venue, symbol: feed.symbol, from, to: end, limit: HISTORY_PAGE_ROWS, newest: true });
        if (page.rows.length === 0) break;
        pages.push(page.rows);
        read += page.rows.length;
        if (!page.truncated) break;
        // The next page ends where this one began. Rows recorded in the very same millisecond as
        // this page's oldest but cut off by the limit are not read (a page holds 20,000 rows).
        end = page.rows[0]!.localTs;
      }
      if (this.feeds.get(feed) !== entry) return;
      for (const rows of pages) for (const row of rows) entry.flow.add(row);
      entry.history = 'loaded';
    } catch {
      if (this.feeds.get(feed) === entry) entry.history = 'failed';
    }
  }

  close(): void {
    for (const off of this.offs) off();
    this.feeds.clear();
  }

  private entry(feed: SymbolFeed): FeedFlow {
    let entry = this.feeds.get(feed);
    if (!entry) this.feeds.set(feed, (entry = { flow: new FlowVolumes(), firstLocalTs: null, history: 'none' }));
    return entry;
  }
}
