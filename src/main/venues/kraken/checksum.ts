/**
 * Kraken v2 book checksum ("Book checksum (WebSocket v2)" guide, docs/venues.md#kraken): the top 10 asks
 * (best first) then the top 10 bids (best first); for each level the price then the quantity, each
 * formatted to the instrument's precision with '.' removed and leading zeros stripped; CRC32 of the
 * concatenation, compared unsigned.
 */
import { crc32 } from 'node:zlib';
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

/**
 * The digits of each level, kept beside it: a level's price never changes and most updates touch a
 * few levels, so reformatting all twenty on every message (the bulk of Kraken's ingest time) is
 * avoided. Keyed weakly by the level object, so a deleted level takes its entry with it.
 */
interface LevelDigits {
  pricePrecision: number | null;
  price: string;
  qtyPrecision: number | null;
  sizeText: string;
  qty: string;
}
const digitsCache = new WeakMap<PriceLevel, LevelDigits>();

function levelDigits(level: PriceLevel, precision: Precision): LevelDigits {
  let d = digitsCache.get(level);
  if (!d) {
    d = { pricePrecision: precision.price, price: checksumDigits(level.price, precision.price), qtyPrecision: precision.qty, sizeText: level.sizeText, qty: checksumDigits(level.sizeText, precision.qty) };
    digitsCache.set(level, d);
    return d;
  }
  if (d.pricePrecision !== precision.price) {
    d.pricePrecision = precision.price;
    d.price = checksumDigits(level.price, precision.price);
  }
  if (d.sizeText !== level.sizeText || d.qtyPrecision !== precision.qty) {
    d.sizeText = level.sizeText;
    d.qtyPrecision = precision.qty;
    d.qty = checksumDigits(level.sizeText, precision.qty);
  }
  return d;
}

function appendSide(levels: PriceLevel[], precision: Precision, parts: string[]): void {
  for (const level of levels) {
    const d = levelDigits(level, precision);
    parts.push(d.price, d.qty);
  }
}

/** The checksum input string (exposed for tests and for the log line of a failed check). */
export function checksumText(book: OrderBook, precision: Precision): string {
  const parts: string[] = [];
  appendSide(book.top('ask', CHECKSUM_LEVELS), precision, parts);
  appendSide(book.top('bid', CHECKSUM_LEVELS), precision, parts);
  return parts.join('');
}

/** CRC32 of the book's checksum text as an unsigned 32-bit integer. */
export function krakenChecksum(book: OrderBook, precision: Precision): number {
  return crc32(checksumText(book, precision)) >>> 0;
}
