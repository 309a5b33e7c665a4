/**
 * Everything analytics keeps for one book, updated on every book update (event time = the update's
 * local receive time). Per update: copy the best levels once, compute every metric from them, sum OFI,
 * run the detectors (O(top N) work). The depth bands, which can span thousands of levels, are computed
 * for the latest update when a frame is built. Once per completed second: sample the level-size medians,
 * take the layering look and refresh the averages. All buffers are allocated here, up front; an
 * ordinary update allocates nothing (alerts, which are rare, do).
 */
import type { DepthBand, MetricsFrame } from '../../shared/analytics';
import type { Side, SyncState, Trade, VenueId } from '../../shared/market';
import type { OrderBook } from '../book/order-book';
import { pow10 } from '../book/price-key';
import type { AlertBook } from './alerts';
import type { AnalyticsConfig } from './config';
import { emptyMetrics, type BookContext, type LiveMetrics } from './context';
import { LayeringDetector } from './detectors/layering';
import type { PriceAlertRules } from './detectors/price-alerts';
import { ExhaustionDetector, WideSpreadDetector, type Averages } from './detectors/spread-depth';
import { WallDetector } from './detectors/wall';
import { IcebergDetector } from './detectors/iceberg';
import { LargeTradeDetector } from './detectors/large-trade';
import { SweepDetector } from './detectors/sweep';
import { FlowWindows, PriceWatches, TakerOrders, flowPrint, type TakerOrder } from './trade-flow';
import { SideLevels } from './levels';
import { DepthBands, bookImbalance, bookSlope, microprice, sideWeightedPrice, weightedPrice } from './metrics';
import { OfiTracker } from './ofi';
import { RollingMedian } from './rolling-median';
import { SecondSeries, orNull, type SeriesValues } from './series';

export class BookAnalytics implements BookContext {
  readonly key: string;
  readonly bids: SideLevels;
  readonly asks: SideLevels;
  readonly metrics: LiveMetrics = emptyMetrics();
  readonly series: SecondSeries;
  /** Updates since the book was last (re)built, and since this object was made (for stream versions). */
  updates = 0;
  seq = 0;
  /** Local time of the newest book update or print (event time). */
  lastEventTs = Number.NaN;
  readonly watches = new PriceWatches();
  tradesSeen = false;

  private readonly ofi: OfiTracker;
  private readonly ofiOut: Float64Array;
  private readonly ofiSecond: Float64Array;
  private readonly ofiLastSecond: Float64Array;
  private hasLastSecond = false;
  /** `seq` the depth bands were computed at. */
  private bandsSeq = -1;
  private lastSecondBest = 0;
  private lastSecondMulti = 0;
  private readonly bandsBid: DepthBands;
  private readonly bandsAsk: DepthBands;
  private readonly medianBid: RollingMedian;
  private readonly medianAsk: RollingMedian;
  private readonly wall: WallDetector;
  private readonly layering: LayeringDetector;
  private readonly exhaustion: ExhaustionDetector;
  private readonly wideSpread: WideSpreadDetector;
  private readonly iceberg: IcebergDetector;
  private readonly largeTrade: LargeTradeDetector;
  private readonly sweep: SweepDetector;
  private readonly takerOrders: TakerOrders;
  private readonly flowWindows: FlowWindows;
  private readonly averages: Averages = { spread: Number.NaN, depth: Number.NaN, seconds: 0 };
  private readonly values: SeriesValues = { mid: NaN, microprice: NaN, spreadBps: NaN, imbalance: NaN, depthBid: NaN, depthAsk: NaN, spread: NaN, depth: NaN };

