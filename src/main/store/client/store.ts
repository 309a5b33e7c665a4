/**
 * The store as the main thread sees it. Recording a row only appends it to an array; every
 * `flushRows` rows or `flushMs` milliseconds the batch is posted to the writer worker, which commits
 * it (see ../worker/writer-loop.ts). Nothing here waits on the disk.
 *
 * Queue policy: rows posted but not yet committed, plus rows not yet posted, are bounded by
 * `maxQueuedRows`. When the writer falls that far behind (a failing disk, a stalled worker) new
 * top-of-book and trade rows are dropped and counted (`droppedRows`, a warning in the log and in the store
 * status) until the queue drains; alerts and feed history, which are few, are never dropped. Posted
 * batches are kept until the worker confirms the commit, so a worker that dies is restarted and
 * given them again.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Instrument, Trade } from '../../../shared/market';
import type { Logger } from '../../log';
import { ExportError, classifyStoreError } from '../errors';
import type {
  AlertsQuery,
  CsvExportRequest,
  FeedHistoryEntry,
  FeedHistoryQuery,
  FromExport,
  FromWriter,
  QueryName,
  StoredAlert,
  ToWriter,
  TopOfBookQuery,
  TopOfBookRange,
  TradesQuery,
  TradesRange,
  WorkerStatus,
} from '../protocol';
import { DEFAULT_RETENTION, type AlertRecord, type AlertToWrite, type FeedEventRecord, type RetentionSetting, type StoreStatus, type TopOfBookRow } from '../types';
import { writeJsonAtomic, type DepthSnapshot } from './depth-export';
import { spawnStoreWorker } from './spawn-worker';

export interface StoreOptions {
  /** The database file (its folder is created when missing). */
  path: string;
  /** Where exports (CSV, depth JSON) are written. */
  exportsDir: string;
  logger: Logger;
  /** Retention used until the user saves another (default 30 days, 10 GiB). */
  retention?: RetentionSetting;
  /** Post a batch to the writer at this many rows (default 1,000)… */
  flushRows?: number;
  /** …or after this many ms, whichever comes first (default 100). */
  flushMs?: number;
  /** Most rows queued (unposted + posted but uncommitted) before new top-of-book and trade rows are dropped (default 250,000). */
  maxQueuedRows?: number;
  /** Most rows the writer commits in one transaction (default 10,000). */
  maxTransactionRows?: number;
  retentionIntervalMs?: number;
  retentionDelayMs?: number;
  statusIntervalMs?: number;
}

export interface ExportJob {
  id: string;
  kind: 'csv';
  state: 'running' | 'done' | 'failed';
  /** File name inside the exports folder. */
  name: string;
  file: string;
  rows: number;
  totalRows: number;
  bytes: number;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
}

type WriteMessage = Extract<ToWriter, { t: 'write' }>;

const MAX_RUNNING_EXPORTS = 2;
const MAX_KEPT_JOBS = 50;
const EXPORT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.(csv|json)$/;

export class Store {
  readonly path: string;
  readonly exportsDir: string;
  private worker: Worker | null = null;
  private readonly logger: Logger;
  private readonly flushRows: number;
  private readonly flushMs: number;
  private readonly maxQueuedRows: number;
  private tob: Array<string | number | null> = [];
  private tradesOut: Array<string | number | null> = [];
  private alertsOut: AlertToWrite[] = [];
  private feedOut: FeedEventRecord[] = [];
  private instrumentsOut: Instrument[] = [];
  private unsentRows = 0;
  private seq = 0;
  private committedSeq = 0;
  private readonly unacked = new Map<number, { message: WriteMessage; rows: number }>();
  private inFlightRows = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly waiters: Array<{ seq: number; resolve: () => void }> = [];
  private readonly queries = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly outbox: ToWriter[] = [];
  private queryId = 0;
  private workerStatus: WorkerStatus | null = null;
  private workerProblem: string | null = null;
  private droppedRows = 0;
  private dropping = false;
  private restartDelay = 1000;
  private closed = false;
  private closing: Promise<void> | null = null;
  private starting: Promise<void>;
  private resolveClosed: (() => void) | null = null;
  private readonly jobs = new Map<string, ExportJob>();
  private readonly exportWorkers = new Set<Worker>();

