/**
 * Our venue ids and tardis.dev's exchange ids. Several tardis ids map to one of our venues (tardis
 * splits OKX and Bitget by market); going out, the symbol decides which one.
 */
import { isVenueId, type VenueId } from '../../../shared/market';

const FROM_TARDIS: Record<string, VenueId> = {
  binance: 'binance-spot',
  'binance-futures': 'binance-usdm',
  coinbase: 'coinbase',
  kraken: 'kraken',
  okex: 'okx',
  'okex-swap': 'okx',
  'okex-futures': 'okx',
  'okex-options': 'okx',
  bybit: 'bybit-linear',
  'bybit-spot': 'bybit-spot',
  bitget: 'bitget',
  'bitget-futures': 'bitget',
  deribit: 'deribit',
  cryptofacilities: 'kraken-futures',
  bitfinex: 'bitfinex',
  hyperliquid: 'hyperliquid',
};

/** The tardis.dev exchange id for a book of ours. */
export function tardisExchange(venue: string, symbol: string): string {
  switch (venue) {
    case 'binance-spot':
      return 'binance';
    case 'binance-usdm':
      return 'binance-futures';
    case 'coinbase':
    case 'coinbase-advanced':
      return 'coinbase';
    case 'okx':
      if (symbol.endsWith('-SWAP')) return 'okex-swap';
      if (/-[CP]$/.test(symbol)) return 'okex-options';
      if (/-\d{6}$/.test(symbol)) return 'okex-futures';
      return 'okex';
    case 'bybit-linear':
      return 'bybit';
    case 'bitget':
      return /_(UMCBL|DMCBL|CMCBL)$/i.test(symbol) ? 'bitget-futures' : 'bitget';
    case 'kraken-futures':
      return 'cryptofacilities';
    default:
      return venue;
  }
}

/** Our venue for a tardis.dev exchange id (our own ids are accepted too); null when we have none. */
export function venueOfTardisExchange(exchange: string): VenueId | null {
  return FROM_TARDIS[exchange] ?? (isVenueId(exchange) ? exchange : null);
}
