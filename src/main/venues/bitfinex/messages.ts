/**
 * Bitfinex v2 public WebSocket messages (docs/venues.md#bitfinex). Two shapes arrive on one socket:
 *
 * - events, JSON objects: `info` (API version, or a code such as 20051 "reconnect"), `conf` (the
 *   flags we asked for), `subscribed` (a channel id for a channel and symbol), `unsubscribed`,
 *   `error` (a refused request, with a code), `pong`;
 * - channel messages, JSON arrays led by the channel id: `[chanId, "hb"]` (heartbeat), `[chanId,
 *   "cs", checksum]` (book checksum), `[chanId, "te"|"tu", trade]` (trades), or `[chanId, data]` (a
 *   snapshot: a list of entries, or one update: a flat entry). With the SEQ_ALL flag every channel
 *   message ends with the connection's sequence number.
 *
 * Channel messages carry JSON numbers whose digits matter (checksums, exact price keys), so they are
 * parsed after `quoteNumbers` has turned every number literal into a string. Which channel a message
 * belongs to is known only from the `subscribed` event, so the channel-specific readers (book levels
 * here, trades in ./trades.ts) run once the adapter has looked the channel id up.
 * Sources: docs.bitfinex.com ws-general, ws-public-books, ws-public-trades, ws-websocket-checksum.
 */
import { expandExponent, isDecimalText } from '../../../shared/decimal';
import { MalformedFrameError } from '../adapter';
import { isObject, parseJson } from '../frames';
import { quoteNumbers } from './number-text';

export type LevelPair = readonly [string, string];

export type BitfinexEvent =
  | { kind: 'info'; version: number | null; code: number | null; msg: string | null }
  | { kind: 'conf'; ok: boolean; flags: number | null }
  | { kind: 'subscribed'; channel: string; chanId: number; symbol: string }
  | { kind: 'unsubscribed'; chanId: number | null }
  | { kind: 'error'; code: number | null; msg: string; channel: string | null; symbol: string | null }
  | { kind: 'other-event'; event: string };

/** What follows the channel id: a tag (`hb`, `cs`, `te`, `tu`, …) or channel data (`data`). */
export interface ChannelMessage {
  kind: 'channel';
  chanId: number;
  body: string;
  /** `cs`: the checksum text; `te`/`tu`: the trade entry; `data`: the snapshot list or update entry. */
  payload: unknown;
  /** The connection's sequence number (SEQ_ALL), or null when the message carries none. */
  seq: number | null;
}

export type BitfinexMessage = BitfinexEvent | ChannelMessage;

/** conf flags (docs ws-general "Configuration"): sequence numbers on every message, and book checksums. */
export const FLAG_SEQ_ALL = 65536;
export const FLAG_OB_CHECKSUM = 131072;

/** Book lengths the `book` channel offers (1 is too short for the 25-level checksum and not offered here). */
export const BOOK_LENGTHS = [25, 100, 250] as const;

export function isBookLength(x: unknown): x is number {
  return typeof x === 'number' && (BOOK_LENGTHS as readonly number[]).includes(x);
}

