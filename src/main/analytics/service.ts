/**
 * The analytics service: hangs on the market's book and state events, keeps a BookAnalytics per book
 * that is streamed, and owns the alert list, the user price rules and the feed-integrity monitor.
 *
 * Which books are computed: every book the market streams, and only those. The market streams a book
 * only because someone asked for it (a window, the recorder, a price alert, an impact query), and the
 * detectors must watch every such book for the alert list, so this costs nothing that is not needed.
 *
 * Listener shape (`onAlert`): `(event: { type: 'raised' | 'updated' | 'cleared' | 'acknowledged';
 * alert: Alert }) => void`, Alert as in src/shared/analytics.ts (AlertSchema): id, key, kind, venue,
 * symbol, severity, state, title, raisedAt, updatedAt, clearedAt, updates, acknowledged, evidence,
 * outcome. Times are ms since the epoch: event time for book conditions, the service clock for feed
 * state changes.
 */
import type { RuleChannels } from '../../shared/alert-routing';
import type { AlertList, AlertQuery, PriceRule, PriceRuleRequest, SeriesFrame } from '../../shared/analytics';
import { ContractError } from '../../shared/contract';
import type { BookEvent, SyncState, Trade, VenueId } from '../../shared/market';
import type { OrderBook } from '../book/order-book';
import { nullLogger, type Logger } from '../log';
import { AlertBook, type AlertListener } from './alerts';
import { BookAnalytics } from './book-analytics';
import { resolveConfig, type AnalyticsConfig, type AnalyticsOverrides } from './config';
import { FeedIntegrityMonitor, type MonitoredFeed } from './detectors/feed-integrity';
import { PriceAlertRules } from './detectors/price-alerts';

/** What analytics reads of a feed (SymbolFeed has all of it). */
export interface AnalyticsFeed extends MonitoredFeed {
  readonly book: OrderBook;
  readonly stateVersion: number;
}

/** The market's event hooks (MarketService has them). */
export interface MarketEvents {
  onBook(listener: (feed: AnalyticsFeed, event: BookEvent) => void): () => void;
  onState(listener: (feed: AnalyticsFeed, from: SyncState, to: SyncState, reason: string) => void): () => void;
  /** Every print of every feed (order-flow analytics); a market without trades may leave it out. */
  onTrade?(listener: (feed: AnalyticsFeed, trade: Trade) => void): () => void;
  /**
   * True for a feed replayed from a capture: its time is the recorded time of its events, so the
   * periodic check must not move its per-second series on to the wall clock.
   */
  isReplayFeed?(feed: AnalyticsFeed): boolean;
  /** Feeds the market let go of (a replay that ended): their analytics must go too. */
  onReleased?(listener: (feeds: readonly AnalyticsFeed[]) => void): () => void;
}

export interface AnalyticsOptions {
  config?: AnalyticsOverrides;
  /** Time for feed state changes and periodic checks (default Date.now). */
  clock?: () => number;
  logger?: Logger;
}

interface Tracked {
  feed: AnalyticsFeed;
  analytics: BookAnalytics;
  failures: number;
}

export class AnalyticsService {
  readonly config: AnalyticsConfig;
  readonly alerts: AlertBook;
  readonly priceRules: PriceAlertRules;
  private readonly feedMonitor: FeedIntegrityMonitor;
  private readonly byFeed = new Map<AnalyticsFeed, Tracked>();
  private readonly byKey = new Map<string, Tracked>();
  private readonly clock: () => number;
  private readonly logger: Logger;
  private timer: ReturnType<typeof setInterval> | null = null;
  private isReplayFeed: (feed: AnalyticsFeed) => boolean = () => false;
  private readonly detach: Array<() => void> = [];

  constructor(options: AnalyticsOptions = {}) {
    this.config = resolveConfig(options.config);
    this.clock = options.clock ?? Date.now;
    this.logger = options.logger ?? nullLogger;
    this.alerts = new AlertBook(this.config.alerts, (error) =>
      this.logger.log('error', 'alert-listener-failed', { error: (error as Error)?.stack ?? String(error) }),
    );
    this.priceRules = new PriceAlertRules(this.alerts);
    this.feedMonitor = new FeedIntegrityMonitor(this.alerts, this.config.feed);
  }

