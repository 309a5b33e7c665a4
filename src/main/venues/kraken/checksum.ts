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

/** Bytes fed to the CRC since the counter was last cleared (a level's length, for joining levels). */
let bytesFed = 0;

function crcByte(crc: number, byte: number): number {
  bytesFed++;
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
  const initialBytes = bytesFed;
  let started = false;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (i === dot) continue;
    if (c < 48 || c > 57) {
      bytesFed = initialBytes;
      return crcString(initial, checksumDigits(text, decimals));
    }
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
 * The CRC register is linear over GF(2): running bytes B from a register s gives
 * run(B, 0) XOR run(|B| zero bytes, s). So every level's own digits are run once from 0 (its CRC and
 * its length in bytes, kept while the level and its size text stay), and the checksum joins those
 * parts in order with zeroShift: a level that moved up or down a place, and every level of a side the
 * update did not touch, costs a few table lookups instead of its digits again.
 *
 * zeroShift(s, n) = run(n zero bytes, s), the XOR of the columns z^n(1 << i) for the bits of s; for
 * the short lengths of one level, byte tables of those columns make it four lookups.
 */
const ZERO_COLUMNS_CACHED = 4096;
const BYTE_TABLES_UP_TO = 64;
const zeroColumns: Int32Array[] = [];
const byteTables: Int32Array[] = [];

function zeroByte(crc: number): number {
  return CRC_TABLE[crc & 0xff]! ^ (crc >>> 8);
}

/** Columns z^k(1 << i) for every k up to n, each from the previous one: 32 lookups per length, once. */
function columnsFor(n: number): Int32Array {
  for (let k = zeroColumns.length; k <= n; k++) {
    const columns = new Int32Array(32);
    for (let i = 0; i < 32; i++) columns[i] = k === 0 ? 1 << i : zeroByte(zeroColumns[k - 1]![i]!);
    zeroColumns.push(columns);
  }
  return zeroColumns[n]!;
}

/** table[256 * k + b] = run(n zero bytes, b << 8k). */
function byteTable(n: number): Int32Array {
  let table = byteTables[n];
  if (!table) {
    const columns = columnsFor(n);
    table = new Int32Array(1024);
    for (let k = 0; k < 4; k++) {
      for (let b = 1; b < 256; b++) {
        const low = 31 - Math.clz32(b & -b); // lowest set bit of b
        table[256 * k + b] = table[256 * k + (b & (b - 1))]! ^ columns[8 * k + low]!;
      }
    }
    byteTables[n] = table;
  }
  return table;
}

function zeroShift(s: number, n: number): number {
  if (n === 0 || s === 0) return s;
  if (n <= BYTE_TABLES_UP_TO) {
    const t = byteTable(n);
    return t[s & 0xff]! ^ t[256 + ((s >>> 8) & 0xff)]! ^ t[512 + ((s >>> 16) & 0xff)]! ^ t[768 + (s >>> 24)]!;
  }
  if (n >= ZERO_COLUMNS_CACHED) {
    for (let i = 0; i < n; i++) s = zeroByte(s);
    return s;
  }
  const columns = columnsFor(n);
  let out = 0;
  for (let i = 0; s !== 0; i++, s >>>= 1) if (s & 1) out ^= columns[i]!;
  return out;
}

/**
 * One side's top levels as the last checksum saw them: each level with the size text it had then,
 * and its own digits' CRC (run from 0) and length. Two sets, the last and the one being filled, so a
 * level found one place up or down reuses its entry.
 */
interface LevelParts {
  levels: PriceLevel[];
  sizeTexts: string[];
  crcs: number[];
  lengths: number[];
  count: number;
}

interface SideMemo {
  last: LevelParts;
  next: LevelParts;
  /** The side's CRC (run from 0) and its length in bytes. */
  crc: number;
  bytes: number;
}

interface ChecksumMemo {
  pricePrecision: number | null;
  qtyPrecision: number | null;
  ask: SideMemo;
  bid: SideMemo;
}
const memos = new WeakMap<OrderBook, ChecksumMemo>();