  constructor(
    readonly venue: VenueId,
    readonly symbol: string,
    readonly book: OrderBook,
    readonly alerts: AlertBook,
    private readonly rules: PriceAlertRules,
    private readonly config: AnalyticsConfig,
  ) {
    this.key = `${venue}:${symbol}`;
    const depth = Math.max(config.imbalanceLevels, config.ofiLevels, config.weightedLevels, config.slopeLevels, config.wall.levels, config.layering.levels);
    this.bids = new SideLevels('bid', depth);
    this.asks = new SideLevels('ask', depth);
    this.series = new SecondSeries(config.seriesSeconds);
    this.ofi = new OfiTracker(config.ofiLevels);
    this.ofiOut = new Float64Array(config.ofiLevels);
    this.ofiSecond = new Float64Array(config.ofiLevels);
    this.ofiLastSecond = new Float64Array(config.ofiLevels);
    const bands = [...config.depthBandsBps].sort((a, b) => a - b);
    this.bandsBid = new DepthBands(bands);
    this.bandsAsk = new DepthBands(bands);
    this.medianBid = new RollingMedian(config.wall.medianWindowMs, config.wall.levels, config.wall.minMedianSeconds);
    this.medianAsk = new RollingMedian(config.wall.medianWindowMs, config.wall.levels, config.wall.minMedianSeconds);
    this.wall = new WallDetector(config.wall, config.flow);
    this.layering = new LayeringDetector(config.layering, config.flow);
    this.iceberg = new IcebergDetector(config.iceberg, config.flow.verdictGraceMs);
    this.largeTrade = new LargeTradeDetector(config.largeTrade);
    this.sweep = new SweepDetector(config.sweep);
    this.takerOrders = new TakerOrders(config.flow.takerGapMs);
    this.flowWindows = new FlowWindows(Math.max(...config.flow.windowsSec));
    this.exhaustion = new ExhaustionDetector(config.exhaustion);
    this.wideSpread = new WideSpreadDetector(config.wideSpread);
  }

  median(side: Side): number {
    return side === 'bid' ? this.medianBid.value : this.medianAsk.value;
  }

  /** The book changed: `kind` of the event, its local receive time and exchange time. */
  onUpdate(kind: 'snapshot' | 'delta', ts: number, exchangeTs: number | undefined): void {
    if (!(ts < this.lastEventTs)) this.lastEventTs = ts;
    const completed = this.series.advance(ts);
    // Per-second work sees the book as the last second ended (the levels still hold that state).
    if (completed > 0) this.onSecond(ts, completed);
    if (kind === 'snapshot') this.ofi.reset();

    this.bids.fill(this.book);
    this.asks.fill(this.book);
    this.computeMetrics(ts, exchangeTs);

    let best = 0;
    let multi = 0;
    if (this.ofi.update(this.bids, this.asks, this.ofiOut)) {
      best = this.ofiOut[0]!;
      for (let m = 0; m < this.ofiOut.length; m++) {
        multi += this.ofiOut[m]!;
        this.ofiSecond[m]! += this.ofiOut[m]!;
      }
    }
    const v = this.values;
    const mt = this.metrics;
    v.mid = mt.mid;
    v.microprice = mt.microprice;
    v.spreadBps = mt.spreadBps;
    v.imbalance = mt.imbalance;
    v.depthBid = mt.depthBid;
    v.depthAsk = mt.depthAsk;
    v.spread = mt.spread;
    v.depth = mt.depthBid + mt.depthAsk;
    this.series.record(v, best, multi);
    this.updates++;
    this.seq++;

    this.wideSpread.onUpdate(this, ts);
    this.exhaustion.onUpdate(this, ts, this.averages);
    this.wall.onUpdate(this, ts);
    this.layering.onUpdate(this, ts);
    this.layering.settle(this, ts);
    if (this.tradesSeen) {
      this.iceberg.onUpdate(this, ts);
      this.flowTime(ts);
    }
    const rules = this.rules.rulesFor(this.key);
    if (rules) this.rules.check(rules, this.book, ts);
  }

  /** Time passed with no update (called about once a second while the book is synced). */
  onTime(now: number): void {
    if (Number.isNaN(now)) return;
    const completed = this.series.advance(now);
    if (completed > 0) {
      this.onSecond(now, completed);
      this.seq++;
    }
    this.wall.onTime(this, now);
    this.wideSpread.onTime(this, now);
    this.layering.settle(this, now);
    if (this.tradesSeen) {
      this.iceberg.onTime(this, now);
      this.flowTime(now);
    }
  }

