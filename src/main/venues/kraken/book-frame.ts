/**
 * Kraken v2 `book` frames read straight from their text, the way Kraken writes them:
 *
 *   {"channel":"book","type":"update","data":[{"symbol":"XMR/USD","bids":[{"price":354.13000000,"qty":0.00000000}],"asks":[],"checksum":1453093704,"timestamp":"..."}]}
 *
 * Most of Kraken's traffic is such frames with one or two levels, where quoting the number literals
 * (number-text.ts), JSON.parse and checking the parsed objects cost several times the frame's own
 * JSON.parse. This reader takes exactly that layout (no whitespace, no escapes, keys of an entry in any
 * order, price before qty, plain decimal literals) and gives the same BookEntry values as the general
 * parser; anything else (another channel, another layout, a malformed frame) returns null, and the
 * general parser decides.
 */
import type { BookEntry, LevelPair } from './book-entry';

export interface BookFrame {
  type: 'snapshot' | 'update';
  entries: BookEntry[];
}

const PREFIX = '{"channel":"book","type":"';
const AFTER_TYPE = '","data":[';

// The text being read and the position in it (module-level: reading allocates only the results).
let text = '';
let at = 0;

function skip(literal: string): boolean {
  if (!text.startsWith(literal, at)) return false;
  at += literal.length;
  return true;
}

function next(char: number): boolean {
  if (text.charCodeAt(at) !== char) return false;
  at++;
  return true;
}

/** A JSON string without escapes; null when it has one (or does not end). */
function plainString(): string | null {
  if (!next(34 /* " */)) return null;
  const start = at;
  for (; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === 34) return text.slice(start, at++);
    if (c === 92 /* \ */ || c < 32) return null;
  }
  return null;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A JSON number literal of the form 0, 12, 0.5 or 12.50 (its exact text); null for any other form. */
function decimalLiteral(): string | null {
  const start = at;
  if (!isDigit(text.charCodeAt(at))) return null;
  // JSON allows no leading zero before another digit.
  if (text.charCodeAt(at) === 48 && isDigit(text.charCodeAt(at + 1))) return null;
  while (isDigit(text.charCodeAt(at))) at++;
  if (text.charCodeAt(at) === 46 /* . */) {
    at++;
    if (!isDigit(text.charCodeAt(at))) return null;
    while (isDigit(text.charCodeAt(at))) at++;
  }
  const c = text.charCodeAt(at);
  if (c === 101 || c === 69 /* e E */) return null;
  return text.slice(start, at);
}

/** `[{"price":P,"qty":Q},…]` */
function levels(): LevelPair[] | null {
  if (!next(91 /* [ */)) return null;
  const out: LevelPair[] = [];
  if (next(93 /* ] */)) return out;
  for (;;) {
    if (!skip('{"price":')) return null;
    const price = decimalLiteral();
    if (price === null || !skip(',"qty":')) return null;
    const qty = decimalLiteral();
    if (qty === null || !next(125 /* } */)) return null;
    out.push([price, qty]);
    if (next(93)) return out;
    if (!next(44 /* , */)) return null;
  }
}

/** An unsigned 32-bit integer written as plain digits. */
function checksum(): number | null {
  const start = at;
  if (text.charCodeAt(at) === 48 && isDigit(text.charCodeAt(at + 1))) return null;
  while (isDigit(text.charCodeAt(at))) at++;
  const c = text.charCodeAt(at);
  if (at === start || at - start > 10 || c === 46 || c === 101 || c === 69) return null;
  const value = Number(text.slice(start, at));
  return value <= 0xffffffff ? value : null;
}

function entry(): BookEntry | null {
  if (!next(123 /* { */)) return null;
  let symbol: string | null = null;
  let bids: LevelPair[] | null = null;
  let asks: LevelPair[] | null = null;
  let sum: number | null = null;
  let timestamp: string | null = null;
  for (;;) {
    const key = plainString();
    if (key === null || !next(58 /* : */)) return null;
    // A key seen twice: JSON.parse keeps the last; leave such a frame to it.
    if (key === 'symbol' && symbol === null) {
      symbol = plainString();
      if (symbol === null || symbol === '') return null;
    } else if (key === 'bids' && bids === null) {
      if ((bids = levels()) === null) return null;
    } else if (key === 'asks' && asks === null) {
      if ((asks = levels()) === null) return null;
    } else if (key === 'checksum' && sum === null) {
      if ((sum = checksum()) === null) return null;
    } else if (key === 'timestamp' && timestamp === null) {
      if ((timestamp = plainString()) === null) return null;
    } else {
      return null;
    }
    if (next(125 /* } */)) break;
    if (!next(44 /* , */)) return null;
  }
  if (symbol === null) return null;
  const out: BookEntry = { symbol, bids: bids ?? [], asks: asks ?? [] };
  if (sum !== null) out.checksum = sum;
  if (timestamp !== null) {
    const ts = Date.parse(timestamp);
    if (Number.isFinite(ts)) out.exchangeTs = ts;
  }
  return out;
}

/** A `book` frame in Kraken's own layout, or null (the general parser then reads the frame). */
export function readBookFrame(frame: string): BookFrame | null {
  if (!frame.startsWith(PREFIX)) return null;
  text = frame;
  at = PREFIX.length;
  try {
    let type: BookFrame['type'];
    if (skip('update')) type = 'update';
    else if (skip('snapshot')) type = 'snapshot';
    else return null;
    if (!skip(AFTER_TYPE)) return null;
    const entries: BookEntry[] = [];
    if (!next(93 /* ] */)) {
      for (;;) {
        const e = entry();
        if (e === null) return null;
        entries.push(e);
        if (next(93)) break;
        if (!next(44 /* , */)) return null;
      }
    }
    if (!next(125 /* } */) || at !== frame.length) return null;
    return { type, entries };
  } finally {
    text = '';
  }
}