const emptyParts = (): LevelParts => ({ levels: [], sizeTexts: [], crcs: [], lengths: [], count: 0 });
const emptySide = (): SideMemo => ({ last: emptyParts(), next: emptyParts(), crc: 0, bytes: 0 });

// The running state of one side, module-level so that visiting the book allocates nothing.
const NO_PARTS = emptyParts();
let last: LevelParts = NO_PARTS;
let next: LevelParts = NO_PARTS;
let pricePrecision: number | null = null;
let qtyPrecision: number | null = null;
let sideCrc = 0;
let sideBytes = 0;
let position = 0;

/** Where the last checksum had this level with this size text (its place, or one up or down), or -1. */
function lastIndexOf(level: PriceLevel, p: number): number {
  for (let q = p - 1; q <= p + 1; q++) {
    if (q >= 0 && q < last.count && last.levels[q] === level) return last.sizeTexts[q] === level.sizeText ? q : -1;
  }
  return -1;
}

function visitLevel(level: PriceLevel): boolean {
  const p = position++;
  const q = lastIndexOf(level, p);
  let crc: number;
  let bytes: number;
  if (q >= 0) {
    crc = last.crcs[q]!;
    bytes = last.lengths[q]!;
  } else {
    bytesFed = 0;
    crc = crcDigits(0, level.price, pricePrecision);
    crc = crcDigits(crc, level.sizeText, qtyPrecision);
    bytes = bytesFed;
  }
  next.levels[p] = level;
  next.sizeTexts[p] = level.sizeText;
  next.crcs[p] = crc;
  next.lengths[p] = bytes;
  sideCrc = zeroShift(sideCrc, bytes) ^ crc;
  sideBytes += bytes;
  return position < CHECKSUM_LEVELS;
}

/** Bring a side's memo up to date with the book: its CRC (run from 0) and length. */
function updateSide(book: OrderBook, which: 'bid' | 'ask', memo: SideMemo): void {
  last = memo.last;
  next = memo.next;
  sideCrc = 0;
  sideBytes = 0;
  position = 0;
  book.scan(which, visitLevel);
  // Levels beyond the count are stale; dropped so that the memo holds no level the book let go of.
  for (let i = position; i < next.count; i++) next.levels[i] = undefined as unknown as PriceLevel;
  next.count = position;
  memo.last = next;
  memo.next = last;
  memo.crc = sideCrc;
  memo.bytes = sideBytes;
  last = next = NO_PARTS; // hold no book's levels between calls
}

/** The checksum input string (exposed for tests and for the log line of a failed check). */
export function checksumText(book: OrderBook, precision: Precision): string {
  const parts: string[] = [];
  appendSide(book.top('ask', CHECKSUM_LEVELS), precision, parts);
  appendSide(book.top('bid', CHECKSUM_LEVELS), precision, parts);
  return parts.join('');
}

/** Which sides may have changed since the book's last checksum (default: both, every level compared). */
export interface ChangedSides {
  ask: boolean;
  bid: boolean;
}

/**
 * CRC32 of the book's checksum text as an unsigned 32-bit integer, equal to
 * zlib's crc32(checksumText(book, precision)) but computed straight from the top levels' text: this
 * runs after every Kraken update, and building the text was most of Kraken's ingest time. A side
 * `changed` says is unchanged since the last call for this book is not visited at all.
 */
export function krakenChecksum(book: OrderBook, precision: Precision, changed: ChangedSides = { ask: true, bid: true }): number {
  let m = memos.get(book);
  if (!m || m.pricePrecision !== precision.price || m.qtyPrecision !== precision.qty) {
    m = { pricePrecision: precision.price, qtyPrecision: precision.qty, ask: emptySide(), bid: emptySide() };
    memos.set(book, m);
    changed = { ask: true, bid: true };
  }
  pricePrecision = m.pricePrecision;
  qtyPrecision = m.qtyPrecision;
  if (changed.ask) updateSide(book, 'ask', m.ask);
  if (changed.bid) updateSide(book, 'bid', m.bid);
  // The register starts at all ones (-1), runs the asks, then the bids; the result is its complement.
  const afterAsks = zeroShift(-1, m.ask.bytes) ^ m.ask.crc;
  const afterBids = zeroShift(afterAsks, m.bid.bytes) ^ m.bid.crc;
  return ~afterBids >>> 0;
}

