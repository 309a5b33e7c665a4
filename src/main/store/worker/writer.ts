/**
 * The database side of the writer: one transaction per call for any number of queued batches,
 * instruments resolved to ids on first sight, row counts kept without re-counting, and the named
 * queries. Runs in the writer worker (see writer-loop.ts); tests also drive it directly.
 */
import type Database from 'better-sqlite3';
import type { Instrument } from '../../../shared/market';
import { openStoreDatabase } from './open-database';
import { countRows, feedHistory, listAlerts, topOfBookRange, tradesRange, type TableCounts } from './queries';
import { TOB_FIELDS, TRADE_FIELDS } from '../protocol';
import type { AlertToWrite, FeedEventRecord, RetentionSetting } from '../types';

export interface WriteBatch {
  tob: ReadonlyArray<string | number | null>;
  /** Flat, TRADE_FIELDS per trade (see protocol.ts); absent when the batch has none. */
  trades?: ReadonlyArray<string | number | null>;
  alerts: readonly AlertToWrite[];
  feed: readonly FeedEventRecord[];
  instruments: readonly Instrument[];
}

export function batchRows(batch: WriteBatch): number {
  return batch.tob.length / TOB_FIELDS + (batch.trades?.length ?? 0) / TRADE_FIELDS + batch.alerts.length + batch.feed.length + batch.instruments.length;
}

type Statement = Database.Statement<unknown[], unknown>;

interface Statements {
  insertInstrument: Statement;
  upsertInstrument: Statement;
  selectInstrument: Statement;
  insertTop: Statement;
  insertTrade: Statement;
  upsertAlert: Statement;
  insertAlertEvent: Statement;
  selectAlert: Statement;
  insertFeed: Statement;
}

export class StoreWriter {
  db: Database.Database | null = null;
  counts: TableCounts = { topOfBook: 0, trades: 0, alerts: 0, alertEvents: 0, feedEvents: 0, instruments: 0 };
  private countsKnown = false;
  private stmts: Statements | null = null;
  /** venue → symbol → instrument id (nested, so the hot path builds no key strings). */
  private readonly instrumentIds = new Map<string, Map<string, number>>();

  constructor(readonly path: string) {}

  /** Open (or reopen) the database. Returns where a damaged file was moved, if it had to be. */
  open(): { movedAside: string | null } {
    this.close();
    const opened = openStoreDatabase(this.path);
    const db = opened.db;
    // Row counts are exact: counted once per file, then kept up to date by every commit and delete.
    try {
      // Counting reads every table: damage beyond the header shows up here (and is handled as corrupt).
      if (!this.countsKnown || opened.movedAside) {
        this.counts = countRows(db);
        this.countsKnown = true;
      }
      this.prepare(db);
    } catch (error) {
      db.close();
      throw error;
    }
    this.instrumentIds.clear();
    this.db = db;
    return { movedAside: opened.movedAside };
  }

