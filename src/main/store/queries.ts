/**
 * The named queries windows may ask for. SQL stays here: the contract carries only names and
 * parameters, and every query has a row limit so none can stall the writer for long.
 */
import type Database from 'better-sqlite3';
import type { AlertPhase, AlertSeverity, FeedEventKind } from './types';

export const MAX_TOP_OF_BOOK_ROWS = 20_000;
export const MAX_LIST_ROWS = 1_000;

export interface TopOfBookQuery {
  venue: string;
  symbol: string;
  /** ms since the epoch, inclusive. */
  from: number;
  /** ms since the epoch, exclusive. */
  to: number;
  limit: number;
}

export interface TopOfBookPoint {
  localTs: number;
  exchangeTs: number | null;
  bid: string | null;
  bidSize: string | null;
  ask: string | null;
  askSize: string | null;
}

export interface TopOfBookRange {
  venue: string;
  symbol: string;
  rows: TopOfBookPoint[];
  /** More rows exist in the window than the limit allowed. */
  truncated: boolean;
}

export interface AlertsQuery {
  venue?: string | undefined;
  symbol?: string | undefined;
  /** Only alerts not yet cleared. */
  activeOnly: boolean;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
}

export interface AlertStep {
  phase: AlertPhase;
  ts: number;
  severity: AlertSeverity;
  message: string;
  evidence: unknown;
}

export interface StoredAlert {
  id: string;
  venue: string;
  symbol: string;
  kind: string;
  severity: AlertSeverity;
  state: AlertPhase;
  raisedTs: number;
  updatedTs: number;
  clearedTs: number | null;
  message: string;
  evidence: unknown;
  steps: AlertStep[];
}

export interface FeedHistoryQuery {
  venue?: string | undefined;
  symbol?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
}

export interface FeedHistoryEntry {
  venue: string;
  symbol: string;
  ts: number;
  kind: FeedEventKind;
  from: string;
  to: string;
  reason: string;
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

/** What has top of book recorded, as `venue:symbol` (for messages that say what is there instead). */
export function recordedInstruments(db: Database.Database, limit = 20): string[] {
  const rows = db
    .prepare('SELECT venue, symbol FROM instruments i WHERE EXISTS (SELECT 1 FROM top_of_book t WHERE t.instrument_id = i.id) ORDER BY venue, symbol LIMIT ?')
    .all(limit) as Array<{ venue: string; symbol: string }>;
  return rows.map((r) => `${r.venue}:${r.symbol}`);
}

export function topOfBookRange(db: Database.Database, q: TopOfBookQuery): TopOfBookRange {
  const limit = Math.max(1, Math.min(q.limit, MAX_TOP_OF_BOOK_ROWS));
  const id = instrumentId(db, q.venue, q.symbol);
  if (id === null) return { venue: q.venue, symbol: q.symbol, rows: [], truncated: false };
  const rows = db
    .prepare(
      `SELECT local_ts AS localTs, exchange_ts AS exchangeTs, bid, bid_size AS bidSize, ask, ask_size AS askSize
       FROM top_of_book WHERE instrument_id = ? AND local_ts >= ? AND local_ts < ? ORDER BY local_ts, id LIMIT ?`,
    )
    .all(id, q.from, q.to, limit + 1) as TopOfBookPoint[];
  const truncated = rows.length > limit;
  if (truncated) rows.pop();
  return { venue: q.venue, symbol: q.symbol, rows, truncated };
}

export function listAlerts(db: Database.Database, q: AlertsQuery): StoredAlert[] {
  const where: string[] = [];
  const args: Array<string | number> = [];
  if (q.venue) {
    where.push('i.venue = ?');
    args.push(q.venue);
  }
  if (q.symbol) {
    where.push('i.symbol = ?');
    args.push(q.symbol);
  }
  if (q.activeOnly) where.push("a.state <> 'cleared'");
  if (q.from !== undefined) {
    where.push('a.updated_ts >= ?');
    args.push(q.from);
  }
  if (q.to !== undefined) {
    where.push('a.updated_ts < ?');
    args.push(q.to);
  }
  const limit = Math.max(1, Math.min(q.limit, MAX_LIST_ROWS));
  const rows = db
    .prepare(
      `SELECT a.alert_id AS id, i.venue, i.symbol, a.kind, a.severity, a.state, a.raised_ts AS raisedTs, a.updated_ts AS updatedTs,
              a.cleared_ts AS clearedTs, a.message, a.evidence
       FROM alerts a JOIN instruments i ON i.id = a.instrument_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.updated_ts DESC LIMIT ?`,
    )
    .all(...args, limit) as Array<Omit<StoredAlert, 'steps' | 'evidence'> & { evidence: string }>;
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
  const where: string[] = [];
  const args: Array<string | number> = [];
  if (q.venue) {
    where.push('i.venue = ?');
    args.push(q.venue);
  }
  if (q.symbol) {
    where.push('i.symbol = ?');
    args.push(q.symbol);
  }
  if (q.from !== undefined) {
    where.push('f.ts >= ?');
    args.push(q.from);
  }
  if (q.to !== undefined) {
    where.push('f.ts < ?');
    args.push(q.to);
  }
  const limit = Math.max(1, Math.min(q.limit, MAX_LIST_ROWS));
  return db
    .prepare(
      `SELECT i.venue, i.symbol, f.ts, f.kind, f.from_state AS "from", f.to_state AS "to", f.reason
       FROM feed_events f JOIN instruments i ON i.id = f.instrument_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY f.ts DESC, f.id DESC LIMIT ?`,
    )
    .all(...args, limit) as FeedHistoryEntry[];
}

export interface TableCounts {
  topOfBook: number;
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
    alerts: count('alerts'),
    alertEvents: count('alert_events'),
    feedEvents: count('feed_events'),
    instruments: count('instruments'),
  };
}
