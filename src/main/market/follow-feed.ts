/** Frame sources that follow the live/replay switch: whichever book the market shows for venue:symbol. */
import type { VenueId } from '../../shared/market';
import type { FrameSource } from '../publish/publisher';
import type { SymbolFeed } from '../venues/symbol-feed';
import type { MarketService } from './service';

/**
 * A frame source on the book the market shows for venue:symbol: a replay's while a capture plays,
 * the live one otherwise. When that book changes, the inner source is rebuilt on it.
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
