/** A Kraken book entry as both frame readers (book-frame.ts, messages.ts) give it. */
export type LevelPair = readonly [string, string];

export interface BookEntry {
  symbol: string;
  bids: LevelPair[];
  asks: LevelPair[];
  /** CRC32 of the top 10 levels per side, unsigned; absent on some snapshots (recorded v1 data). */
  checksum?: number;
  /** Exchange time in ms since the epoch (updates carry an RFC 3339 `timestamp`). */
  exchangeTs?: number;
}