  private prepare(db: Database.Database): void {
    this.stmts = {
      insertInstrument: db.prepare('INSERT INTO instruments (venue, symbol, first_seen_ts) VALUES (?, ?, ?) ON CONFLICT (venue, symbol) DO NOTHING'),
      upsertInstrument: db.prepare(
        `INSERT INTO instruments (venue, symbol, display, base, quote, tick_size, lot_size, price_precision, size_precision, first_seen_ts)
         VALUES (@venue, @symbol, @display, @base, @quote, @tickSize, @lotSize, @pricePrecision, @sizePrecision, @ts)
         ON CONFLICT (venue, symbol) DO UPDATE SET display = excluded.display, base = excluded.base, quote = excluded.quote,
           tick_size = excluded.tick_size, lot_size = excluded.lot_size, price_precision = excluded.price_precision,
           size_precision = excluded.size_precision`,
      ),
      selectInstrument: db.prepare('SELECT id FROM instruments WHERE venue = ? AND symbol = ?'),
      insertTop: db.prepare(
        'INSERT INTO top_of_book (instrument_id, local_ts, exchange_ts, bid, bid_size, ask, ask_size) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      // A trade id already stored for the instrument is a resent print: skipped (null ids never clash).
      insertTrade: db.prepare(
        `INSERT INTO trades (instrument_id, exchange_ts, local_ts, trade_id, price, size, side, fills) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (instrument_id, trade_id) DO NOTHING`,
      ),
      upsertAlert: db.prepare(
        `INSERT INTO alerts (alert_id, instrument_id, kind, severity, state, raised_ts, updated_ts, cleared_ts, message, evidence)
         VALUES (@id, @instrumentId, @kind, @severity, @phase, @ts, @ts, CASE WHEN @phase = 'cleared' THEN @ts END, @message, @evidence)
         ON CONFLICT (alert_id) DO UPDATE SET severity = excluded.severity, state = excluded.state, updated_ts = excluded.updated_ts,
           cleared_ts = excluded.cleared_ts, message = excluded.message, evidence = excluded.evidence,
           raised_ts = CASE WHEN excluded.state = 'raised' AND alerts.state = 'cleared' THEN excluded.raised_ts ELSE alerts.raised_ts END`,
      ),
      insertAlertEvent: db.prepare(
        'INSERT INTO alert_events (alert_id, phase, ts, severity, message, evidence) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      selectAlert: db.prepare('SELECT 1 FROM alerts WHERE alert_id = ?'),
      insertFeed: db.prepare(
        'INSERT INTO feed_events (instrument_id, ts, kind, from_state, to_state, reason) VALUES (?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  close(): void {
    this.stmts = null;
    this.instrumentIds.clear();
    if (this.db?.open) this.db.close();
    this.db = null;
  }

  /** Forget the row counts (the file was replaced). */
  resetCounts(): void {
    this.countsKnown = false;
  }

  private instrument(venue: string, symbol: string, ts: number, added: Array<[string, string]>): number {
    let symbols = this.instrumentIds.get(venue);
    const known = symbols?.get(symbol);
    if (known !== undefined) return known;
    const s = this.stmts!;
    if (s.insertInstrument.run(venue, symbol, ts).changes > 0) this.counts.instruments++;
    const id = (s.selectInstrument.get(venue, symbol) as { id: number }).id;
    if (!symbols) this.instrumentIds.set(venue, (symbols = new Map()));
    symbols.set(symbol, id);
    added.push([venue, symbol]);
    return id;
  }

  /**
   * Write batches in one transaction. On failure nothing is written (the transaction rolls back) and
   * the error is thrown; the caller keeps the batches to retry.
   */
  write(batches: readonly WriteBatch[], now: number): number {
    const db = this.db;
    const s = this.stmts;
    if (!db || !s) throw Object.assign(new Error('database is not open'), { code: 'SQLITE_CANTOPEN' });
    const added: Array<[string, string]> = [];
    const delta = { topOfBook: 0, trades: 0, alerts: 0, alertEvents: 0, feedEvents: 0, instrumentsBefore: this.counts.instruments };
    try {
      db.transaction(() => {
        for (const b of batches) {
          for (const i of b.instruments) {
            s.upsertInstrument.run({
              venue: i.venue,
              symbol: i.symbol,
              display: i.display,
              base: i.base,
              quote: i.quote,
              tickSize: i.tickSize,
              lotSize: i.lotSize,
              pricePrecision: i.pricePrecision,
              sizePrecision: i.sizePrecision,
              ts: now,
            });
          }
          const tob = b.tob;
          for (let k = 0; k < tob.length; k += TOB_FIELDS) {
            const id = this.instrument(tob[k] as string, tob[k + 1] as string, now, added);
            s.insertTop.run(id, tob[k + 3], tob[k + 2], tob[k + 4], tob[k + 5], tob[k + 6], tob[k + 7]);
          }
          delta.topOfBook += tob.length / TOB_FIELDS;
          const trades = b.trades ?? [];
          for (let k = 0; k < trades.length; k += TRADE_FIELDS) {
            const id = this.instrument(trades[k] as string, trades[k + 1] as string, now, added);
            delta.trades += s.insertTrade.run(id, trades[k + 2], trades[k + 3], trades[k + 4], trades[k + 5], trades[k + 6], trades[k + 7], trades[k + 8]).changes;
          }
          for (const a of b.alerts) {
            const instrumentId = this.instrument(a.venue, a.symbol, now, added);
            const before = s.selectAlert.get(a.id) !== undefined;
            s.upsertAlert.run({ ...a, instrumentId });
            s.insertAlertEvent.run(a.id, a.phase, a.ts, a.severity, a.message, a.evidence);
            if (!before) delta.alerts++;
            delta.alertEvents++;
          }
          for (const f of b.feed) {
            s.insertFeed.run(this.instrument(f.venue, f.symbol, now, added), f.ts, f.kind, f.from, f.to, f.reason);
            delta.feedEvents++;
          }
        }
      })();
    } catch (error) {
      // Ids handed out inside the rolled-back transaction no longer exist.
      for (const [venue, symbol] of added) this.instrumentIds.get(venue)?.delete(symbol);
      this.counts.instruments = delta.instrumentsBefore;
      throw error;
    }
    this.counts.topOfBook += delta.topOfBook;
    this.counts.trades += delta.trades;
    this.counts.alerts += delta.alerts;
    this.counts.alertEvents += delta.alertEvents;
    this.counts.feedEvents += delta.feedEvents;
    return delta.topOfBook + delta.trades + delta.alertEvents + delta.feedEvents;
  }

  /** The persisted retention setting, or `defaults` when none was saved. */
  retention(defaults: RetentionSetting): RetentionSetting {
    const row = this.db!.prepare("SELECT value FROM settings WHERE key = 'retention'").get() as { value: string } | undefined;
    if (!row) return defaults;
    try {
      const v = JSON.parse(row.value) as RetentionSetting;
      return { days: v.days ?? null, maxBytes: v.maxBytes ?? null };
    } catch {
      return defaults;
    }
  }

  saveRetention(setting: RetentionSetting): void {
    this.db!.prepare("INSERT INTO settings (key, value) VALUES ('retention', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      JSON.stringify(setting),
    );
  }

  topOfBook = (params: Parameters<typeof topOfBookRange>[1]) => topOfBookRange(this.db!, params);
  trades = (params: Parameters<typeof tradesRange>[1]) => tradesRange(this.db!, params);
  alerts = (params: Parameters<typeof listAlerts>[1]) => listAlerts(this.db!, params);
  feedHistory = (params: Parameters<typeof feedHistory>[1]) => feedHistory(this.db!, params);
}
