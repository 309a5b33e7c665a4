/**
 * The database schema as ordered migrations. `schema_version` holds one row per applied step; a
 * database opened by this code is brought to the latest version step by step, each step in its own
 * transaction, so an interrupted upgrade leaves the last complete version.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'instruments, top of book, alerts and their lifecycle, feed history, settings',
    sql: `
      CREATE TABLE instruments (
        id INTEGER PRIMARY KEY,
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        display TEXT,
        base TEXT,
        quote TEXT,
        tick_size TEXT,
        lot_size TEXT,
        price_precision INTEGER,
        size_precision INTEGER,
        first_seen_ts REAL NOT NULL,
        UNIQUE (venue, symbol)
      );
      -- One row per change of best bid/ask price or size. Prices and sizes are the venue's exact text.
      -- Times are ms since the epoch: local_ts when we received it (may carry a fraction), exchange_ts
      -- as the venue stamped it (null when the venue sends none).
      CREATE TABLE top_of_book (
        id INTEGER PRIMARY KEY,
        instrument_id INTEGER NOT NULL REFERENCES instruments (id),
        local_ts REAL NOT NULL,
        exchange_ts INTEGER,
        bid TEXT,
        bid_size TEXT,
        ask TEXT,
        ask_size TEXT
      );
      CREATE INDEX top_of_book_by_instrument_time ON top_of_book (instrument_id, local_ts);
      -- Latest state of each alert; every lifecycle step is in alert_events.
      CREATE TABLE alerts (
        alert_id TEXT PRIMARY KEY,
        instrument_id INTEGER NOT NULL REFERENCES instruments (id),
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('raised', 'updated', 'cleared')),
        raised_ts REAL NOT NULL,
        updated_ts REAL NOT NULL,
        cleared_ts REAL,
        message TEXT NOT NULL,
        evidence TEXT NOT NULL
      );
      CREATE INDEX alerts_by_time ON alerts (updated_ts);
      CREATE TABLE alert_events (
        id INTEGER PRIMARY KEY,
        alert_id TEXT NOT NULL,
        phase TEXT NOT NULL CHECK (phase IN ('raised', 'updated', 'cleared')),
        ts REAL NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        evidence TEXT NOT NULL
      );
      CREATE INDEX alert_events_by_alert ON alert_events (alert_id, ts);
      CREATE INDEX alert_events_by_time ON alert_events (ts);
      -- Feed history: every sync-state change of a book, with why.
      CREATE TABLE feed_events (
        id INTEGER PRIMARY KEY,
        instrument_id INTEGER NOT NULL REFERENCES instruments (id),
        ts REAL NOT NULL,
        kind TEXT NOT NULL,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        reason TEXT NOT NULL
      );
      CREATE INDEX feed_events_by_time ON feed_events (ts);
      CREATE INDEX feed_events_by_instrument ON feed_events (instrument_id, ts);
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'trades',
    sql: `
      -- One row per print from a venue's public trade feed. Price and size are the venue's exact text;
      -- side is the taker's ('unknown' where the venue does not say). Times are ms since the epoch and
      -- may carry a fraction (venues that stamp µs): exchange_ts as the venue stamped the trade (null
      -- if it sent none), local_ts when we received it. trade_id is the venue's id as text (ids beyond
      -- 2^53 stay exact), null where the venue sends none; fills is how many venue trades the row
      -- stands for (a Binance aggTrade), null for one.
      CREATE TABLE trades (
        id INTEGER PRIMARY KEY,
        instrument_id INTEGER NOT NULL REFERENCES instruments (id),
        local_ts REAL NOT NULL,
        exchange_ts REAL,
        trade_id TEXT,
        price TEXT NOT NULL,
        size TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('buy', 'sell', 'unknown')),
        fills INTEGER
      );
      CREATE INDEX trades_by_instrument_time ON trades (instrument_id, local_ts);
      -- A print the venue sends again (after a reconnect, or as history on subscribe) is stored once.
      CREATE UNIQUE INDEX trades_by_instrument_trade_id ON trades (instrument_id, trade_id);
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export class NewerSchemaError extends Error {
  override name = 'NewerSchemaError';
}

export function schemaVersion(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_ts REAL NOT NULL, description TEXT NOT NULL)');
  const row = db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

/** Apply every migration the database has not seen, in order. Returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = schemaVersion(db);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new NewerSchemaError(
      `the database has schema version ${current}, newer than this app understands (${latest}); it was written by a newer version of the app`,
    );
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, applied_ts, description) VALUES (?, ?, ?)').run(m.version, Date.now(), m.description);
    })();
    applied.push(m.version);
  }
  return applied;
}
