/**
 * Scripted books for the analytics tests: a feed driven by hand (book events, state changes and
 * prints with chosen local times) fed through AnalyticsService exactly as the market feeds it.
 */
import { OrderBook } from '../../src/main/book/order-book';
import type { AnalyticsOverrides } from '../../src/main/analytics/config';
import { AnalyticsService, type AnalyticsFeed } from '../../src/main/analytics/service';
import type { Alert } from '../../src/shared/analytics';
import type { BookEvent, SyncState, TakerSide, VenueId } from '../../src/shared/market';

export type Levels = Array<[string, string]>;

/** A book driven by hand, shaped like a SymbolFeed. */
export class ScriptedFeed implements AnalyticsFeed {
  readonly book: OrderBook;
  state: SyncState = 'synced';
  stateVersion = 0;
  readonly health = { gaps: 0, checksumFailed: 0, crossed: 0, bboFailed: 0, malformed: 0, lastMessageAt: null as number | null, lastError: null as string | null };
  private tradeId = 0;
  constructor(
    readonly venue: VenueId,
    readonly symbol: string,
    private readonly service: AnalyticsService,
  ) {
    this.book = new OrderBook(venue, symbol);
  }
  snapshot(ts: number, bids: Levels, asks: Levels): void {
    this.book.applySnapshot(bids, asks);
    this.emit('snapshot', ts, bids, asks);
  }
  delta(ts: number, bids: Levels = [], asks: Levels = []): void {
    this.book.applyDelta(bids, asks);
    this.emit('delta', ts, bids, asks);
  }
  /** A state change as the feed reports it; the book is cleared when it leaves synced. */
  setState(to: SyncState, reason: string): void {
    const from = this.state;
    this.state = to;
    this.stateVersion++;
    if (to !== 'synced') this.book.clear();
    this.service.onState(this, from, to, reason);
  }
  /** A print; `exchangeTs` defaults to its local time (prints of one taker order share one). */
  trade(ts: number, side: TakerSide, price: string, size: string, exchangeTs = ts): void {
    this.service.onTrade(this, { venue: this.venue, symbol: this.symbol, id: String(++this.tradeId), price, size, side, exchangeTs, localTs: ts });
  }
  private emit(kind: BookEvent['kind'], ts: number, bids: Levels, asks: Levels): void {
    this.health.lastMessageAt = ts;
    this.service.onBook(this, { venue: this.venue, symbol: this.symbol, kind, bids, asks, localTs: ts });
  }
}

export const T0 = 1_700_000_000_000;
/** The time `sec` seconds after T0. */
export const s = (sec: number) => T0 + sec * 1000;

/** 20 levels a side of one size, tick 0.01: bids 100.00 down, asks 100.01 up. */
export function ladder(size = '1'): { bids: Levels; asks: Levels } {
  const bids: Levels = [];
  const asks: Levels = [];
  for (let i = 0; i < 20; i++) {
    bids.push([(100 - i * 0.01).toFixed(2), size]);
    asks.push([(100.01 + i * 0.01).toFixed(2), size]);
  }
  return { bids, asks };
}

/** binance-spot TESTUSDT on the ladder at T0, with the service's clock in the test's hands. */
export function scene(config: AnalyticsOverrides = {}) {
  let now = T0;
  const service = new AnalyticsService({ config, clock: () => now });
  const feed = new ScriptedFeed('binance-spot', 'TESTUSDT', service);
  const events: Array<{ type: string; alert: Alert }> = [];
  service.onAlert((e) => events.push(e));
  const { bids, asks } = ladder();
  feed.snapshot(T0, bids, asks);
  /** Book heartbeats (a far level re-set to its size) every `step` ms, from `from` to `to` seconds. */
  const run = (from: number, to: number, step = 250) => {
    for (let t = s(from); t <= s(to); t += step) {
      now = t;
      feed.delta(t, [], [['100.20', '1']]);
    }
  };
  /** The alerts listed, of one kind or all. */
  const alerts = (kind?: string) => service.listAlerts({ limit: 1000 }).alerts.filter((a) => !kind || a.kind === kind);
  const setNow = (t: number) => (now = t);
  return { service, feed, events, run, alerts, setNow };
}
