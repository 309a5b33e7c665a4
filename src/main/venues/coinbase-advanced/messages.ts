/**
 * Coinbase Advanced Trade market-data WebSocket (advanced-trade-ws.coinbase.com) messages. Every
 * message is an envelope `{channel, timestamp, sequence_num, events: [...]}`; the book subscribed as
 * `level2` arrives on channel `l2_data` with events of type `snapshot` / `update`, sides `bid` /
 * `offer`, and `new_quantity` absolute (zero deletes). Sources: docs/venues.md#coinbase-advanced.
 */
import type { TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';
import { parseTimeMicros } from '../coinbase/messages';
import { isObject, parseJsonObject, type LevelPair } from '../frames';
import { parseCoinbaseAdvancedTrades } from './trades';

export interface L2Event {
  type: 'snapshot' | 'update';
  productId: string;
  bids: LevelPair[];
  asks: LevelPair[];
  /** Latest event_time among the updates, µs since the epoch (null when absent). */
  timeUs: number | null;
}

export type Envelope =
  | { kind: 'l2'; seq: number | null; timeUs: number | null; events: L2Event[] }
  | { kind: 'heartbeats'; seq: number | null; counter: number | null }
  | { kind: 'trades'; seq: number | null; batch: TradeBatch }
  | { kind: 'subscriptions'; seq: number | null; channels: Record<string, string[]> }
  | { kind: 'error'; seq: number | null; message: string }
  | { kind: 'other'; seq: number | null; channel: string };

function readSeq(msg: Record<string, unknown>): number | null {
  const s = msg.sequence_num;
  if (s === undefined) return null;
  if (!Number.isSafeInteger(s)) throw new MalformedFrameError('sequence_num is not an integer');
  return s as number;
}

function parseL2Event(e: unknown): L2Event {
  if (!isObject(e)) throw new MalformedFrameError('l2_data event is not an object');
  if (e.type !== 'snapshot' && e.type !== 'update') throw new MalformedFrameError(`l2_data event type ${JSON.stringify(e.type)}`);
  if (typeof e.product_id !== 'string' || e.product_id === '') throw new MalformedFrameError('l2_data event without product_id');
  if (!Array.isArray(e.updates)) throw new MalformedFrameError('l2_data event without updates');
  const bids: LevelPair[] = [];
  const asks: LevelPair[] = [];
  let timeUs: number | null = null;
  for (const u of e.updates as unknown[]) {
    if (!isObject(u) || typeof u.price_level !== 'string' || typeof u.new_quantity !== 'string') {
      throw new MalformedFrameError('l2_data update without price_level and new_quantity');
    }
    if (u.side === 'bid') bids.push([u.price_level, u.new_quantity]);
    else if (u.side === 'offer' || u.side === 'ask') asks.push([u.price_level, u.new_quantity]);
    else throw new MalformedFrameError(`l2_data update with side ${JSON.stringify(u.side)}`);
    const t = parseTimeMicros(u.event_time);
    if (t !== null && t > 0 && (timeUs === null || t > timeUs)) timeUs = t;
  }
  return { type: e.type, productId: e.product_id, bids, asks, timeUs };
}

/** Parse one frame; `market_trades` trades are stamped with `receivedAt`. */
export function parseEnvelope(text: string, receivedAt = 0): Envelope {
  const msg = parseJsonObject(text, 'frame');
  if (msg.type === 'error') {
    const message = [msg.message, msg.reason].filter((x) => typeof x === 'string' && x !== '').join(': ');
    const seq = Number.isSafeInteger(msg.sequence_num) ? (msg.sequence_num as number) : null;
    return { kind: 'error', seq, message: message || 'error without a message' };
  }
  const seq = readSeq(msg);
  const channel = msg.channel;
  if (typeof channel !== 'string') throw new MalformedFrameError('message without a channel');
  if (!Array.isArray(msg.events)) throw new MalformedFrameError(`${channel} message without events`);
  switch (channel) {
    case 'l2_data':
      return { kind: 'l2', seq, timeUs: parseTimeMicros(msg.timestamp), events: (msg.events as unknown[]).map(parseL2Event) };
    case 'market_trades':
      return { kind: 'trades', seq, batch: parseCoinbaseAdvancedTrades(msg, receivedAt)! };
    case 'heartbeats': {
      const e = (msg.events as unknown[])[0];
      const raw = isObject(e) ? e.heartbeat_counter : undefined;
      // The AsyncAPI spec says integer; older prose shows a string.
      const counter = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : null;
      return { kind: 'heartbeats', seq, counter };
    }
    case 'subscriptions': {
      const channels: Record<string, string[]> = {};
      for (const e of msg.events as unknown[]) {
        if (!isObject(e) || !isObject(e.subscriptions)) continue;
        for (const [name, ids] of Object.entries(e.subscriptions)) {
          channels[name] = Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
        }
      }
      return { kind: 'subscriptions', seq, channels };
    }
    default:
      return { kind: 'other', seq, channel };
  }
}

/** One channel per message (docs/venues.md#coinbase-advanced). `product_ids` is omitted for channel-wide messages. */
export function channelFrame(type: 'subscribe' | 'unsubscribe', channel: string, productIds?: string[]): string {
  return JSON.stringify(productIds ? { type, product_ids: productIds, channel } : { type, channel });
}

/** Products a recorded subscribe frame asks the `level2` channel for. */
export function productsFromSubscribe(text: string): string[] {
  try {
    const msg = JSON.parse(text) as { type?: unknown; channel?: unknown; product_ids?: unknown };
    if (msg.type !== 'subscribe' || msg.channel !== 'level2' || !Array.isArray(msg.product_ids)) return [];
    return msg.product_ids.filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}
