/**
 * The cross-venue frame sources: the consolidated book (merged ladder, NBBO with arbitrage, depth
 * bands and the per-venue depth curve, in one frame) and lead/lag. Each reads the books the market
 * shows for its members at every frame, so it follows the live/replay switch like every other view.
 */
import type { CrossBookFrame, CrossBookParams, CrossMember, LeadLagFrame, LeadLagParams } from '../../shared/cross-venue';
import type { MarketService } from '../market/service';
import type { FrameSource } from '../publish/publisher';
import type { SymbolFeed } from '../venues/symbol-feed';
import { depthBands, depthCurve } from './depth-bands';
import type { FeeTable } from './fees';
import { resolveGroup, type ResolvedGroup } from './group';
import { LeadLagTracker } from './lead-lag';
import type { MemberBook } from './member';
import { exclusionReason } from './member';
import { mergeBooks } from './merged-book';
import { computeNbbo } from './nbbo';
import { coarsestTick, multiplyTick, unitOfScale } from './price-grid';

type Market = Pick<MarketService, 'venueIds' | 'instruments' | 'ensure' | 'feed' | 'onBook' | 'onState'>;

/** Default depth-curve range when none is asked for. */
const DEFAULT_RANGE_BPS = 50;

/** Start every member's feed; a member whose feed cannot start stays in the group as failed, with why. */
export async function startMembers(market: Market, group: ResolvedGroup): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  await Promise.all(
    group.members.map(async (m) => {
      try {
        await market.ensure(m.venue, m.symbol);
      } catch (error) {
        failures.set(`${m.venue}:${m.symbol}`, (error as Error).message);
      }
    }),
  );
  return failures;
}

/** The members as the merged views read them, from the books the market shows now. */
export function memberBooks(market: Pick<MarketService, 'feed'>, group: ResolvedGroup, failures: ReadonlyMap<string, string>): MemberBook[] {
  return group.members.map((m) => {
    const feed: SymbolFeed | undefined = market.feed(m.venue, m.symbol);
    if (!feed) {
      return { venue: m.venue, symbol: m.symbol, state: 'failed', message: failures.get(`${m.venue}:${m.symbol}`) ?? 'not streaming', book: null, lastLocalTs: 0, tickSize: m.tickSize };
    }
    return { venue: m.venue, symbol: m.symbol, state: feed.state, message: feed.health.lastError, book: feed.book, lastLocalTs: feed.lastLocalTs, tickSize: m.tickSize };
  });
}

/** The common tick: the coarsest known member tick (or book unit where a tick is not known) × `multiple`. */
export function commonTick(members: readonly MemberBook[], multiple: number): string {
  const ticks = members.map((m) => m.tickSize ?? (m.book && m.book.levelCount('bid') + m.book.levelCount('ask') > 0 ? unitOfScale(m.book.priceScale) : null));
  return multiplyTick(coarsestTick(ticks) ?? '0.00000001', multiple);
}

export function buildCrossBookFrame(key: string | null, members: readonly MemberBook[], params: CrossBookParams, fees: FeeTable, now: number): CrossBookFrame {
  const tick = commonTick(members, params.group);
  const merged = mergeBooks(members, tick, params.levels);
  const nbbo = computeNbbo(members, fees, now);
  const mid = nbbo.bid && nbbo.ask ? (Number(nbbo.bid.price) + Number(nbbo.ask.price)) / 2 : null;
  const rangeBps = params.rangeBps || DEFAULT_RANGE_BPS;
  const bucketBps = rangeBps / params.points;
  const curve = mid === null ? { bids: {}, asks: {} } : depthCurve(members, mid, bucketBps, params.points);
  const memberInfo: CrossMember[] = members.map((m) => {
    const reason = exclusionReason(m);
    return {
      venue: m.venue,
      symbol: m.symbol,
      state: m.state,
      included: reason === null,
      reason,
      bid: m.book?.bestBid()?.price ?? null,
      ask: m.book?.bestAsk()?.price ?? null,
      ageMs: m.lastLocalTs > 0 ? Math.max(0, now - m.lastLocalTs) : null,
      tickSize: m.tickSize,
      takerFee: fees.taker(m.venue),
    };
  });
  return {
    key,
    members: memberInfo,
    tick,
    priceDecimals: tick.includes('.') ? tick.length - tick.indexOf('.') - 1 : 0,
    bids: merged.bids,
    asks: merged.asks,
    nbbo,
    bands: depthBands(members),
    depth: { mid, bucketBps, bids: curve.bids, asks: curve.asks },
    ts: now,
  };
}

