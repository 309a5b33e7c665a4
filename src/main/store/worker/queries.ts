/**
 * The named queries windows may ask for. SQL stays here: the contract carries only names and
 * parameters, and every query has a row limit so none can stall the writer for long.
 */
import type Database from 'better-sqlite3';
import type {
  AlertStep,
  AlertsQuery,
  FeedHistoryEntry,
  FeedHistoryQuery,
  StoredAlert,
  StoredTrade,
  TopOfBookPoint,
  TopOfBookQuery,
  TopOfBookRange,
  TradesQuery,
  TradesRange,
} from '../protocol';

export const MAX_TOP_OF_BOOK_ROWS = 20_000;
export const MAX_TRADE_ROWS = 20_000;
export const MAX_LIST_ROWS = 1_000;

/**
 * A WHERE clause built from optional filters, every value a bound parameter (never spliced into the
 * SQL). A filter whose value is undefined is left out; an empty builder gives no WHERE at all.
 */
export class Where {
  private readonly clauses: string[] = [];
  readonly args: Array<string | number> = [];

  /** `column = value`. */
  equals(column: string, value: string | number | undefined): this {
    return this.add(`${column} = ?`, value);
  }

  /** `column >= from` (inclusive). */
  from(column: string, value: number | undefined): this {
    return this.add(`${column} >= ?`, value);
  }

  /** `column < to` (exclusive). */
  before(column: string, value: number | undefined): this {
    return this.add(`${column} < ?`, value);
  }

  /** A fixed condition, when `on` holds. */
  when(on: boolean, clause: string): this {
    if (on) this.clauses.push(clause);
    return this;
  }

  toString(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }

  private add(clause: string, value: string | number | undefined): this {
    if (value === undefined || value === '') return this;
    this.clauses.push(clause);
    this.args.push(value);
    return this;
  }
}

/** One instrument's top-of-book rows in [from, to) by local time. */
export function topOfBookWhere(instrumentId: number, from: number, to: number): Where {
  return new Where().equals('instrument_id', instrumentId).from('local_ts', from).before('local_ts', to);
}

