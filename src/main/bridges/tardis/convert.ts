/**
 * Capture → tardis.dev CSV: replays a capture through the live adapters and writes, for every book,
 * `<exchange>_incremental_book_L2_<date>_<symbol>.csv.gz` and, when it printed trades,
 * `<exchange>_trades_<date>_<symbol>.csv.gz` (date: the book's first day, UTC).
 *
 * The rows are the book's changes as our book saw them, not the venue's message text: after every
 * applied event each price the event named is written with the size the book now holds (0 if gone),
 * and when the book's level count shows that levels went without being named (Kraken's depth
 * truncation) the whole side is compared and the difference written. A snapshot (first sight, or
 * a resync) is written in full with is_snapshot=true; a book emptied when its connection dropped is
 * written as the removal of its levels at that moment. At the end each side is compared once more
 * (`endRows` says if that found anything), so the files replay into the book the capture ends with.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import { canonicalDecimal } from '../../../shared/decimal';
import type { BookEvent, Side, Trade } from '../../../shared/market';
import type { OrderBook } from '../../book/order-book';
import { lastDecimals, lastMantissa, pow10, scanDecimal } from '../../book/price-key';
import { replayCapture, type ReplayResult } from '../../capture/replay';
import type { Logger } from '../../log';
import type { SymbolFeed } from '../../venues/symbol-feed';
import { BOOK_COLUMNS, TRADE_COLUMNS, csvField, fileSafe, toMicros } from './csv';
import { tardisExchange } from './exchanges';

export interface ConvertedBook {
  venue: string;
  symbol: string;
  exchange: string;
  bookFile: string;
  bookRows: number;
  snapshots: number;
  tradesFile: string | null;
  tradeRows: number;
  /** Rows the final comparison had to add (the book changed without an event, e.g. cleared at a close). */
  endRows: number;
}

export interface ConvertResult {
  capture: string;
  outDir: string;
  books: ConvertedBook[];
  /** The capture replay behind the conversion (integrity counters, final books). */
  replay: ReplayResult;
}

/** Rows are handed to gzip in chunks of about this many characters (one write per row is slow). */
const CHUNK_CHARS = 256 * 1024;

class GzipCsv {
  private readonly gzip: Gzip;
  private readonly file: WriteStream;
  private pending = '';
  rows = 0;

  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.gzip = createGzip();
    this.file = createWriteStream(path);
    this.gzip.pipe(this.file);
    this.pending = header.join(',') + '\n';
  }

  row(fields: readonly string[]): void {
    this.rows++;
    this.pending += fields.map(csvField).join(',') + '\n';
    if (this.pending.length >= CHUNK_CHARS) {
      this.gzip.write(this.pending);
      this.pending = '';
    }
  }

  async close(): Promise<void> {
    this.gzip.end(this.pending);
    this.pending = '';
    await once(this.file, 'close');
  }
}

/** Price text → the size text the book holds there, per side (what the files have said so far). */
type Mirror = Record<Side, Map<string, { price: string; size: string }>>;

interface BookOut {
  feed: SymbolFeed;
  exchange: string;
  day: string;
  csv: GzipCsv;
  mirror: Mirror;
  snapshots: number;
  trades: GzipCsv | null;
  endRows: number;
}

const SIDES: readonly Side[] = ['bid', 'ask'];

