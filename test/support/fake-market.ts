import type { SymbolFeed } from '../../src/main/venues/symbol-feed';
import type { Trade } from '../../src/shared/market';

type TradeListener = (feed: SymbolFeed, trade: Trade) => void;

/** What the market offers the views: prints and released feeds. */
export function fakeMarket() {
  const trades = new Set<TradeListener>();
  const released = new Set<(feeds: readonly SymbolFeed[]) => void>();
  return {
    onTrade(l: TradeListener) {
      trades.add(l);
      return () => trades.delete(l);
    },
    onReleased(l: (feeds: readonly SymbolFeed[]) => void) {
      released.add(l);
      return () => released.delete(l);
    },
    emit(feed: SymbolFeed, trade: Trade) {
      for (const l of trades) l(feed, trade);
    },
    release(feeds: SymbolFeed[]) {
      for (const l of released) l(feeds);
    },
    listeners: () => trades.size,
  };
}
