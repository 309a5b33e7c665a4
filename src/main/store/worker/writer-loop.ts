/**
 * The writer worker's loop: queue the batches the main thread posts, commit them in transactions of
 * bounded size as soon as the thread is free, keep them and retry with back-off while the disk or the
 * folder fails, move a damaged database aside and start a new one, run retention in small steps
 * between commits, and answer named queries. Everything here runs off the ingest thread.
 */
import { statSync } from 'node:fs';
import { classifyStoreError, type ClassifiedError } from '../errors';
import { moveAside } from './open-database';
import { RetentionRun } from './retention';
import type { FromWriter, QueryName, ToWriter, WorkerStatus } from '../protocol';
import type { RetentionSetting, StoreState } from '../types';
import { StoreWriter, batchRows, type WriteBatch } from './writer';

export interface WriterLoopOptions {
  path: string;
  /** Used until a setting is saved in the database. */
  retention: RetentionSetting;
  post(message: FromWriter): void;
  /** Most rows committed in one transaction (several posted batches are merged up to this). */
  maxTransactionRows?: number;
  retentionIntervalMs?: number;
  /** First retention run after start. */
  retentionDelayMs?: number;
  statusIntervalMs?: number;
  now?: () => number;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

interface Pending {
  seq: number;
  batch: WriteBatch;
  rows: number;
}

export class WriterLoop {
  readonly writer: StoreWriter;
  private readonly pending: Pending[] = [];
  private pendingRows = 0;
  private state: StoreState = 'starting';
  private message: string | null = null;
  private errors = 0;
  private lastError: string | null = null;
  private lastErrorTs: number | null = null;
  private lastErrorReason: string | null = null;
  private committedRows = 0;
  private lastWriteTs: number | null = null;
  private retention: RetentionSetting;
  private retentionLastRunTs: number | null = null;
  private retentionDeleted = 0;
  private retentionRun: RetentionRun | null = null;
  private readonly retentionWaiters: number[] = [];
  private readonly movedAside: string[] = [];
  private notice: string | null = null;
  private pumpScheduled = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryDelay = RETRY_MIN_MS;
  private readonly timers: Array<ReturnType<typeof setTimeout>> = [];
  private closed = false;
  private readonly now: () => number;
  private readonly maxTransactionRows: number;

  constructor(private readonly options: WriterLoopOptions) {
    this.writer = new StoreWriter(options.path);
    this.retention = options.retention;
    this.now = options.now ?? Date.now;
    this.maxTransactionRows = options.maxTransactionRows ?? 10_000;
  }

  start(): void {
    this.tryOpen();
    const statusEvery = this.options.statusIntervalMs ?? 1000;
    this.timers.push(setInterval(() => this.postStatus(), statusEvery));
    const retentionEvery = this.options.retentionIntervalMs ?? 10 * 60_000;
    const first = setTimeout(() => this.startRetention(), this.options.retentionDelayMs ?? 30_000);
    this.timers.push(first, setInterval(() => this.startRetention(), retentionEvery));
    for (const t of this.timers) (t as { unref?: () => void }).unref?.();
    this.postStatus();
  }

  onMessage(message: ToWriter): void {
    if (this.closed) return;
    switch (message.t) {
      case 'write': {
        const rows = batchRows(message);
        this.pending.push({ seq: message.seq, batch: message, rows });
        this.pendingRows += rows;
        this.schedulePump();
        return;
      }
      case 'query':
        this.answer(message.id, message.name, message.params);
        return;
      case 'close':
        this.close();
        return;
    }
  }

  status(): WorkerStatus {
    return {
      state: this.state,
      message: this.message,
      path: this.options.path,
      sizeBytes: fileSize(this.options.path) + fileSize(`${this.options.path}-wal`),
      rows: { ...this.writer.counts },
      lastWriteTs: this.lastWriteTs,
      committedRows: this.committedRows,
      errors: this.errors,
      lastError: this.lastError,
      lastErrorTs: this.lastErrorTs,
      retention: { ...this.retention, lastRunTs: this.retentionLastRunTs, deletedRows: this.retentionDeleted },
      movedAside: [...this.movedAside],
      queuedRowsInWorker: this.pendingRows,
    };
  }

  private postStatus(): void {
    this.options.post({ t: 'status', status: this.status() });
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown> = {}): void {
    this.options.post({ t: 'log', level, event, fields: { path: this.options.path, ...fields } });
  }

