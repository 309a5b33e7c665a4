/**
 * Bitget `trade` channel, spot and USDT futures (docs/venues.md#bitget-trades):
 *   v2  {action, arg:{instType, channel:"trade", instId}, data:[{ts, price, size, side, tradeId}]}
 *   v1  the same envelope with data rows [ts, price, size, side] and no trade id (the 2022 capture).
 * `side` is the taker's. The first push after subscribing (`action:"snapshot"`) holds recent trades
 * from before the subscription: history, kept out of the counts. tradeId is not documented as
 * consecutive. Sizes are base currency on spot and on USDT futures. Sources: bitget.com/api-doc spot
 * "Trades Channel", contract "Public Trade Channel".
 */
import type { Trade } from '../../../shared/market';
import { decimalField, idField, isObject, millisField, sideField, type TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';
import { marketOfInstType, symbolOf } from './markets';
import { TRADE_CHANNEL } from './messages';

function trade(raw: unknown, symbol: string, localTs: number, history: boolean): Trade {
  let fields: { ts: unknown; price: unknown; size: unknown; side: unknown; id: string | null };
  if (Array.isArray(raw)) {
    fields = { ts: raw[0], price: raw[1], size: raw[2], side: raw[3], id: null };
  } else if (isObject(raw)) {
    fields = { ts: raw.ts, price: raw.price, size: raw.size, side: raw.side, id: raw.tradeId === undefined ? null : idField(raw.tradeId, 'tradeId') };
  } else {
    throw new MalformedFrameError(`trade ${symbol}: entry is neither a row nor an object`);
  }
  return {
    venue: 'bitget',
    symbol,
    id: fields.id,
    price: decimalField(fields.price, 'price'),
    size: decimalField(fields.size, 'size'),
    side: sideField(fields.side),
    exchangeTs: millisField(fields.ts, 'ts'),
    localTs,
    ...(history ? { history: true } : {}),
  };
}

export function parseBitgetTrades(message: unknown, localTs: number): TradeBatch | null {
  if (!isObject(message) || !isObject(message.arg) || message.arg.channel !== TRADE_CHANNEL) return null;
  // Subscribe acknowledgements and errors carry `event` and no data.
  if (message.event !== undefined) return null;
  const market = typeof message.arg.instType === 'string' ? marketOfInstType(message.arg.instType) : undefined;
  if (!market) return null;
  if (typeof message.arg.instId !== 'string' || message.arg.instId === '') throw new MalformedFrameError('trade push without an instId');
  const symbol = symbolOf(market, message.arg.instId);
  if (message.action !== 'snapshot' && message.action !== 'update') throw new MalformedFrameError(`trade ${symbol}: unknown action ${String(message.action)}`);
  if (!Array.isArray(message.data)) throw new MalformedFrameError(`trade ${symbol}: no data list`);
  const history = message.action === 'snapshot';
  const trades = (message.data as unknown[]).map((raw) => trade(raw, symbol, localTs, history));
  return { trades, stream: TRADE_CHANNEL, consecutiveIds: false };
}
