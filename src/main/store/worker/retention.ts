/**
 * Retention in small steps: each `step()` deletes at most one chunk of rows (its own short
 * transaction) so the writer can commit incoming batches between steps; nothing waits on a long delete.
 *
 * By age: top of book, trades, feed history, alert steps and cleared alerts older than `days` (alerts
 * still active are kept). By size: while the database's used pages exceed `maxBytes`, the oldest
 * top-of-book and trade rows go first (a chunk at a time from whichever table holds the older row). Freed pages are then handed back to the disk a little at a time
 * (incremental vacuum).
 */
import type Database from 'better-sqlite3';
import type { RetentionSetting } from '../types';

const DAY_MS = 86_400_000;
/** Pages returned to the file system per step (4 MiB with 4 KiB pages). */
const VACUUM_PAGES = 1024;

export interface RetentionDeleted {
  topOfBook: number;
  trades: number;
  alerts: number;
  alertEvents: number;
  feedEvents: number;
}

type Stage = 'age-top-of-book' | 'age-trades' | 'age-feed' | 'age-alert-events' | 'age-alerts' | 'size' | 'vacuum' | 'done';

export function usedBytes(db: Database.Database): number {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  return (pages - free) * pageSize;
}

export class RetentionRun {
  readonly deleted: RetentionDeleted = { topOfBook: 0, trades: 0, alerts: 0, alertEvents: 0, feedEvents: 0 };
  private stage: Stage;
  private readonly cutoff: number | null;
  private readonly instrumentIds: number[];
  /** The same instruments again, for the trades table. */
  private readonly tradeInstrumentIds: number[];

  constructor(
    private readonly db: Database.Database,
    private readonly setting: RetentionSetting,
    now: number,
    private readonly chunk = 2000,
  ) {
    this.cutoff = setting.days === null ? null : now - setting.days * DAY_MS;
    this.instrumentIds = (db.prepare('SELECT id FROM instruments ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
    this.tradeInstrumentIds = [...this.instrumentIds];
    this.stage = this.cutoff === null ? 'size' : 'age-top-of-book';
  }

  get done(): boolean {
    return this.stage === 'done';
  }

  get deletedRows(): number {
    const d = this.deleted;
    return d.topOfBook + d.trades + d.alerts + d.alertEvents + d.feedEvents;
  }

  /** Do one small piece of work. Returns false when the run is complete. */
  step(): boolean {
    switch (this.stage) {
      case 'age-top-of-book': {
        const id = this.instrumentIds[0];
        if (id === undefined) {
          this.stage = 'age-trades';
          break;
        }
        const n = this.deleteChunk(
          'DELETE FROM top_of_book WHERE id IN (SELECT id FROM top_of_book WHERE instrument_id = ? AND local_ts < ? LIMIT ?)',
          id,
          this.cutoff!,
        );
        this.deleted.topOfBook += n;
        if (n < this.chunk) this.instrumentIds.shift();
        break;
      }
      case 'age-trades': {
        const id = this.tradeInstrumentIds[0];
        if (id === undefined) {
          this.stage = 'age-feed';
          break;
        }
        const n = this.deleteChunk('DELETE FROM trades WHERE id IN (SELECT id FROM trades WHERE instrument_id = ? AND local_ts < ? LIMIT ?)', id, this.cutoff!);
        this.deleted.trades += n;
        if (n < this.chunk) this.tradeInstrumentIds.shift();
        break;
      }
      case 'age-feed': {
        const n = this.deleteChunk('DELETE FROM feed_events WHERE id IN (SELECT id FROM feed_events WHERE ts < ? LIMIT ?)', this.cutoff!);
        this.deleted.feedEvents += n;
        if (n < this.chunk) this.stage = 'age-alert-events';
        break;
      }
      case 'age-alert-events': {
        const n = this.deleteChunk('DELETE FROM alert_events WHERE id IN (SELECT id FROM alert_events WHERE ts < ? LIMIT ?)', this.cutoff!);
        this.deleted.alertEvents += n;
        if (n < this.chunk) this.stage = 'age-alerts';
        break;
      }
      case 'age-alerts': {
        const n = this.deleteChunk(
          "DELETE FROM alerts WHERE alert_id IN (SELECT alert_id FROM alerts WHERE updated_ts < ? AND state = 'cleared' LIMIT ?)",
          this.cutoff!,
        );
        this.deleted.alerts += n;
        if (n < this.chunk) this.stage = 'size';
        break;
      }
      case 'size': {
        if (this.setting.maxBytes === null || usedBytes(this.db) <= this.setting.maxBytes) {
          this.stage = 'vacuum';
          break;
        }
        // Rows are inserted in time order, so each table's lowest id is its oldest row.
        const oldest = (table: string): number | null =>
          (this.db.prepare(`SELECT local_ts AS ts FROM ${table} ORDER BY id LIMIT 1`).get() as { ts: number } | undefined)?.ts ?? null;
        const topTs = oldest('top_of_book');
        const tradeTs = oldest('trades');
        if (topTs === null && tradeTs === null) {
          this.stage = 'vacuum';
          break;
        }
        if (tradeTs !== null && (topTs === null || tradeTs < topTs)) {
          this.deleted.trades += this.deleteChunk('DELETE FROM trades WHERE id IN (SELECT id FROM trades ORDER BY id LIMIT ?)');
        } else {
          this.deleted.topOfBook += this.deleteChunk('DELETE FROM top_of_book WHERE id IN (SELECT id FROM top_of_book ORDER BY id LIMIT ?)');
        }
        break;
      }
      case 'vacuum': {
        const free = this.db.pragma('freelist_count', { simple: true }) as number;
        const incremental = (this.db.pragma('auto_vacuum', { simple: true }) as number) === 2;
        if (free === 0 || !incremental) {
          this.stage = 'done';
          break;
        }
        this.db.pragma(`incremental_vacuum(${VACUUM_PAGES})`);
        break;
      }
      case 'done':
        return false;
    }
    return this.stage !== 'done';
  }

  private deleteChunk(sql: string, ...args: number[]): number {
    return this.db.prepare(sql).run(...args, this.chunk).changes;
  }
}
