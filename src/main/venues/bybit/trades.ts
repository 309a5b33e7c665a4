/**
 * Bybit v5 `publicTrade.{symbol}` topic (spot and linear): {topic, type:"snapshot", ts, data:[{T, s,
 * S:"Buy"|"Sell", v, p, L?, i, BT, RPI?, seq?}]}. Every push is labelled "snapshot" but carries new
 * trades only (no history on subscribe). `S` is the taker's side; `i` is a trade id (a UUID on
 * derivatives), not consecutive. Source: bybit-exchange/docs docs/v5/websocket/public/trade.mdx.
 */
import type { Trade, VenueId } from '../../../shared/market';
import { decimalField, idField, isObject, millisField, sideField, type TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';

export type BybitTradeVenue = Extract<VenueId, 'bybit-spot' | 'bybit-linear'>;

export function parseBybitTrades(venue: BybitTradeVenue, message: unknown, localTs: number): TradeBatch | null {
  if (!isObject(message) || typeof message.topic !== 'string' || !message.topic.startsWith('publicTrade.')) return null;
  if (!Array.isArray(message.data)) throw new MalformedFrameError(`${message.topic} without data`);
  const topicSymbol = message.topic.slice('publicTrade.'.length);
  const trades: Trade[] = [];
  for (const raw of message.data as unknown[]) {
    if (!isObject(raw)) throw new MalformedFrameError('trade entry is not an object');
    const symbol = typeof raw.s === 'string' && raw.s !== '' ? raw.s : topicSymbol;
    trades.push({
      venue,
      symbol,
      id: idField(raw.i, 'trade id i'),
      price: decimalField(raw.p, 'price p'),
      size: decimalField(raw.v, 'size v'),
      side: sideField(raw.S),
      exchangeTs: millisField(raw.T, 'trade time T'),
      localTs,
    });
  }
  return { trades, stream: 'publicTrade', consecutiveIds: false };
}
