/**
 * Kraken v2 book checksum ("Book checksum (WebSocket v2)" guide, docs/venues.md#kraken): the top 10 asks
 * (best first) then the top 10 bids (best first); for each level the price then the quantity, each
 * formatted to the instrument's precision with '.' removed and leading zeros stripped; CRC32 of the
 * concatenation, compared unsigned.
 */
import { toFixedDecimals } from '../../../shared/decimal';
import type { OrderBook, PriceLevel } from '../../book/order-book';

export const CHECKSUM_LEVELS = 10;

export interface Precision {
  price: number | null;
  qty: number | null;
}

/**
 * One number's contribution: the exact text padded to `decimals` (never rounded, never via a float),
 * '.' removed, leading zeros stripped. Without a known precision, or when the text carries more
 * digits than the precision allows, the venue's own text is used as it is.
 */
export function checksumDigits(text: string, decimals: number | null): string {
  let fixed = text;
  if (decimals !== null) {
    try {
      fixed = toFixedDecimals(text, decimals);
    } catch {
      fixed = text;
    }
  }
  let out = fixed.replace('.', '');
  let zeros = 0;
  while (zeros < out.length && out.charCodeAt(zeros) === 48) zeros++;
  if (zeros > 0) out = out.slice(zeros);
  return out;
}

function appendSide(levels: PriceLevel[], precision: Precision, parts: string[]): void {
  for (const level of levels) parts.push(checksumDigits(level.price, precision.price), checksumDigits(level.sizeText, precision.qty));
}

/** CRC-32 (IEEE, as zlib's crc32) one byte at a time, so the checksum needs no input string at all. */
const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}

function crcByte(crc: number, byte: number): number {
  return CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
}

function crcString(crc: number, text: string): number {
  for (const byte of Buffer.from(text, 'utf8')) crc = crcByte(crc, byte);
  return crc;
}

/**
 * The CRC of checksumDigits(text, decimals) added to `crc`, computed from the text's characters
 * without building that string. Plain decimal text (digits and at most one '.', what Kraken sends)
 * takes this path; anything else is formatted by checksumDigits.
 */
function crcDigits(crc: number, text: string, decimals: number | null): number {
  const n = text.length;
  const dot = text.indexOf('.');
  if (n === 0 || n === (dot === -1 ? 0 : 1)) return crcString(crc, checksumDigits(text, decimals));
  // Characters of the text that count, then zeros padded to `decimals` (as toFixedDecimals does).
  let end = n;
  let pad = 0;
  if (decimals !== null) {
    const fraction = dot === -1 ? 0 : n - dot - 1;
    if (fraction <= decimals) {
      pad = decimals - fraction;
    } else {
      // More decimals than the precision: fine when the extra ones are zeros (dropped), else the
      // venue's text is used as it is.
      let extraZeros = true;
      for (let i = dot + 1 + decimals; i < n; i++) if (text.charCodeAt(i) !== 48) extraZeros = false;
      if (extraZeros) end = dot + 1 + decimals;
    }
  }
  // '.' removed and leading zeros stripped (padding zeros after nothing but zeros are leading too);
  // any other character (a sign, an exponent, a second point) leaves the text to checksumDigits.
  const initial = crc;
  let started = false;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (i === dot) continue;
    if (c < 48 || c > 57) return crcString(initial, checksumDigits(text, decimals));
    if (!started) {
      if (c === 48) continue;
      started = true;
    }
    crc = crcByte(crc, c);
  }
  if (started) for (let i = 0; i < pad; i++) crc = crcByte(crc, 48);
  return crc;
}

/**
 * What the last checksum of a book was computed from: the top levels visited in order (asks then
 * bids), each level's size text then, and the CRC state after each. Most updates leave the first
 * levels as they were (a level object keeps its price, and its size text is replaced when the size
 * changes), so the CRC resumes after the last level that is unchanged instead of starting over.
 */
interface ChecksumMemo {
  pricePrecision: number | null;
  qtyPrecision: number | null;
  levels: PriceLevel[];
  sizeTexts: string[];
  /** CRC state after levels[0..i]. */
  states: number[];
  askCount: number;
}
const memos = new WeakMap<OrderBook, ChecksumMemo>();

// The running state of one checksum, module-level so that visiting the book allocates nothing.
let memo: ChecksumMemo = { pricePrecision: null, qtyPrecision: null, levels: [], sizeTexts: [], states: [], askCount: 0 };
let runningCrc = 0;
/** Position in visit order (asks then bids) and how many levels of the current side were visited. */
let position = 0;
let visitedOnSide = 0;
/** Levels before `position` are the memo's own, and the CRC state so far is the memo's. */
let unchangedSoFar = true;

function visitLevel(level: PriceLevel): boolean {
  const p = position++;
  if (unchangedSoFar && memo.levels[p] === level && memo.sizeTexts[p] === level.sizeText) {
    runningCrc = memo.states[p]!;
  } else {
    unchangedSoFar = false;
    runningCrc = crcDigits(runningCrc, level.price, memo.pricePrecision);
    runningCrc = crcDigits(runningCrc, level.sizeText, memo.qtyPrecision);
    memo.levels[p] = level;
    memo.sizeTexts[p] = level.sizeText;
    memo.states[p] = runningCrc;
  }
  return ++visitedOnSide < CHECKSUM_LEVELS;
}

/** The checksum input string (exposed for tests and for the log line of a failed check). */
export function checksumText(book: OrderBook, precision: Precision): string {
  const parts: string[] = [];
  appendSide(book.top('ask', CHECKSUM_LEVELS), precision, parts);
  appendSide(book.top('bid', CHECKSUM_LEVELS), precision, parts);
  return parts.join('');
}

/**
 * CRC32 of the book's checksum text as an unsigned 32-bit integer, equal to
 * zlib's crc32(checksumText(book, precision)) but computed straight from the top levels' text: this
 * runs after every Kraken update, and building the text was most of Kraken's ingest time.
 */
export function krakenChecksum(book: OrderBook, precision: Precision): number {
  let m = memos.get(book);
  if (!m || m.pricePrecision !== precision.price || m.qtyPrecision !== precision.qty) {
    m = { pricePrecision: precision.price, qtyPrecision: precision.qty, levels: [], sizeTexts: [], states: [], askCount: 0 };
    memos.set(book, m);
  }
  memo = m;
  runningCrc = -1;
  position = 0;
  unchangedSoFar = true;
  visitedOnSide = 0;
  book.scan('ask', visitLevel);
  // Fewer or more asks than last time: the bids sit at other positions, nothing after is reusable.
  if (position !== m.askCount) {
    unchangedSoFar = false;
    m.askCount = position;
  }
  visitedOnSide = 0;
  book.scan('bid', visitLevel);
  if (m.levels.length !== position) {
    m.levels.length = position;
    m.sizeTexts.length = position;
    m.states.length = position;
  }
  return ~runningCrc >>> 0;
}
