/**
 * Replay tardis.dev CSV files (ours from `convert`, or downloaded from tardis.dev) into order books:
 * every `incremental_book_L2` and `trades` file in a folder (or one file), `.csv` or `.csv.gz`. Rows
 * of one book are applied in file order; a run of is_snapshot=true rows after other rows starts the
 * book afresh, as tardis.dev specifies. Rows with the same local_timestamp are one venue message:
 * the book is checked for a crossed touch after each.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { DecimalSum } from '../../../shared/decimal-sum';
import { OrderBook } from '../../book/order-book';
import { splitCsvLine } from './csv';
import { venueOfTardisExchange } from './exchanges';

export interface TardisBook {
  exchange: string;
  /** Our venue id for the exchange, or the exchange id when we have no such venue. */
  venue: string;
  symbol: string;
  book: OrderBook;
  rows: number;
  /** Venue messages (groups of rows with one local_timestamp). */
  messages: number;
  snapshots: number;
  /** Messages after which the best bid was at or above the best ask. */
  crossed: number;
  trades: number;
  tradeVolume: string;
  buyVolume: string;
  sellVolume: string;
  firstLocalUs: number | null;
  lastLocalUs: number | null;
}

export interface TardisReplayResult {
  files: Array<{ file: string; kind: 'incremental_book_L2' | 'trades'; rows: number }>;
  books: TardisBook[];
  /** Lines that could not be read: where and why (at most 50 listed; the count covers all). */
  badRows: { count: number; rows: Array<{ file: string; line: number; error: string }> };
}

interface Tally {
  volume: DecimalSum;
  buy: DecimalSum;
  sell: DecimalSum;
  lastGroup: string | null;
  inSnapshot: boolean;
}

/** The tardis CSV files to read at `path` (a folder: every file whose name says book or trades). */
export function tardisFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => /\.csv(\.gz)?$/.test(name) && /(incremental_book_L2|trades)/.test(name))
    .sort()
    .map((name) => join(path, name));
}

export interface TardisReplayOptions {
  /** Called after the last row of each venue message of a book (rows sharing a local_timestamp). */
  onMessage?(book: TardisBook, localTimestamp: string): void;
}

export async function replayTardis(path: string, options: TardisReplayOptions = {}): Promise<TardisReplayResult> {
  const books = new Map<string, TardisBook & { tally: Tally }>();
  const result: TardisReplayResult = { files: [], books: [], badRows: { count: 0, rows: [] } };
  const bad = (file: string, line: number, error: string): void => {
    result.badRows.count++;
    if (result.badRows.rows.length < 50) result.badRows.rows.push({ file: basename(file), line, error });
  };
  const bookOf = (exchange: string, symbol: string) => {
    const key = `${exchange}\u0000${symbol}`;
    let entry = books.get(key);
    if (!entry) {
      const venue = venueOfTardisExchange(exchange) ?? exchange;
      entry = {
        exchange,
        venue,
        symbol,
        book: new OrderBook(venue, symbol),
        rows: 0,
        messages: 0,
        snapshots: 0,
        crossed: 0,
        trades: 0,
        tradeVolume: '0',
        buyVolume: '0',
        sellVolume: '0',
        firstLocalUs: null,
        lastLocalUs: null,
        tally: { volume: new DecimalSum(), buy: new DecimalSum(), sell: new DecimalSum(), lastGroup: null, inSnapshot: false },
      };
      books.set(key, entry);
    }
    return entry;
  };
  const endMessage = (entry: TardisBook & { tally: Tally }): void => {
    if (entry.tally.lastGroup === null) return;
    if (entry.book.isCrossed()) entry.crossed++;
    options.onMessage?.(entry, entry.tally.lastGroup);
  };

  for (const file of tardisFiles(path)) {
    const input = createReadStream(file);
    const lines = createInterface({ input: file.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
    let header: string[] | null = null;
    let kind: 'incremental_book_L2' | 'trades' | null = null;
    let lineNo = 0;
    let rows = 0;
    try {
      for await (const line of lines) {
        lineNo++;
        if (line === '') continue;
        const fields = splitCsvLine(line);
        if (!header) {
          header = fields;
          kind = header.includes('is_snapshot') ? 'incremental_book_L2' : header.includes('id') && header.includes('side') ? 'trades' : null;
          if (!kind) throw new Error(`${basename(file)}: not a tardis incremental_book_L2 or trades file (header: ${line.slice(0, 120)})`);
          continue;
        }
        const row = Object.fromEntries(header.map((name, i) => [name, fields[i] ?? ''])) as Record<string, string>;
        const localUs = Number(row.local_timestamp);
        if (!row.exchange || !row.symbol || !Number.isFinite(localUs)) {
          bad(file, lineNo, 'missing exchange, symbol or local_timestamp');
          continue;
        }
        const entry = bookOf(row.exchange, row.symbol);
        entry.firstLocalUs ??= localUs;
        entry.lastLocalUs = localUs;
        rows++;
        if (kind === 'trades') {
          entry.trades++;
          entry.tally.volume.add(row.amount!);
          if (row.side === 'buy') entry.tally.buy.add(row.amount!);
          else if (row.side === 'sell') entry.tally.sell.add(row.amount!);
          continue;
        }
        const side = row.side === 'bid' ? 'bid' : row.side === 'ask' ? 'ask' : null;
        if (!side) {
          bad(file, lineNo, `side must be bid or ask, got ${JSON.stringify(row.side)}`);
          continue;
        }
        const snapshot = row.is_snapshot === 'true';
        if (row.local_timestamp !== entry.tally.lastGroup) {
          endMessage(entry);
          entry.tally.lastGroup = row.local_timestamp!;
          entry.messages++;
        }
        if (snapshot && !entry.tally.inSnapshot) {
          // A new snapshot: the book starts again from it.
          entry.book.clear();
          entry.snapshots++;
        }
        entry.tally.inSnapshot = snapshot;
        try {
          entry.book.setLevel(side, row.price!, row.amount!);
          entry.rows++;
        } catch (error) {
          bad(file, lineNo, (error as Error).message);
        }
      }
    } finally {
      lines.close();
      input.destroy();
    }
    if (kind) result.files.push({ file, kind, rows });
  }
  for (const entry of books.values()) {
    endMessage(entry);
    const { tally, ...book } = entry;
    result.books.push({ ...book, tradeVolume: tally.volume.toString(), buyVolume: tally.buy.toString(), sellVolume: tally.sell.toString() });
  }
  return result;
}