  /**
   * A print of this book's feed (event time = its local receive time). Prints sent on subscribe from
   * before it (`history`) are not market activity and are ignored. While the book is not in sync
   * (`synced` false) the print counts in the volumes but no detector sees it: they read the book.
   */
  onTrade(trade: Trade, synced = true): void {
    if (trade.history) return;
    const p = flowPrint(trade);
    if (!p) return;
    this.tradesSeen = true;
    if (!(p.ts < this.lastEventTs)) this.lastEventTs = p.ts;
    const completed = this.series.advance(p.ts);
    if (completed > 0) this.onSecond(p.ts, completed);
    this.series.recordTrade(p.price, p.size, p.side);
    this.flowWindows.onPrint(p);
    this.seq++;
    if (!synced) return;
    this.watches.onPrint(p);
    this.iceberg.onPrint(this, p);
    const closed = this.takerOrders.onPrint(p);
    if (closed) this.onTakerOrder(closed, p.ts);
    this.wall.settle(this, p.ts);
    this.layering.settle(this, p.ts);
    this.largeTrade.settle(this, p.ts);
    this.sweep.settle(this, p.ts);
  }

  /** The rolling median taker order size (NaN until enough orders were seen). */
  get medianTakerOrder(): number {
    return this.largeTrade.median;
  }

  /** Trade-driven work that waits on time: close a taker order no print joined, clear held alerts. */
  private flowTime(ts: number): void {
    const closed = this.takerOrders.flush(ts);
    if (closed) this.onTakerOrder(closed, ts);
    this.largeTrade.settle(this, ts);
    this.sweep.settle(this, ts);
  }

  private onTakerOrder(order: TakerOrder, ts: number): void {
    this.sweep.onOrder(this, order, ts);
    this.largeTrade.onOrder(this, order, ts);
  }

  /** The book is no longer known (it left `synced`): clear what depended on it. */
  reset(ts: number, reason: string): void {
    this.wall.reset(this, ts, reason);
    this.layering.reset(this, ts, reason);
    this.exhaustion.reset(this, ts, reason);
    this.wideSpread.reset(this, ts, reason);
    this.iceberg.reset(this, ts, reason);
    this.largeTrade.reset(this, ts, reason);
    this.sweep.reset(this, ts, reason);
    this.takerOrders.clear();
    this.watches.clear();
    this.ofi.reset();
    this.bids.clear();
    this.asks.clear();
    const ts0 = this.metrics.ts;
    Object.assign(this.metrics, emptyMetrics());
    this.metrics.ts = ts0;
    this.series.clearValues();
    this.updates = 0;
    this.seq++;
  }

  private onSecond(ts: number, completed: number): void {
    const s = this.series;
    const last = (s.completed - 1) % s.capacity;
    if (completed === 1) {
      this.ofiLastSecond.set(this.ofiSecond);
    } else {
      // The second just ended had no updates.
      this.ofiLastSecond.fill(0);
    }
    this.ofiSecond.fill(0);
    this.lastSecondBest = s.ofi[last]!;
    this.lastSecondMulti = s.ofiMulti[last]!;
    this.hasLastSecond = true;
    if (this.bids.count > 0) this.medianBid.sample(ts, this.bids.sizes, this.bids.count);
    if (this.asks.count > 0) this.medianAsk.sample(ts, this.asks.sizes, this.asks.count);
    this.layering.look(this, ts);
    s.averages(this.config.exhaustion.windowSec, this.averages);
  }

  private computeMetrics(ts: number, exchangeTs: number | undefined): void {
    const m = this.metrics;
    const bids = this.bids;
    const asks = this.asks;
    const c = this.config;
    m.ts = ts;
    m.exchangeTs = exchangeTs ?? Number.NaN;
    const hasBid = bids.count > 0;
    const hasAsk = asks.count > 0;
    m.bid = hasBid ? bids.prices[0]! : Number.NaN;
    m.bidSize = hasBid ? bids.sizes[0]! : Number.NaN;
    m.ask = hasAsk ? asks.prices[0]! : Number.NaN;
    m.askSize = hasAsk ? asks.sizes[0]! : Number.NaN;
    if (hasBid && hasAsk) {
      // Spread from exact ticks (both sides are at the same scale), not from two rounded floats.
      m.spread = (asks.ticks[0]! - bids.ticks[0]!) / pow10(bids.scale);
      m.mid = (m.bid + m.ask) / 2;
      m.microprice = microprice(m.bid, m.bidSize, m.ask, m.askSize);
      m.spreadBps = m.mid > 0 ? (m.spread / m.mid) * 10_000 : Number.NaN;
      m.spreadOverAsk = m.ask > 0 ? m.spread / m.ask : Number.NaN;
    } else {
      m.spread = m.mid = m.microprice = m.spreadBps = m.spreadOverAsk = Number.NaN;
    }
    m.imbalance = bookImbalance(bids, asks, c.imbalanceLevels);
    m.depthBid = bids.depth(c.imbalanceLevels);
    m.depthAsk = asks.depth(c.imbalanceLevels);
    m.weightedBid = sideWeightedPrice(bids, c.weightedLevels);
    m.weightedAsk = sideWeightedPrice(asks, c.weightedLevels);
    m.weighted = weightedPrice(bids, asks, c.weightedLevels);
    m.slopeBid = bookSlope(bids, c.slopeLevels, m.mid);
    m.slopeAsk = bookSlope(asks, c.slopeLevels, m.mid);
  }

