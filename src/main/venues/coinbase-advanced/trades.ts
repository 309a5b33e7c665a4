/**
 * Coinbase Advanced Trade `market_trades` channel: {channel:"market_trades", events:[{type:
 * "snapshot"|"update", trades:[{trade_id, product_id, price, size, side:"BUY"|"SELL", time}]}]}.
 * Trades are collected over 250 ms and sent together; the `snapshot` event on subscribe carries
 * recent trades from before the subscription (history). `side` is the taker's side, per the API's
 * Trade schema ("Taker side of the trade") — unlike the Exchange feed's `matches`. trade_id is not
 * documented as consecutive. Sources: docs.cdp.coinbase.com/api-reference/advanced-trade-api/
 * websocket/market-trades and the Advanced Trade AsyncAPI.
 */
import type { Trade } from '../../../shared/market';
import { decimalField, idField, isObject, isoTimeField, sideField, type TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';

export function parseCoinbaseAdvancedTrades(message: unknown, localTs: number): TradeBatch | null {
  if (!isObject(message) || message.channel !== 'market_trades') return null;
  if (!Array.isArray(message.events)) throw new MalformedFrameError('market_trades without events');
  const trades: Trade[] = [];
  for (const event of message.events as unknown[]) {
    if (!isObject(event) || !Array.isArray(event.trades)) throw new MalformedFrameError('market_trades event without trades');
    const history = event.type === 'snapshot';
    for (const raw of event.trades as unknown[]) {
      if (!isObject(raw) || typeof raw.product_id !== 'string' || raw.product_id === '') throw new MalformedFrameError('market trade without product_id');
      trades.push({
        venue: 'coinbase-advanced',
        symbol: raw.product_id,
        id: idField(raw.trade_id, 'trade_id'),
        price: decimalField(raw.price, 'price'),
        size: decimalField(raw.size, 'size'),
        side: sideField(raw.side),
        exchangeTs: isoTimeField(raw.time, 'time'),
        localTs,
        ...(history ? { history: true } : {}),
      });
    }
  }
  return { trades, stream: 'market_trades', consecutiveIds: false };
}
