/** The market's capability on the contract: app info, venues, instruments, health, the ladder stream. */
import type { LadderFrame } from '../../shared/contract';
import { formatScaled } from '../../shared/decimal';
import type { Instrument, Side } from '../../shared/market';
import type { PriceLevel } from '../book/order-book';
import { lastDecimals, lastMantissa, pow10, scanDecimal } from '../book/price-key';
import type { SymbolFeed } from '../venues/symbol-feed';
import type { CommandHandlers, HostInfo, StreamFactories } from './contract-host';
import { depthSource, heatmapSource, topOfBookSource } from './book-streams';
import type { MarketService } from './market';

/** The market's commands and streams: app info, venues, instruments, health, the ladder. */
export function marketCapability(market: MarketService, info: HostInfo): { commands: CommandHandlers; streams: StreamFactories } {
  return {
    commands: {
      'app.info': () => info,
      'venues.list': () => market.venues(),
      'instruments.list': ({ venue }) => market.instruments(venue),
      'health.get': () => market.health(),
    },
    streams: {
      'book.ladder': async (p) => {
        const feed = await market.ensure(p.venue, p.symbol);
        return {
          version: () => `${feed.book.version}/${feed.stateVersion}`,
          build: (): LadderFrame => buildLadderFrame(feed, p.depth, market.instrument(p.venue, feed.symbol) ?? null, p.group),
        };
      },
      'book.depth': async (p) => depthSource(await market.ensure(p.venue, p.symbol), p.rangeBps, p.points),
      'book.heatmap': async (p) => heatmapSource(await market.ensure(p.venue, p.symbol), p.rows, p.spanBps, p.intervalMs, Date.now),
      'book.top': async (p) => topOfBookSource(market, await market.ensure(p.venue, p.symbol)),
      health: () => ({ version: () => Math.floor(Date.now() / 1000), build: () => market.health() }),
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
