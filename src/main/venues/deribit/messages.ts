/**
 * Deribit API v2 JSON-RPC over WebSocket: `subscription` notifications for the `book.{instrument}.{interval}`
 * and `trades.{instrument}.{interval}` channels, `heartbeat` notifications (`heartbeat` and
 * `test_request`), and responses to our requests (`result` or `error`, matched by `id`).
 * Sources: docs.deribit.com "Notifications", "book.(instrument_name).(interval)",
 * "public/set_heartbeat", "public/subscribe"; docs/venues.md#deribit.
 *
 * Book levels are `[action, price, amount]` with price and amount as JSON numbers. Deribit has no
 * checksum, so the digits of a number only have to key the same level every time: `numberText`
 * writes the shortest text that reads back as the same double (what the venue's literal denotes),
 * in plain decimal form. Identical literals always give identical text.
 */
import { expandExponent, isDecimalText } from '../../../shared/decimal';
import { MalformedFrameError } from '../adapter';
import { isObject, parseJsonObject } from '../frames';

export type LevelPair = readonly [string, string];

/** Intervals of the incremental book channel: `raw` needs an authorised connection today, `100ms` is public. */
export const BOOK_INTERVALS: ReadonlySet<string> = new Set(['raw', '100ms', 'agg2']);

export interface BookData {
  type: 'snapshot' | 'change';
  changeId: number;
  /** On every `change`, never on a snapshot. */
  prevChangeId?: number;
  /** Exchange time of the change, ms since the epoch. */
  timestamp?: number;
  bids: LevelPair[];
  asks: LevelPair[];
}

export type DeribitMessage =
  | { kind: 'book'; instrument: string; interval: string; data: BookData }
  /** A `trades.*` notification, kept as parsed JSON for ./trades.ts (which needs the receive time). */
  | { kind: 'trades'; instrument: string; interval: string; message: Record<string, unknown> }
  | { kind: 'heartbeat'; type: string }
  | { kind: 'response'; id: number; result: unknown; error: { code: number | null; message: string } | null }
  | { kind: 'other'; channel: string };

/** A JSON number (or decimal string) as plain decimal text, never exponent notation. */
export function numberText(raw: unknown): string | null {
  if (typeof raw === 'number' && Number.isFinite(raw)) {
    const text = String(raw);
    return /e/i.test(text) ? expandExponent(text) : text;
  }
  if (typeof raw === 'string' && isDecimalText(raw)) return /e/i.test(raw) ? expandExponent(raw) : raw;
  return null;
}

/** `book.{instrument}.{interval}`; the grouped `book.{instrument}.{group}.{depth}.{interval}` is not this. */
export function parseBookChannel(channel: string): { instrument: string; interval: string } | null {
  const m = /^book\.([^.]+)\.([^.]+)$/.exec(channel);
  return m && BOOK_INTERVALS.has(m[2]!) ? { instrument: m[1]!, interval: m[2]! } : null;
}

export function parseTradesChannel(channel: string): { instrument: string; interval: string } | null {
  const m = /^trades\.([^.]+)\.([^.]+)$/.exec(channel);
  return m && BOOK_INTERVALS.has(m[2]!) ? { instrument: m[1]!, interval: m[2]! } : null;
}

export const bookChannel = (instrument: string, interval: string): string => `book.${instrument}.${interval}`;
export const tradesChannel = (instrument: string, interval: string): string => `trades.${instrument}.${interval}`;

function levels(raw: unknown, side: string, instrument: string): LevelPair[] {
  if (!Array.isArray(raw)) throw new MalformedFrameError(`book ${instrument}: ${side} is not a list`);
  const out: LevelPair[] = [];
  for (const level of raw as unknown[]) {
    if (!Array.isArray(level)) throw new MalformedFrameError(`book ${instrument}: ${side} level is not a list`);
    const [action, rawPrice, rawAmount] = level as unknown[];
    const price = numberText(rawPrice);
    const amount = numberText(rawAmount);
    if (price === null || amount === null) throw new MalformedFrameError(`book ${instrument}: ${side} level without a numeric price and amount`);
    // Amounts are absolute; `delete` removes the level whatever amount it carries (Deribit sends 0).
    if (action === 'delete') out.push([price, '0']);
    else if (action === 'new' || action === 'change') out.push([price, amount]);
    else throw new MalformedFrameError(`book ${instrument}: ${side} level with action ${JSON.stringify(action)}`);
  }
  return out;
}

