/**
 * Kraken Futures WebSocket v1 messages (wss://futures.kraken.com/ws/v1): the `book` feed (one
 * `book_snapshot`, then one `book` message per changed level, each with the product's `seq`), the
 * `trade` feed (./trades.ts), `heartbeat`, and `event` frames (info, subscribed, subscribed_failed,
 * unsubscribed, unsubscribed_failed, error, alert). Other feeds (the capture's `ticker_lite`) are
 * 'other'. The 2021 capture and today's documentation show the same shapes. Sources: docs.kraken.com
 * futures-websocket "Book", "Trade", "Heartbeat"; docs/venues.md#kraken-futures.
 *
 * Prices and quantities are JSON number literals (`"qty":1130.0`): frames are parsed only after
 * `quoteNumberFields` has turned those literals into strings, so the book keeps the venue's digits.
 */
import { isDecimalText } from '../../../shared/decimal';
import type { TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';
import { isObject, parseJsonObject } from '../frames';
import { quoteNumberFields } from '../kraken/number-text';
import { parseKrakenFuturesTrades, TRADE_NUMBER_KEYS } from './trades';

export type LevelPair = readonly [string, string];

export interface BookSnapshot {
  /** Upper case, as the venue writes product ids in data (subscribe requests may use lower case). */
  productId: string;
  seq: number;
  /** Exchange time, ms since the epoch. */
  timestamp?: number;
  bids: LevelPair[];
  asks: LevelPair[];
}

export interface BookDelta {
  productId: string;
  seq: number;
  timestamp?: number;
  /** 'buy': a bid level; 'sell': an ask level. */
  side: 'buy' | 'sell';
  price: string;
  /** The level's new total; 0 deletes it. */
  qty: string;
}

export type KrakenFuturesMessage =
  | { kind: 'book_snapshot'; snapshot: BookSnapshot }
  | { kind: 'book'; delta: BookDelta }
  | { kind: 'trades'; batch: TradeBatch }
  | { kind: 'heartbeat'; time: number | null }
  | { kind: 'event'; event: string; feed: string | null; productIds: string[]; message: string | null }
  | { kind: 'other'; feed: string };

/** Price and qty of book levels and trades; both use the same two keys. */
const EXACT_NUMBER_KEYS = TRADE_NUMBER_KEYS;

function productId(raw: unknown, feed: string): string {
  if (typeof raw !== 'string' || raw === '') throw new MalformedFrameError(`${feed} without a product_id`);
  return raw.toUpperCase();
}

function seqOf(raw: unknown, what: string): number {
  if (!Number.isSafeInteger(raw) || (raw as number) < 0) throw new MalformedFrameError(`${what} without an integer seq`);
  return raw as number;
}

function millis(raw: unknown): number | undefined {
  return Number.isSafeInteger(raw) && (raw as number) > 0 ? (raw as number) : undefined;
}

/** Decimal text that a number literal became; a JSON number here means the digits were lost. */
function decimal(raw: unknown, what: string): string {
  if (typeof raw !== 'string' || !isDecimalText(raw) || raw.startsWith('-')) throw new MalformedFrameError(`${what} is not a non-negative decimal`);
  return raw;
}

function levels(raw: unknown, side: string, product: string): LevelPair[] {
  if (!Array.isArray(raw)) throw new MalformedFrameError(`book_snapshot ${product}: ${side} is not a list`);
  return raw.map((level: unknown) => {
    if (!isObject(level)) throw new MalformedFrameError(`book_snapshot ${product}: ${side} level is not an object`);
    return [decimal(level.price, `book_snapshot ${product} ${side} price`), decimal(level.qty, `book_snapshot ${product} ${side} qty`)] as const;
  });
}

function snapshot(msg: Record<string, unknown>): BookSnapshot {
  const product = productId(msg.product_id, 'book_snapshot');
  const out: BookSnapshot = {
    productId: product,
    seq: seqOf(msg.seq, `book_snapshot ${product}`),
    bids: levels(msg.bids, 'bids', product),
    asks: levels(msg.asks, 'asks', product),
  };
  const ts = millis(msg.timestamp);
  if (ts !== undefined) out.timestamp = ts;
  return out;
}

function delta(msg: Record<string, unknown>): BookDelta {
  const product = productId(msg.product_id, 'book');
  const side = msg.side;
  if (side !== 'buy' && side !== 'sell') throw new MalformedFrameError(`book ${product}: side ${JSON.stringify(side)}`);
  const out: BookDelta = {
    productId: product,
    seq: seqOf(msg.seq, `book ${product}`),
    side,
    price: decimal(msg.price, `book ${product} price`),
    qty: decimal(msg.qty, `book ${product} qty`),
  };
  const ts = millis(msg.timestamp);
  if (ts !== undefined) out.timestamp = ts;
  return out;
}

function strings(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string' && x !== '').map((x) => x.toUpperCase()) : [];
}

/**
 * Parse one frame (received at `receivedAt`, the local time its trades carry). Throws
 * MalformedFrameError for anything that is not what the protocol says.
 */
export function parseKrakenFuturesFrame(text: string, receivedAt = 0): KrakenFuturesMessage {
  const msg = parseJsonObject(quoteNumberFields(text, EXACT_NUMBER_KEYS), 'frame');
  if (typeof msg.event === 'string') {
    return {
      kind: 'event',
      event: msg.event,
      feed: typeof msg.feed === 'string' ? msg.feed : null,
      productIds: strings(msg.product_ids),
      message: typeof msg.message === 'string' ? msg.message : null,
    };
  }
  const feed = msg.feed;
  if (typeof feed !== 'string') throw new MalformedFrameError('frame without an event or a feed');
  switch (feed) {
    case 'book_snapshot':
      return { kind: 'book_snapshot', snapshot: snapshot(msg) };
    case 'book':
      return { kind: 'book', delta: delta(msg) };
    case 'trade':
    case 'trade_snapshot':
      return { kind: 'trades', batch: parseKrakenFuturesTrades(msg, receivedAt)! };
    case 'heartbeat':
      return { kind: 'heartbeat', time: millis(msg.time) ?? null };
    default:
      return { kind: 'other', feed };
  }
}

/** Best-effort product of a frame that failed to parse, so the failure is counted on its book. */
export function productOfFrame(text: string): string {
  const m = /"product_id"\s*:\s*"([^"]{1,60})"/.exec(text.slice(0, 400));
  return m ? m[1]!.toUpperCase() : '';
}

/** Products a recorded `subscribe` frame asks the `book` feed for (replay subscribes these). */
export function bookSubscriptionIds(text: string): string[] {
  try {
    const msg = JSON.parse(text) as { event?: unknown; feed?: unknown; product_ids?: unknown };
    if (msg.event !== 'subscribe' || msg.feed !== 'book') return [];
    return [...new Set(strings(msg.product_ids))];
  } catch {
    return [];
  }
}
