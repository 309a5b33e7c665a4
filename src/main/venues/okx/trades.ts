/**
 * OKX v5 `trades` channel (and `trades-all`, same shape): {arg:{channel, instId}, data:[{instId,
 * tradeId, px, sz, side, ts, count?}]}. `side` is the taker's. On `trades` one record may aggregate
 * several fills of one taker order at one price (`count`). tradeId is not documented as consecutive.
 * Size is in contracts for futures, swaps and options. Source: okx.com/docs-v5 "Trades channel",
 * "All trades channel".
 */
import type { Trade } from '../../../shared/market';
import { decimalField, idField, isObject, millisField, sideField, type TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';

const TRADE_CHANNELS: ReadonlySet<string> = new Set(['trades', 'trades-all']);

export function parseOkxTrades(message: unknown, localTs: number): TradeBatch | null {
  if (!isObject(message) || !isObject(message.arg) || typeof message.arg.channel !== 'string' || !TRADE_CHANNELS.has(message.arg.channel)) return null;
  // Subscribe acknowledgements and errors carry `event` and no data.
  if (message.event !== undefined) return null;
  if (!Array.isArray(message.data)) throw new MalformedFrameError(`${message.arg.channel} without data`);
  const channelInst = typeof message.arg.instId === 'string' ? message.arg.instId : '';
  const trades: Trade[] = [];
  for (const raw of message.data as unknown[]) {
    if (!isObject(raw)) throw new MalformedFrameError('trade entry is not an object');
    const symbol = typeof raw.instId === 'string' && raw.instId !== '' ? raw.instId : channelInst;
    if (symbol === '') throw new MalformedFrameError('trade without instId');
    const trade: { -readonly [K in keyof Trade]: Trade[K] } = {
      venue: 'okx',
      symbol,
      id: idField(raw.tradeId, 'tradeId'),
      price: decimalField(raw.px, 'px'),
      size: decimalField(raw.sz, 'sz'),
      side: sideField(raw.side),
      exchangeTs: millisField(raw.ts, 'ts'),
      localTs,
    };
    if (raw.count !== undefined) {
      const count = millisField(raw.count, 'count');
      if (count > 1) trade.fills = count;
    }
    trades.push(trade);
  }
  return { trades, stream: message.arg.channel, consecutiveIds: false };
}
