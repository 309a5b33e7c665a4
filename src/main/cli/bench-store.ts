/**
 * Store benchmarks (`npm run bench -- --only store`; alone: `tsx src/main/cli/bench-store.ts`). JSON lines,
 * each with a baseline measured in the same run:
 *
 *   store-write   rows/s the writer worker sustains with the indexes in place, fed through Store from
 *                 this thread, vs a bare better-sqlite3 transaction loop on this thread (same schema,
 *                 indexes and pragmas). Target: ≥ 100,000 rows/s.
 *   store-stall   the ingest thread's longest event-loop stall while it records top of book at
 *                 50,000 rows/s and the writer commits and checkpoints (a forced TRUNCATE checkpoint
 *                 every 250 ms), in rounds alternating with the same loop recording nowhere (the
 *                 machine's own noise), and a writer on this thread for contrast. Target: the store
 *                 adds no stall over 5 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type Database from 'better-sqlite3';
import { nullLogger } from '../log';
import { openStoreDatabase } from '../store/worker/open-database';
import { Store } from '../store/client/store';
import type { TopOfBookRow } from '../store/types';
import { emit } from './bench-util';


const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT', 'ETHBTC', 'BNBUSDT', 'ADAUSDT'];
const PRICES = Array.from({ length: 512 }, (_, i) => (42_000 + i / 100).toFixed(2));
const SIZES = Array.from({ length: 97 }, (_, i) => (0.001 + i * 0.137).toFixed(5));

function row(i: number, now: number): TopOfBookRow {
  return {
    venue: 'binance-spot',
    symbol: SYMBOLS[i & 7]!,
    exchangeTs: Math.floor(now),
    localTs: now,
    bid: PRICES[i & 511]!,
    bidSize: SIZES[i % 97]!,
    ask: PRICES[(i + 1) & 511]!,
    askSize: SIZES[(i + 31) % 97]!,
  };
}

const round = (n: number, places = 2): number => Math.round(n * 10 ** places) / 10 ** places;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Rows/s of a bare better-sqlite3 insert loop on this thread, 10,000-row transactions, same schema. */
function bareInsert(path: string, rows: number): number {
  const { db } = openStoreDatabase(path);
  try {
    const ids = SYMBOLS.map((s, k) => {
      db.prepare('INSERT INTO instruments (venue, symbol, first_seen_ts) VALUES (?, ?, ?)').run('binance-spot', s, Date.now());
      return k + 1;
    });
    const insert = db.prepare('INSERT INTO top_of_book (instrument_id, local_ts, exchange_ts, bid, bid_size, ask, ask_size) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const tx = db.transaction((from: number, to: number, now: number) => {
      for (let i = from; i < to; i++) {
        const r = row(i, now + i / 1000);
        insert.run(ids[i & 7], r.localTs, r.exchangeTs, r.bid, r.bidSize, r.ask, r.askSize);
      }
    });
    const t0 = performance.now();
    for (let i = 0; i < rows; i += 10_000) tx(i, Math.min(rows, i + 10_000), Date.now());
    return rows / ((performance.now() - t0) / 1000);
  } finally {
    db.close();
  }
}

