/**
 * Kraken spot WebSocket v2 messages: `book` snapshots and updates, the `instrument` channel (price and
 * quantity precision), heartbeats, method responses (subscribe/unsubscribe/pong) and `status`.
 * Sources: docs.kraken.com spot-websocket-v2 book, instrument, heartbeat and ping pages and the
 * "Book checksum (WebSocket v2)" guide; docs/venues.md#kraken.
 *
 * Prices and quantities arrive as JSON number literals whose exact digits the checksum needs, so
 * frames are parsed only after `quoteNumberFields` has turned those literals into strings.
 */
import { isDecimalText } from '../../../shared/decimal';
import type { TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';
import { isObject, parseJsonObject } from '../frames';
import { readBookFrame } from './book-frame';
import { quoteNumberFields } from './number-text';
import { parseKrakenTrades } from './trades';
import type { BookEntry, LevelPair } from './book-entry';

export type { BookEntry, LevelPair } from './book-entry';

/** One pair from the `instrument` channel. Fields other than `symbol` are optional: read defensively. */
export interface PairInfo {
  symbol: string;
  pricePrecision: number | null;
  qtyPrecision: number | null;
  priceIncrement: string | null;
  qtyIncrement: string | null;
  base: string | null;
  quote: string | null;
  status: string | null;
}

export type KrakenMessage =
  | { kind: 'book'; type: 'snapshot' | 'update'; entries: BookEntry[] }
  | { kind: 'instrument'; type: 'snapshot' | 'update'; pairs: PairInfo[] }
  | { kind: 'trades'; batch: TradeBatch }
  | { kind: 'heartbeat' }
  | { kind: 'status'; system: string | null }
  | { kind: 'response'; method: string; success: boolean; error: string | null; symbol: string | null; channel: string | null }
  | { kind: 'other'; channel: string };

/** Keys whose number literals must keep their source digits. */
const EXACT_NUMBER_KEYS: ReadonlySet<string> = new Set(['price', 'qty', 'price_increment', 'qty_increment', 'qty_min', 'cost_min']);

function levels(raw: unknown, side: string, symbol: string): LevelPair[] {
  if (!Array.isArray(raw)) throw new MalformedFrameError(`book ${symbol}: ${side} is not a list`);
  const out: LevelPair[] = [];
  for (const level of raw) {
    // A number here means the exact digits were lost: never go on from a float.
    if (!isObject(level) || typeof level.price !== 'string' || typeof level.qty !== 'string' || !isDecimalText(level.price) || !isDecimalText(level.qty)) {
      throw new MalformedFrameError(`book ${symbol}: ${side} level without decimal price and qty`);
    }
    out.push([level.price, level.qty]);
  }
  return out;
}

function bookEntry(raw: unknown): BookEntry {
  if (!isObject(raw) || typeof raw.symbol !== 'string' || raw.symbol === '') throw new MalformedFrameError('book entry without a symbol');
  const symbol = raw.symbol;
  const entry: BookEntry = { symbol, bids: levels(raw.bids ?? [], 'bids', symbol), asks: levels(raw.asks ?? [], 'asks', symbol) };
  if (raw.checksum !== undefined) {
    if (!Number.isInteger(raw.checksum) || (raw.checksum as number) < 0 || (raw.checksum as number) > 0xffffffff) {
      throw new MalformedFrameError(`book ${symbol}: checksum is not an unsigned 32-bit integer`);
    }
    entry.checksum = raw.checksum as number;
  }
  if (typeof raw.timestamp === 'string') {
    const ts = Date.parse(raw.timestamp);
    if (Number.isFinite(ts)) entry.exchangeTs = ts;
  }
  return entry;
}

function optionalInt(x: unknown): number | null {
  return Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 30 ? (x as number) : null;
}

function optionalDecimal(x: unknown): string | null {
  return typeof x === 'string' && isDecimalText(x) ? x : null;
}

function optionalString(x: unknown): string | null {
  return typeof x === 'string' ? x : null;
}

function pairInfo(raw: unknown): PairInfo | null {
  if (!isObject(raw) || typeof raw.symbol !== 'string' || raw.symbol === '') return null;
  return {
    symbol: raw.symbol,
    pricePrecision: optionalInt(raw.price_precision),
    qtyPrecision: optionalInt(raw.qty_precision),
    priceIncrement: optionalDecimal(raw.price_increment),
    qtyIncrement: optionalDecimal(raw.qty_increment),
    base: optionalString(raw.base),
    quote: optionalString(raw.quote),
    status: optionalString(raw.status),
  };
}

/** Parse one v2 frame. Throws MalformedFrameError for anything that is not what the protocol says. */
export function parseKrakenFrame(text: string, receivedAt = 0): KrakenMessage {
  // Book frames in Kraken's usual layout are read directly (book-frame.ts): the bulk of the traffic.
  const book = readBookFrame(text);
  if (book) return { kind: 'book', type: book.type, entries: book.entries };
  return parseKrakenFrameJson(text, receivedAt);
}

/** parseKrakenFrame through JSON.parse, for every frame (exported so tests can compare the two readers). */
export function parseKrakenFrameJson(text: string, receivedAt = 0): KrakenMessage {
  const msg = parseJsonObject(quoteNumberFields(text, EXACT_NUMBER_KEYS), 'frame');
  if (typeof msg.method === 'string') {
    const result = isObject(msg.result) ? msg.result : {};
    const symbol = typeof msg.symbol === 'string' ? msg.symbol : typeof result.symbol === 'string' ? result.symbol : null;
    return {
      kind: 'response',
      method: msg.method,
      success: msg.success !== false,
      error: typeof msg.error === 'string' ? msg.error : null,
      symbol,
      channel: typeof result.channel === 'string' ? result.channel : null,
    };
  }
  const channel = msg.channel;
  if (typeof channel !== 'string') throw new MalformedFrameError('frame without a channel or method');
  switch (channel) {
    case 'heartbeat':
      return { kind: 'heartbeat' };
    case 'trade':
      return { kind: 'trades', batch: parseKrakenTrades(msg, receivedAt)! };
    case 'book': {
      const type = msg.type;
      if (type !== 'snapshot' && type !== 'update') throw new MalformedFrameError(`book frame of unknown type ${String(type)}`);
      if (!Array.isArray(msg.data)) throw new MalformedFrameError('book frame without a data list');
      return { kind: 'book', type, entries: msg.data.map(bookEntry) };
    }
    case 'instrument': {
      const type = msg.type === 'update' ? 'update' : 'snapshot';
      const data = isObject(msg.data) ? msg.data : {};
      const pairs = Array.isArray(data.pairs) ? data.pairs.map(pairInfo).filter((p): p is PairInfo => p !== null) : [];
      return { kind: 'instrument', type, pairs };
    }
    case 'status': {
      const first = Array.isArray(msg.data) && isObject(msg.data[0]) ? msg.data[0] : {};
      return { kind: 'status', system: typeof first.system === 'string' ? first.system : null };
    }
    default:
      return { kind: 'other', channel };
  }
}

/** Best-effort symbol of a frame that failed to parse, so the failure is counted on its book. */
export function symbolOfFrame(text: string): string {
  const m = /"symbol"\s*:\s*"([^"]{1,40})"/.exec(text.slice(0, 400));
  return m ? m[1]! : '';
}

/** Symbols and depth of a recorded `book` subscribe frame (replay reads what was subscribed). */
export function bookSubscription(text: string): { symbols: string[]; depth: number | undefined } {
  try {
    const msg = JSON.parse(text) as { method?: unknown; params?: { channel?: unknown; symbol?: unknown; depth?: unknown } };
    const params = msg.params;
    if (msg.method !== 'subscribe' || !params || params.channel !== 'book' || !Array.isArray(params.symbol)) return { symbols: [], depth: undefined };
    const symbols = params.symbol.filter((s): s is string => typeof s === 'string' && s !== '');
    return { symbols, depth: isBookDepth(params.depth) ? params.depth : undefined };
  } catch {
    return { symbols: [], depth: undefined };
  }
}

/** Depths the v2 book channel offers. */
export const BOOK_DEPTHS = [10, 25, 100, 500, 1000] as const;

export function isBookDepth(x: unknown): x is number {
  return typeof x === 'number' && (BOOK_DEPTHS as readonly number[]).includes(x);
}