/**
 * The price of the CHECKSUM_LEVELS-th level of a side as the book's last krakenChecksum saw it, as a
 * number; NaN when that side had fewer levels (or no checksum was computed).
 */
function lastTenthPrice(book: OrderBook, which: 'bid' | 'ask'): number {
  const parts = memos.get(book)?.[which].last;
  if (!parts || parts.count < CHECKSUM_LEVELS) return Number.NaN;
  return Number(parts.levels[CHECKSUM_LEVELS - 1]!.price);
}

type Levels = readonly (readonly [string, ...unknown[]])[];

/**
 * True when every price in `changed` lies strictly beyond `limit` (worse than it: higher for asks,
 * lower for bids). Number() of decimal text is monotone, so a price that compares strictly beyond is
 * strictly beyond; unreadable text (NaN) and a NaN limit compare as not beyond.
 */
function allBeyond(which: 'bid' | 'ask', changed: Levels, limit: number): boolean {
  for (let i = 0; i < changed.length; i++) {
    const price = Number(changed[i]![0]);
    if (!(which === 'ask' ? price > limit : price < limit)) return false;
  }
  return true;
}

/**
 * One book's checksum kept across updates: many of Kraken's updates (depth 1000) change levels below
 * the top 10, which the checksum does not cover, so a side whose top levels are as they were need not
 * be visited, and with neither changed the last checksum still holds. An update leaves a side's top
 * levels as they were when every price it changes there lies strictly beyond the side's tenth level
 * (then no level at or inside it changed, none was inserted before it, none removed): while the side
 * is unchanged, that tenth level is the one the last checksum saw.
 */
export class KrakenChecksumTracker {
  private last: number | null = null;
  private lastPrecision: Precision | null = null;
  /** Sides whose top levels may have changed since `last` was computed. */
  private readonly changed: ChangedSides = { ask: true, bid: true };
  /** Each side's tenth price when `last` was computed (NaN: fewer levels, every change counts). */
  private askLimit = Number.NaN;
  private bidLimit = Number.NaN;

  /** The book was replaced (a snapshot) or cleared: nothing from before holds. */
  reset(): void {
    this.last = null;
    this.changed.ask = true;
    this.changed.bid = true;
  }

  /**
   * An update was applied to the book (and the book truncated to a depth of at least
   * CHECKSUM_LEVELS): note the sides whose top levels it may have changed.
   */
  applied(bids: Levels, asks: Levels): void {
    if (!this.changed.ask && !allBeyond('ask', asks, this.askLimit)) this.changed.ask = true;
    if (!this.changed.bid && !allBeyond('bid', bids, this.bidLimit)) this.changed.bid = true;
  }

  /** krakenChecksum(book, precision), visiting only the sides whose top levels may have changed. */
  checksum(book: OrderBook, precision: Precision): number {
    const known = this.lastPrecision;
    const samePrecision = known !== null && known.price === precision.price && known.qty === precision.qty;
    if (this.last !== null && samePrecision && !this.changed.ask && !this.changed.bid) return this.last;
    if (this.last === null || !samePrecision) this.changed.ask = this.changed.bid = true;
    this.last = krakenChecksum(book, precision, this.changed);
    this.lastPrecision = { price: precision.price, qty: precision.qty };
    if (this.changed.ask) this.askLimit = lastTenthPrice(book, 'ask');
    if (this.changed.bid) this.bidLimit = lastTenthPrice(book, 'bid');
    this.changed.ask = false;
    this.changed.bid = false;
    return this.last;
  }
}
