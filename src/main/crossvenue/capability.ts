/** The cross-venue streams on the contract: the consolidated book and lead/lag (views.ts). */
import { isVenueId } from '../../shared/market';
import type { StreamFactories } from '../app/contract-host';
import type { Logger } from '../log';
import type { MarketService } from '../market/service';
import { FeeTable, parseFeeOverrides } from './fees';
import { crossBookSource, leadLagSource } from './views';

/** The taker fee table: the defaults with ORDERBOOK_TAKER_FEES applied (a malformed value is logged and ignored). */
export function feesFromEnv(logger: Logger, env: NodeJS.ProcessEnv = process.env): FeeTable {
  try {
    return new FeeTable(parseFeeOverrides(env.ORDERBOOK_TAKER_FEES, isVenueId));
  } catch (error) {
    logger.log('error', 'taker-fees-ignored', { error: (error as Error).message });
    return new FeeTable();
  }
}

export function crossVenueCapability(market: MarketService, fees: FeeTable): { streams: StreamFactories } {
  return {
    streams: {
      'cross.book': (p) => crossBookSource(market, p, fees),
      'cross.leadlag': (p) => leadLagSource(market, p),
    },
  };
}
