/**
 * Bitget's order-book checksum (docs/venues.md#bitget): the top 25 bids and asks interleaved as
 * `bid1 price:bid1 size:ask1 price:ask1 size:bid2 price:…`, where one side running short leaves
 * the other to continue alone, written with the exchange's own price and size strings; CRC32 of that
 * text, read as a signed 32-bit integer. Source: bitget.com/api-doc spot "Depth Channel", "Checksum".
 */
import { crc32 } from 'node:zlib';
import type { OrderBook } from '../../book/order-book';

export const CHECKSUM_LEVELS = 25;

export function bitgetChecksumText(book: OrderBook): string {
  const bids = book.top('bid', CHECKSUM_LEVELS);
  const asks = book.top('ask', CHECKSUM_LEVELS);
  const parts: string[] = [];
  for (let i = 0; i < Math.max(bids.length, asks.length); i++) {
    const bid = bids[i];
    const ask = asks[i];
    if (bid) parts.push(bid.price, bid.sizeText);
    if (ask) parts.push(ask.price, ask.sizeText);
  }
  return parts.join(':');
}

/** Signed CRC32 of a check string. */
export function signedCrc32(text: string): number {
  return crc32(text) | 0;
}

export function bitgetChecksum(book: OrderBook): number {
  return signedCrc32(bitgetChecksumText(book));
}
