import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../src/main/log';
import { Store } from '../../../../src/main/store/client/store';
import { StoreWriter } from '../../../../src/main/store/worker/writer';
import { WriterLoop } from '../../../../src/main/store/worker/writer-loop';
import type { FromWriter } from '../../../../src/main/store/protocol';
import type { StoreStatus, TopOfBookRow } from '../../../../src/main/store/types';
import { repoRoot } from '../../../support/paths';

const dir = mkdtempSync(join(tmpdir(), 'obm-failures-'));
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function row(i: number, symbol = 'BTCUSDT'): TopOfBookRow {
  return { venue: 'demo', symbol, exchangeTs: i, localTs: 1_700_000_000_000 + i, bid: `${100 + i}.25`, bidSize: '1', ask: `${101 + i}.25`, askSize: '2' };
}

function capturingLogger(): Logger & { events: Array<{ level: string; event: string; fields: Record<string, unknown> }> } {
  const events: Array<{ level: string; event: string; fields: Record<string, unknown> }> = [];
  return { events, log: (level, event, fields = {}) => events.push({ level, event, fields }) };
}

async function until<T>(get: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function rows(path: string): number[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT exchange_ts AS i FROM top_of_book ORDER BY id').all() as Array<{ i: number }>).map((r) => r.i);
  } finally {
    db.close();
  }
}

