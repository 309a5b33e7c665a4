/**
 * OKX's legacy order-book checksum (docs/venues.md#okx), still carried by older feeds and captures:
 * up to 25 levels per side interleaved as `bid1px:bid1sz:ask1px:ask1sz:bid2px:...` (when one side
 * runs out the other continues alone), using the venue's own price and size strings, CRC32 read as
 * a signed 32-bit integer. Since June 2026 the field is always 0 and must not be checked.
 */
import { interleavedLevelsText, signedCrc32, venueText } from '../interleaved-checksum';
import type { OrderBook } from '../../book/order-book';

export const CHECKSUM_LEVELS = 25;

export function okxChecksumText(book: OrderBook): string {
  return interleavedLevelsText(book, CHECKSUM_LEVELS, venueText);
}

/** Signed CRC32 of a check string. */
export const okxCrc = signedCrc32;

export function okxChecksum(book: OrderBook): number {
  return signedCrc32(okxChecksumText(book));
}
