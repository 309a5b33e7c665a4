/**
 * Kraken spot WebSocket v2 `trade` channel: {channel:"trade", type:"snapshot"|"update", data:[{symbol,
 * side, price, qty, ord_type, trade_id, timestamp}]}. `side` is the taker's; the snapshot (sent on
 * subscribe when asked for) holds trades from before the subscription (history). trade_id is a
 * "sequence number unique per trading book", sequential per pair on v2. Several trades in one message
 * need not come from one taker order. Sources: docs.kraken.com/exchange/api-reference/
 * spot-websocket-v2/trade and the spot WebSocket overview (v1 vs v2: "Trade ID: sequential int").
 *
 * Price and qty are JSON number literals: parse the frame with `parseKrakenTradeFrame` (or after
 * `quoteNumberFields`) to keep the venue's exact digits.
 */
import type { Trade } from '../../../shared/market';
import { decimalField, idField, isObject, isoTimeField, sideField, type TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';
import { parseJsonObject } from '../frames';
import { quoteNumberFields } from './number-text';

const TRADE_NUMBER_KEYS: ReadonlySet<string> = new Set(['price', 'qty']);

export function parseKrakenTrades(message: unknown, localTs: number): TradeBatch | null {
  if (!isObject(message) || message.channel !== 'trade') return null;
  if (message.type !== 'snapshot' && message.type !== 'update') throw new MalformedFrameError(`trade message of type ${JSON.stringify(message.type)}`);
  if (!Array.isArray(message.data)) throw new MalformedFrameError('trade message without data');
  const history = message.type === 'snapshot';
  const trades: Trade[] = [];
  for (const raw of message.data as unknown[]) {
    if (!isObject(raw) || typeof raw.symbol !== 'string' || raw.symbol === '') throw new MalformedFrameError('trade without a symbol');
    trades.push({
      venue: 'kraken',
      symbol: raw.symbol,
      id: idField(raw.trade_id, 'trade_id'),
      price: decimalField(raw.price, 'price'),
      size: decimalField(raw.qty, 'qty'),
      side: sideField(raw.side),
      exchangeTs: isoTimeField(raw.timestamp, 'timestamp'),
      localTs,
      ...(history ? { history: true } : {}),
    });
  }
  return { trades, stream: 'trade', consecutiveIds: true };
}

/** Parse a frame's text keeping price and qty digits exactly as sent, then its trades. */
export function parseKrakenTradeFrame(text: string, localTs: number): TradeBatch | null {
  return parseKrakenTrades(parseJsonObject(quoteNumberFields(text, TRADE_NUMBER_KEYS), 'trade frame'), localTs);
}