/** A non-negative integer sent as a number literal (quoted by the pre-pass) or as a number. */
function integerOf(x: unknown): number | null {
  const n = typeof x === 'string' && /^\d+$/.test(x) ? Number(x) : x;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

function stringOf(x: unknown): string | null {
  return typeof x === 'string' ? x : null;
}

function parseEvent(msg: Record<string, unknown>): BitfinexEvent {
  const event = msg.event;
  if (typeof event !== 'string') throw new MalformedFrameError('event object without an event name');
  switch (event) {
    case 'info':
      return { kind: 'info', version: integerOf(msg.version), code: integerOf(msg.code), msg: stringOf(msg.msg) };
    case 'conf':
      return { kind: 'conf', ok: msg.status === 'OK', flags: integerOf(msg.flags) };
    case 'subscribed': {
      const chanId = integerOf(msg.chanId);
      if (chanId === null || typeof msg.channel !== 'string' || typeof msg.symbol !== 'string') {
        throw new MalformedFrameError('subscribed event without channel, chanId and symbol');
      }
      return { kind: 'subscribed', channel: msg.channel, chanId, symbol: msg.symbol };
    }
    case 'unsubscribed':
      return { kind: 'unsubscribed', chanId: integerOf(msg.chanId) };
    case 'error':
      // A refused subscribe names its symbol in `symbol` (or, for a pair, `pair`).
      return {
        kind: 'error',
        code: integerOf(msg.code),
        msg: stringOf(msg.msg) ?? 'error',
        channel: stringOf(msg.channel),
        symbol: typeof msg.symbol === 'string' ? msg.symbol : typeof msg.pair === 'string' ? symbolKey(msg.pair) : null,
      };
    default:
      return { kind: 'other-event', event };
  }
}

/** The sequence number at `index`, if the message has one there. */
function seqAt(list: unknown[], index: number): number | null {
  if (list.length <= index) return null;
  const seq = integerOf(list[index]);
  if (seq === null) throw new MalformedFrameError(`channel message with sequence ${JSON.stringify(list[index])}`);
  return seq;
}

/** Parse one frame. Throws MalformedFrameError for anything that is not what the protocol says. */
export function parseBitfinexFrame(text: string): BitfinexMessage {
  const start = text.trimStart();
  if (start.startsWith('{')) {
    const msg = parseJson(text, 'frame is not valid JSON');
    if (!isObject(msg)) throw new MalformedFrameError('frame is not a JSON object');
    return parseEvent(msg);
  }
  const list = parseJson(quoteNumbers(text), 'frame is not valid JSON');
  if (!Array.isArray(list) || list.length < 2) throw new MalformedFrameError('channel message is not a list of at least two items');
  const chanId = integerOf(list[0]);
  if (chanId === null) throw new MalformedFrameError('channel message without a channel id');
  const second = list[1];
  if (typeof second === 'string') {
    // A tag. The checksum and trades carry one more item before the sequence number.
    if (second === 'hb') return { kind: 'channel', chanId, body: 'hb', payload: null, seq: seqAt(list, 2) };
    if (list.length < 3) throw new MalformedFrameError(`"${second}" message without its content`);
    return { kind: 'channel', chanId, body: second, payload: list[2], seq: seqAt(list, 3) };
  }
  if (!Array.isArray(second)) throw new MalformedFrameError('channel message without data');
  return { kind: 'channel', chanId, body: 'data', payload: second, seq: seqAt(list, 2) };
}

/** Channel data that is a snapshot: a list of entries (empty when the book or trade list is empty). */
export function isSnapshot(payload: unknown): payload is unknown[] {
  return Array.isArray(payload) && (payload.length === 0 || Array.isArray(payload[0]));
}

/**
 * Decimal text as a plain decimal: Bitfinex writes numbers below 1e-6 the way JavaScript prints them
 * (`1.1e-7`); the book and the screen want `0.00000011`. Exact: digits are moved, never rounded.
 */
export function plainDecimal(text: string, what: string): string {
  if (!isDecimalText(text)) throw new MalformedFrameError(`${what} is not a decimal: ${JSON.stringify(text)}`);
  return /[eE]/.test(text) ? expandExponent(text) : text;
}

export interface BookLevels {
  bids: LevelPair[];
  asks: LevelPair[];
}

/**
 * One `[PRICE, COUNT, AMOUNT]` entry of a price-aggregated book (P0–P4) into `out`: AMOUNT > 0 is a bid
 * and < 0 an ask, of absolute size |AMOUNT|; COUNT 0 deletes the level, its side given by AMOUNT
 * (1 bids, -1 asks). Fields after the third are ignored (Bitfinex may append fields).
 */
function addLevel(entry: unknown, out: BookLevels): void {
  if (!Array.isArray(entry) || entry.length < 3) throw new MalformedFrameError('book entry is not [price, count, amount]');
  const [priceText, countText, amountText] = entry as unknown[];
  if (typeof priceText !== 'string' || typeof amountText !== 'string') throw new MalformedFrameError('book entry without a numeric price and amount');
  const count = integerOf(countText);
  if (count === null) throw new MalformedFrameError(`book entry with count ${JSON.stringify(countText)}`);
  const price = plainDecimal(priceText, 'book price');
  const negative = amountText.startsWith('-');
  const size = plainDecimal(negative ? amountText.slice(1) : amountText, 'book amount');
  const side = negative ? out.asks : out.bids;
  if (count === 0) {
    side.push([price, '0']);
    return;
  }
  if (!/[1-9]/.test(size)) throw new MalformedFrameError(`book entry at ${price} with ${count} orders and amount 0`);
  side.push([price, size]);
}

/** The levels of a book snapshot (bids best first, then asks best first) or of one update. */
export function bookLevels(payload: unknown): BookLevels {
  const out: BookLevels = { bids: [], asks: [] };
  if (isSnapshot(payload)) for (const entry of payload) addLevel(entry, out);
  else addLevel(payload, out);
  return out;
}

/** A `cs` message's checksum: a signed 32-bit integer. */
export function checksumOf(payload: unknown): number {
  const n = typeof payload === 'string' && /^-?\d+$/.test(payload) ? Number(payload) : Number.NaN;
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new MalformedFrameError(`checksum ${JSON.stringify(payload)} is not a signed 32-bit integer`);
  return n;
}

/**
 * The key a trading-pair symbol is kept under: `t` then the pair in upper case (`tBTCUSD`,
 * `tTESTBTC:TESTUSD`); a pair given without its `t` gets one.
 */
export function symbolKey(symbol: string): string {
  const pair = symbol.startsWith('t') ? symbol.slice(1) : symbol;
  return `t${pair.toUpperCase()}`;
}

/** Symbol and book length of a recorded `book` subscribe frame (replay reads what was subscribed). */
export function bookSubscription(text: string): { symbols: string[]; depth: number | undefined } {
  try {
    const msg = JSON.parse(text) as { event?: unknown; channel?: unknown; symbol?: unknown; pair?: unknown; len?: unknown };
    const symbol = typeof msg.symbol === 'string' ? msg.symbol : typeof msg.pair === 'string' ? msg.pair : '';
    if (msg.event !== 'subscribe' || msg.channel !== 'book' || symbol === '') return { symbols: [], depth: undefined };
    const len = Number(msg.len);
    return { symbols: [symbolKey(symbol)], depth: isBookLength(len) ? len : undefined };
  } catch {
    return { symbols: [], depth: undefined };
  }
}

/** Best-effort symbol an unreadable event names (`"symbol":"tBTCUSD"`), so the failure is counted on its book. */
export function symbolOfEvent(text: string): string | null {
  const m = /"symbol"\s*:\s*"(t[^"]{1,40})"/.exec(text.slice(0, 400));
  return m ? m[1]! : null;
}

/** Best-effort channel id of an unreadable channel message (`[232957,…`). */
export function chanIdOfFrame(text: string): number | null {
  const m = /^\s*\[\s*(\d{1,15})\s*,/.exec(text.slice(0, 40));
  return m ? Number(m[1]) : null;
}