describe('store failures', () => {
  it('creates a missing data folder', async () => {
    const path = join(dir, 'missing', 'deeper', 'store.db');
    const store = new Store({ path, exportsDir: join(dir, 'missing', 'exports'), logger: capturingLogger() });
    for (let i = 0; i < 100; i++) store.recordTopOfBook(row(i));
    await store.flush();
    expect((await store.fetchStatus()).state).toBe('ok');
    await store.close();
    expect(rows(path)).toHaveLength(100);
  });

  it('a folder that cannot be created: reports it, keeps the rows queued, and writes them all once it can', async () => {
    const parent = join(dir, 'blocked');
    writeFileSync(parent, 'a file where the folder should be');
    const path = join(parent, 'store.db');
    const logger = capturingLogger();
    const store = new Store({ path, exportsDir: join(dir, 'x'), logger });
    for (let i = 0; i < 500; i++) store.recordTopOfBook(row(i));
    const failed = await until(() => store.status(), (s) => s.state === 'failed');
    expect(failed.message).toMatch(/cannot be created|read-only|not permitted/);
    expect(failed.message).toContain(parent);
    expect(failed.queuedRows).toBe(500);
    expect(logger.events.some((e) => e.level === 'error' && e.event === 'store-error')).toBe(true);
    // The user fixes it: the writer notices on its next retry and commits everything it kept.
    rmSync(parent);
    mkdirSync(parent);
    await store.flush();
    const ok = await store.fetchStatus();
    expect(ok.state).toBe('ok');
    expect(ok.queuedRows).toBe(0);
    expect(logger.events.some((e) => e.event === 'store-resumed')).toBe(true);
    await store.close();
    expect(rows(path)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('a read-only folder: a clear message, and the database already there is left intact', (ctx) => {
    // Root ignores permissions, so as root the store runs as an unprivileged user (nobody) instead,
    // which needs to be able to read the checkout.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if ('uid' in asNobody) {
      const probe = spawnSync(process.execPath, ['-e', `require('node:fs').readFileSync(${JSON.stringify(join(repoRoot, 'package.json'))})`], { ...asNobody });
      if (probe.status !== 0) ctx.skip(`running as root and user nobody cannot read ${repoRoot}, so a read-only folder cannot be simulated`);
    }
    const folder = join(dir, 'readonly');
    mkdirSync(folder);
    const path = join(folder, 'store.db');
    // Committed data from an earlier run.
    const writer = new StoreWriter(path);
    writer.open();
    writer.write([{ tob: Array.from({ length: 50 }, (_, i) => Object.values(row(i))).flat(), alerts: [], feed: [], instruments: [] }], Date.now());
    writer.close();
    chmodSync(path, 0o644);
    chmodSync(folder, 0o555);
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/fakes/store-status-child.ts', path], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 30_000,
      ...asNobody,
    });
    chmodSync(folder, 0o755);
    expect(child.status, child.stderr).toBe(0);
    const status = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as StoreStatus;
    expect(status.state).toBe('failed');
    expect(status.message).toMatch(/cannot write .*store\.db: the folder .* is read-only, not permitted or missing/);
    expect(status.queuedRows).toBe(10);
    const db = new Database(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(rows(path)).toHaveLength(50);
  });

  it('a full disk: the batch is kept, the failure reported, and writing resumes with nothing lost', async () => {
    const posted: FromWriter[] = [];
    const loop = new WriterLoop({ path: join(dir, 'full.db'), retention: { days: null, maxBytes: null }, post: (m) => posted.push(m) });
    loop.start();
    const tob = (from: number, n: number) => Array.from({ length: n }, (_, i) => Object.values(row(from + i))).flat();
    loop.onMessage({ t: 'write', seq: 1, tob: tob(0, 100), alerts: [], feed: [], instruments: [] });
    await until(() => posted.some((m) => m.t === 'committed' && m.seq === 1), Boolean);
    // Simulate the disk filling up: SQLite may not grow the file any further on this connection.
    const pages = loop.writer.db!.pragma('page_count', { simple: true }) as number;
    loop.writer.db!.pragma(`max_page_count = ${pages}`);
    loop.onMessage({ t: 'write', seq: 2, tob: tob(100, 5000), alerts: [], feed: [], instruments: [] });
    const failure = await until(
      () => posted.find((m) => m.t === 'status' && m.status.state === 'failed'),
      Boolean,
    );
    expect(failure?.t === 'status' && failure.status.message).toMatch(/disk full: cannot write .*full\.db; recording is paused/);
    // Space is back (the next attempt reopens the file): the kept batch is committed.
    await until(() => posted.some((m) => m.t === 'committed' && m.seq === 2), Boolean);
    expect(loop.status().state).toBe('ok');
    loop.close();
    expect(rows(join(dir, 'full.db'))).toEqual(Array.from({ length: 5100 }, (_, i) => i));
  });

  it('a corrupt file is moved aside (kept, byte for byte) and a new database started, with a message', async () => {
    const folder = join(dir, 'corrupt');
    mkdirSync(folder);
    const path = join(folder, 'store.db');
    const garbage = Buffer.from('this is not a SQLite database '.repeat(200));
    writeFileSync(path, garbage);
    const logger = capturingLogger();
    const store = new Store({ path, exportsDir: join(folder, 'exports'), logger });
    for (let i = 0; i < 20; i++) store.recordTopOfBook(row(i));
    await store.flush();
    const status = await store.fetchStatus();
    await store.close();
    expect(status.state).toBe('degraded');
    expect(status.movedAside).toHaveLength(1);
    expect(status.message).toContain('moved aside');
    expect(status.message).toContain(status.movedAside[0]);
    expect(readFileSync(status.movedAside[0]!)).toEqual(garbage);
    expect(logger.events.some((e) => e.level === 'error' && e.event === 'store-moved-aside')).toBe(true);
    expect(rows(path)).toHaveLength(20);
  });

  it('damage inside the tables (not just the header) is found at open and handled the same way', async () => {
    const folder = join(dir, 'damaged');
    mkdirSync(folder);
    const path = join(folder, 'store.db');
    const writer = new StoreWriter(path);
    writer.open();
    for (let k = 0; k < 5; k++) {
      writer.write([{ tob: Array.from({ length: 2000 }, (_, i) => Object.values(row(k * 2000 + i))).flat(), alerts: [], feed: [], instruments: [] }], Date.now());
    }
    writer.db!.pragma('wal_checkpoint(TRUNCATE)');
    writer.close();
    // Overwrite pages in the middle of the file (the top-of-book table's b-tree) with noise.
    const bytes = readFileSync(path);
    for (let i = 40 * 4096; i < 60 * 4096; i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(path, bytes);
    const store = new Store({ path, exportsDir: join(folder, 'exports'), logger: capturingLogger() });
    store.recordTopOfBook(row(1));
    await store.flush();
    const status = await store.fetchStatus();
    await store.close();
    expect(status.movedAside).toHaveLength(1);
    expect(readFileSync(status.movedAside[0]!)).toEqual(bytes);
    expect(rows(path)).toEqual([1]);
    expect(readdirSync(folder).filter((f) => f.includes('.corrupt-')).length).toBeGreaterThanOrEqual(1);
  });

  it('a database locked by another program: the ingest thread never waits, and writing resumes when the lock goes', async () => {
    const path = join(dir, 'locked.db');
    const store = new Store({ path, exportsDir: join(dir, 'lx'), logger: capturingLogger() });
    store.recordTopOfBook(row(0));
    await store.flush();
    const other = new Database(path);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN EXCLUSIVE');
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    for (let i = 1; i <= 1000; i++) store.recordTopOfBook(row(i));
    const failed = await until(() => store.status(), (s) => s.state === 'failed');
    expect(failed.message).toMatch(/locked by another program/);
    delay.disable();
    // The writer waited on the lock in its own thread; this thread kept running.
    expect(delay.max / 1e6).toBeLessThan(200);
    other.exec('COMMIT');
    other.close();
    await store.flush();
    expect((await store.fetchStatus()).state).toBe('ok');
    await store.close();
    expect(rows(path)).toHaveLength(1001);
  });

  it('a writer thread that dies is restarted and given the batches it had not committed', async () => {
    const path = join(dir, 'restart.db');
    const logger = capturingLogger();
    const store = new Store({ path, exportsDir: join(dir, 'rx'), logger });
    for (let i = 0; i < 100; i++) store.recordTopOfBook(row(i));
    await store.flush();
    const worker = (store as unknown as { worker: Worker }).worker;
    for (let i = 100; i < 300; i++) store.recordTopOfBook(row(i));
    await worker.terminate();
    expect(store.status().state).toBe('failed');
    expect(store.status().message).toMatch(/writer stopped .* restarting/);
    await store.flush();
    for (let i = 300; i < 400; i++) store.recordTopOfBook(row(i));
    await store.flush();
    await store.close();
    expect(logger.events.some((e) => e.event === 'store-worker-stopped')).toBe(true);
    // Nothing lost, nothing twice: the rows not yet committed at the crash went to the new writer.
    expect(rows(path)).toEqual(Array.from({ length: 400 }, (_, i) => i));
  });
});
