/**
 * Deribit `trades.{instrument}.{interval}` notifications: {method:"subscription", params:{channel,
 * data:[{trade_id, trade_seq, instrument_name, price, amount, direction, timestamp, ...}]}}.
 * `direction` is the taker's side. `price` and `amount` are JSON numbers (amount in USD for
 * perpetuals and inverse futures, in the base coin for options and linear futures). `trade_id` is
 * the trade's id (a string; not consecutive: it counts across instruments); `trade_seq` is "the
 * sequence number of the trade within instrument", which the docs do not promise has no holes, so
 * ids are not treated as consecutive. Block trades carry `block_trade_id`, liquidations
 * `liquidation`. Source: docs.deribit.com "trades.(instrument_name).(interval)"; docs/venues.md#deribit-trades.
 */
import type { Trade } from '../../../shared/market';
import { idField, isObject, millisField, sideField, type TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';
import { numberText, parseTradesChannel } from './messages';

function decimal(raw: unknown, what: string): string {
  const text = numberText(raw);
  if (text === null) throw new MalformedFrameError(`trade without a numeric ${what}`);
  return text;
}

/** A TradeBatch for a `trades.*` notification; null for any other message. */
export function parseDeribitTrades(message: unknown, localTs: number): TradeBatch | null {
  if (!isObject(message) || message.method !== 'subscription' || !isObject(message.params)) return null;
  const { channel, data } = message.params;
  const parsed = typeof channel === 'string' ? parseTradesChannel(channel) : null;
  if (!parsed) return null;
  if (!Array.isArray(data)) throw new MalformedFrameError(`${String(channel)} without a data list`);
  const trades: Trade[] = [];
  for (const raw of data as unknown[]) {
    if (!isObject(raw)) throw new MalformedFrameError('trade entry is not an object');
    const symbol = typeof raw.instrument_name === 'string' && raw.instrument_name !== '' ? raw.instrument_name : parsed.instrument;
    trades.push({
      venue: 'deribit',
      symbol,
      id: idField(raw.trade_id, 'trade_id'),
      price: decimal(raw.price, 'price'),
      size: decimal(raw.amount, 'amount'),
      side: sideField(raw.direction),
      exchangeTs: millisField(raw.timestamp, 'timestamp'),
      localTs,
    });
  }
  return { trades, stream: 'trades', consecutiveIds: false };
}
