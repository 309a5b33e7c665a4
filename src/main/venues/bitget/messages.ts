/**
 * Bitget public WebSocket messages, v2 (`/v2/ws/public`) and the v1 frames of the 2022 capture
 * (`/spot/v1/stream`, `/mix/v1/stream`), which share one shape:
 *   push   {action:"snapshot"|"update", arg:{instType, channel, instId}, data:[...], ts?}
 *   event  {event:"subscribe"|"unsubscribe"|"error", arg?, code?, msg?}
 *   and the text `pong` answering our text `ping`.
 * The `books` channel's data is one object {asks, bids, checksum, ts, seq?}: levels [price, size] as
 * strings, `checksum` a signed CRC32 (./checksum.ts), `seq` (v2 only) a number that increases.
 * v1 spells instType `sp` / `mc`, v2 `SPOT` / `USDT-FUTURES`; ./markets.ts reads both.
 * Sources: bitget.com/api-doc spot "Depth Channel", contract "Order Book Channel", common
 * "Websocket API"; docs/venues.md#bitget.
 */
import { MalformedFrameError } from '../adapter';
import { decimalStringLevels, isObject, optionalInteger, parseJsonObject, type LevelPair } from '../frames';
import { marketOfInstType, symbolOf, type BitgetMarket } from './markets';

export const BOOK_CHANNEL = 'books';
export const TRADE_CHANNEL = 'trade';

export interface BookData {
  bids: LevelPair[];
  asks: LevelPair[];
  /** Book time in ms. */
  ts?: number;
  /** Signed CRC32 of the top 25 levels per side; sent on snapshots and updates. */
  checksum?: number;
  /** v2: increases with every book change of the instrument (absent on v1). */
  seq?: number;
}

export type BitgetMessage =
  | { kind: 'pong' }
  | { kind: 'event'; event: string; market: BitgetMarket | null; channel: string | null; symbol: string | null; code: string | null; msg: string | null }
  | { kind: 'book'; market: BitgetMarket; symbol: string; action: 'snapshot' | 'update'; data: BookData[] }
  /** A trade push, kept as parsed JSON for ./trades.ts (the route attaches the receive time). */
  | { kind: 'trade'; symbol: string; message: Record<string, unknown> }
  | { kind: 'other'; channel: string };

function levels(raw: unknown, side: string, symbol: string): LevelPair[] {
  // [price, size, ...]; only price and size matter.
  return decimalStringLevels(raw, `books ${symbol}: ${side}`);
}

function integer(x: unknown, what: string, symbol: string): number | undefined {
  return optionalInteger(x, `books ${symbol}: ${what}`);
}

function bookData(raw: unknown, symbol: string): BookData {
  if (!isObject(raw)) throw new MalformedFrameError(`books ${symbol}: data entry is not an object`);
  const data: BookData = { bids: levels(raw.bids, 'bids', symbol), asks: levels(raw.asks, 'asks', symbol) };
  const ts = integer(raw.ts, 'ts', symbol);
  if (ts !== undefined) data.ts = ts;
  const checksum = integer(raw.checksum, 'checksum', symbol);
  if (checksum !== undefined) {
    if (checksum < -0x80000000 || checksum > 0x7fffffff) throw new MalformedFrameError(`books ${symbol}: checksum is not a signed 32-bit integer`);
    data.checksum = checksum;
  }
  const seq = integer(raw.seq, 'seq', symbol);
  if (seq !== undefined) data.seq = seq;
  return data;
}

function text(x: unknown): string | null {
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return String(x);
  return null;
}

/** Parse one frame. Throws MalformedFrameError for anything that is not what the protocol says. */
export function parseBitgetFrame(frame: string): BitgetMessage {
  if (frame === 'pong') return { kind: 'pong' };
  const msg = parseJsonObject(frame, 'frame');
  const arg = isObject(msg.arg) ? msg.arg : null;
  const channel = arg && typeof arg.channel === 'string' ? arg.channel : null;
  const instId = arg && typeof arg.instId === 'string' && arg.instId !== '' ? arg.instId : null;
  const market = arg && typeof arg.instType === 'string' ? (marketOfInstType(arg.instType) ?? null) : null;
  if (typeof msg.event === 'string') {
    return {
      kind: 'event',
      event: msg.event,
      market,
      channel,
      symbol: market && instId ? symbolOf(market, instId) : null,
      code: text(msg.code),
      msg: text(msg.msg),
    };
  }
  if (channel === null) throw new MalformedFrameError('frame without an event or a channel');
  if (channel !== BOOK_CHANNEL && channel !== TRADE_CHANNEL) return { kind: 'other', channel };
  if (instId === null) throw new MalformedFrameError(`${channel} frame without an instId`);
  // A market we do not carry (coin-margined futures, say) is not ours to read.
  if (market === null) return { kind: 'other', channel };
  const symbol = symbolOf(market, instId);
  if (channel === TRADE_CHANNEL) return { kind: 'trade', symbol, message: msg };
  const action = msg.action;
  if (action !== 'snapshot' && action !== 'update') throw new MalformedFrameError(`books ${symbol}: unknown action ${String(action)}`);
  if (!Array.isArray(msg.data)) throw new MalformedFrameError(`books ${symbol}: no data list`);
  return { kind: 'book', market, symbol, action, data: msg.data.map((d) => bookData(d, symbol)) };
}

/** Best-effort symbol of a frame that failed to parse, so the failure is counted on its book. */
export function symbolOfFrame(frame: string): string[] {
  const head = frame.slice(0, 300);
  const instId = /"instId"\s*:\s*"([A-Za-z0-9_-]{1,40})"/.exec(head)?.[1];
  const instType = /"instType"\s*:\s*"([A-Za-z-]{1,20})"/.exec(head)?.[1];
  const market = instType === undefined ? undefined : marketOfInstType(instType);
  return instId && market ? [symbolOf(market, instId)] : [];
}

/** Our symbols whose `books` channel a recorded `subscribe` frame asks for (replay reads these). */
export function bookSubscriptionSymbols(frame: string): string[] {
  let msg: unknown;
  try {
    msg = JSON.parse(frame);
  } catch {
    return [];
  }
  if (!isObject(msg) || msg.op !== 'subscribe' || !Array.isArray(msg.args)) return [];
  const out: string[] = [];
  for (const a of msg.args as unknown[]) {
    if (!isObject(a) || a.channel !== BOOK_CHANNEL || typeof a.instId !== 'string' || typeof a.instType !== 'string') continue;
    const market = marketOfInstType(a.instType);
    if (!market) continue;
    const symbol = symbolOf(market, a.instId);
    if (!out.includes(symbol)) out.push(symbol);
  }
  return out;
}
