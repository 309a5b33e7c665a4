/**
 * `npm run export -- --candles 1m (--capture FILE | --db DB) --venue V --symbol S --out F.csv`:
 * one symbol's time candles (analytics/candles.ts) as CSV, from a capture replayed through the live
 * adapters or from a store database's recorded trades.
 *
 * --from/--to select trades by the time candles are bucketed by (the venue's trade time), so bounds on
 * interval edges give whole candles. A database is indexed by receive time, so it is read for receive
 * times within DB_TIME_MARGIN_MS of the range and then filtered exactly by trade time.
 */
import { CandleBuilder, tradeTime, type CandleInterval, type CandleTrade } from '../analytics/candles';
import { CANDLES_CSV_HEADER, candleCsvLine, DB_TIME_MARGIN_MS } from '../analytics/candles-csv';
import { replayCapture } from '../capture/replay';
import { writeFileAtomic } from '../store/atomic-file';
import { ExportError } from '../store/errors';
import { openStoreReadOnly } from '../store/worker/open-database';
import { instrumentId, recordedInstruments, storedTrade, tradesWhere } from '../store/worker/queries';

export { CANDLES_CSV_HEADER, candleCsvLine, DB_TIME_MARGIN_MS };

/** Intervals the export offers. */
export const EXPORT_CANDLE_INTERVALS: readonly CandleInterval[] = ['1s', '1m', '5m', '15m', '1h'];

export interface CandleExportRequest {
  interval: CandleInterval;
  /** Exactly one source. */
  capture?: string;
  db?: string;
  venue: string;
  symbol: string;
  /** Trade-time range [from, to), ms; null is open-ended. */
  from: number | null;
  to: number | null;
  /** Absolute path, already checked by checkOutputFile. */
  out: string;
}

export interface CandleExportResult {
  file: string;
  interval: CandleInterval;
  venue: string;
  symbol: string;
  trades: number;
  candles: number;
  bytes: number;
}

export async function exportCandles(request: CandleExportRequest): Promise<CandleExportResult> {
  const { from, to } = request;
  if (from !== null && to !== null && !(from < to)) {
    throw new ExportError(`the export range is empty: from ${new Date(from).toISOString()} is not before to ${new Date(to).toISOString()}`);
  }
  const builder = new CandleBuilder(request.interval);
  let trades = 0;
  const take = (trade: CandleTrade): void => {
    if (trade.history) return;
    const ts = tradeTime(trade);
    if ((from !== null && ts < from) || (to !== null && ts >= to)) return;
    builder.add(trade);
    trades++;
  };
  const symbol = request.capture !== undefined ? await fromCapture(request.capture, request.venue, request.symbol, take) : fromDatabase(request.db!, request.venue, request.symbol, from, to, take);

  const candles = builder.candles();
  const data = Buffer.from(CANDLES_CSV_HEADER + '\n' + candles.map(candleCsvLine).join(''), 'utf8');
  writeFileAtomic(request.out, data);
  return { file: request.out, interval: request.interval, venue: request.venue, symbol, trades, candles: candles.length, bytes: data.length };
}

/** Replay the capture and hand the symbol's trades to `take`; returns the symbol as the venue spells it. */
async function fromCapture(capture: string, venue: string, symbol: string, take: (trade: CandleTrade) => void): Promise<string> {
  let found: string | null = null;
  const result = await replayCapture(capture, {
    onTrade: (feed, trade) => {
      if (feed.venue !== venue || feed.symbol.toUpperCase() !== symbol.toUpperCase()) return;
      found = feed.symbol;
      take(trade);
    },
  });
  if (found !== null) return found;
  const book = result.books.find((b) => b.venue === venue && b.symbol.toUpperCase() === symbol.toUpperCase());
  if (book) return book.symbol; // subscribed, but no trade printed: a header-only file
  const books = result.books.map((b) => `${b.venue}:${b.symbol}`);
  throw new ExportError(`${venue}:${symbol} is not in ${capture}; it holds ${books.length ? books.join(', ') : 'no replayable symbol'}`);
}

/** Read the symbol's recorded trades (read-only, one consistent snapshot) and hand them to `take`. */
function fromDatabase(path: string, venue: string, symbol: string, from: number | null, to: number | null, take: (trade: CandleTrade) => void): string {
  const db = openStoreReadOnly(path);
  try {
    const id = instrumentId(db, venue, symbol);
    if (id === null) {
      const recorded = recordedInstruments(db, 20, 'trades');
      throw new ExportError(`nothing is recorded for ${venue}:${symbol}` + (recorded.length ? `; recorded trades: ${recorded.join(', ')}` : '; the database holds no trades yet'));
    }
    const where = tradesWhere(id, from === null ? undefined : from - DB_TIME_MARGIN_MS, to === null ? undefined : to + DB_TIME_MARGIN_MS);
    db.exec('BEGIN');
    try {
      const rows = db
        .prepare(`SELECT trade_id AS id, price, size, side, exchange_ts AS exchangeTs, local_ts AS localTs, fills FROM trades ${where} ORDER BY local_ts, id`)
        .iterate(...where.args) as IterableIterator<Parameters<typeof storedTrade>[0]>;
      for (const row of rows) take(storedTrade(row));
    } finally {
      db.exec('COMMIT');
    }
    return symbol;
  } finally {
    db.close();
  }
}
