/**
 * Top of book and trades as CSV, streamed: rows come from a SQLite cursor and leave in 256 KiB chunks,
 * so a day of a busy symbol never sits in memory. The file is written as `<out>.partial-<pid>` and
 * renamed when complete, so a half-written export never looks finished. Spread and mid are computed
 * exactly from the price texts (no float noise); trade prices and sizes are the venue's text as stored.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { midpointDecimal, subtractDecimal } from '../../../shared/decimal';
import type { CsvExportProgress, CsvExportRequest, CsvExportResult } from '../protocol';
import { ExportError } from '../errors';
import { exportCandlesCsv } from './candles-csv-export';
import { instrumentId, recordedInstruments, topOfBookWhere, tradesWhere, type Where } from './queries';

export const CSV_HEADER = 'ts_iso,provider,symbol,bid,ask,spread,mid,bid_size,ask_size';
export const TRADES_CSV_HEADER = 'ts_iso,provider,symbol,trade_id,side,price,size';

const CHUNK_CHARS = 256 * 1024;

interface Row {
  local_ts: number;
  bid: string | null;
  ask: string | null;
  bid_size: string | null;
  ask_size: string | null;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line for a top-of-book row; `ts_iso` is the local receive time, to the millisecond. */
export function csvLine(provider: string, symbol: string, localTs: number, bid: string | null, ask: string | null, bidSize: string | null, askSize: string | null): string {
  const both = bid !== null && ask !== null;
  const spread = both ? subtractDecimal(ask, bid) : '';
  const mid = both ? midpointDecimal(bid, ask) : '';
  return `${new Date(localTs).toISOString()},${csvField(provider)},${csvField(symbol)},${bid ?? ''},${ask ?? ''},${spread},${mid},${bidSize ?? ''},${askSize ?? ''}\n`;
}

interface TradeCsvRow {
  local_ts: number;
  exchange_ts: number | null;
  trade_id: string | null;
  side: string;
  price: string;
  size: string;
}

/** One CSV line for a trade; `ts_iso` is the venue's trade time (local receive time where it sent none), to the millisecond. */
export function tradeCsvLine(provider: string, symbol: string, r: TradeCsvRow): string {
  const ts = new Date(r.exchange_ts ?? r.local_ts).toISOString();
  return `${ts},${csvField(provider)},${csvField(symbol)},${r.trade_id === null ? '' : csvField(r.trade_id)},${r.side},${r.price},${r.size}\n`;
}

function writeAll(fd: number, text: string): number {
  const buffer = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
  return buffer.length;
}

/** Run an export: check the range and the instrument, then stream the rows (see streamCsv). */
export function exportCsv(
  db: Database.Database,
  request: CsvExportRequest,
  onProgress?: (progress: CsvExportProgress) => void,
  progressEveryRows = 20_000,
): CsvExportResult {
  if (request.table === 'candles') return exportCandlesCsv(db, request, onProgress, progressEveryRows);
  return request.table === 'trades'
    ? exportTradesCsv(db, request, onProgress, progressEveryRows)
    : exportTopOfBookCsv(db, request, onProgress, progressEveryRows);
}

/** The instrument's id, or an ExportError saying what is recorded instead. */
function recordedInstrument(db: Database.Database, request: CsvExportRequest, table: 'top_of_book' | 'trades'): number {
  const from = request.from ?? -Number.MAX_VALUE;
  const to = request.to ?? Number.MAX_VALUE;
  if (!(from < to)) throw new ExportError(`the export range is empty: from ${new Date(from).toISOString()} is not before to ${new Date(to).toISOString()}`);
  const id = instrumentId(db, request.venue, request.symbol);
  if (id === null) {
    const recorded = recordedInstruments(db, 20, table);
    const what = table === 'trades' ? 'trades' : 'top of book';
    throw new ExportError(
      `nothing is recorded for ${request.venue}:${request.symbol}` + (recorded.length ? `; recorded: ${recorded.join(', ')}` : `; the database holds no ${what} yet`),
    );
  }
  return id;
}

/**
 * Export one venue:symbol's top of book between `from` and `to` (local receive time), ordered by local
 * time. Calls `onProgress` every `progressEveryRows` rows and once at the end.
 */
export function exportTopOfBookCsv(
  db: Database.Database,
  request: CsvExportRequest,
  onProgress?: (progress: CsvExportProgress) => void,
  progressEveryRows = 20_000,
): CsvExportResult {
  const id = recordedInstrument(db, request, 'top_of_book');
  const where = topOfBookWhere(id, request.from ?? -Number.MAX_VALUE, request.to ?? Number.MAX_VALUE);
  return streamCsv<Row>(db, request.out, CSV_HEADER, 'top_of_book', 'local_ts, bid, ask, bid_size, ask_size', where, onProgress, progressEveryRows, (r) =>
    csvLine(request.venue, request.symbol, r.local_ts, r.bid, r.ask, r.bid_size, r.ask_size),
  );
}

/**
 * Export one venue:symbol's trades received between `from` and `to` (local receive time, as for top
 * of book), in the order they arrived, in the columns TRADES_CSV_HEADER.
 */
export function exportTradesCsv(
  db: Database.Database,
  request: CsvExportRequest,
  onProgress?: (progress: CsvExportProgress) => void,
  progressEveryRows = 20_000,
): CsvExportResult {
  const id = recordedInstrument(db, request, 'trades');
  const where = tradesWhere(id, request.from ?? undefined, request.to ?? undefined);
  return streamCsv<TradeCsvRow>(db, request.out, TRADES_CSV_HEADER, 'trades', 'local_ts, exchange_ts, trade_id, side, price, size', where, onProgress, progressEveryRows, (r) =>
    tradeCsvLine(request.venue, request.symbol, r),
  );
}

/** Stream `table`'s rows matching `where` (ordered by local time, then insertion) to `out` as CSV lines. */
function streamCsv<R>(
  db: Database.Database,
  out: string,
  header: string,
  table: 'top_of_book' | 'trades',
  columns: string,
  where: Where,
  onProgress: ((progress: CsvExportProgress) => void) | undefined,
  progressEveryRows: number,
  line: (row: R) => string,
): CsvExportResult {
  // One read transaction for the count and the rows: the export is a consistent snapshot even while the writer commits.
  db.exec('BEGIN');
  try {
    const totalRows = (db.prepare(`SELECT count(*) AS n FROM ${table} ${where}`).get(...where.args) as { n: number }).n;
    const rows = db.prepare(`SELECT ${columns} FROM ${table} ${where} ORDER BY local_ts, id`).iterate(...where.args) as IterableIterator<R>;
    mkdirSync(dirname(out), { recursive: true });
    const partial = `${out}.partial-${process.pid}`;
    const fd = openSync(partial, 'w');
    let open = true;
    let count = 0;
    let bytes = 0;
    try {
      let buffer = `${header}\n`;
      for (const r of rows) {
        buffer += line(r);
        count++;
        if (buffer.length >= CHUNK_CHARS) {
          bytes += writeAll(fd, buffer);
          buffer = '';
        }
        if (onProgress && count % progressEveryRows === 0) onProgress({ rows: count, totalRows, bytes });
      }
      bytes += writeAll(fd, buffer);
      fsyncSync(fd);
      closeSync(fd);
      open = false;
      renameSync(partial, out);
    } catch (error) {
      if (open) closeSync(fd);
      rmSync(partial, { force: true });
      throw error;
    }
    onProgress?.({ rows: count, totalRows, bytes });
    return { file: out, rows: count, bytes };
  } finally {
    db.exec('COMMIT');
  }
}
