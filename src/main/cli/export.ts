/**
 * npm run export -- --db FILE --venue V --symbol S [--from ISO] [--to ISO] --out FILE.csv [--force]
 * npm run export -- --trades --db FILE --venue V --symbol S [--from ISO] [--to ISO] --out FILE.csv [--force]
 * npm run export -- --depth --capture FILE --venue V --symbol S [--levels 40] --out FILE.json [--force]
 * npm run export -- --candles 1m (--capture FILE | --db FILE) --venue V --symbol S [--from ISO] [--to ISO] --out FILE.csv [--force]
 *
 * CSV: streams one symbol's recorded top of book from a store database (the app's, or one written by
 * `npm run replay -- CAPTURE --db FILE`) in the columns ts_iso,provider,symbol,bid,ask,spread,mid,
 * bid_size,ask_size. With --trades, its recorded trades in the columns ts_iso,provider,symbol,trade_id,
 * side,price,size (ts_iso the venue's trade time). --from/--to select by local receive time in both.
 * The database is opened read-only, so this is safe while the app records.
 *
 * Candles: time candles from the symbol's trades (cli/export-candles.ts); --from/--to select by trade time.
 *
 * Depth: the CLI cannot reach a running app's books, so it replays a capture through the live
 * adapters and writes the final book's top N levels as JSON (atomically).
 *
 * --from/--to are strict ISO times (cli/iso-time.ts). --out must be in an existing folder and is never
 * replaced unless it is a regular file and --force is given (cli/output-file.ts); the file appears
 * whole or not at all (written beside it, then renamed).
 *
 * Progress goes to stderr; the last stdout line is one JSON object describing the file written.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { replayCapture } from '../capture/replay';
import { exportCsv } from '../store/worker/csv-export';
import { DEFAULT_DEPTH_LEVELS, depthSnapshot, writeJsonAtomic } from '../store/client/depth-export';
import { openStoreReadOnly } from '../store/worker/open-database';
import type { SymbolFeed } from '../venues/symbol-feed';
import { EXPORT_CANDLE_INTERVALS, exportCandles } from './export-candles';
import { isoTimeError, parseIsoTime } from './iso-time';
import { checkOutputFile, OutputFileError } from './output-file';

const USAGE = `usage:
  npm run export -- --db FILE --venue V --symbol S [--from ISO] [--to ISO] --out FILE.csv [--force]
  npm run export -- --trades --db FILE --venue V --symbol S [--from ISO] [--to ISO] --out FILE.csv [--force]
  npm run export -- --depth --capture FILE --venue V --symbol S [--levels ${DEFAULT_DEPTH_LEVELS}] --out FILE.json [--force]
  npm run export -- --candles ${EXPORT_CANDLE_INTERVALS.join('|')} (--capture FILE | --db FILE) --venue V --symbol S [--from ISO] [--to ISO] --out FILE.csv [--force]`;

class UsageError extends Error {}

function parseTime(name: string, text: string | undefined): number | null {
  if (text === undefined) return null;
  const error = isoTimeError(text);
  if (error !== null) throw new UsageError(`--${name} must be an ISO date/time: ${error}`);
  return parseIsoTime(text);
}

function required(name: string, value: string | undefined): string {
  if (!value) throw new UsageError(`missing --${name}`);
  return value;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        db: { type: 'string' },
        venue: { type: 'string' },
        symbol: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        depth: { type: 'boolean', default: false },
        trades: { type: 'boolean', default: false },
        candles: { type: 'string' },
        capture: { type: 'string' },
        levels: { type: 'string' },
        force: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = args.values;
  const venue = required('venue', v.venue);
  const symbol = required('symbol', v.symbol);
  let out: string;
  try {
    out = checkOutputFile(required('out', v.out), { force: v.force });
  } catch (error) {
    if (error instanceof OutputFileError) throw new UsageError(error.message);
    throw error;
  }

  if (v.depth && v.trades) throw new UsageError('--depth and --trades are two different exports; give one');
  if (v.candles !== undefined && (v.depth || v.trades)) throw new UsageError(`--candles and --${v.depth ? 'depth' : 'trades'} are two different exports; give one`);
  if (v.candles !== undefined) {
    const interval = EXPORT_CANDLE_INTERVALS.find((i) => i === v.candles);
    if (!interval) throw new UsageError(`--candles must be one of ${EXPORT_CANDLE_INTERVALS.join(', ')}, got ${v.candles}`);
    if ((v.capture === undefined) === (v.db === undefined)) throw new UsageError('--candles reads one source: give --capture FILE or --db FILE');
    if (v.capture !== undefined && !existsSync(v.capture)) throw new UsageError(`capture file not found: ${v.capture}`);
    const started = Date.now();
    const result = await exportCandles({ interval, capture: v.capture, db: v.db, venue, symbol, from: parseTime('from', v.from), to: parseTime('to', v.to), out });
    if (result.trades === 0) process.stderr.write(`export: warning: no trades of ${venue}:${result.symbol} in the range; the file holds only the header\n`);
    process.stdout.write(JSON.stringify({ ...result, ms: Date.now() - started }) + '\n');
    return;
  }
  if (v.depth) {
    const capture = required('capture', v.capture);
    if (!existsSync(capture)) throw new UsageError(`capture file not found: ${capture}`);
    const levels = v.levels === undefined ? DEFAULT_DEPTH_LEVELS : Number(v.levels);
    if (!Number.isInteger(levels) || levels < 1 || levels > 5000) throw new UsageError(`--levels must be an integer 1-5000, got ${v.levels}`);
    let feed: SymbolFeed | null = null;
    const result = await replayCapture(capture, {
      onBook: (f) => {
        if (f.venue === venue && f.symbol.toUpperCase() === symbol.toUpperCase()) feed = f;
      },
    });
    if (!feed) {
      const books = result.books.map((b) => `${b.venue}:${b.symbol}`);
      throw new Error(`${venue}:${symbol} has no book in ${capture}; it holds ${books.length ? books.join(', ') : 'no replayable book'}`);
    }
    const snapshot = depthSnapshot(feed, levels);
    const bytes = writeJsonAtomic(out, snapshot);
    if (snapshot.state !== 'synced') process.stderr.write(`export: warning: the book ended ${snapshot.state}, not synced; its levels may not match the venue\n`);
    process.stdout.write(
      JSON.stringify({ file: out, bytes, venue: snapshot.venue, symbol: snapshot.symbol, state: snapshot.state, bids: snapshot.bids.length, asks: snapshot.asks.length }) + '\n',
    );
    return;
  }

  const dbPath = required('db', v.db);
  const from = parseTime('from', v.from);
  const to = parseTime('to', v.to);
  const db = openStoreReadOnly(dbPath);
  try {
    const started = Date.now();
    const table = v.trades ? 'trades' : 'top-of-book';
    const result = exportCsv(db, { table, venue, symbol, from, to, out }, (p) => {
      const pct = p.totalRows > 0 ? Math.floor((p.rows / p.totalRows) * 100) : 100;
      process.stderr.write(`export: ${p.rows}/${p.totalRows} rows (${pct}%)\n`);
    }, 100_000);
    process.stdout.write(JSON.stringify({ ...result, table, venue, symbol, ms: Date.now() - started }) + '\n');
  } finally {
    db.close();
  }
}

main().catch((error: Error) => {
  if (error instanceof UsageError) {
    process.stderr.write(`export: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`export failed: ${error.message}\n`);
  process.exit(1);
});