  constructor(private readonly options: StoreOptions) {
    this.path = resolve(options.path);
    this.exportsDir = resolve(options.exportsDir);
    this.logger = options.logger;
    this.flushRows = options.flushRows ?? 1000;
    this.flushMs = options.flushMs ?? 100;
    this.maxQueuedRows = options.maxQueuedRows ?? 250_000;
    this.starting = this.startWorker();
  }

  // ---- recording (main thread, cheap) ----

  recordTopOfBook(row: TopOfBookRow): void {
    if (this.closed) return;
    if (this.unsentRows + this.inFlightRows >= this.maxQueuedRows) {
      this.drop(1);
      return;
    }
    this.tob.push(row.venue, row.symbol, row.exchangeTs, row.localTs, row.bid, row.bidSize, row.ask, row.askSize);
    this.added();
  }

  /**
   * Record one print (TRADE_FIELDS in protocol.ts). Dropped and counted like top of book when the
   * queue is full. A print whose id is already stored for its symbol is skipped by the writer.
   */
  recordTrade(trade: Trade): void {
    if (this.closed) return;
    if (this.unsentRows + this.inFlightRows >= this.maxQueuedRows) {
      this.drop(1);
      return;
    }
    const exchangeTs = Number.isFinite(trade.exchangeTs) && trade.exchangeTs > 0 ? trade.exchangeTs : null;
    this.tradesOut.push(trade.venue, trade.symbol, exchangeTs, trade.localTs, trade.id, trade.price, trade.size, trade.side, trade.fills ?? null);
    this.added();
  }

  /** Record an alert lifecycle step (see AlertRecord). Never dropped for a full queue. */
  recordAlert(alert: AlertRecord): void {
    if (this.closed) return;
    let evidence: string;
    try {
      evidence = JSON.stringify(alert.evidence ?? null) ?? 'null';
    } catch (error) {
      evidence = JSON.stringify({ unserialisable: (error as Error).message });
    }
    this.alertsOut.push({
      id: alert.id,
      venue: alert.venue,
      symbol: alert.symbol,
      kind: alert.kind,
      severity: alert.severity,
      phase: alert.phase,
      ts: alert.ts,
      message: alert.message,
      evidence,
    });
    this.added();
  }

  recordFeedEvent(event: FeedEventRecord): void {
    if (this.closed) return;
    this.feedOut.push(event);
    this.added();
  }

  /** Save an instrument's metadata (display name, tick and lot size) beside its rows. */
  recordInstrument(instrument: Instrument): void {
    if (this.closed) return;
    this.instrumentsOut.push(instrument);
    this.added();
  }

  private added(): void {
    this.unsentRows++;
    if (this.unsentRows >= this.flushRows) this.post();
    else this.flushTimer ??= setTimeout(() => this.post(), this.flushMs);
  }

  private drop(rows: number): void {
    this.droppedRows += rows;
    if (!this.dropping) {
      this.dropping = true;
      this.logger.log('warn', 'store-queue-full', {
        queued: this.unsentRows + this.inFlightRows,
        limit: this.maxQueuedRows,
        message: 'the store cannot keep up (or cannot write): new top-of-book and trade rows are dropped until it catches up',
      });
    }
  }

