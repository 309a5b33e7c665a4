/**
 * OKX v5 public WebSocket messages: incremental order-book channels (`books`, and in captures the
 * same-shaped `books-l2-tbt` / `books50-l2-tbt`), subscribe/unsubscribe/error events and the text
 * `pong`. Sources: okx.com/docs-v5 "Order book channel" and "Overview / WebSocket"; docs/venues.md#okx.
 */
import type { TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';
import { parseOkxTrades } from './trades';
import { decimalStringLevels, isObject, optionalInteger, parseJsonObject } from '../frames';

export type LevelPair = readonly [string, string];

/** Channels that carry a snapshot followed by incremental updates, all in the same shape. */
export const BOOK_CHANNELS: ReadonlySet<string> = new Set(['books', 'books-l2-tbt', 'books50-l2-tbt']);

export interface BookData {
  bids: LevelPair[];
  asks: LevelPair[];
  /** Book generation time in ms. */
  ts?: number;
  /** Legacy signed CRC32 of the top 25 levels; 0 since OKX deprecated it (2026). */
  checksum?: number;
  /** Absent on older feeds and captures (2021, 2022). */
  seqId?: number;
  prevSeqId?: number;
}

export type OkxMessage =
  | { kind: 'book'; channel: string; instId: string; action: 'snapshot' | 'update'; data: BookData[] }
  | { kind: 'trades'; batch: TradeBatch }
  | { kind: 'pong' }
  | { kind: 'event'; event: string; channel: string | null; instId: string | null; code: string | null; msg: string | null }
  | { kind: 'other'; channel: string };

function levels(raw: unknown, side: string, instId: string): LevelPair[] {
  // [price, size, ...]; only price and size matter.
  return decimalStringLevels(raw, `book ${instId}: ${side}`);
}

function int(x: unknown, what: string, instId: string): number | undefined {
  return optionalInteger(x, `book ${instId}: ${what}`);
}

function bookData(raw: unknown, instId: string): BookData {
  if (!isObject(raw)) throw new MalformedFrameError(`book ${instId}: data entry is not an object`);
  const data: BookData = { bids: levels(raw.bids, 'bids', instId), asks: levels(raw.asks, 'asks', instId) };
  const ts = typeof raw.ts === 'string' ? Number(raw.ts) : raw.ts;
  if (typeof ts === 'number' && Number.isFinite(ts)) data.ts = ts;
  const checksum = int(raw.checksum, 'checksum', instId);
  if (checksum !== undefined) {
    if (checksum < -0x80000000 || checksum > 0x7fffffff) throw new MalformedFrameError(`book ${instId}: checksum is not a signed 32-bit integer`);
    data.checksum = checksum;
  }
  const seqId = int(raw.seqId, 'seqId', instId);
  if (seqId !== undefined) data.seqId = seqId;
  const prevSeqId = int(raw.prevSeqId, 'prevSeqId', instId);
  if (prevSeqId !== undefined) data.prevSeqId = prevSeqId;
  return data;
}

/** Parse one frame. Throws MalformedFrameError for anything that is not what the protocol says. */
export function parseOkxFrame(text: string, receivedAt = 0): OkxMessage {
  if (text === 'pong') return { kind: 'pong' };
  const msg = parseJsonObject(text, 'frame');
  const arg = isObject(msg.arg) ? msg.arg : null;
  const channel = arg && typeof arg.channel === 'string' ? arg.channel : null;
  const instId = arg && typeof arg.instId === 'string' ? arg.instId : null;
  if (typeof msg.event === 'string') {
    return {
      kind: 'event',
      event: msg.event,
      channel,
      instId,
      code: typeof msg.code === 'string' ? msg.code : typeof msg.code === 'number' ? String(msg.code) : null,
      msg: typeof msg.msg === 'string' ? msg.msg : null,
    };
  }
  if (channel === null) throw new MalformedFrameError('frame without an event or a channel');
  if (channel === 'trades' || channel === 'trades-all') return { kind: 'trades', batch: parseOkxTrades(msg, receivedAt)! };
  if (!BOOK_CHANNELS.has(channel)) return { kind: 'other', channel };
  if (instId === null || instId === '') throw new MalformedFrameError(`${channel} frame without an instId`);
  const action = msg.action;
  if (action !== 'snapshot' && action !== 'update') throw new MalformedFrameError(`${channel} ${instId}: unknown action ${String(action)}`);
  if (!Array.isArray(msg.data)) throw new MalformedFrameError(`${channel} ${instId}: no data list`);
  return { kind: 'book', channel, instId, action, data: msg.data.map((d) => bookData(d, instId)) };
}

/** Best-effort instId of a frame that failed to parse, so the failure is counted on its book. */
export function instIdOfFrame(text: string): string {
  const m = /"instId"\s*:\s*"([^"]{1,60})"/.exec(text.slice(0, 300));
  return m ? m[1]! : '';
}

/** Instruments whose book channels a recorded `subscribe` frame asks for (replay reads these). */
export function bookSubscriptionIds(text: string): string[] {
  try {
    const msg = JSON.parse(text) as { op?: unknown; args?: unknown };
    if (msg.op !== 'subscribe' || !Array.isArray(msg.args)) return [];
    const out: string[] = [];
    for (const a of msg.args as unknown[]) {
      if (isObject(a) && typeof a.channel === 'string' && BOOK_CHANNELS.has(a.channel) && typeof a.instId === 'string' && !out.includes(a.instId)) {
        out.push(a.instId);
      }
    }
    return out;
  } catch {
    return [];
  }
}