export async function convertCaptureToTardis(capture: string, outDir: string, options: { logger?: Logger } = {}): Promise<ConvertResult> {
  mkdirSync(outDir, { recursive: true });
  const outs = new Map<SymbolFeed, BookOut>();
  const pendingTrades = new Map<SymbolFeed, Trade[]>();

  const outFor = (feed: SymbolFeed, localTs: number): BookOut => {
    let out = outs.get(feed);
    if (!out) {
      const exchange = tardisExchange(feed.venue, feed.symbol);
      const day = new Date(localTs).toISOString().slice(0, 10);
      const path = join(outDir, `${exchange}_incremental_book_L2_${day}_${fileSafe(feed.symbol)}.csv.gz`);
      out = { feed, exchange, day, csv: new GzipCsv(path, BOOK_COLUMNS), mirror: { bid: new Map(), ask: new Map() }, snapshots: 0, trades: null, endRows: 0 };
      outs.set(feed, out);
    }
    return out;
  };

  const writeLevel = (out: BookOut, timestamps: [string, string], snapshot: boolean, side: Side, price: string, size: string): void => {
    out.csv.row([out.exchange, out.feed.symbol, timestamps[0], timestamps[1], snapshot ? 'true' : 'false', side, price, size]);
  };

  const writeSnapshot = (out: BookOut, book: OrderBook, timestamps: [string, string]): void => {
    out.snapshots++;
    for (const side of SIDES) {
      out.mirror[side].clear();
      for (const level of book.levels(side)) {
        out.mirror[side].set(canonicalDecimal(level.price), { price: level.price, size: level.sizeText });
        writeLevel(out, timestamps, true, side, level.price, level.sizeText);
      }
    }
  };

  /** Write every difference between a side of the book and what the file has said. */
  const writeSideDiff = (out: BookOut, book: OrderBook, side: Side, timestamps: [string, string]): void => {
    const mirror = out.mirror[side];
    const seen = new Set<string>();
    for (const level of book.levels(side)) {
      const key = canonicalDecimal(level.price);
      seen.add(key);
      const held = mirror.get(key);
      if (!held || canonicalDecimal(held.size) !== canonicalDecimal(level.sizeText)) {
        mirror.set(key, { price: level.price, size: level.sizeText });
        writeLevel(out, timestamps, false, side, level.price, level.sizeText);
      }
    }
    for (const [key, held] of mirror) {
      if (seen.has(key)) continue;
      mirror.delete(key);
      writeLevel(out, timestamps, false, side, held.price, '0');
    }
  };

  const onBook = (feed: SymbolFeed, event: BookEvent): void => {
    const timestamps: [string, string] = [toMicros(event.exchangeTs ?? event.localTs), toMicros(event.localTs)];
    const fresh = !outs.has(feed);
    const out = outFor(feed, event.localTs);
    const book = feed.book;
    if (fresh || event.kind === 'snapshot') {
      writeSnapshot(out, book, timestamps);
    } else {
      for (const side of SIDES) {
        const mirror = out.mirror[side];
        for (const [price] of side === 'bid' ? event.bids : event.asks) {
          const key = canonicalDecimal(price);
          const now = sizeAt(book, side, price);
          const held = mirror.get(key);
          if (now === null) {
            if (!held) continue;
            mirror.delete(key);
            writeLevel(out, timestamps, false, side, held.price, '0');
          } else if (!held || canonicalDecimal(held.size) !== canonicalDecimal(now.size)) {
            mirror.set(key, { price: now.price, size: now.size });
            writeLevel(out, timestamps, false, side, now.price, now.size);
          }
        }
        // Levels that left without being named (depth truncation): compare the whole side.
        if (mirror.size !== book.levelCount(side)) writeSideDiff(out, book, side, timestamps);
      }
    }
    // Trades seen before the book's first event wait for its file name (its first day).
    const waiting = pendingTrades.get(feed);
    if (waiting) {
      pendingTrades.delete(feed);
      for (const trade of waiting) writeTrade(out, trade);
    }
  };

  const writeTrade = (out: BookOut, trade: Trade): void => {
    if (!out.trades) {
      const path = join(outDir, `${out.exchange}_trades_${out.day}_${fileSafe(out.feed.symbol)}.csv.gz`);
      out.trades = new GzipCsv(path, TRADE_COLUMNS);
    }
    out.trades.row([out.exchange, out.feed.symbol, toMicros(trade.exchangeTs), toMicros(trade.localTs), trade.id ?? '', trade.side, trade.price, trade.size]);
  };

  const onTrade = (feed: SymbolFeed, trade: Trade): void => {
    // History a venue sends on subscribe is not a live print (the replay's counts leave it out too).
    if (trade.history) return;
    const out = outs.get(feed);
    if (out) writeTrade(out, trade);
    else pendingTrades.set(feed, [...(pendingTrades.get(feed) ?? []), trade]);
  };

  // A feed that loses its connection clears its book without an event: write the levels' removal then.
  const onState = (feed: SymbolFeed, _from: string, to: string, at: number): void => {
    const out = outs.get(feed);
    if (!out || to === 'synced') return;
    const ts = toMicros(Math.max(at, feed.lastLocalTs));
    for (const side of SIDES) {
      if (out.mirror[side].size !== feed.book.levelCount(side)) writeSideDiff(out, feed.book, side, [ts, ts]);
    }
  };

  const onEnd = (feeds: SymbolFeed[]): void => {
    for (const feed of feeds) {
      const out = outs.get(feed);
      if (!out) continue;
      const last = toMicros(feed.lastLocalTs);
      const before = out.csv.rows;
      for (const side of SIDES) writeSideDiff(out, feed.book, side, [last, last]);
      out.endRows = out.csv.rows - before;
    }
  };

  const replay = await replayCapture(capture, { logger: options.logger, onBook, onTrade, onState, onEnd });
  const books: ConvertedBook[] = [];
  for (const out of outs.values()) {
    await out.csv.close();
    await out.trades?.close();
    books.push({
      venue: out.feed.venue,
      symbol: out.feed.symbol,
      exchange: out.exchange,
      bookFile: out.csv.path,
      bookRows: out.csv.rows,
      snapshots: out.snapshots,
      tradesFile: out.trades?.path ?? null,
      tradeRows: out.trades?.rows ?? 0,
      endRows: out.endRows,
    });
  }
  return { capture, outDir, books, replay };
}

/** The level at a price given as text, if the book holds one (exact: integer ticks). */
function sizeAt(book: OrderBook, side: Side, price: string): { price: string; size: string } | null {
  if (!scanDecimal(price)) return null;
  let mantissa = lastMantissa();
  const decimals = lastDecimals();
  const scale = book.priceScale;
  if (decimals > scale) {
    const factor = pow10(decimals - scale);
    if (mantissa % factor !== 0) return null;
    mantissa /= factor;
  } else if (decimals < scale) {
    mantissa *= pow10(scale - decimals);
  }
  const level = book.levelAt(side, mantissa);
  return level ? { price: level.price, size: level.sizeText } : null;
}
