/**
 * Top of book as CSV, streamed: rows come from a SQLite cursor and leave in 256 KiB chunks, so a day
 * of a busy symbol never sits in memory. The file is written as `<out>.partial-<pid>` and renamed when
 * complete, so a half-written export never looks finished. Spread and mid are computed exactly from
 * the price texts (no float noise).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { midpointDecimal, subtractDecimal } from '../../../shared/decimal';
import type { CsvExportProgress, CsvExportRequest, CsvExportResult } from '../protocol';
import { ExportError } from '../errors';
import { instrumentId, recordedInstruments, topOfBookWhere } from './queries';

export const CSV_HEADER = 'ts_iso,provider,symbol,bid,ask,spread,mid,bid_size,ask_size';

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

function writeAll(fd: number, text: string): number {
  const buffer = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
  return buffer.length;
}

/**
 * Export one venue:symbol's top of book between `from` and `to`, ordered by local time. Calls
 * `onProgress` every `progressEveryRows` rows and once at the end.
 */
export function exportTopOfBookCsv(
  db: Database.Database,
  request: CsvExportRequest,
  onProgress?: (progress: CsvExportProgress) => void,
  progressEveryRows = 20_000,
): CsvExportResult {
  const from = request.from ?? -Number.MAX_VALUE;
  const to = request.to ?? Number.MAX_VALUE;
  if (!(from < to)) throw new ExportError(`the export range is empty: from ${new Date(from).toISOString()} is not before to ${new Date(to).toISOString()}`);
  const id = instrumentId(db, request.venue, request.symbol);
  if (id === null) {
    const recorded = recordedInstruments(db);
    throw new ExportError(
      `nothing is recorded for ${request.venue}:${request.symbol}` + (recorded.length ? `; recorded: ${recorded.join(', ')}` : '; the database holds no top of book yet'),
    );
  }
  // One read transaction for the count and the rows: the export is a consistent snapshot even while the writer commits.
  db.exec('BEGIN');
  try {
    const where = topOfBookWhere(id, from, to);
    const totalRows = (db.prepare(`SELECT count(*) AS n FROM top_of_book ${where}`).get(...where.args) as { n: number }).n;
    const rows = db
      .prepare(`SELECT local_ts, bid, ask, bid_size, ask_size FROM top_of_book ${where} ORDER BY local_ts, id`)
      .iterate(...where.args) as IterableIterator<Row>;
    mkdirSync(dirname(request.out), { recursive: true });
    const partial = `${request.out}.partial-${process.pid}`;
    const fd = openSync(partial, 'w');
    let open = true;
    let count = 0;
    let bytes = 0;
    try {
      let buffer = `${CSV_HEADER}\n`;
      for (const r of rows) {
        buffer += csvLine(request.venue, request.symbol, r.local_ts, r.bid, r.ask, r.bid_size, r.ask_size);
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
      renameSync(partial, request.out);
    } catch (error) {
      if (open) closeSync(fd);
      rmSync(partial, { force: true });
      throw error;
    }
    onProgress?.({ rows: count, totalRows, bytes });
    return { file: request.out, rows: count, bytes };
  } finally {
    db.exec('COMMIT');
  }
}