  /**
   * Depth within the bands around mid, for the book as the last update left it. Unlike the other
   * metrics this walks past the top levels (up to `maxBandLevels` a side), and nothing on the update
   * path needs it, so it is computed when a frame asks for it, at most once per update.
   */
  private computeBands(): void {
    if (this.bandsSeq === this.seq) return;
    this.bandsSeq = this.seq;
    const mid = this.metrics.mid;
    if (mid > 0 && this.updates > 0) {
      this.bandsBid.compute(this.book, 'bid', mid, this.config.maxBandLevels);
      this.bandsAsk.compute(this.book, 'ask', mid, this.config.maxBandLevels);
    } else {
      this.bandsBid.clear();
      this.bandsAsk.clear();
    }
  }

  /** The metrics stream's frame (built at most once per publisher tick, so it may allocate). */
  frame(state: SyncState): MetricsFrame {
    this.computeBands();
    const m = this.metrics;
    const bands: DepthBand[] = this.bandsBid.bandsBps.map((bps, i) => ({
      bps,
      bid: this.bandsBid.base[i]!,
      ask: this.bandsAsk.base[i]!,
      bidNotional: this.bandsBid.notional[i]!,
      askNotional: this.bandsAsk.notional[i]!,
      truncated: this.bandsBid.truncated || this.bandsAsk.truncated,
    }));
    return {
      venue: this.venue,
      symbol: this.symbol,
      state,
      ts: orNull(m.ts),
      exchangeTs: orNull(m.exchangeTs),
      updates: this.updates,
      bestBid: this.bids.bestText,
      bestAsk: this.asks.bestText,
      bidSize: orNull(m.bidSize),
      askSize: orNull(m.askSize),
      mid: orNull(m.mid),
      microprice: orNull(m.microprice),
      spread: orNull(m.spread),
      spreadBps: orNull(m.spreadBps),
      spreadOverAsk: orNull(m.spreadOverAsk),
      imbalance: orNull(m.imbalance),
      imbalanceLevels: this.config.imbalanceLevels,
      depthTop: { bid: Number.isFinite(m.depthBid) ? m.depthBid : 0, ask: Number.isFinite(m.depthAsk) ? m.depthAsk : 0 },
      ofi: {
        second: orNull(this.series.currentSecond),
        best: this.series.currentOfi,
        multi: this.series.currentOfiMulti,
        levels: Array.from(this.ofiSecond),
        lastSecond: this.hasLastSecond ? { best: this.lastSecondBest, multi: this.lastSecondMulti } : null,
      },
      weightedPrice: { bid: orNull(m.weightedBid), ask: orNull(m.weightedAsk), both: orNull(m.weighted), levels: this.config.weightedLevels },
      slope: { bid: orNull(m.slopeBid), ask: orNull(m.slopeAsk), levels: this.config.slopeLevels },
      depthBands: bands,
      flow: this.flowFrame(),
    };
  }

  /** Last print and the read-out windows, ending at the book's latest event time. */
  private flowFrame(): MetricsFrame['flow'] {
    const w = this.flowWindows;
    const now = Math.max(Number.isFinite(this.metrics.ts) ? this.metrics.ts : 0, Number.isFinite(w.lastTs) ? w.lastTs : 0);
    return {
      lastPrice: w.lastPrice,
      lastSide: w.lastSide,
      lastTs: orNull(w.lastTs),
      windows: this.config.flow.windowsSec.map((seconds) => ({ seconds, ...w.sum(seconds, now) })),
    };
  }

  /** Test and diagnostics access to the detectors' state. */
  activeWalls(side: Side): number {
    return this.wall.activeCount(side);
  }

  /** The last completed second's per-level OFI. */
  lastSecondOfiLevels(): number[] {
    return Array.from(this.ofiLastSecond);
  }
}
