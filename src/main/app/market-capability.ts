/** The market's capability on the contract: app info, venues, instruments, health, the ladder stream. */
import type { LadderFrame } from '../../shared/contract';
import { formatScaled } from '../../shared/decimal';
import type { Instrument } from '../../shared/market';
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
          build: (): LadderFrame => buildLadderFrame(feed, p.depth, market.instrument(p.venue, feed.symbol) ?? null),
        };
      },
      'book.depth': async (p) => depthSource(await market.ensure(p.venue, p.symbol), p.rangeBps, p.points),
      'book.heatmap': async (p) => heatmapSource(await market.ensure(p.venue, p.symbol), p.rows, p.spanBps, p.intervalMs, Date.now),
      'book.top': async (p) => topOfBookSource(market, await market.ensure(p.venue, p.symbol)),
      health: () => ({ version: () => Math.floor(Date.now() / 1000), build: () => market.health() }),
    },
  };
}

export function buildLadderFrame(feed: SymbolFeed, depth: number, instrument: Instrument | null): LadderFrame {
  const book = feed.book;
  const bids = book.top('bid', depth);
  const asks = book.top('ask', depth);
  const bestBid = bids[0];
  const bestAsk = asks[0];
  const scale = book.priceScale;
  return {
    venue: feed.venue,
    symbol: feed.symbol,
    state: feed.state,
    bids: bids.map((l) => [l.price, l.sizeText]),
    asks: asks.map((l) => [l.price, l.sizeText]),
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