/** One instrument's trades in [from, to) by local receive time (times may be null: open-ended). */
export function tradesWhere(instrumentId: number, from: number | undefined, to: number | undefined): Where {
  return new Where().equals('instrument_id', instrumentId).from('local_ts', from).before('local_ts', to);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function instrumentId(db: Database.Database, venue: string, symbol: string): number | null {
  const row = db.prepare('SELECT id FROM instruments WHERE venue = ? AND symbol = ?').get(venue, symbol) as { id: number } | undefined;
  return row?.id ?? null;
}

/**
 * What has rows recorded in `table` (top_of_book or trades), as `venue:symbol` (for messages that say
 * what is there instead).
 */
export function recordedInstruments(db: Database.Database, limit = 20, table: 'top_of_book' | 'trades' = 'top_of_book'): string[] {
  const rows = db
    .prepare(`SELECT venue, symbol FROM instruments i WHERE EXISTS (SELECT 1 FROM ${table} t WHERE t.instrument_id = i.id) ORDER BY venue, symbol LIMIT ?`)
    .all(limit) as Array<{ venue: string; symbol: string }>;
  return rows.map((r) => `${r.venue}:${r.symbol}`);
}

export function topOfBookRange(db: Database.Database, q: TopOfBookQuery): TopOfBookRange {
  const limit = Math.max(1, Math.min(q.limit, MAX_TOP_OF_BOOK_ROWS));
  const id = instrumentId(db, q.venue, q.symbol);
  if (id === null) return { venue: q.venue, symbol: q.symbol, rows: [], truncated: false };
  const where = topOfBookWhere(id, q.from, q.to);
  const rows = db
    .prepare(
      `SELECT local_ts AS localTs, exchange_ts AS exchangeTs, bid, bid_size AS bidSize, ask, ask_size AS askSize
       FROM top_of_book ${where} ORDER BY local_ts, id LIMIT ?`,
    )
    .all(...where.args, limit + 1) as TopOfBookPoint[];
  const truncated = rows.length > limit;
  if (truncated) rows.pop();
  return { venue: q.venue, symbol: q.symbol, rows, truncated };
}

interface TradeRow {
  id: string | null;
  price: string;
  size: string;
  side: StoredTrade['side'];
  exchangeTs: number | null;
  localTs: number;
  fills: number | null;
}

/** A stored trade as the contract's TradePrint: exchange time falls back to local time, fills only when several. */
export function storedTrade(r: TradeRow): StoredTrade {
  const trade: StoredTrade = { id: r.id, price: r.price, size: r.size, side: r.side, exchangeTs: r.exchangeTs ?? r.localTs, localTs: r.localTs };
  if (r.fills !== null && r.fills > 1) trade.fills = r.fills;
  return trade;
}

/** One instrument's trades in [from, to) by local time, oldest first: the first `limit`, or with `newest` the last. */
export function tradesRange(db: Database.Database, q: TradesQuery): TradesRange {
  const limit = Math.max(1, Math.min(q.limit, MAX_TRADE_ROWS));
  const id = instrumentId(db, q.venue, q.symbol);
  if (id === null) return { venue: q.venue, symbol: q.symbol, rows: [], truncated: false };
  const where = tradesWhere(id, q.from, q.to);
  const order = q.newest ? 'DESC' : 'ASC';
  const rows = db
    .prepare(
      `SELECT trade_id AS id, price, size, side, exchange_ts AS exchangeTs, local_ts AS localTs, fills
       FROM trades ${where} ORDER BY local_ts ${order}, id ${order} LIMIT ?`,
    )
    .all(...where.args, limit + 1) as TradeRow[];
  const truncated = rows.length > limit;
  if (truncated) rows.pop();
  if (q.newest) rows.reverse();
  return { venue: q.venue, symbol: q.symbol, rows: rows.map(storedTrade), truncated };
}

export function listAlerts(db: Database.Database, q: AlertsQuery): StoredAlert[] {
  const where = new Where()
    .equals('i.venue', q.venue)
    .equals('i.symbol', q.symbol)
    .when(q.activeOnly, "a.state <> 'cleared'")
    .from('a.updated_ts', q.from)
    .before('a.updated_ts', q.to);
  const limit = Math.max(1, Math.min(q.limit, MAX_LIST_ROWS));
  const rows = db
    .prepare(
      `SELECT a.alert_id AS id, i.venue, i.symbol, a.kind, a.severity, a.state, a.raised_ts AS raisedTs, a.updated_ts AS updatedTs,
              a.cleared_ts AS clearedTs, a.message, a.evidence
       FROM alerts a JOIN instruments i ON i.id = a.instrument_id
       ${where}
       ORDER BY a.updated_ts DESC LIMIT ?`,
    )
    .all(...where.args, limit) as Array<Omit<StoredAlert, 'steps' | 'evidence'> & { evidence: string }>;
  const steps = db.prepare(
    'SELECT phase, ts, severity, message, evidence FROM alert_events WHERE alert_id = ? ORDER BY ts, id LIMIT 200',
  );
  return rows.map((r) => ({
    ...r,
    evidence: parseJson(r.evidence),
    steps: (steps.all(r.id) as Array<Omit<AlertStep, 'evidence'> & { evidence: string }>).map((s) => ({ ...s, evidence: parseJson(s.evidence) })),
  }));
}

export function feedHistory(db: Database.Database, q: FeedHistoryQuery): FeedHistoryEntry[] {
  const where = new Where().equals('i.venue', q.venue).equals('i.symbol', q.symbol).from('f.ts', q.from).before('f.ts', q.to);
  const limit = Math.max(1, Math.min(q.limit, MAX_LIST_ROWS));
  return db
    .prepare(
      `SELECT i.venue, i.symbol, f.ts, f.kind, f.from_state AS "from", f.to_state AS "to", f.reason
       FROM feed_events f JOIN instruments i ON i.id = f.instrument_id
       ${where}
       ORDER BY f.ts DESC, f.id DESC LIMIT ?`,
    )
    .all(...where.args, limit) as FeedHistoryEntry[];
}

export interface TableCounts {
  topOfBook: number;
  trades: number;
  alerts: number;
  alertEvents: number;
  feedEvents: number;
  instruments: number;
}

/** Exact row counts (a full count is linear in the table; the writer does it once at open, then keeps counting). */
export function countRows(db: Database.Database): TableCounts {
  const count = (table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    topOfBook: count('top_of_book'),
    trades: count('trades'),
    alerts: count('alerts'),
    alertEvents: count('alert_events'),
    feedEvents: count('feed_events'),
    instruments: count('instruments'),
  };
}
