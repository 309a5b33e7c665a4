/**
 * Bitfinex v2 book checksum (docs.bitfinex.com ws-websocket-checksum; docs/venues.md#bitfinex): the 25
 * best bids and 25 best asks, interleaved best first as `bid0.price:bid0.amount:ask0.price:ask0.amount:
 * bid1.price:…` (a side that runs out simply stops contributing), asks' amounts negative as Bitfinex
 * sends them; CRC32 of that text, compared as a signed 32-bit integer.
 *
 * Number formatting follows Bitfinex's own client (bfx-api-node-models OrderBook.checksum), since the
 * venue publishes no numeric rule: a price is written as a plain decimal even where the wire used an
 * exponent (`1.7e-8` → `0.000000017`), an amount as JavaScript prints it (`5e-7` stays `5e-7`).
 */
import { canonicalDecimal } from '../../../shared/decimal';
import { interleavedLevelsText, signedCrc32, type WriteLevel } from '../interleaved-checksum';
import type { OrderBook } from '../../book/order-book';

export const CHECKSUM_LEVELS = 25;

/** An amount as JavaScript prints the number (the reference client joins numbers with ':'). */
function amountText(sizeText: string, ask: boolean): string {
  const text = String(Number(sizeText));
  return ask ? `-${text}` : text;
}

/** A price as a plain decimal, an amount as JavaScript prints it, asks' amounts negative. */
const bitfinexText: WriteLevel = (level, side) => [canonicalDecimal(level.price), amountText(level.sizeText, side === 'ask')];

/** The checksum input (exposed for tests and for the log line of a failed check). */
export function checksumText(book: OrderBook): string {
  return interleavedLevelsText(book, CHECKSUM_LEVELS, bitfinexText);
}

/** CRC32 of the book's checksum text as a signed 32-bit integer, as Bitfinex sends it. */
export function bitfinexChecksum(book: OrderBook): number {
  return signedCrc32(checksumText(book));
}
