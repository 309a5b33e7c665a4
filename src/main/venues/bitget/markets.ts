/**
 * Bitget's two markets this venue carries: spot and USDT-margined futures. Both list the same
 * instrument ids (`BTCUSDT` is a spot pair and a perpetual), told apart on the wire by `instType`.
 * Our symbols must be unique per venue, so spot keeps the plain id and a USDT future carries
 * Bitget's own product suffix `_UMCBL` (the id its v1 API gave the same contract). docs/venues.md#bitget.
 */

export interface BitgetMarket {
  readonly id: 'spot' | 'usdt-futures';
  /** `instType` of v2 subscribe requests and pushes. */
  readonly instType: 'SPOT' | 'USDT-FUTURES';
  /** Other spellings of instType a frame may carry: v1 (the 2022 capture) sent `sp` / `mc`. */
  readonly legacyInstTypes: readonly string[];
  /** Appended to the instrument id to make our symbol. */
  readonly suffix: string;
}

export const BITGET_SPOT: BitgetMarket = { id: 'spot', instType: 'SPOT', legacyInstTypes: ['SP', 'SPBL'], suffix: '' };
export const BITGET_USDT_FUTURES: BitgetMarket = { id: 'usdt-futures', instType: 'USDT-FUTURES', legacyInstTypes: ['MC', 'UMCBL'], suffix: '_UMCBL' };

export const BITGET_MARKETS: readonly BitgetMarket[] = [BITGET_SPOT, BITGET_USDT_FUTURES];

/** The market an `instType` names (any case, v2 or v1 spelling), or undefined for one we do not carry. */
export function marketOfInstType(instType: string): BitgetMarket | undefined {
  const t = instType.toUpperCase();
  return BITGET_MARKETS.find((m) => m.instType === t || m.legacyInstTypes.includes(t));
}

/** The market of one of our symbols: the `_UMCBL` suffix marks a USDT future. */
export function marketOfSymbol(symbol: string): BitgetMarket {
  return symbol.toUpperCase().endsWith(BITGET_USDT_FUTURES.suffix) ? BITGET_USDT_FUTURES : BITGET_SPOT;
}

/** Our symbol for an instrument id of a market. */
export function symbolOf(market: BitgetMarket, instId: string): string {
  return `${instId.toUpperCase()}${market.suffix}`;
}

/** The instrument id the wire uses for one of our symbols. */
export function instIdOf(symbol: string): string {
  const market = marketOfSymbol(symbol);
  const upper = symbol.toUpperCase();
  return market.suffix === '' ? upper : upper.slice(0, -market.suffix.length);
}
