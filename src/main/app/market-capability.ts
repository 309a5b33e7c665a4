/** The market's capability on the contract: app info, venues, instruments, health, the ladder stream. */
import type { HealthReport, LadderFrame } from '../../shared/contract';
import { formatScaled } from '../../shared/decimal';
import type { Instrument, Side, VenueId } from '../../shared/market';
import type { FrameSource } from '../publish/publisher';
import type { PriceLevel } from '../book/order-book';
import { lastDecimals, lastMantissa, pow10, scanDecimal } from '../book/price-key';
import type { SymbolFeed } from '../venues/symbol-feed';
import type { CommandHandlers, HostInfo, StreamFactories } from './contract-host';
import { depthSource, heatmapSource, topOfBookSource } from './book-streams';
import type { MarketService } from './market';

/** The market's commands and streams: app info, venues, instruments, health, the ladder. */
export function marketCapability(
  market: MarketService,
  info: HostInfo,
  health: () => HealthReport = () => market.health(),
): { commands: CommandHandlers; streams: StreamFactories } {
  return {
    commands: {
      'app.info': () => info,
      'venues.list': () => market.venues(),
      'instruments.list': ({ venue }) => market.instruments(venue),
      'health.get': () => health(),
    },
    streams: {
      'book.ladder': (p) =>
        followFeed(market, p.venue, p.symbol, (feed) => ({
          version: () => `${feed.book.version}/${feed.stateVersion}`,
          build: (): LadderFrame => buildLadderFrame(feed, p.depth, market.instrument(p.venue, feed.symbol) ?? null, p.group),
        })),
      'book.depth': (p) => followFeed(market, p.venue, p.symbol, (feed) => depthSource(feed, p.rangeBps, p.points)),
      'book.heatmap': (p) => followFeed(market, p.venue, p.symbol, (feed) => heatmapSource(feed, p.rows, p.spanBps, p.intervalMs, Date.now)),
      'book.top': (p) => followFeed(market, p.venue, p.symbol, (feed) => topOfBookSource(market, feed)),
      health: () => ({ version: () => Math.floor(Date.now() / 1000), build: () => health() }),
      'replay.status': () => ({
        // Four updates a second while a capture plays; otherwise only when the status changes.
        version: () => {
          const s = market.replayStatus();
          return s.active && !s.paused && !s.done ? Math.floor(Date.now() / 250) : `${s.active}/${s.paused}/${s.done}/${s.name}`;
        },
        build: () => market.replayStatus(),
      }),
    },
  };
}

/** The instrument's tick in integer units of the book's current price scale (1 when unknown). */
function tickUnits(instrument: Instrument | null, scale: number): number {
  if (!instrument?.tickSize || !scanDecimal(instrument.tickSize)) return 1;
  const decimals = lastDecimals();
  return decimals <= scale ? lastMantissa() * pow10(scale - decimals) : 1;
}

/** Sum levels into rows `step` ticks tall: bids round down, asks round up (away from the spread). */
function groupLevels(levels: Iterable<PriceLevel>, side: Side, step: number, rows: number, scale: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let bucket = Number.NaN;
  let sum = 0;
  for (const level of levels) {
    const b = side === 'bid' ? Math.floor(level.tick / step) * step : Math.ceil(level.tick / step) * step;
    if (b !== bucket) {
      if (!Number.isNaN(bucket)) out.push([formatScaled(bucket, scale), String(sum)]);
      if (out.length >= rows) return out;
      bucket = b;
      sum = 0;
    }
    sum += level.size;
  }
  if (!Number.isNaN(bucket) && out.length < rows) out.push([formatScaled(bucket, scale), String(sum)]);
  return out;
}

/**
 * A frame source that follows whichever book the market shows for venue:symbol: a replay's while a
 * capture plays, the live one otherwise. When that book changes, the inner source is rebuilt on it.
 */
export async function followFeed(
  market: MarketService,
  venue: VenueId,
  symbol: string,
  make: (feed: SymbolFeed) => FrameSource,
): Promise<FrameSource> {
  let feed = await market.ensure(venue, symbol);
  let inner = make(feed);
  let serial = 0;
  const follow = (): void => {
    const current = market.feed(venue, symbol);
    if (!current) {
      // Back from a replay to a symbol that was never live: start its live feed.
      market.ensure(venue, symbol).catch(() => {});
      return;
    }
    if (current === feed) return;
    inner.dispose?.();
    feed = current;
    inner = make(current);
    serial++;
  };
  return {
    version: () => {
      follow();
      return `${serial}:${inner.version()}`;
    },
    build: () => inner.build(),
    dispose: () => inner.dispose?.(),
  };
}

export function buildLadderFrame(feed: SymbolFeed, depth: number, instrument: Instrument | null, group = 1): LadderFrame {
  const book = feed.book;
  const scale = book.priceScale;
  const bestBid = book.bestBid();
  const bestAsk = book.bestAsk();
  let bids: Array<[string, string]>;
  let asks: Array<[string, string]>;
  if (group <= 1) {
    bids = book.top('bid', depth).map((l) => [l.price, l.sizeText]);
    asks = book.top('ask', depth).map((l) => [l.price, l.sizeText]);
  } else {
    const step = group * tickUnits(instrument, scale);
    bids = groupLevels(book.levels('bid'), 'bid', step, depth, scale);
    asks = groupLevels(book.levels('ask'), 'ask', step, depth, scale);
  }
  return {
    venue: feed.venue,
    symbol: feed.symbol,
    state: feed.state,
    bids,
    asks,
    bidLevels: book.levelCount('bid'),
    askLevels: book.levelCount('ask'),
    priceDecimals: Math.max(instrument?.pricePrecision ?? 0, scale),
    sizeDecimals: Math.min(instrument?.sizePrecision ?? 4, 6),
    spread: bestBid && bestAsk ? formatScaled(bestAsk.tick - bestBid.tick, scale) : null,
    version: book.version,
    exchangeTs: feed.lastExchangeTs,
    localTs: feed.lastLocalTs,
    message: feed.state === 'synced' ? null : feed.health.lastError,
  };
}
