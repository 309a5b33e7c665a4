/**
 * Coinbase Exchange `matches` channel: `match` messages, and one `last_match` per product sent on
 * subscribe (the product's latest trade, from before the subscription: history, not live flow).
 * Fields: trade_id, side, size, price, product_id, sequence, time. `side` is the MAKER's side ("If
 * the side is sell this indicates the maker was a sell order and the match is considered an
 * up-tick"), so the taker's is the opposite. trade_id is consecutive per product, which is how the
 * docs suggest checking for missed messages (docs.cdp.coinbase.com/exchange/websocket-feed/channels
 * "Match"/"Heartbeat"; PROTOCOLS.md §1.3).
 */
import { decimalField, idField, isObject, isoTimeField, opposite, sideField, type TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';

export function parseCoinbaseTrades(message: unknown, localTs: number): TradeBatch | null {
  if (!isObject(message) || (message.type !== 'match' && message.type !== 'last_match')) return null;
  if (typeof message.product_id !== 'string' || message.product_id === '') throw new MalformedFrameError(`${message.type} without product_id`);
  if (message.side !== 'buy' && message.side !== 'sell') throw new MalformedFrameError(`${message.type} ${message.product_id} without a maker side`);
  const history = message.type === 'last_match';
  return {
    trades: [
      {
        venue: 'coinbase',
        symbol: message.product_id,
        id: idField(message.trade_id, 'trade_id'),
        price: decimalField(message.price, 'price'),
        size: decimalField(message.size, 'size'),
        side: opposite(sideField(message.side)),
        exchangeTs: isoTimeField(message.time, 'time'),
        localTs,
        ...(history ? { history: true } : {}),
      },
    ],
    stream: 'matches',
    consecutiveIds: true,
  };
}
