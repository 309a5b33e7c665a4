/**
 * What every venue's trade parser returns, and the field checks they share. A parser takes one parsed
 * JSON message and returns a TradeBatch, or null when the message is not a trade message; a trade
 * message that is not what the venue documents is a MalformedFrameError, like a bad book frame.
 */
import { isDecimalText } from '../../shared/decimal';
import type { TakerSide, Trade } from '../../shared/market';
import { MalformedFrameError } from '../venues/malformed-frame';

export interface TradeBatch {
  /** In the venue's order. Trades sent on subscribe from before it carry `history: true`. */
  readonly trades: readonly Trade[];
  /**
   * The id sequence the trades belong to ('trade', 'aggTrade', 'matches'…): ids are compared only
   * within one stream of one symbol (Binance `t` and `a` are two different sequences).
   */
  readonly stream: string;
  /** The venue documents ids on this stream as consecutive per symbol, so a hole means a lost trade. */
  readonly consecutiveIds: boolean;
}

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Decimal text from a string field (or a JSON number where the venue sends numbers), else malformed. */
export function decimalField(raw: unknown, what: string): string {
  if (typeof raw === 'string' && isDecimalText(raw)) return raw;
  // JSON numbers (Kraken) arrive here only when the caller did not keep their source text.
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  throw new MalformedFrameError(`trade without a decimal ${what}`);
}

/** A trade id as text: a safe integer, or a non-empty string. */
export function idField(raw: unknown, what: string): string {
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) return String(raw);
  if (typeof raw === 'string' && raw !== '') return raw;
  throw new MalformedFrameError(`trade without ${what}`);
}

/** Milliseconds since the epoch from a number or a numeric string ("1652459199958"). */
export function millisField(raw: unknown, what: string): number {
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new MalformedFrameError(`trade without a numeric ${what}`);
  return n;
}

/**
 * RFC 3339 time ("2021-04-17T16:43:37.089723Z", up to ns digits) as ms since the epoch, keeping µs
 * as a fraction so prints of one match keep their order.
 */
export function isoTimeField(raw: unknown, what: string): number {
  if (typeof raw === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(raw);
    if (m) {
      const seconds = Date.parse(`${m[1]}${m[3]}`);
      if (Number.isFinite(seconds)) return seconds + Number((m[2] ?? '').slice(0, 6).padEnd(6, '0')) / 1000;
    }
  }
  throw new MalformedFrameError(`trade without an RFC 3339 ${what}`);
}

/** 'buy' / 'sell' in any case; absent means the venue did not say; anything else is malformed. */
export function sideField(raw: unknown): TakerSide {
  if (raw === undefined || raw === null) return 'unknown';
  if (typeof raw === 'string') {
    const s = raw.toLowerCase();
    if (s === 'buy' || s === 'sell') return s;
  }
  throw new MalformedFrameError(`trade with side ${JSON.stringify(raw)}`);
}

export function opposite(side: TakerSide): TakerSide {
  return side === 'buy' ? 'sell' : side === 'sell' ? 'buy' : 'unknown';
}