function id(x: unknown, what: string, instrument: string): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) throw new MalformedFrameError(`book ${instrument}: ${what} is not a whole number`);
  return x;
}

function bookData(raw: unknown, channelInstrument: string): BookData {
  if (!isObject(raw)) throw new MalformedFrameError(`book ${channelInstrument}: data is not an object`);
  const type = raw.type;
  if (type !== 'snapshot' && type !== 'change') throw new MalformedFrameError(`book ${channelInstrument}: unknown type ${JSON.stringify(type)}`);
  const data: BookData = {
    type,
    changeId: id(raw.change_id, 'change_id', channelInstrument),
    bids: levels(raw.bids, 'bids', channelInstrument),
    asks: levels(raw.asks, 'asks', channelInstrument),
  };
  if (type === 'change') data.prevChangeId = id(raw.prev_change_id, 'prev_change_id', channelInstrument);
  if (typeof raw.timestamp === 'number' && Number.isFinite(raw.timestamp)) data.timestamp = raw.timestamp;
  return data;
}

function response(msg: Record<string, unknown>): DeribitMessage {
  const requestId = msg.id;
  if (typeof requestId !== 'number' || !Number.isSafeInteger(requestId)) throw new MalformedFrameError('response without a numeric id');
  let error: { code: number | null; message: string } | null = null;
  if (msg.error !== undefined && msg.error !== null) {
    const e = isObject(msg.error) ? msg.error : {};
    const data = isObject(e.data) ? ` (${Object.entries(e.data).map(([k, v]) => `${k}: ${String(v)}`).join(', ')})` : '';
    error = { code: typeof e.code === 'number' ? e.code : null, message: `${typeof e.message === 'string' ? e.message : 'error'}${data}` };
  }
  return { kind: 'response', id: requestId, result: msg.result, error };
}

/** Parse one frame. Throws MalformedFrameError for anything that is not what the protocol says. */
export function parseDeribitFrame(text: string): DeribitMessage {
  const msg = parseJsonObject(text, 'frame');
  if (msg.method === 'heartbeat') {
    const params = isObject(msg.params) ? msg.params : {};
    return { kind: 'heartbeat', type: typeof params.type === 'string' ? params.type : '' };
  }
  if (msg.method !== 'subscription') {
    if ('id' in msg && ('result' in msg || 'error' in msg)) return response(msg);
    throw new MalformedFrameError('frame is neither a notification nor a response');
  }
  const params = msg.params;
  if (!isObject(params) || typeof params.channel !== 'string') throw new MalformedFrameError('notification without a channel');
  const channel = params.channel;
  const book = parseBookChannel(channel);
  if (book) {
    const data = bookData(params.data, book.instrument);
    return { kind: 'book', instrument: book.instrument, interval: book.interval, data };
  }
  const trades = parseTradesChannel(channel);
  if (trades) return { kind: 'trades', instrument: trades.instrument, interval: trades.interval, message: msg };
  return { kind: 'other', channel };
}

/** Best-effort instrument of a frame that failed to parse, so the failure is counted on its book. */
export function instrumentOfFrame(text: string): string[] {
  const head = text.slice(0, 400);
  const m = /"channel"\s*:\s*"(?:book|trades)\.([^".]{1,80})\./.exec(head) ?? /"instrument_name"\s*:\s*"([^"]{1,80})"/.exec(head);
  return m ? [m[1]!] : [];
}

/** Instruments whose book channels a recorded `public/subscribe` request names (replay reads these). */
export function bookSubscriptionInstruments(text: string): string[] {
  try {
    const msg = JSON.parse(text) as unknown;
    if (!isObject(msg) || (msg.method !== 'public/subscribe' && msg.method !== 'private/subscribe')) return [];
    const channels = isObject(msg.params) && Array.isArray(msg.params.channels) ? (msg.params.channels as unknown[]) : [];
    const out: string[] = [];
    for (const c of channels) {
      const book = typeof c === 'string' ? parseBookChannel(c) : null;
      if (book && !out.includes(book.instrument)) out.push(book.instrument);
    }
    return out;
  } catch {
    return [];
  }
}