  /**
   * `failure` says why nothing is being recorded right now (null when writing works). A damaged file
   * moved aside stays as a notice for the session: the store works, but the user should know.
   */
  private setFailure(failure: string | null): void {
    const state: StoreState = failure ? 'failed' : this.notice ? 'degraded' : 'ok';
    const message = failure ?? this.notice;
    const changed = state !== this.state || message !== this.message;
    this.state = state;
    this.message = message;
    if (changed) this.postStatus();
  }

  private recordError(c: ClassifiedError, during: string): void {
    this.errors++;
    this.lastError = c.message;
    this.lastErrorTs = this.now();
    // Log a failure once when it starts (and when its reason changes), not on every retry.
    if (this.lastErrorReason !== c.reason) this.log('error', 'store-error', { during, reason: c.reason, message: c.message });
    this.lastErrorReason = c.reason;
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.closed) return;
    this.pumpScheduled = true;
    setImmediate(() => this.pump());
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.schedulePump();
    }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
  }

  private tryOpen(afterMovingAside = false): boolean {
    try {
      const { movedAside } = this.writer.open();
      this.retention = this.writer.retention(this.options.retention);
      if (movedAside) this.noteMovedAside(movedAside);
      // Still failing until a write succeeds, when there are batches waiting.
      if (this.pending.length === 0 || this.state !== 'failed') this.setFailure(null);
      return true;
    } catch (error) {
      const c = classifyStoreError(error, this.options.path);
      this.recordError(c, 'open');
      if (c.kind === 'corrupt' && !afterMovingAside) {
        // Damage found past the header (reading the tables at open): keep the file, start a new one.
        this.writer.close();
        this.writer.resetCounts();
        try {
          this.noteMovedAside(moveAside(this.options.path));
          return this.tryOpen(true);
        } catch (moveError) {
          this.log('error', 'store-move-aside-failed', { error: (moveError as Error).message });
        }
      }
      this.setFailure(c.message);
      this.scheduleRetry();
      return false;
    }
  }

  private noteMovedAside(target: string): void {
    this.movedAside.push(target);
    this.notice = `the database was damaged: it was moved aside to ${target} (kept, not deleted) and a new database was started`;
    this.log('error', 'store-moved-aside', { movedTo: target, message: this.notice });
  }

  private pump(): void {
    this.pumpScheduled = false;
    if (this.closed || this.retryTimer) return;
    if (!this.writer.db && !this.tryOpen()) return;
    if (this.pending.length > 0) this.writePending();
    // One small retention step per turn, after the writes: neither can starve the other.
    if (this.retentionRun && this.writer.db && !this.retryTimer) this.retentionStep();
    if (!this.retryTimer && (this.pending.length > 0 || this.retentionRun)) this.schedulePump();
  }

  /** Commit the oldest queued batches (up to the transaction size) in one transaction. */
  private writePending(): void {
    let take = 0;
    let rows = 0;
    while (take < this.pending.length && (take === 0 || rows + this.pending[take]!.rows <= this.maxTransactionRows)) {
      rows += this.pending[take]!.rows;
      take++;
    }
    const chunk = this.pending.slice(0, take);
    try {
      const written = this.writer.write(
        chunk.map((p) => p.batch),
        this.now(),
      );
      this.pending.splice(0, take);
      this.pendingRows -= rows;
      this.committedRows += written;
      this.lastWriteTs = this.now();
      this.retryDelay = RETRY_MIN_MS;
      this.options.post({ t: 'committed', seq: chunk[take - 1]!.seq, rows: written, dropped: 0 });
      if (this.state === 'failed') this.log('info', 'store-resumed', { after: this.lastError });
      this.lastErrorReason = null;
      this.setFailure(null);
    } catch (error) {
      this.onWriteError(error, chunk, rows, 'write');
    }
  }

  private onWriteError(error: unknown, chunk: Pending[], rows: number, during: string): void {
    const c = classifyStoreError(error, this.options.path);
    this.recordError(c, during);
    if (c.kind === 'corrupt') {
      // Keep the damaged file for recovery, start a new one, and write the queued batches there.
      this.abortRetention();
      this.writer.close();
      this.writer.resetCounts();
      try {
        const target = moveAside(this.options.path);
        this.noteMovedAside(target);
      } catch (moveError) {
        this.log('error', 'store-move-aside-failed', { error: (moveError as Error).message });
      }
      this.tryOpen();
      return;
    }
    if (c.kind === 'retry') {
      // Reopen on the next attempt: the folder may have been recreated or remounted meanwhile.
      this.abortRetention();
      this.writer.close();
      this.setFailure(c.message);
      this.scheduleRetry();
      return;
    }
    // Not a storage failure but a bad batch (a bug): drop it rather than block everything behind it.
    this.pending.splice(0, chunk.length);
    this.pendingRows -= rows;
    this.log('error', 'store-batch-dropped', { rows, error: c.message });
    this.options.post({ t: 'committed', seq: chunk.at(-1)!.seq, rows: 0, dropped: rows });
  }

  private startRetention(): void {
    if (this.closed || this.retentionRun || !this.writer.db) return;
    this.retentionRun = new RetentionRun(this.writer.db, this.retention, this.now());
    this.schedulePump();
  }

  private retentionStep(): void {
    const run = this.retentionRun!;
    const before = { ...run.deleted };
    let more: boolean;
    try {
      more = run.step();
    } catch (error) {
      this.abortRetention();
      this.onWriteError(error, [], 0, 'retention');
      return;
    }
    const counts = this.writer.counts;
    counts.topOfBook -= run.deleted.topOfBook - before.topOfBook;
    counts.trades -= run.deleted.trades - before.trades;
    counts.alerts -= run.deleted.alerts - before.alerts;
    counts.alertEvents -= run.deleted.alertEvents - before.alertEvents;
    counts.feedEvents -= run.deleted.feedEvents - before.feedEvents;
    if (more) return;
    this.retentionRun = null;
    this.retentionLastRunTs = this.now();
    this.retentionDeleted += run.deletedRows;
    if (run.deletedRows > 0) this.log('info', 'store-retention', { deleted: run.deleted, days: this.retention.days, maxBytes: this.retention.maxBytes });
    for (const id of this.retentionWaiters.splice(0)) this.options.post({ t: 'result', id, ok: true, value: { deleted: run.deleted, deletedRows: run.deletedRows } });
    this.postStatus();
  }

  private abortRetention(): void {
    if (!this.retentionRun) return;
    this.retentionRun = null;
    for (const id of this.retentionWaiters.splice(0)) this.options.post({ t: 'result', id, ok: false, error: 'retention was interrupted by a storage error' });
  }

  private answer(id: number, name: QueryName, params: unknown): void {
    try {
      if (name === 'status') {
        this.options.post({ t: 'result', id, ok: true, value: this.status() });
        return;
      }
      const db = this.writer.db;
      if (!db) throw new Error(`the store is not available: ${this.message ?? 'not open'}`);
      switch (name) {
        case 'topOfBook':
          this.options.post({ t: 'result', id, ok: true, value: this.writer.topOfBook(params as never) });
          return;
        case 'trades':
          this.options.post({ t: 'result', id, ok: true, value: this.writer.trades(params as never) });
          return;
        case 'alerts':
          this.options.post({ t: 'result', id, ok: true, value: this.writer.alerts(params as never) });
          return;
        case 'feedHistory':
          this.options.post({ t: 'result', id, ok: true, value: this.writer.feedHistory(params as never) });
          return;
        case 'setRetention': {
          const setting = params as RetentionSetting;
          this.writer.saveRetention(setting);
          this.retention = { days: setting.days, maxBytes: setting.maxBytes };
          this.log('info', 'store-retention-set', { days: setting.days, maxBytes: setting.maxBytes });
          this.options.post({ t: 'result', id, ok: true, value: this.retention });
          this.postStatus();
          return;
        }
        case 'runRetention':
          this.retentionWaiters.push(id);
          this.startRetention();
          return;
        case 'checkpoint':
          this.options.post({ t: 'result', id, ok: true, value: db.pragma('wal_checkpoint(TRUNCATE)') });
          return;
      }
    } catch (error) {
      this.options.post({ t: 'result', id, ok: false, error: (error as Error).message });
    }
  }

  /** Commit what is queued (one attempt), close the database, and say so. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.abortRetention();
    if (this.pending.length > 0 && !this.writer.db) {
      try {
        this.writer.open();
      } catch {
        // Reported below as rows lost.
      }
    }
    while (this.pending.length > 0 && this.writer.db) {
      const before = this.pending.length;
      this.writePending();
      if (this.pending.length === before) break;
    }
    if (this.pending.length > 0) {
      this.log('error', 'store-rows-lost-at-close', { rows: this.pendingRows, reason: this.lastError });
    }
    try {
      this.writer.db?.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // The WAL is checkpointed on the next open instead.
    }
    this.writer.close();
    this.state = 'closed';
    this.message = null;
    this.postStatus();
    this.options.post({ t: 'closed' });
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
