/**
 * Bitfinex v2 `trades` channel for trading pairs (docs.bitfinex.com ws-public-trades;
 * docs/venues.md#bitfinex-trades). Entries are `[ID, MTS, AMOUNT, PRICE]`: AMOUNT > 0 means the taker
 * bought, < 0 sold, |AMOUNT| is the size in the base currency. On subscribe the channel sends a
 * snapshot of recent trades (history: from before the subscription). Each live trade then arrives
 * twice: `te` at execution and `tu` about a second later once written to the database, both with the
 * same ID today (the v1 `te` carried only a sequence string). We count `te`, the first and fastest,
 * and ignore `tu`, which would count every trade twice. IDs are global across pairs, so a pair's ids
 * are not consecutive.
 *
 * The message must come through `parseBitfinexFrame` (number literals kept as text); the channel id
 * says which symbol it is for, so the caller passes the symbol.
 */
import type { Trade } from '../../../shared/market';
import { idField, millisField, type TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';
import { isSnapshot, plainDecimal, type ChannelMessage } from './messages';

function trade(entry: unknown, symbol: string, localTs: number, history: boolean): Trade {
  if (!Array.isArray(entry) || entry.length < 4) throw new MalformedFrameError('trade entry is not [id, mts, amount, price]');
  const [id, mts, amount, price] = entry as unknown[];
  if (typeof amount !== 'string' || typeof price !== 'string') throw new MalformedFrameError('trade without a numeric amount and price');
  const negative = amount.startsWith('-');
  const size = plainDecimal(negative ? amount.slice(1) : amount, 'trade amount');
  if (!/[1-9]/.test(size)) throw new MalformedFrameError('trade with amount 0');
  return {
    venue: 'bitfinex',
    symbol,
    id: idField(typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id, 'id'),
    price: plainDecimal(price, 'trade price'),
    size,
    side: negative ? 'sell' : 'buy',
    exchangeTs: millisField(mts, 'mts'),
    localTs,
    ...(history ? { history: true } : {}),
  };
}

/** The trades of a message on `symbol`'s trades channel, or null for anything that is not a trade (`tu`, `hb`). */
export function parseBitfinexTrades(message: ChannelMessage, symbol: string, localTs: number): TradeBatch | null {
  let trades: Trade[];
  if (message.body === 'te') trades = [trade(message.payload, symbol, localTs, false)];
  else if (message.body === 'data' && isSnapshot(message.payload)) trades = message.payload.map((e) => trade(e, symbol, localTs, true));
  else if (message.body === 'data') throw new MalformedFrameError('trades channel data that is not a snapshot');
  else return null;
  return { trades, stream: 'trades', consecutiveIds: false };
}