/** The newest local receive time among the members: "now" on the books' own clock (replays included). */
function booksNow(members: readonly MemberBook[], wallClock: number, replayed: boolean): number {
  if (!replayed) return wallClock;
  return Math.max(0, ...members.map((m) => m.lastLocalTs));
}

export async function crossBookSource(market: Market & Pick<MarketService, 'isReplayFeed'>, params: CrossBookParams, fees: FeeTable): Promise<FrameSource> {
  const group = await resolveGroup(market, params);
  const failures = await startMembers(market, group);
  const feeds = (): Array<SymbolFeed | undefined> => group.members.map((m) => market.feed(m.venue, m.symbol));
  return {
    // Any member's book or state, and once a second so ages stay true on a quiet book.
    version: () => `${feeds().map((f) => (f ? `${f.book.version}/${f.stateVersion}` : '-')).join(',')}@${Math.floor(Date.now() / 1000)}`,
    build: (): CrossBookFrame => {
      const members = memberBooks(market, group, failures);
      const replayed = feeds().some((f) => f !== undefined && market.isReplayFeed(f));
      return buildCrossBookFrame(group.key, members, params, fees, booksNow(members, Date.now(), replayed));
    },
  };
}

export async function leadLagSource(market: Market & Pick<MarketService, 'isReplayFeed'>, params: LeadLagParams): Promise<FrameSource> {
  const group = await resolveGroup(market, params);
  const failures = await startMembers(market, group);
  const tracker = new LeadLagTracker(
    group.members.map((m) => m.venue),
    params.binMs,
    params.windowSec,
    Math.round(params.maxLagMs / params.binMs),
  );
  let latest = 0;
  const memberOf = (feed: SymbolFeed) => group.members.find((m) => m.venue === feed.venue && m.symbol === feed.symbol && market.feed(m.venue, m.symbol) === feed);
  const sample = (feed: SymbolFeed, ts: number): void => {
    const bid = feed.book.bestBid();
    const ask = feed.book.bestAsk();
    const mid = feed.state === 'synced' && bid && ask ? (feed.book.priceValue(bid) + feed.book.priceValue(ask)) / 2 : null;
    tracker.record(feed.venue, ts, mid);
    latest = Math.max(latest, ts);
  };
  const offBook = market.onBook((feed, event) => {
    if (memberOf(feed)) sample(feed, event.localTs);
  });
  const offState = market.onState((feed, _from, to) => {
    // Leaving sync is a hole from now on (nothing to mark before the first mid).
    const ts = Math.max(latest, feed.lastLocalTs);
    if (to !== 'synced' && ts > 0 && memberOf(feed)) sample(feed, ts);
  });
  return {
    version: () => Math.floor(Date.now() / 1000),
    build: (): LeadLagFrame => {
      const members = memberBooks(market, group, failures);
      const replayed = members.some((m) => {
        const f = market.feed(m.venue, m.symbol);
        return f !== undefined && market.isReplayFeed(f);
      });
      const now = replayed ? latest : Date.now();
      return { key: group.key, binMs: params.binMs, windowSec: params.windowSec, pairs: tracker.pairs(now), ts: now };
    },
    dispose: () => {
      offBook();
      offState();
    },
  };
}
