/**
 * The paper market maker in the app: one strategy at a time on one book (live or replayed), fed by the
 * same book and trade events as the panels, published on the `mm` stream. Read-only: it never sends
 * anything to an exchange. Time is each event's local receive time, so a replayed book runs on the
 * recorded clock and the results match `npm run mm` on the same capture played from the start.
 */
import { ContractError } from '../../shared/contract';
import type { VenueId } from '../../shared/market';
import {
  DEFAULT_MARKET_MAKER_SETTINGS,
  marketMakerSettingsProblems,
  type MarketMakerFill,
  type MarketMakerFrame,
  type MarketMakerPoint,
  type MarketMakerSettings,
} from '../../shared/market-maker';
import type { MarketService } from '../market/service';
import type { SymbolFeed } from '../venues/symbol-feed';
import { orderBookView, type BookView } from './book-view';
import { MarketMakerEngine } from './engine';

/** Fills kept for the panel and the tape. */
const MAX_FILLS = 200;
/** History points kept; older ones are thinned by half when full. */
const MAX_POINTS = 2000;
/** At most one history point per this much book time (fills always add one). */
const POINT_EVERY_MS = 250;

export class MarketMakerService {
  private settings: MarketMakerSettings = { ...DEFAULT_MARKET_MAKER_SETTINGS };
  private engine: MarketMakerEngine | null = null;
  private feed: SymbolFeed | null = null;
  private view: BookView | null = null;
  private venue: VenueId | null = null;
  private symbol: string | null = null;
  private replay = false;
  private fills: MarketMakerFill[] = [];
  private points: MarketMakerPoint[] = [];
  private message: string | null = null;
  private unsubscribe: Array<() => void> = [];
  /** Bumped on every change the stream should show. */
  version = 0;

  constructor(private readonly market: MarketService) {}

  /** Merge and check new settings; they apply from the next start. */
  updateSettings(patch: Partial<MarketMakerSettings>): MarketMakerSettings {
    const next = { ...this.settings, ...patch };
    // A spread given one way clears the other, so the panel can switch between bps and ticks.
    if (patch.spreadBps != null && patch.spreadTicks === undefined) next.spreadTicks = null;
    if (patch.spreadTicks != null && patch.spreadBps === undefined) next.spreadBps = null;
    const problems = marketMakerSettingsProblems(next);
    if (problems.length > 0) throw new ContractError('bad-request', problems.join('; '));
    this.settings = next;
    this.version++;
    return { ...next };
  }

  async start(venue: VenueId, symbol: string, patch: Partial<MarketMakerSettings> = {}): Promise<MarketMakerFrame> {
    this.updateSettings(patch);
    const feed = await this.market.ensure(venue, symbol);
    this.stop();
    const settings = { ...this.settings };
    // Live, the venue's own tick size is known; a capture's book falls back to its price decimals.
    if (settings.tickSize === null) settings.tickSize = this.market.instrument(venue, feed.symbol)?.tickSize ?? null;
    this.engine = new MarketMakerEngine(settings, (fill) => this.recordFill(fill));
    this.feed = feed;
    this.view = orderBookView(feed.book);
    this.venue = venue;
    this.symbol = feed.symbol;
    this.replay = this.market.isReplayFeed(feed);
    this.fills = [];
    this.points = [];
    this.message = null;
    this.unsubscribe = [
      this.market.onBook((f, event) => {
        if (f !== this.feed || !this.engine || !this.view) return;
        this.engine.onBook(event.localTs, this.view);
        this.addPoint(event.localTs, false);
        this.version++;
      }),
      this.market.onTrade((f, trade) => {
        if (f !== this.feed || !this.engine || trade.history) return;
        this.engine.onTrade(trade.localTs, trade);
      }),
      this.market.onReleased((feeds) => {
        if (this.feed && feeds.includes(this.feed)) this.stop('stopped: the replay that fed its book ended');
      }),
    ];
    this.version++;
    return this.frame();
  }

  /** Stop quoting; the results stay on show until the next start. */
  stop(message: string | null = null): MarketMakerFrame {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.feed = null;
    this.view = null;
    if (message) this.message = message;
    this.version++;
    return this.frame();
  }

  get running(): boolean {
    return this.feed !== null;
  }

  frame(): MarketMakerFrame {
    return {
      running: this.running,
      venue: this.venue,
      symbol: this.symbol,
      replay: this.replay,
      settings: { ...this.settings },
      summary: this.engine?.summary() ?? null,
      quotes: this.running && this.engine ? this.engine.quotes() : [],
      fills: this.fills.slice(),
      points: this.points.slice(),
      message: this.message,
    };
  }

  close(): void {
    this.stop();
  }

  private recordFill(fill: MarketMakerFill): void {
    this.fills.push({ ts: fill.ts, side: fill.side, price: fill.price, size: fill.size, quoteTs: fill.quoteTs, liquidity: fill.liquidity });
    if (this.fills.length > MAX_FILLS) this.fills.splice(0, this.fills.length - MAX_FILLS);
    this.addPoint(fill.ts, true);
    this.version++;
  }

  private addPoint(ts: number, always: boolean): void {
    const account = this.engine?.account;
    if (!account || account.mark === null) return;
    const last = this.points.at(-1);
    if (!always && last && ts - last.ts < POINT_EVERY_MS) return;
    this.points.push({ ts, pnl: account.pnl().toNumber(), inventory: account.inventory.toNumber() });
    // Keep the whole run in view at a bounded size: drop every other old point.
    if (this.points.length > MAX_POINTS) this.points = this.points.filter((_, i) => i % 2 === 0 || i >= MAX_POINTS / 2);
  }
}
