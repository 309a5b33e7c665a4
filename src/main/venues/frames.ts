/**
 * What every venue's parser shares: reading JSON defensively, so that a frame or REST body that is
 * not what the protocol says becomes a MalformedFrameError with a readable message (the session
 * skips and counts it), never a crash.
 */
import { significantDecimals } from '../../shared/decimal';
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
