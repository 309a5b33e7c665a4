/**
 * Bybit v5 public WebSocket messages (spot and linear speak the same shapes). Sources:
 * bybit-exchange/docs `docs/v5/websocket/public/orderbook.mdx` and `docs/v5/websocket/wss-authentication.mdx`
 * (the "Connect" page); docs/venues.md#bybit.
 *
 *   book:   {"topic":"orderbook.50.BTCUSDT","type":"snapshot"|"delta","ts":…,"data":{"s","b","a","u","seq"},"cts":…}
 *   pong:   {"success":true,"ret_msg":"pong","op":"ping",…}   (option/spread/private: {"op":"pong","args":[ts]})
 *   ack:    {"success":true|false,"ret_msg":"…","op":"subscribe"|"unsubscribe","req_id":"…","conn_id":"…"}
 */
import type { TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';
import { parseBybitTrades, type BybitTradeVenue } from './trades';
import { isLevelArray, isObject, parseJsonObject, type LevelPair } from '../frames';

export type { LevelPair };

export interface BookMessage {
  kind: 'book';
  topic: string;
  /** The depth the topic names (`orderbook.{depth}.{symbol}`). */
  depth: number;
  symbol: string;
  type: 'snapshot' | 'delta';
  /** Update id: consecutive per topic; 1 after a service restart (the message is then snapshot data). */
  u: number;
  /** Cross sequence (not consecutive; comparable across depths). */
  seq: number | null;
  /** System time the data was generated (ms). */
  ts: number | null;
  /** Matching-engine time (ms). */
  cts: number | null;
  bids: LevelPair[];
  asks: LevelPair[];
}

export interface AckMessage {
  kind: 'ack';
  op: 'subscribe' | 'unsubscribe';
  success: boolean;
  message: string;
  reqId: string | null;
}

export type StreamMessage = BookMessage | AckMessage | { kind: 'trades'; batch: TradeBatch } | { kind: 'pong' } | { kind: 'other'; what: string };

const TOPIC_RE = /^orderbook\.(\d+)\.([A-Za-z0-9_-]+)$/;

/** `orderbook.{depth}.{symbol}` split into its parts, or null for any other topic. */
export function parseBookTopic(topic: string): { depth: number; symbol: string } | null {
  const m = TOPIC_RE.exec(topic);
  if (!m) return null;
  const depth = Number(m[1]);
  if (!Number.isSafeInteger(depth) || depth <= 0) return null;
  return { depth, symbol: m[2]! };
}

export function bookTopic(depth: number, symbol: string): string {
  return `orderbook.${depth}.${symbol}`;
}

function numberOrNull(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Parse one frame of a public connection; throws MalformedFrameError for anything not per the protocol. */
/** Parse one frame; `publicTrade` trades are read for `venue`, stamped with `receivedAt`. */
export function parseStreamFrame(text: string, receivedAt = 0, venue: BybitTradeVenue = 'bybit-spot'): StreamMessage {
  const msg = parseJsonObject(text, 'frame');
  if (typeof msg.topic === 'string' && msg.topic.startsWith('publicTrade.')) return { kind: 'trades', batch: parseBybitTrades(venue, msg, receivedAt)! };
  if (typeof msg.topic === 'string') {
    const topic = parseBookTopic(msg.topic);
    if (!topic) return { kind: 'other', what: msg.topic };
    const data = msg.data;
    if (!isObject(data)) throw new MalformedFrameError(`${msg.topic}: no data object`);
    if (msg.type !== 'snapshot' && msg.type !== 'delta') throw new MalformedFrameError(`${msg.topic}: unknown type ${JSON.stringify(msg.type)}`);
    if (!Number.isSafeInteger(data.u) || (data.u as number) < 1) throw new MalformedFrameError(`${msg.topic}: missing or invalid update id u`);
    if (!isLevelArray(data.b) || !isLevelArray(data.a)) throw new MalformedFrameError(`${msg.topic}: bids or asks are not [price, size] text pairs`);
    if (data.s !== undefined && data.s !== topic.symbol) throw new MalformedFrameError(`${msg.topic}: data.s ${JSON.stringify(data.s)} does not match the topic`);
    return {
      kind: 'book',
      topic: msg.topic,
      depth: topic.depth,
      symbol: topic.symbol,
      type: msg.type,
      u: data.u as number,
      seq: numberOrNull(data.seq),
      ts: numberOrNull(msg.ts),
      cts: numberOrNull(msg.cts),
      bids: data.b,
      asks: data.a,
    };
  }
  const op = msg.op;
  // Spot/linear pong: op "ping" answered with ret_msg "pong"; option/spread/private: op "pong".
  if (op === 'pong' || (op === 'ping' && (msg.ret_msg === 'pong' || msg.success === true))) return { kind: 'pong' };
  if (op === 'subscribe' || op === 'unsubscribe') {
    return {
      kind: 'ack',
      op,
      success: msg.success === true,
      message: typeof msg.ret_msg === 'string' ? msg.ret_msg : '',
      reqId: typeof msg.req_id === 'string' && msg.req_id !== '' ? msg.req_id : null,
    };
  }
  return { kind: 'other', what: typeof op === 'string' ? op : 'unknown' };
}

/** Best-effort symbol of a frame that failed to parse, from its `"topic":"orderbook.N.SYM"` text. */
export function symbolOfRawFrame(text: string): string {
  const m = /"topic"\s*:\s*"orderbook\.\d+\.([A-Za-z0-9_-]+)"/.exec(text.slice(0, 300));
  return m ? m[1]!.toUpperCase() : '';
}

/** Book symbols named in a subscribe request's args (a recorded `send` frame). */
export function symbolsFromSubscribe(text: string): string[] {
  try {
    const msg = JSON.parse(text) as { op?: unknown; args?: unknown };
    if (msg.op !== 'subscribe' || !Array.isArray(msg.args)) return [];
    const out: string[] = [];
    for (const arg of msg.args) {
      const topic = typeof arg === 'string' ? parseBookTopic(arg) : null;
      if (topic && !out.includes(topic.symbol)) out.push(topic.symbol);
    }
    return out;
  } catch {
    return [];
  }
}

/** The book depth a subscribe request names (its first book topic's), for replaying a recorded `send`. */
export function depthFromSubscribe(text: string): number | undefined {
  try {
    const msg = JSON.parse(text) as { op?: unknown; args?: unknown };
    if (msg.op !== 'subscribe' || !Array.isArray(msg.args)) return undefined;
    for (const arg of msg.args) {
      const topic = typeof arg === 'string' ? parseBookTopic(arg) : null;
      if (topic) return topic.depth;
    }
  } catch {
    // Not JSON: no depth.
  }
  return undefined;
}

/** The book symbol a received frame streams (for captures that recorded no subscribe frame). */
export function symbolsFromFrame(text: string): string[] {
  const symbol = symbolOfRawFrame(text);
  return symbol ? [symbol] : [];
}

/** Symbols of the book topics named in an ack's ret_msg (Bybit names the topics it rejects there). */
export function topicsInMessage(message: string): string[] {
  return [...message.matchAll(/orderbook\.\d+\.[A-Za-z0-9_-]+/g)].map((m) => m[0]);
}
