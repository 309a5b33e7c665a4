/**
 * Time candles of one symbol's recorded trades as CSV, in exactly the format of
 * `npm run export -- --candles` (analytics/candles-csv.ts). The range selects trades by trade time,
 * as the CLI does: the database is read for receive times within DB_TIME_MARGIN_MS of it, then
 * filtered exactly. Candles are built as the rows stream by (one candle per interval in memory), and
 * the file is written beside its name first and renamed when whole.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { CandleBuilder, tradeTime } from '../../analytics/candles';
import { CANDLES_CSV_HEADER, candleCsvLine, DB_TIME_MARGIN_MS } from '../../analytics/candles-csv';
import { writeFileAtomic } from '../atomic-file';
import { ExportError } from '../errors';
import type { CsvExportProgress, CsvExportRequest, CsvExportResult } from '../protocol';
import { instrumentId, recordedInstruments, storedTrade, tradesWhere } from './queries';

export function exportCandlesCsv(
  db: Database.Database,
  request: CsvExportRequest,
  onProgress?: (progress: CsvExportProgress) => void,
  progressEveryRows = 20_000,
): CsvExportResult {
  const { from, to } = request;
  if (from !== null && to !== null && !(from < to)) {
    throw new ExportError(`the export range is empty: from ${new Date(from).toISOString()} is not before to ${new Date(to).toISOString()}`);
  }
  const id = instrumentId(db, request.venue, request.symbol);
  if (id === null) {
    const recorded = recordedInstruments(db, 20, 'trades');
    throw new ExportError(`nothing is recorded for ${request.venue}:${request.symbol}` + (recorded.length ? `; recorded: ${recorded.join(', ')}` : '; the database holds no trades yet'));
  }
  const builder = new CandleBuilder(request.interval ?? '1m');
  const where = tradesWhere(id, from === null ? undefined : from - DB_TIME_MARGIN_MS, to === null ? undefined : to + DB_TIME_MARGIN_MS);
  let read = 0;
  let totalRows: number;
  // One read transaction: a consistent snapshot while the writer commits.
  db.exec('BEGIN');
  try {
    totalRows = (db.prepare(`SELECT count(*) AS n FROM trades ${where}`).get(...where.args) as { n: number }).n;
    const rows = db
      .prepare(`SELECT trade_id AS id, price, size, side, exchange_ts AS exchangeTs, local_ts AS localTs, fills FROM trades ${where} ORDER BY local_ts, id`)
      .iterate(...where.args) as IterableIterator<Parameters<typeof storedTrade>[0]>;
    for (const row of rows) {
      const trade = storedTrade(row);
      const ts = tradeTime(trade);
      if ((from === null || ts >= from) && (to === null || ts < to)) builder.add(trade);
      read++;
      if (onProgress && read % progressEveryRows === 0) onProgress({ rows: read, totalRows, bytes: 0 });
    }
  } finally {
    db.exec('COMMIT');
  }
  const candles = builder.candles();
  const data = Buffer.from(CANDLES_CSV_HEADER + '\n' + candles.map(candleCsvLine).join(''), 'utf8');
  mkdirSync(dirname(request.out), { recursive: true });
  writeFileAtomic(request.out, data);
  onProgress?.({ rows: read, totalRows, bytes: data.length });
  return { file: request.out, rows: candles.length, bytes: data.length };
}
