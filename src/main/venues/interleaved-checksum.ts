/**
 * The book checksum OKX, Bitget and Bitfinex share in shape: the top N bids and asks interleaved best
 * first as `bid1 price:bid1 size:ask1 price:ask1 size:bid2 price:…` (a side that runs out leaves the
 * other to continue alone), CRC32 of that text read as a signed 32-bit integer. How a level is written
 * is each venue's own rule, passed in.
 */
import { crc32 } from 'node:zlib';
import type { Side } from '../../shared/market';
import type { OrderBook, PriceLevel } from '../book/order-book';

/** A level's price and size as the venue writes them into the checksum text. */
export type WriteLevel = (level: PriceLevel, side: Side) => readonly [string, string];

/** The venue's own price and size strings, unchanged (OKX, Bitget). */
export const venueText: WriteLevel = (level) => [level.price, level.sizeText];

export function interleavedLevelsText(book: OrderBook, levels: number, writeLevel: WriteLevel): string {
  const bids = book.top('bid', levels);
  const asks = book.top('ask', levels);
  const parts: string[] = [];
  for (let i = 0; i < Math.max(bids.length, asks.length); i++) {
    const bid = bids[i];
    const ask = asks[i];
    if (bid) parts.push(...writeLevel(bid, 'bid'));
    if (ask) parts.push(...writeLevel(ask, 'ask'));
  }
  return parts.join(':');
}

/** CRC32 of a checksum text, read as a signed 32-bit integer. */
export function signedCrc32(text: string): number {
  return crc32(text) | 0;
}
