/**
 * The order-flow streams on the contract: footprint candles (flow.footprint) and the traded volume
 * profile (flow.tradedProfile) of the book the market shows for venue:symbol, built from its
 * TradeFlows aggregate. A frame is rebuilt at most every REBUILD_MS while prints arrive: a busy
 * feed prints hundreds of times a second, and a footprint a human reads does not need more.
 */
import type { FootprintFrame, FootprintParams, TradedProfileFrame, TradedProfileParams } from '../../shared/order-flow';
import type { Instrument } from '../../shared/market';
import { buildFootprint, FootprintCache, footprintFrom } from '../analytics/footprint';
import { buildTradedProfile } from '../analytics/traded-profile';
import { bucketStart } from '../analytics/candles';
import { autoGroupTicks, DAY_MS, FLOW_BUCKET_MS, priceSpanTicks, rowStep, scaledText, type FlowVolumes, type PriceVolumes } from '../analytics/traded-volume-buckets';
import { followFeed } from '../market/follow-feed';
import type { MarketService } from '../market/service';
import type { TradeFlows } from '../market/trade-flows';
import type { FrameSource } from '../publish/publisher';
import type { SymbolFeed } from '../venues/symbol-feed';
import type { StreamFactories } from './contract-host';

export const REBUILD_MS = 250;
/** Sizes are shown with at most this many decimals. */
const MAX_SIZE_DECIMALS = 8;

/**
 * The feed's aggregate version, let through at most every REBUILD_MS (and always the first), and never
 * sooner than five times the last build took: a frame that is slow to build (a long period of a busy
 * symbol) costs the main thread at most a fifth of its time.
 */
function throttled(flows: TradeFlows, feed: SymbolFeed, now: () => number, build: () => unknown): FrameSource {
  let shown = -1;
  let shownAt = -Infinity;
  let lastBuildMs = 0;
  return {
    version: () => {
      const current = flows.flow(feed).version;
      if (current !== shown && now() - shownAt >= Math.max(REBUILD_MS, 5 * lastBuildMs)) {
        shown = current;
        shownAt = now();
      }
      return `${shown}|${flows.historyState(feed)}`;
    },
    build: () => {
      const started = performance.now();
      const frame = build();
      lastBuildMs = performance.now() - started;
      return frame;
    },
  };
}

/** The row size asked for, or (0) the automatic one that fits `volumes` in `autoRows` rows. */
function groupFor(groupTicks: number, autoRows: number, tickSize: string | null, flow: FlowVolumes, volumes: () => PriceVolumes[]): number {
  if (groupTicks > 0) return groupTicks;
  return autoGroupTicks(priceSpanTicks(volumes(), rowStep(tickSize, flow.priceDecimals, 1)), autoRows);
}

function decimalsOf(flow: FlowVolumes, instrument: Instrument | null, stepScale: number): { priceDecimals: number; sizeDecimals: number } {
  const price = instrument?.pricePrecision ?? null;
  const size = instrument?.sizePrecision ?? null;
  return {
    priceDecimals: Math.max(price !== null && price >= 0 ? price : flow.priceDecimals, stepScale),
    sizeDecimals: Math.min(MAX_SIZE_DECIMALS, size !== null && size >= 0 ? size : flow.sizeDecimals),
  };
}

export function footprintSource(flows: TradeFlows, feed: SymbolFeed, p: FootprintParams, instrument: () => Instrument | null, now: () => number = Date.now): FrameSource {
  const cache = new FootprintCache();
  return throttled(flows, feed, now, (): FootprintFrame => {
      const flow = flows.flow(feed);
      const i = instrument();
      const tickSize = i?.tickSize ?? null;
      const groupTicks = groupFor(p.groupTicks, p.autoRows, tickSize, flow, () => {
        const from = footprintFrom(flow, p.intervalMs, p.candles);
        return from === null ? [] : [flow.between(from, Infinity)];
      });
      const step = rowStep(tickSize, flow.priceDecimals, groupTicks);
      return {
        venue: feed.venue,
        symbol: feed.symbol,
        intervalMs: p.intervalMs,
        rowStep: scaledText(step.mantissa, step.scale),
        groupTicks,
        imbalanceRatio: p.imbalanceRatio,
        ...decimalsOf(flow, i, step.scale),
        candles: buildFootprint(flow, { intervalMs: p.intervalMs, step, imbalanceRatio: p.imbalanceRatio, candles: p.candles }, cache),
        newestTs: flow.newestTs,
      };
  });
}

/** The period a profile covers on the feed's clock: [from, to), or null before any print. */
export function profilePeriod(flow: FlowVolumes, p: TradedProfileParams): { from: number; to: number } | null {
  if (p.period === 'range') return { from: p.from!, to: p.to! };
  if (flow.newestTs === null) return null;
  if (p.period === 'session') {
    const day = bucketStart(flow.newestTs, DAY_MS);
    return { from: day, to: day + DAY_MS };
  }
  const to = bucketStart(flow.newestTs, FLOW_BUCKET_MS) + FLOW_BUCKET_MS;
  return { from: to - Math.ceil(p.windowMs / FLOW_BUCKET_MS) * FLOW_BUCKET_MS, to };
}

export function tradedProfileSource(flows: TradeFlows, feed: SymbolFeed, p: TradedProfileParams, instrument: () => Instrument | null, now: () => number = Date.now): FrameSource {
  return throttled(flows, feed, now, (): TradedProfileFrame => {
      const flow = flows.flow(feed);
      const i = instrument();
      const period = profilePeriod(flow, p);
      // A whole UTC day is kept summed; any other period adds up its 5 s buckets.
      const volumes: PriceVolumes = period === null ? new Map() : p.period === 'session' ? flow.day(period.from) : flow.between(period.from, period.to);
      const tickSize = i?.tickSize ?? null;
      const groupTicks = groupFor(p.groupTicks, p.autoRows, tickSize, flow, () => [volumes]);
      const step = rowStep(tickSize, flow.priceDecimals, groupTicks);
      return {
        venue: feed.venue,
        symbol: feed.symbol,
        from: period?.from ?? null,
        to: period?.to ?? null,
        rowStep: scaledText(step.mantissa, step.scale),
        groupTicks,
        ...decimalsOf(flow, i, step.scale),
        ...buildTradedProfile(volumes, step, p.valueAreaPercent),
        valueAreaPercent: p.valueAreaPercent,
        lastPrice: flow.lastPrice,
      };
  });
}

export function orderFlowCapability(market: MarketService, flows: TradeFlows): { streams: StreamFactories } {
  const instrumentOf = (feed: SymbolFeed) => () => market.instrument(feed.venue, feed.symbol) ?? null;
  const withHistory = (feed: SymbolFeed): SymbolFeed => {
    void flows.loadHistory(feed, feed.venue);
    return feed;
  };
  return {
    streams: {
      'flow.footprint': (p) => followFeed(market, p.venue, p.symbol, (feed) => footprintSource(flows, withHistory(feed), p, instrumentOf(feed))),
      'flow.tradedProfile': (p) => followFeed(market, p.venue, p.symbol, (feed) => tradedProfileSource(flows, withHistory(feed), p, instrumentOf(feed))),
    },
  };
}