  /** Subscribe to the market's events and start the once-a-second check; returns a detach function. */
  attach(market: MarketEvents): () => void {
    this.detach.push(market.onBook(this.onBook), market.onState(this.onState));
    if (market.isReplayFeed) this.isReplayFeed = (feed) => market.isReplayFeed!(feed);
    if (market.onTrade) this.detach.push(market.onTrade(this.onTrade));
    if (market.onReleased) this.detach.push(market.onReleased((feeds) => feeds.forEach((f) => this.forget(f))));
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), 1000);
      this.timer.unref?.();
    }
    return () => this.close();
  }

  /** A book update (hot path). Never throws: analytics must not disturb the feed that calls it. */
  readonly onBook = (feed: AnalyticsFeed, event: BookEvent): void => {
    const tracked = this.byFeed.get(feed) ?? this.startTracking(feed);
    try {
      tracked.analytics.onUpdate(event.kind, event.localTs, event.exchangeTs);
      this.feedMonitor.onMessage(feed, event.localTs);
    } catch (error) {
      this.failed(tracked, error);
    }
  };

  /** A print (hot path, like onBook). Never throws. */
  readonly onTrade = (feed: AnalyticsFeed, trade: Trade): void => {
    const tracked = this.byFeed.get(feed) ?? this.startTracking(feed);
    try {
      tracked.analytics.onTrade(trade, feed.state === 'synced');
    } catch (error) {
      this.failed(tracked, error);
    }
  };

  readonly onState = (feed: AnalyticsFeed, from: SyncState, to: SyncState, reason: string): void => {
    const tracked = this.byFeed.get(feed) ?? this.startTracking(feed);
    try {
      const ts = this.clock();
      if (from === 'synced' && to !== 'synced') tracked.analytics.reset(ts, reason);
      this.feedMonitor.onState(feed, from, to, reason, ts);
    } catch (error) {
      this.failed(tracked, error);
    }
  };

  /** Periodic work: seconds that passed with no update, stale feeds. */
  tick(now = this.clock()): void {
    for (const tracked of this.byFeed.values()) {
      if (tracked.feed.state !== 'synced') continue;
      try {
        // A replayed book lives on its recorded clock: time moves only with its events.
        tracked.analytics.onTime(this.isReplayFeed(tracked.feed) ? tracked.analytics.lastEventTs : now);
      } catch (error) {
        this.failed(tracked, error);
      }
    }
    this.feedMonitor.tick(this.byFeed.keys(), now);
  }

  onAlert(listener: AlertListener): () => void {
    return this.alerts.onAlert(listener);
  }

  /** The analytics of a streamed book, if it has had any event. */
  book(venue: VenueId, symbol: string): { feed: AnalyticsFeed; analytics: BookAnalytics } | undefined {
    return this.byKey.get(`${venue}:${symbol}`) ?? this.byKey.get(`${venue}:${symbol.toUpperCase()}`);
  }

  series(venue: VenueId, symbol: string, seconds: number): SeriesFrame | null {
    const tracked = this.book(venue, symbol);
    if (!tracked) return null;
    const w = tracked.analytics.series.window(Math.min(seconds, this.config.seriesSeconds));
    return { venue, symbol: tracked.feed.symbol, seconds, ...w };
  }

  listAlerts(query: Partial<AlertQuery> = {}): AlertList {
    return this.alerts.list(query);
  }

  acknowledge(ids: readonly string[] | 'all'): number {
    return this.alerts.acknowledge(ids);
  }

  /**
   * Add a price rule. Without a direction it is taken from where the price is now: a level above the
   * mid waits for the bid to rise to it, one below waits for the ask to fall to it.
   */
  addPriceRule(request: Omit<PriceRuleRequest, 'channels'> & { symbol: string; channels?: RuleChannels }): PriceRule {
    let direction = request.direction;
    if (!direction) {
      const tracked = this.book(request.venue, request.symbol);
      const mid = tracked?.feed.state === 'synced' ? tracked.analytics.metrics.mid : Number.NaN;
      if (!(mid > 0)) {
        throw new ContractError('unavailable', `${request.symbol} on ${request.venue} is not in sync yet, so say whether the alert is above or below the market`);
      }
      const level = Number(request.price);
      if (level === mid) throw new ContractError('bad-request', `${request.price} is the mid price; say whether the alert is above or below`);
      direction = level > mid ? 'above' : 'below';
    }
    const rule = this.priceRules.add(
      { venue: request.venue, symbol: request.symbol, price: request.price, direction, repeat: request.repeat, note: request.note ?? null, channels: request.channels ?? null },
      this.clock(),
    );
    // Check at once against the book as it stands.
    const tracked = this.book(request.venue, request.symbol);
    if (tracked && tracked.feed.state === 'synced') {
      const rules = this.priceRules.rulesFor(tracked.analytics.key);
      if (rules) this.priceRules.check(rules, tracked.feed.book, this.clock());
    }
    return this.priceRules.list().find((r) => r.id === rule.id) ?? rule;
  }

  removePriceRule(id: string): boolean {
    return this.priceRules.remove(id, this.clock());
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const d of this.detach.splice(0)) d();
  }

  /** The analytics of a feed, created before its first event if need be (a window may subscribe first). */
  track(feed: AnalyticsFeed): BookAnalytics {
    return (this.byFeed.get(feed) ?? this.startTracking(feed)).analytics;
  }

  /** Stop tracking a feed the market no longer has (its book and history would otherwise stay in memory). */
  forget(feed: AnalyticsFeed): void {
    const tracked = this.byFeed.get(feed);
    if (!tracked) return;
    this.byFeed.delete(feed);
    if (this.byKey.get(tracked.analytics.key) === tracked) this.byKey.delete(tracked.analytics.key);
    this.feedMonitor.forget(feed);
  }

  private startTracking(feed: AnalyticsFeed): Tracked {
    const analytics = new BookAnalytics(feed.venue, feed.symbol, feed.book, this.alerts, this.priceRules, this.config);
    const tracked: Tracked = { feed, analytics, failures: 0 };
    this.byFeed.set(feed, tracked);
    this.byKey.set(analytics.key, tracked);
    return tracked;
  }

  private failed(tracked: Tracked, error: unknown): void {
    tracked.failures++;
    // Log the first failures of a book, then every 1000th, so a persistent fault cannot flood the log.
    if (tracked.failures <= 3 || tracked.failures % 1000 === 0) {
      this.logger.log('error', 'analytics-failed', {
        venue: tracked.feed.venue,
        symbol: tracked.feed.symbol,
        failures: tracked.failures,
        error: (error as Error)?.stack ?? String(error),
      });
    }
  }
}
