/**
 * OKX's legacy order-book checksum (docs/venues.md#okx), still carried by older feeds and captures:
 * up to 25 levels per side interleaved as `bid1px:bid1sz:ask1px:ask1sz:bid2px:...` (when one side
 * runs out the other continues alone), using the venue's own price and size strings, CRC32 read as
 * a signed 32-bit integer. Since June 2026 the field is always 0 and must not be checked.
 */
import { crc32 } from 'node:zlib';
import type { OrderBook } from '../../book/order-book';

export const CHECKSUM_LEVELS = 25;

export function okxChecksumText(book: OrderBook): string {
  const bids = book.top('bid', CHECKSUM_LEVELS);
  const asks = book.top('ask', CHECKSUM_LEVELS);
  const parts: string[] = [];
  for (let i = 0; i < CHECKSUM_LEVELS; i++) {
    const bid = bids[i];
    const ask = asks[i];
    if (!bid && !ask) break;
    if (bid) parts.push(bid.price, bid.sizeText);
    if (ask) parts.push(ask.price, ask.sizeText);
  }
  return parts.join(':');
}

/** Signed CRC32 of a check string. */
export function okxCrc(text: string): number {
  return crc32(text) | 0;
}

export function okxChecksum(book: OrderBook): number {
  return okxCrc(okxChecksumText(book));
}
