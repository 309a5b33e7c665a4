/** The paper market maker on the contract: mm.start / mm.stop / mm.settings and the mm stream. */
import type { MarketMakerSettings } from '../../shared/market-maker';
import type { MarketService } from '../market/service';
import { MarketMakerService } from '../strategy/service';
import type { CommandHandlers, StreamFactories } from './contract-host';

export function marketMakerCapability(market: MarketService): { commands: CommandHandlers; streams: StreamFactories; close(): void } {
  const service = new MarketMakerService(market);
  return {
    commands: {
      // The queue model arrives as text; settings validation names an unknown one.
      'mm.start': (r) => service.start(r.venue, r.symbol, (r.settings ?? {}) as Partial<MarketMakerSettings>),
      'mm.stop': () => service.stop(),
      'mm.settings': (r) => service.updateSettings(r.settings as Partial<MarketMakerSettings>),
    },
    streams: {
      mm: ({ overlay }) => ({
        version: () => service.version,
        build: () => (overlay ? { ...service.frame(), points: [] } : service.frame()),
      }),
    },
    close: () => service.close(),
  };
}
