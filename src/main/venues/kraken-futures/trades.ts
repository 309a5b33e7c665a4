/**
 * Kraken Futures v1 `trade` feed: on subscribe a `trade_snapshot` {feed, product_id, trades:[...]}
 * holding recent trades from before the subscription (history, newest first), then one `trade`
 * message per print: {feed:"trade", product_id, uid, side, type, seq, time, qty, price}. `side` is
 * the taker's ("buy if the taker is a buyer"); `type` is fill, liquidation, termination or block, all
 * of them prints. `seq` is the "subscription message sequence number": it is the trade id we keep,
 * but it is not documented as consecutive, so holes are information, not loss. `qty` is in contracts
 * (USD contracts on the inverse futures). Sources: docs.kraken.com futures-websocket "Trade";
 * docs/venues.md#kraken-futures-trades.
 *
 * Price and qty are JSON number literals: parse the frame with `parseKrakenFuturesTradeFrame` (or
 * after `quoteNumberFields`) to keep the venue's exact digits.
 */
import type { Trade } from '../../../shared/market';
import { decimalField, idField, isObject, millisField, sideField, type TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';
import { parseJsonObject } from '../frames';
import { quoteNumberFields } from '../kraken/number-text';

/** Keys whose number literals must keep their source digits. */
export const TRADE_NUMBER_KEYS: ReadonlySet<string> = new Set(['price', 'qty']);

function productOf(raw: unknown): string | null {
  return typeof raw === 'string' && raw !== '' ? raw.toUpperCase() : null;
}

function trade(raw: unknown, fallbackProduct: string | null, localTs: number, history: boolean): Trade {
  if (!isObject(raw)) throw new MalformedFrameError('trade entry is not an object');
  const symbol = productOf(raw.product_id) ?? fallbackProduct;
  if (symbol === null) throw new MalformedFrameError('trade without a product_id');
  return {
    venue: 'kraken-futures',
    symbol,
    id: idField(raw.seq, 'seq'),
    price: decimalField(raw.price, 'price'),
    size: decimalField(raw.qty, 'qty'),
    side: sideField(raw.side),
    exchangeTs: millisField(raw.time, 'time'),
    localTs,
    ...(history ? { history: true } : {}),
  };
}

/** The trades of a parsed `trade` or `trade_snapshot` message; null for any other message. */
export function parseKrakenFuturesTrades(message: unknown, localTs: number): TradeBatch | null {
  if (!isObject(message) || message.event !== undefined) return null;
  if (message.feed === 'trade') return { trades: [trade(message, null, localTs, false)], stream: 'trade', consecutiveIds: false };
  if (message.feed !== 'trade_snapshot') return null;
  if (!Array.isArray(message.trades)) throw new MalformedFrameError('trade_snapshot without a trades list');
  const product = productOf(message.product_id);
  // Newest first on the wire; oldest first here, the order they happened in.
  const trades = (message.trades as unknown[]).map((raw) => trade(raw, product, localTs, true)).reverse();
  return { trades, stream: 'trade', consecutiveIds: false };
}

/** Parse a frame's text keeping price and qty digits exactly as sent, then its trades. */
export function parseKrakenFuturesTradeFrame(text: string, localTs: number): TradeBatch | null {
  return parseKrakenFuturesTrades(parseJsonObject(quoteNumberFields(text, TRADE_NUMBER_KEYS), 'trade frame'), localTs);
}
