/**
 * Bitget's order-book checksum (docs/venues.md#bitget): the top 25 bids and asks interleaved as
 * `bid1 price:bid1 size:ask1 price:ask1 size:bid2 price:…`, where one side running short leaves
 * the other to continue alone, written with the exchange's own price and size strings; CRC32 of that
 * text, read as a signed 32-bit integer. Source: bitget.com/api-doc spot "Depth Channel", "Checksum".
 */
import { interleavedLevelsText, signedCrc32, venueText } from '../interleaved-checksum';
import type { OrderBook } from '../../book/order-book';

export { signedCrc32 };

export const CHECKSUM_LEVELS = 25;

export function bitgetChecksumText(book: OrderBook): string {
  return interleavedLevelsText(book, CHECKSUM_LEVELS, venueText);
}

export function bitgetChecksum(book: OrderBook): number {
  return signedCrc32(bitgetChecksumText(book));
}