async function benchWrite(dir: string): Promise<void> {
  const rows = 1_000_000;
  const baseline = bareInsert(join(dir, 'bare.db'), rows);
  const store = new Store({ path: join(dir, 'write.db'), exportsDir: join(dir, 'exports'), logger: nullLogger, maxQueuedRows: rows + 1, retentionDelayMs: 2 ** 31 - 1 });
  await store.fetchStatus(); // the worker is up and the database open
  const t0 = performance.now();
  let i = 0;
  // Feed in slices so this thread still takes the writer's acknowledgements.
  await new Promise<void>((resolve) => {
    const feed = (): void => {
      const now = Date.now();
      const end = Math.min(rows, i + 20_000);
      for (; i < end; i++) store.recordTopOfBook(row(i, now + i / 1000));
      if (i < rows) setImmediate(feed);
      else resolve();
    };
    feed();
  });
  await store.flush();
  const seconds = (performance.now() - t0) / 1000;
  const status = await store.fetchStatus();
  await store.close();
  const rowsPerSec = rows / seconds;
  emit({
    bench: 'store-write',
    rows,
    committed: status.rows.topOfBook,
    droppedRows: status.droppedRows,
    rowsPerSec: Math.round(rowsPerSec),
    indexes: 'top_of_book(instrument_id, local_ts) + rowid',
    durability: 'WAL, synchronous=FULL, ≤ 10,000 rows per transaction',
    baseline: 'bare better-sqlite3 transaction loop on the main thread, same schema and pragmas',
    baselineRowsPerSec: Math.round(baseline),
    ratioToBaseline: round(rowsPerSec / baseline),
    target: '>= 100000 rows/s',
    ok: rowsPerSec >= 100_000 && status.rows.topOfBook === rows,
  });
}

interface Sink {
  recordTopOfBook(row: TopOfBookRow): void;
}

interface IngestResult {
  /** Longest event-loop delay of the ingest thread (includes the OS descheduling it). */
  maxMs: number;
  p99Ms: number;
  /** Longest synchronous work of one ingest tick (building rows and handing them to the sink). */
  maxTickWorkMs: number;
  rows: number;
}

/** Record at `rate` rows/s from a 1 ms timer for `ms`, measuring this thread's event-loop delay. */
async function ingest(sink: Sink, rate: number, ms: number, during?: () => void): Promise<IngestResult> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const started = performance.now();
  let sent = 0;
  let maxTickWork = 0;
  const tick = setInterval(() => {
    const t0 = performance.now();
    const owed = Math.floor(((t0 - started) / 1000) * rate) - sent;
    const now = Date.now();
    for (let k = 0; k < owed; k++) sink.recordTopOfBook(row(sent + k, now));
    sent += owed;
    maxTickWork = Math.max(maxTickWork, performance.now() - t0);
  }, 1);
  const side = during ? setInterval(during, 250) : null;
  histogram.enable();
  await sleep(ms);
  histogram.disable();
  clearInterval(tick);
  if (side) clearInterval(side);
  return { maxMs: round(histogram.max / 1e6), p99Ms: round(histogram.percentile(99) / 1e6), maxTickWorkMs: round(maxTickWork), rows: sent };
}

