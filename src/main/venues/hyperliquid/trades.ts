/**
 * Hyperliquid `trades` channel (docs/venues.md#hyperliquid-trades): {channel:"trades", data:[{coin,
 * side, px, sz, time, hash, tid, users}]}. `side` is the taker's: `B` (bid) a taker buy, `A` (ask) a
 * taker sell. `tid` is an integer identifier, not a running count (consecutive trades carry unrelated
 * values), so holes mean nothing. The first message after subscribing may hold trades from before it
 * (up to ~50 s in the shared capture); the venue does not mark them, so they count as live trades.
 * Source: hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/websocket/subscriptions (WsTrade).
 */
import type { TakerSide, Trade } from '../../../shared/market';
import { decimalField, idField, isObject, millisField, type TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';

function takerSide(raw: unknown): TakerSide {
  if (raw === 'B') return 'buy';
  if (raw === 'A') return 'sell';
  throw new MalformedFrameError(`trade with side ${JSON.stringify(raw)} (expected "B" or "A")`);
}

/** The trades of a `trades` message, or null for any other message. */
export function parseHyperliquidTrades(message: unknown, localTs: number): TradeBatch | null {
  if (!isObject(message) || message.channel !== 'trades') return null;
  if (!Array.isArray(message.data)) throw new MalformedFrameError('trades without a data list');
  const trades: Trade[] = [];
  for (const raw of message.data as unknown[]) {
    if (!isObject(raw)) throw new MalformedFrameError('trade entry is not an object');
    if (typeof raw.coin !== 'string' || raw.coin === '') throw new MalformedFrameError('trade without a coin');
    trades.push({
      venue: 'hyperliquid',
      symbol: raw.coin,
      id: idField(raw.tid, 'tid'),
      price: decimalField(raw.px, 'px'),
      size: decimalField(raw.sz, 'sz'),
      side: takerSide(raw.side),
      exchangeTs: millisField(raw.time, 'time'),
      localTs,
    });
  }
  return { trades, stream: 'trades', consecutiveIds: false };
}
