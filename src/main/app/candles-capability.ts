/** The candles stream on the contract: time candles of a symbol's trades, with the store's history first. */
import { CandleTradeLog } from '../market/candle-trade-log';
import { followFeed } from '../market/follow-feed';
import type { MarketService } from '../market/service';
import { candlesSource, type TradeHistory } from '../publish/views/candles';
import type { StreamFactories } from './contract-host';

export function candlesCapability(market: MarketService, store: TradeHistory | null): { streams: StreamFactories; close(): void } {
  const log = new CandleTradeLog(market);
  return {
    streams: {
      candles: (p) =>
        followFeed(market, p.venue, p.symbol, (feed) =>
          candlesSource({
            feed,
            interval: p.interval,
            updates: market,
            log,
            // A replayed capture is never recorded: its candles come from the log alone.
            history: market.isReplayFeed(feed) ? null : store,
            instrument: () => market.instrument(p.venue, feed.symbol) ?? null,
          }),
        ),
    },
    close: () => log.close(),
  };
}