/** A writer on this thread (what the worker avoids): commit every 100 ms, checkpoint like the store run. */
class MainThreadWriter implements Sink {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private pending: TopOfBookRow[] = [];
  private readonly timer: ReturnType<typeof setInterval>;
  constructor(path: string) {
    this.db = openStoreDatabase(path).db;
    this.db.prepare('INSERT INTO instruments (venue, symbol, first_seen_ts) VALUES (?, ?, ?)').run('binance-spot', 'ANY', Date.now());
    this.insert = this.db.prepare('INSERT INTO top_of_book (instrument_id, local_ts, exchange_ts, bid, bid_size, ask, ask_size) VALUES (1, ?, ?, ?, ?, ?, ?)');
    this.timer = setInterval(() => this.commit(), 100);
  }
  recordTopOfBook(r: TopOfBookRow): void {
    this.pending.push(r);
  }
  private commit(): void {
    const rows = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const r of rows) this.insert.run(r.localTs, r.exchangeTs, r.bid, r.bidSize, r.ask, r.askSize);
    })();
  }
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
  close(): void {
    clearInterval(this.timer);
    this.db.close();
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function benchStall(dir: string): Promise<void> {
  const rate = 50_000;
  const ms = 2000;
  const rounds = 4;
  const store = new Store({ path: join(dir, 'stall.db'), exportsDir: join(dir, 'exports'), logger: nullLogger, retentionDelayMs: 2 ** 31 - 1 });
  await store.fetchStatus();
  // Alternate rounds so both see the same machine (it is shared and noisy).
  const nowhere: IngestResult[] = [];
  const withStore: IngestResult[] = [];
  let recorded = 0;
  let checkpoints = 0;
  for (let r = 0; r < rounds; r++) {
    nowhere.push(await ingest({ recordTopOfBook() {} }, rate, ms));
    const result = await ingest(store, rate, ms, () => {
      void store.checkpoint().then(() => checkpoints++);
    });
    recorded += result.rows;
    withStore.push(result);
  }
  await store.flush();
  const status = await store.fetchStatus();
  await store.close();

  const mainWriter = new MainThreadWriter(join(dir, 'main-thread.db'));
  const onMainThread = await ingest(mainWriter, rate, ms, () => mainWriter.checkpoint());
  mainWriter.close();

  const maxOf = (xs: IngestResult[], key: 'maxMs' | 'p99Ms' | 'maxTickWorkMs'): number => Math.max(...xs.map((x) => x[key]));
  const medianOf = (xs: IngestResult[], key: 'maxMs' | 'maxTickWorkMs'): number => median(xs.map((x) => x[key]));
  // What the store itself costs the ingest thread: the longest tick's synchronous work beyond the same
  // tick recording nowhere. The event-loop figures also hold the OS descheduling the thread on this
  // shared machine, which happens with or without the store (see the baseline rounds).
  const addedWork = round(Math.max(0, medianOf(withStore, 'maxTickWorkMs') - medianOf(nowhere, 'maxTickWorkMs')));
  const addedLoop = round(Math.max(0, medianOf(withStore, 'maxMs') - medianOf(nowhere, 'maxMs')));
  emit({
    bench: 'store-stall',
    rowsPerSec: rate,
    seconds: (rounds * ms) / 1000,
    rowsRecorded: recorded,
    committed: status.rows.topOfBook,
    forcedCheckpoints: checkpoints,
    checkpoint: 'wal_checkpoint(TRUNCATE) in the writer every 250 ms, plus SQLite auto-checkpoints',
    maxTickWorkMs: maxOf(withStore, 'maxTickWorkMs'),
    roundMaxTickWorkMs: withStore.map((x) => x.maxTickWorkMs),
    maxStallMs: maxOf(withStore, 'maxMs'),
    roundMaxStallMs: withStore.map((x) => x.maxMs),
    p99StallMs: maxOf(withStore, 'p99Ms'),
    baseline: 'the same ingest loop recording nowhere, in alternating rounds (this machine’s own noise)',
    baselineMaxTickWorkMs: maxOf(nowhere, 'maxTickWorkMs'),
    baselineRoundMaxTickWorkMs: nowhere.map((x) => x.maxTickWorkMs),
    baselineMaxStallMs: maxOf(nowhere, 'maxMs'),
    baselineRoundMaxStallMs: nowhere.map((x) => x.maxMs),
    baselineP99StallMs: maxOf(nowhere, 'p99Ms'),
    storeAddedTickWorkMs: addedWork,
    storeAddedStallMs: addedLoop,
    storeAddedNote: 'median over rounds of each round’s maximum, with the store minus without it',
    contrast: 'a writer on the ingest thread (commit every 100 ms, same checkpoints)',
    contrastMaxStallMs: onMainThread.maxMs,
    contrastP99StallMs: onMainThread.p99Ms,
    contrastMaxTickWorkMs: onMainThread.maxTickWorkMs,
    target: 'the store adds <= 5 ms to the ingest thread',
    ok: addedWork <= 5 && addedLoop <= 5 && status.rows.topOfBook === recorded,
  });
}

/** Called by `npm run bench` (bench.ts, section `store`). */
export async function runStoreBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'obm-bench-store-'));
  try {
    await benchWrite(dir);
    await benchStall(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runStoreBench().catch((error: Error) => {
    process.stderr.write(`bench-store failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
