/**
 * Binance spot wire messages (also spoken by the demo venue). Sources: binance-spot-api-docs
 * web-socket-streams.md and rest-api.md; docs/venues.md#binance.
 */
import type { TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';
import { parseBinanceTrades, type BinanceTradeVenue } from './trades';
import { isLevelArray, isObject, parseJsonObject, type LevelPair } from '../frames';

export type { LevelPair };

/** Diff depth event (`<symbol>@depth@100ms`): levels carry absolute sizes; `pu` only on USD-M futures. */
export interface DepthUpdate {
  e: 'depthUpdate';
  E: number;
  T?: number;
  s: string;
  U: number;
  u: number;
  pu?: number;
  b: LevelPair[];
  a: LevelPair[];
}

/** Best bid/offer (`<symbol>@bookTicker`), tagged with the order-book update id it reflects. */
export interface BookTicker {
  u: number;
  s: string;
  b: string;
  B: string;
  a: string;
  A: string;
  E?: number;
}

export interface DepthSnapshot {
  lastUpdateId: number;
  bids: LevelPair[];
  asks: LevelPair[];
}

export type StreamMessage =
  | { kind: 'depth'; symbol: string; data: DepthUpdate }
  | { kind: 'bookTicker'; symbol: string; data: BookTicker }
  | { kind: 'trades'; batch: TradeBatch }
  | { kind: 'serverShutdown' }
  | { kind: 'response'; id: unknown; error: string | null }
  | { kind: 'other'; stream: string };

function checkDepth(d: Record<string, unknown>): DepthUpdate {
  if (
    typeof d.s !== 'string' ||
    !Number.isSafeInteger(d.U) ||
    !Number.isSafeInteger(d.u) ||
    (d.u as number) < (d.U as number) ||
    !isLevelArray(d.b) ||
    !isLevelArray(d.a) ||
    (d.pu !== undefined && !Number.isSafeInteger(d.pu))
  ) {
    throw new MalformedFrameError('depthUpdate with missing or invalid fields');
  }
  return d as unknown as DepthUpdate;
}

function checkTicker(d: Record<string, unknown>): BookTicker {
  if (
    typeof d.s !== 'string' ||
    !Number.isSafeInteger(d.u) ||
    typeof d.b !== 'string' ||
    typeof d.B !== 'string' ||
    typeof d.a !== 'string' ||
    typeof d.A !== 'string'
  ) {
    throw new MalformedFrameError('bookTicker with missing or invalid fields');
  }
  return d as unknown as BookTicker;
}

/**
 * Parse one frame of a combined (`/stream?streams=`) or raw (`/ws/`) connection. Trade events
 * (`trade`, `aggTrade`) are read for `venue`, stamped with `receivedAt`.
 */
export function parseStreamFrame(text: string, receivedAt = 0, venue: BinanceTradeVenue = 'binance-spot'): StreamMessage {
  const msg = parseJsonObject(text, 'frame');
  if ('result' in msg || ('error' in msg && 'id' in msg)) {
    const err = isObject(msg.error) ? `${String(msg.error.code)} ${String(msg.error.msg)}` : null;
    return { kind: 'response', id: msg.id, error: err };
  }
  const stream = typeof msg.stream === 'string' ? msg.stream : '';
  const data = stream ? msg.data : msg;
  if (!isObject(data)) throw new MalformedFrameError('stream frame without a data object');
  const event = data.e;
  if (event === 'depthUpdate') {
    const d = checkDepth(data);
    return { kind: 'depth', symbol: d.s, data: d };
  }
  if (event === 'trade' || event === 'aggTrade') return { kind: 'trades', batch: parseBinanceTrades(venue, data, receivedAt)! };
  if (event === 'serverShutdown' || stream === '!serverShutdown') return { kind: 'serverShutdown' };
  if (event === 'bookTicker' || stream.endsWith('@bookTicker') || (event === undefined && 'A' in data && 'B' in data)) {
    const t = checkTicker(data);
    return { kind: 'bookTicker', symbol: t.s, data: t };
  }
  return { kind: 'other', stream: stream || String(event) };
}

export function parseDepthSnapshot(body: string): DepthSnapshot {
  const msg = parseJsonObject(body, 'depth snapshot');
  if (!Number.isSafeInteger(msg.lastUpdateId) || !isLevelArray(msg.bids) || !isLevelArray(msg.asks)) {
    throw new MalformedFrameError('depth snapshot without lastUpdateId, bids and asks');
  }
  return msg as unknown as DepthSnapshot;
}

/** Symbols with a depth stream in a combined-stream URL (`...?streams=btcusdt@depth@100ms/...`). */
export function symbolsFromStreamUrl(url: string): string[] {
  const query = url.split('?')[1] ?? '';
  const streamsParam = new URLSearchParams(query).get('streams') ?? '';
  const path = url.split('?')[0] ?? '';
  const names = streamsParam ? streamsParam.split('/') : [path.split('/').pop() ?? ''];
  const out: string[] = [];
  for (const name of names) {
    const [sym, kind] = name.split('@');
    if (sym && kind === 'depth' && !out.includes(sym.toUpperCase())) out.push(sym.toUpperCase());
  }
  return out;
}

/** Symbols named in a live SUBSCRIBE frame's depth streams. */
export function symbolsFromSubscribe(text: string): string[] {
  try {
    const msg = JSON.parse(text) as { method?: string; params?: unknown };
    if (msg.method !== 'SUBSCRIBE' || !Array.isArray(msg.params)) return [];
    return msg.params
      .filter((p): p is string => typeof p === 'string' && p.split('@')[1] === 'depth')
      .map((p) => p.split('@')[0]!.toUpperCase());
  } catch {
    return [];
  }
}
