/**
 * Binance public trades, spot and USD-M (and the demo venue, which speaks spot's wire format):
 *   `<sym>@trade`    {e:"trade", s, t, p, q, T, m, ...}: one record per venue trade;
 *   `<sym>@aggTrade` {e:"aggTrade", s, a, p, q, f, l, T, m, ...}: the fills of one taker order at one
 *                    price, venue trades f..l.
 * `m: true` means the buyer is the maker, so the taker sold. `t` and `a` are each consecutive per
 * symbol (binance-spot-api-docs web-socket-streams.md "Trade Streams" / "Aggregate Trade Streams";
 * developers.binance.com USDⓈ-M "Aggregate Trade Streams"), two separate sequences.
 * Accepts a combined-stream envelope ({stream, data}) or a raw-stream payload.
 */
import type { Trade, VenueId } from '../../../shared/market';
import { decimalField, idField, isObject, millisField, type TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';

export type BinanceTradeVenue = Extract<VenueId, 'binance-spot' | 'binance-usdm' | 'demo' | 'demo-b'>;

export function parseBinanceTrades(venue: BinanceTradeVenue, message: unknown, localTs: number): TradeBatch | null {
  if (!isObject(message)) return null;
  const data = typeof message.stream === 'string' ? message.data : message;
  if (!isObject(data) || (data.e !== 'trade' && data.e !== 'aggTrade')) return null;
  if (typeof data.s !== 'string' || data.s === '') throw new MalformedFrameError(`${data.e} without a symbol`);
  if (typeof data.m !== 'boolean') throw new MalformedFrameError(`${data.e} ${data.s} without the maker flag m`);
  const aggregate = data.e === 'aggTrade';
  const trade: { -readonly [K in keyof Trade]: Trade[K] } = {
    venue,
    symbol: data.s,
    id: idField(aggregate ? data.a : data.t, aggregate ? 'an aggregate id a' : 'a trade id t'),
    price: decimalField(data.p, 'price p'),
    size: decimalField(data.q, 'quantity q'),
    side: data.m ? 'sell' : 'buy',
    exchangeTs: millisField(data.T ?? data.E, 'trade time T'),
    localTs,
  };
  if (aggregate) {
    const first = data.f;
    const last = data.l;
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || (last as number) < (first as number)) {
      throw new MalformedFrameError(`aggTrade ${data.s} without a trade id range f..l`);
    }
    trade.fills = (last as number) - (first as number) + 1;
  }
  return { trades: [trade], stream: data.e, consecutiveIds: true };
}
