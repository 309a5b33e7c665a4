/** The DOM ladder view: the best levels of each side as the venue's text, or grouped into rows of N ticks. */
import type { LadderFrame } from '../../../shared/contract';
import { formatScaled } from '../../../shared/decimal';
import type { Instrument } from '../../../shared/market';
import type { TradedVolume } from '../../market/traded-volume';
import type { SymbolFeed } from '../../venues/symbol-feed';
import type { FrameSource } from '../publisher';

/**
 * `group` > 1 sums levels into rows `group` instrument ticks tall (the book does the grouping, exactly,
 * on its integer price keys); without a known tick size a row is `group` units of the book's last digit.
 */
export function buildLadderFrame(
  feed: SymbolFeed,
  depth: number,
  instrument: Instrument | null,
  group = 1,
  volume: TradedVolume | null = null,
): LadderFrame {
  const book = feed.book;
  const scale = book.priceScale;
  const bestBid = book.bestBid();
  const bestAsk = book.bestAsk();
  let bids: Array<[string, string]>;
  let asks: Array<[string, string]>;
  let rowDecimals = scale;
  if (group <= 1) {
    bids = book.top('bid', depth).map((l) => [l.price, l.sizeText]);
    asks = book.top('ask', depth).map((l) => [l.price, l.sizeText]);
  } else {
    const tickSize = instrument?.tickSize ?? null;
    const groupedBids = book.groupLevels('bid', tickSize, group, depth);
    const groupedAsks = book.groupLevels('ask', tickSize, group, depth);
    bids = groupedBids.levels.map((row) => [row.price, String(row.size)]);
    asks = groupedAsks.levels.map((row) => [row.price, String(row.size)]);
    rowDecimals = Math.max(groupedBids.decimals, groupedAsks.decimals);
  }
  const frame: LadderFrame = {
    venue: feed.venue,
    symbol: feed.symbol,
    state: feed.state,
    bids,
    asks,
    bidLevels: book.levelCount('bid'),
    askLevels: book.levelCount('ask'),
    priceDecimals: Math.max(instrument?.pricePrecision ?? 0, rowDecimals),
    sizeDecimals: Math.min(instrument?.sizePrecision ?? 4, 6),
    spread: bestBid && bestAsk ? formatScaled(bestAsk.tick - bestBid.tick, scale) : null,
    version: book.version,
    exchangeTs: feed.lastExchangeTs,
    localTs: feed.lastLocalTs,
    message: feed.state === 'synced' ? null : feed.health.lastError,
  };
  if (volume) {
    // The frame's price range: its farthest bid to its farthest ask (a grouped row's price included).
    const low = Number((bids.at(-1) ?? asks[0])?.[0] ?? NaN);
    const high = Number((asks.at(-1) ?? bids[0])?.[0] ?? NaN);
    frame.traded = Number.isFinite(low) && Number.isFinite(high) ? volume.between(feed, low, high) : [];
    const last = volume.lastTrade(feed);
    if (last) frame.lastTrade = last;
  }
  return frame;
}

/** `instrument` is asked at every frame: the instrument list may arrive after the book. */
export function ladderSource(
  feed: SymbolFeed,
  depth: number,
  group: number,
  instrument: () => Instrument | null,
  volume: TradedVolume | null = null,
  /** Wall clock for the receipt → window frame hop; null where receipt times are recorded ones (replay). */
  frameClock: (() => number) | null = null,
): FrameSource {
  let timedVersion = -1;
  return {
    version: () => `${feed.book.version}/${feed.stateVersion}/${volume?.version(feed) ?? 0}`,
    build: (): LadderFrame => {
      const frame = buildLadderFrame(feed, depth, instrument(), group, volume);
      // Once per book change: how long the newest update waited from its receipt for this frame.
      if (frameClock && feed.book.version !== timedVersion && feed.lastLocalTs > 0) {
        timedVersion = feed.book.version;
        const now = frameClock();
        feed.hop('receiptToFrame', now, now - feed.lastLocalTs);
      }
      return frame;
    },
  };
}
