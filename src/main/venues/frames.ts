/**
 * What every venue's parser shares: reading JSON defensively, so that a frame or REST body that is
 * not what the protocol says becomes a MalformedFrameError with a readable message (the session
 * skips and counts it), never a crash.
 */
import { isDecimalText, significantDecimals } from '../../shared/decimal';
import type { Instrument } from '../../shared/market';
import { MalformedFrameError } from './adapter';

/** A price level as the venue wrote it: [price, size] text. */
export type LevelPair = [string, string];

/** A JSON object: not null, not an array. */
export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A list of [price, size, ...] arrays whose first two entries are strings. */
export function isLevelArray(x: unknown): x is LevelPair[] {
  if (!Array.isArray(x)) return false;
  for (const level of x) {
    if (!Array.isArray(level) || typeof level[0] !== 'string' || typeof level[1] !== 'string') return false;
  }
  return true;
}

/** `JSON.parse`, with a syntax error reported as a MalformedFrameError saying `notJson`. */
export function parseJson(text: string, notJson: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedFrameError(notJson);
  }
}

/** A JSON object, else MalformedFrameError "`what` is not valid JSON" / "`what` is not a JSON object". */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  const msg = parseJson(text, `${what} is not valid JSON`);
  if (!isObject(msg)) throw new MalformedFrameError(`${what} is not a JSON object`);
  return msg;
}

/** An instrument whose price and size precisions are the decimals of its tick and lot size. */
export function instrumentFrom(fields: Omit<Instrument, 'pricePrecision' | 'sizePrecision'>): Instrument {
  return {
    ...fields,
    pricePrecision: fields.tickSize ? significantDecimals(fields.tickSize) : null,
    sizePrecision: fields.lotSize ? significantDecimals(fields.lotSize) : null,
  };
}

/**
 * A list of levels whose first two fields are decimal price and size strings (further fields are
 * ignored); absent is empty. `where` opens the error message, e.g. "book BTC-USDT: bids".
 */
export function decimalStringLevels(raw: unknown, where: string): LevelPair[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new MalformedFrameError(`${where} is not a list`);
  const out: LevelPair[] = [];
  for (const level of raw) {
    if (!Array.isArray(level) || typeof level[0] !== 'string' || typeof level[1] !== 'string' || !isDecimalText(level[0]) || !isDecimalText(level[1])) {
      throw new MalformedFrameError(`${where} level without decimal price and size`);
    }
    out.push([level[0], level[1]]);
  }
  return out;
}

/** An integer from a JSON number or a numeric string; undefined when absent. `where` opens the error message. */
export function optionalInteger(x: unknown, where: string): number | undefined {
  if (x === undefined || x === null) return undefined;
  const n = typeof x === 'string' && /^-?\d+$/.test(x) ? Number(x) : x;
  if (!Number.isSafeInteger(n)) throw new MalformedFrameError(`${where} is not an integer`);
  return n as number;
}
