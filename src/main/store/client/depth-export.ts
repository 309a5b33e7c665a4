/**
 * Depth snapshot export: the top N levels of a book as JSON, written atomically (a temporary file in
 * the same folder, flushed to disk, then renamed over the target), so a reader never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SyncState } from '../../../shared/market';
import type { OrderBook } from '../../book/order-book';

export const DEFAULT_DEPTH_LEVELS = 40;

export interface DepthSnapshot {
  venue: string;
  symbol: string;
  /** Sync state of the book when taken: only `synced` is known to match the venue. */
  state: SyncState;
  /** Levels asked for per side (a side may hold fewer). */
  levels: number;
  /** Best first: [price, size] as the venue's exact text. */
  bids: Array<[string, string]>;
  asks: Array<[string, string]>;
  /** Levels in the whole book per side. */
  bidLevels: number;
  askLevels: number;
  /** Times of the last applied update (ms since the epoch); exchangeTs null when the venue sends none. */
  exchangeTs: number | null;
  localTs: number;
  takenAt: string;
}

/** What a depth snapshot is taken from (a live SymbolFeed fits). */
export interface DepthSource {
  venue: string;
  symbol: string;
  state: SyncState;
  book: OrderBook;
  lastExchangeTs: number | null;
  lastLocalTs: number;
}

export function depthSnapshot(source: DepthSource, levels = DEFAULT_DEPTH_LEVELS, now = Date.now()): DepthSnapshot {
  const book = source.book;
  return {
    venue: source.venue,
    symbol: source.symbol,
    state: source.state,
    levels,
    bids: book.top('bid', levels).map((l) => [l.price, l.sizeText]),
    asks: book.top('ask', levels).map((l) => [l.price, l.sizeText]),
    bidLevels: book.levelCount('bid'),
    askLevels: book.levelCount('ask'),
    exchangeTs: source.lastExchangeTs,
    localTs: source.lastLocalTs,
    takenAt: new Date(now).toISOString(),
  };
}

/** Write `value` as JSON to `file` atomically: temporary file, fsync, rename. */
export function writeJsonAtomic(file: string, value: unknown): number {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  // Indented for people, with each [price, size] pair kept on one line.
  const text = JSON.stringify(value, null, 2).replace(/\[\n\s+("[^"\n]*"),\n\s+("[^"\n]*")\n\s+\]/g, '[$1, $2]');
  const data = Buffer.from(text + '\n', 'utf8');
  const fd = openSync(temp, 'w');
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return data.length;
}