  /** Post the rows gathered so far as one batch. */
  private post(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.unsentRows === 0) return;
    const message: WriteMessage = {
      t: 'write',
      seq: ++this.seq,
      tob: this.tob,
      trades: this.tradesOut,
      alerts: this.alertsOut,
      feed: this.feedOut,
      instruments: this.instrumentsOut,
    };
    const rows = this.unsentRows;
    this.tob = [];
    this.tradesOut = [];
    this.alertsOut = [];
    this.feedOut = [];
    this.instrumentsOut = [];
    this.unsentRows = 0;
    this.unacked.set(message.seq, { message, rows });
    this.inFlightRows += rows;
    this.worker?.postMessage(message);
  }

  /** Resolves when everything recorded so far is committed (waits while the disk fails). */
  flush(): Promise<void> {
    this.post();
    const target = this.seq;
    if (this.committedSeq >= target) return Promise.resolve();
    return new Promise((resolveFlush) => this.waiters.push({ seq: target, resolve: resolveFlush }));
  }

  // ---- the worker ----

  private async startWorker(): Promise<void> {
    if (this.closed) return;
    let worker: Worker;
    try {
      worker = await spawnStoreWorker({
        role: 'writer',
        path: this.path,
        retention: this.options.retention ?? DEFAULT_RETENTION,
        maxTransactionRows: this.options.maxTransactionRows,
        retentionIntervalMs: this.options.retentionIntervalMs,
        retentionDelayMs: this.options.retentionDelayMs,
        statusIntervalMs: this.options.statusIntervalMs,
      });
    } catch (error) {
      this.onWorkerGone(error as Error);
      return;
    }
    this.worker = worker;
    worker.on('message', (message: FromWriter) => this.onWorkerMessage(message));
    worker.on('error', (error) => this.onWorkerGone(error));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.onWorkerGone(new Error(`exited with code ${code}`));
    });
    // Batches not yet confirmed (posted before a restart, or before the worker was up) go first, in order.
    for (const { message } of [...this.unacked.values()].sort((a, b) => a.message.seq - b.message.seq)) worker.postMessage(message);
    for (const message of this.outbox.splice(0)) worker.postMessage(message);
  }

  private onWorkerGone(error: Error): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
    if (this.closed) {
      this.resolveClosed?.();
      return;
    }
    const classified = classifyStoreError(error, this.path);
    if (classified.reason === 'native-module') {
      // Restarting cannot help: the module must be rebuilt for this runtime. Say so and stop here.
      this.workerProblem = classified.message;
      this.logger.log('error', 'store-unavailable', { error: error.message });
      return;
    }
    this.workerProblem = `the store's writer stopped (${error.message}); restarting it`;
    this.logger.log('error', 'store-worker-stopped', { error: error.stack ?? error.message });
    for (const [id, q] of this.queries) {
      q.reject(new Error('the store restarted while answering; try again'));
      this.queries.delete(id);
    }
    setTimeout(() => {
      this.starting = this.startWorker();
    }, this.restartDelay).unref();
    this.restartDelay = Math.min(this.restartDelay * 2, 30_000);
  }

  private onWorkerMessage(message: FromWriter): void {
    switch (message.t) {
      case 'committed': {
        for (const [seq, entry] of this.unacked) {
          if (seq > message.seq) break;
          this.unacked.delete(seq);
          this.inFlightRows -= entry.rows;
        }
        this.committedSeq = Math.max(this.committedSeq, message.seq);
        this.workerProblem = null;
        this.restartDelay = 1000;
        // Waiters are in seq order: resolve the confirmed ones, oldest first.
        let done = 0;
        while (done < this.waiters.length && this.waiters[done]!.seq <= this.committedSeq) done++;
        for (const w of this.waiters.splice(0, done)) w.resolve();
        if (this.dropping && this.unsentRows + this.inFlightRows < this.maxQueuedRows / 2) {
          this.dropping = false;
          this.logger.log('info', 'store-queue-recovered', { droppedRows: this.droppedRows });
        }
        return;
      }
      case 'status':
        this.workerStatus = message.status;
        return;
      case 'result': {
        const q = this.queries.get(message.id);
        if (!q) return;
        this.queries.delete(message.id);
        if (message.ok) q.resolve(message.value);
        else q.reject(new Error(message.error));
        return;
      }
      case 'log':
        this.logger.log(message.level, message.event, message.fields);
        return;
      case 'closed':
        this.resolveClosed?.();
        return;
    }
  }

  private query<T>(name: QueryName, params: unknown = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const id = ++this.queryId;
    return new Promise<T>((resolveQuery, reject) => {
      this.queries.set(id, { resolve: resolveQuery as (v: unknown) => void, reject });
      const message: ToWriter = { t: 'query', id, name, params };
      if (this.worker) this.worker.postMessage(message);
      else this.outbox.push(message);
    });
  }

  // ---- named queries ----

  topOfBook(q: TopOfBookQuery): Promise<TopOfBookRange> {
    return this.query('topOfBook', q);
  }

  trades(q: TradesQuery): Promise<TradesRange> {
    return this.query('trades', q);
  }

  alerts(q: AlertsQuery): Promise<StoredAlert[]> {
    return this.query('alerts', q);
  }

  feedHistory(q: FeedHistoryQuery): Promise<FeedHistoryEntry[]> {
    return this.query('feedHistory', q);
  }

  setRetention(setting: RetentionSetting): Promise<RetentionSetting> {
    return this.query('setRetention', setting);
  }

  /** Run retention now; resolves with what was deleted. */
  runRetention(): Promise<{ deletedRows: number; deleted: Record<string, number> }> {
    return this.query('runRetention');
  }

  /** Checkpoint the WAL into the database (tests, benchmarks). */
  checkpoint(): Promise<unknown> {
    return this.query('checkpoint');
  }

  /** The status as the worker sees it right now (after the last commit), rather than its last periodic report. */
  async fetchStatus(): Promise<StoreStatus> {
    this.workerStatus = await this.query<WorkerStatus>('status');
    return this.status();
  }

  status(): StoreStatus {
    const w = this.workerStatus;
    const queuedRows = this.unsentRows + this.inFlightRows;
    const base: StoreStatus = w
      ? { ...w, queuedRows, droppedRows: this.droppedRows }
      : {
          state: 'starting',
          message: null,
          path: this.path,
          sizeBytes: 0,
          rows: { topOfBook: 0, trades: 0, alerts: 0, alertEvents: 0, feedEvents: 0, instruments: 0 },
          lastWriteTs: null,
          queuedRows,
          droppedRows: this.droppedRows,
          committedRows: 0,
          errors: 0,
          lastError: null,
          lastErrorTs: null,
          retention: { ...(this.options.retention ?? DEFAULT_RETENTION), lastRunTs: null, deletedRows: 0 },
          movedAside: [],
        };
    delete (base as Partial<WorkerStatus>).queuedRowsInWorker;
    if (this.closed) return { ...base, state: 'closed', message: null };
    if (this.workerProblem) return { ...base, state: 'failed', message: this.workerProblem };
    if (this.droppedRows > 0 && base.state === 'ok') {
      return {
        ...base,
        state: 'degraded',
        message: `${this.droppedRows} top-of-book and trade rows were dropped because the store fell ${this.maxQueuedRows} rows behind${this.dropping ? ' (still dropping)' : ''}`,
      };
    }
    return base;
  }

  // ---- exports ----

  /** Start a CSV export (top of book, or trades) in its own worker thread; follow it with `exportJob(id)`. */
  startCsvExport(request: Omit<CsvExportRequest, 'out'>): ExportJob {
    const running = [...this.jobs.values()].filter((j) => j.state === 'running').length;
    if (running >= MAX_RUNNING_EXPORTS) throw new ExportError(`${running} exports are already running; wait for one to finish`);
    const id = randomBytes(6).toString('hex');
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const what = request.table === 'trades' ? '_trades' : request.table === 'candles' ? `_candles-${request.interval ?? '1m'}` : '';
    const name = `${safeName(request.venue)}_${safeName(request.symbol)}${what}_${stamp}_${id}.csv`;
    const job: ExportJob = {
      id,
      kind: 'csv',
      state: 'running',
      name,
      file: join(this.exportsDir, name),
      rows: 0,
      totalRows: 0,
      bytes: 0,
      error: null,
      startedAt: Date.now(),
      finishedAt: null,
    };
    this.jobs.set(id, job);
    this.pruneJobs();
    void this.runCsvExport(job, { ...request, out: job.file });
    return { ...job };
  }

  exportJob(id: string): ExportJob | undefined {
    const job = this.jobs.get(id);
    return job ? { ...job } : undefined;
  }

  private async runCsvExport(job: ExportJob, request: CsvExportRequest): Promise<void> {
    const finish = (state: 'done' | 'failed', error: string | null): void => {
      if (job.state !== 'running') return;
      job.state = state;
      job.error = error;
      job.finishedAt = Date.now();
      this.logger.log(state === 'done' ? 'info' : 'error', `export-${state}`, { file: job.file, rows: job.rows, error });
    };
    // Include what was recorded up to now; a failing disk must not hold the export up for long.
    await Promise.race([this.flush(), new Promise((r) => setTimeout(r, 2000).unref())]);
    let worker: Worker;
    try {
      worker = await spawnStoreWorker({ role: 'export', path: this.path, request });
    } catch (error) {
      finish('failed', `could not start the export: ${(error as Error).message}`);
      return;
    }
    this.exportWorkers.add(worker);
    worker.on('message', (m: FromExport) => {
      if (m.t === 'progress') Object.assign(job, { rows: m.rows, totalRows: m.totalRows, bytes: m.bytes });
      else if (m.t === 'done') {
        Object.assign(job, { rows: m.rows, bytes: m.bytes, totalRows: Math.max(job.totalRows, m.rows) });
        finish('done', null);
      } else finish('failed', m.error);
    });
    worker.on('error', (error) => finish('failed', error.message));
    worker.on('exit', () => {
      this.exportWorkers.delete(worker);
      finish('failed', 'the export stopped before it finished');
    });
  }

  private pruneJobs(): void {
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= MAX_KEPT_JOBS) break;
      if (job.state !== 'running') this.jobs.delete(id);
    }
  }

  /** Write a depth snapshot into the exports folder (atomically). */
  writeDepthSnapshot(snapshot: DepthSnapshot): { name: string; file: string; bytes: number } {
    const stamp = snapshot.takenAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const name = `${safeName(snapshot.venue)}_${safeName(snapshot.symbol)}_depth${snapshot.levels}_${stamp}_${randomBytes(3).toString('hex')}.json`;
    const file = join(this.exportsDir, name);
    const bytes = writeJsonAtomic(file, snapshot);
    this.logger.log('info', 'export-depth', { file, levels: snapshot.levels, state: snapshot.state });
    return { name, file, bytes };
  }

  /** The path of a finished export by its file name, or null (unknown name, still running, outside the folder). */
  exportFile(name: string): string | null {
    if (!EXPORT_NAME_RE.test(name)) return null;
    const file = join(this.exportsDir, name);
    if (!file.startsWith(this.exportsDir + sep)) return null;
    try {
      return existsSync(file) && statSync(file).isFile() ? file : null;
    } catch {
      return null;
    }
  }

  // ---- shutdown ----

  /** Commit what is queued and stop the writer (and any running export). */
  close(timeoutMs = 10_000): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.post();
    for (const w of this.exportWorkers) void w.terminate();
    this.closing = (async () => {
      await this.starting;
      const worker = this.worker;
      if (worker) {
        await new Promise<void>((resolveClose) => {
          const timer = setTimeout(() => {
            this.logger.log('error', 'store-close-timeout', { queuedRows: this.unsentRows + this.inFlightRows });
            resolveClose();
          }, timeoutMs);
          this.resolveClosed = () => {
            clearTimeout(timer);
            resolveClose();
          };
          worker.postMessage({ t: 'close' } satisfies ToWriter);
        });
      }
      this.resolveClosed = null;
      this.worker = null;
      await worker?.terminate();
      for (const w of this.waiters.splice(0)) w.resolve();
      for (const q of this.queries.values()) q.reject(new Error('the store is closed'));
      this.queries.clear();
    })();
    return this.closing;
  }
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^[.-]+/, '').slice(0, 40) || 'x';
}
