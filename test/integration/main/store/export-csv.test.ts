import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../../src/main/log';
import { ExportError } from '../../../../src/main/store/errors';
import { CSV_HEADER, exportTopOfBookCsv } from '../../../../src/main/store/worker/csv-export';
import { openStoreReadOnly } from '../../../../src/main/store/worker/open-database';
import { replayIntoStore } from '../../../../src/main/store/client/replay-into-store';
import { Store } from '../../../../src/main/store/client/store';
import { StoreWriter } from '../../../../src/main/store/worker/writer';
import { midpointDecimal, subtractDecimal } from '../../../../src/shared/decimal';
import { parseCsv } from '../../../support/csv';
import { capture, repoRoot } from '../../../support/paths';

const dir = mkdtempSync(join(tmpdir(), 'obm-export-'));
const db = join(dir, 'replayed.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await replayIntoStore(capture('binance-spot_2021-10-12.capture.jsonl'), db);
  await replayIntoStore(capture('binance-usdm_2021-07-22.capture.jsonl'), db);
});

interface DbRow {
  local_ts: number;
  bid: string | null;
  ask: string | null;
  bid_size: string | null;
  ask_size: string | null;
}

function dbRows(venue: string, symbol: string, from = -Infinity, to = Infinity): DbRow[] {
  const conn = new Database(db, { readonly: true });
  try {
    return (
      conn
        .prepare(
          `SELECT t.local_ts, t.bid, t.ask, t.bid_size, t.ask_size FROM top_of_book t JOIN instruments i ON i.id = t.instrument_id
           WHERE i.venue = ? AND i.symbol = ? ORDER BY t.local_ts, t.id`,
        )
        .all(venue, symbol) as DbRow[]
    ).filter((r) => r.local_ts >= from && r.local_ts < to);
  } finally {
    conn.close();
  }
}

function books(): Array<{ venue: string; symbol: string }> {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare('SELECT venue, symbol FROM instruments ORDER BY id').all() as Array<{ venue: string; symbol: string }>;
  } finally {
    conn.close();
  }
}

/** Exact value of a decimal text as an integer at 10^-scale. */
function scaled(text: string, scale: number): bigint {
  const [int, frac = ''] = text.split('.');
  return BigInt(int! + frac.padEnd(scale, '0'));
}

function decimals(text: string): number {
  return text.includes('.') ? text.split('.')[1]!.length : 0;
}

function checkAgainstDb(csv: string, venue: string, symbol: string, rows: DbRow[]): void {
  const parsed = parseCsv(csv);
  expect(parsed[0]!.join(',')).toBe(CSV_HEADER);
  const body = parsed.slice(1);
  expect(body).toHaveLength(rows.length);
  body.forEach((line, i) => {
    const r = rows[i]!;
    const [tsIso, provider, sym, bid, ask, spread, mid, bidSize, askSize] = line;
    expect(line).toHaveLength(9);
    expect(tsIso).toBe(new Date(r.local_ts).toISOString());
    expect(provider).toBe(venue);
    expect(sym).toBe(symbol);
    expect([bid, ask, bidSize, askSize]).toEqual([r.bid ?? '', r.ask ?? '', r.bid_size ?? '', r.ask_size ?? '']);
    if (r.bid === null || r.ask === null) {
      expect([spread, mid]).toEqual(['', '']);
      return;
    }
    // Exact arithmetic, checked in integers: spread = ask − bid, 2·mid = bid + ask.
    const scale = Math.max(decimals(r.bid), decimals(r.ask), decimals(spread!), decimals(mid!));
    expect(scaled(spread!, scale)).toBe(scaled(r.ask, scale) - scaled(r.bid, scale));
    expect(2n * scaled(mid!, scale)).toBe(scaled(r.bid, scale) + scaled(r.ask, scale));
    // No float noise: at most one digit more than the prices carry.
    expect(decimals(mid!)).toBeLessThanOrEqual(Math.max(decimals(r.bid), decimals(r.ask)) + 1);
  });
}

describe('exact decimal helpers', () => {
  it('subtract and halve without float noise', () => {
    expect(subtractDecimal('0.3', '0.1')).toBe('0.2');
    expect(subtractDecimal('0.35310000', '0.35270000')).toBe('0.00040000');
    expect(subtractDecimal('100', '99.99')).toBe('0.01');
    expect(subtractDecimal('1', '1.5')).toBe('-0.5');
    expect(subtractDecimal('1.5e-7', '5e-8')).toBe('0.00000010');
    expect(midpointDecimal('0.1', '0.2')).toBe('0.15');
    expect(midpointDecimal('100.00', '101.00')).toBe('100.50');
    expect(midpointDecimal('0.35270000', '0.35310000')).toBe('0.35290000');
    expect(midpointDecimal('43999.99', '44000.00')).toBe('43999.995');
    // Beyond float precision: still exact.
    expect(midpointDecimal('9007199254740993.1', '9007199254740993.2')).toBe('9007199254740993.15');
  });
});

describe('CSV export', () => {
  it('round-trips every replayed book: parse the CSV and compare with the database row by row', () => {
    const conn = openStoreReadOnly(db);
    try {
      const list = books();
      expect(list.length).toBe(8);
      let total = 0;
      for (const { venue, symbol } of list) {
        const out = join(dir, `${venue}-${symbol}.csv`);
        const result = exportTopOfBookCsv(conn, { venue, symbol, from: null, to: null, out });
        const rows = dbRows(venue, symbol);
        expect(result.rows).toBe(rows.length);
        expect(result.bytes).toBe(statSync(out).size);
        checkAgainstDb(readFileSync(out, 'utf8'), venue, symbol, rows);
        total += rows.length;
      }
      expect(total).toBeGreaterThan(100);
    } finally {
      conn.close();
    }
  });

  it('npm run export -- --from --to exports only that window, identical to the in-process export', () => {
    const [first] = books();
    const all = dbRows(first!.venue, first!.symbol);
    const from = all[Math.floor(all.length / 4)]!.local_ts;
    const to = all[Math.floor((3 * all.length) / 4)]!.local_ts;
    const out = join(dir, 'window.csv');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli/export.ts', '--db', db, '--venue', first!.venue, '--symbol', first!.symbol, '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString(), '--out', out],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    // ISO times have millisecond precision: the window is [floor(from), floor(to)).
    const expected = dbRows(first!.venue, first!.symbol, Math.floor(from), Math.floor(to));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { rows: number; file: string };
    expect(summary.rows).toBe(expected.length);
    checkAgainstDb(readFileSync(out, 'utf8'), first!.venue, first!.symbol, expected);
  });

  it('the CLI says what is recorded when the symbol is not, and rejects a bad date', () => {
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/export.ts', ...args], { cwd: repoRoot, encoding: 'utf8' });
    const missing = run(['--db', db, '--venue', 'binance-spot', '--symbol', 'NOPEUSDT', '--out', join(dir, 'x.csv')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nothing is recorded for binance-spot:NOPEUSDT; recorded: .*binance-spot:NKNUSDT/);
    const badDate = run(['--db', db, '--venue', 'binance-spot', '--symbol', 'NKNUSDT', '--from', 'yesterday', '--out', join(dir, 'x.csv')]);
    expect(badDate.status).toBe(2);
    expect(badDate.stderr).toMatch(/--from must be an ISO date/);
    const noDb = run(['--db', join(dir, 'absent.db'), '--venue', 'binance-spot', '--symbol', 'NKNUSDT', '--out', join(dir, 'x.csv')]);
    expect(noDb.status).toBe(1);
    expect(noDb.stderr).toMatch(/no database at/);
  });

  it('the CLI takes only real calendar dates with a zone, and says why it refuses one', () => {
    const run = (from: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/export.ts', '--db', db, '--venue', 'binance-spot', '--symbol', 'NKNUSDT', '--from', from, '--out', join(dir, 'dates.csv')], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
    // Date.parse would take 2021-02-30 as 2 March.
    const feb30 = run('2021-02-30');
    expect(feb30.status).toBe(2);
    expect(feb30.stderr).toContain('--from must be an ISO date/time: "2021-02-30" is not a day of the calendar (2021-02 has 28 days)');
    const local = run('2021-10-12T00:28:40');
    expect(local.status).toBe(2);
    expect(local.stderr).toContain('"2021-10-12T00:28:40" has no time zone');
  });

  it('the CLI never replaces what is at --out unless it is a regular file and --force is given, and never creates folders', () => {
    const run = (out: string, ...extra: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/export.ts', '--db', db, '--venue', 'binance-spot', '--symbol', 'NKNUSDT', '--out', out, ...extra], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
    const device = run('/dev/null', '--force');
    expect(device.status).toBe(2);
    expect(device.stderr).toContain('--out /dev/null is a character device, not a regular file; refusing to replace it');

    const folder = run(dir, '--force');
    expect(folder.status).toBe(2);
    expect(folder.stderr).toContain(`--out ${dir} is a folder, not a regular file`);

    const missingFolder = join(dir, 'no-such-folder', 'out.csv');
    const missing = run(missingFolder);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`folder ${join(dir, 'no-such-folder')} does not exist; create it first`);
    expect(() => statSync(join(dir, 'no-such-folder'))).toThrow();

    const kept = join(dir, 'kept.csv');
    writeFileSync(kept, 'my notes\n');
    const refused = run(kept);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`--out ${kept} already exists; pass --force to replace it`);
    expect(readFileSync(kept, 'utf8')).toBe('my notes\n');

    const forced = run(kept, '--force');
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(kept, 'utf8').split('\n')[0]).toBe(CSV_HEADER);
  });

  it('from the app: runs in a worker with progress and writes the same file as the CLI path', async () => {
    const store = new Store({ path: db, exportsDir: join(dir, 'exports'), logger: nullLogger, retentionDelayMs: 2 ** 31 - 1 });
    try {
      const { venue, symbol } = books()[0]!;
      const job = store.startCsvExport({ venue, symbol, from: null, to: null });
      expect(job.state).toBe('running');
      let current = store.exportJob(job.id)!;
      while (current.state === 'running') {
        await new Promise((r) => setTimeout(r, 20));
        current = store.exportJob(job.id)!;
      }
      expect(current.error).toBeNull();
      expect(current.state).toBe('done');
      const rows = dbRows(venue, symbol);
      expect(current.rows).toBe(rows.length);
      expect(current.totalRows).toBe(rows.length);
      expect(store.exportFile(current.name)).toBe(current.file);
      checkAgainstDb(readFileSync(current.file, 'utf8'), venue, symbol, rows);

      const failed = store.startCsvExport({ venue: 'binance-spot', symbol: 'NOPEUSDT', from: null, to: null });
      let f = store.exportJob(failed.id)!;
      while (f.state === 'running') {
        await new Promise((r) => setTimeout(r, 20));
        f = store.exportJob(failed.id)!;
      }
      expect(f.state).toBe('failed');
      expect(f.error).toMatch(/nothing is recorded for binance-spot:NOPEUSDT/);
      expect(store.exportFile(f.name)).toBeNull();
      // Names outside the exports folder are never served.
      expect(store.exportFile('../replayed.db')).toBeNull();
      expect(store.exportFile('replayed.db')).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('streams a large export without holding it in memory', () => {
    const bigDb = join(dir, 'big.db');
    const writer = new StoreWriter(bigDb);
    writer.open();
    const rowsTotal = 600_000;
    const start = Date.UTC(2024, 0, 2);
    for (let done = 0; done < rowsTotal; done += 10_000) {
      const tob: Array<string | number | null> = [];
      for (let i = done; i < done + 10_000; i++) {
        const p = 4_200_000 + (i % 997);
        tob.push('binance-spot', 'BTCUSDT', start + i * 200, start + i * 200 + 0.5, (p / 100).toFixed(2), '0.51234', ((p + 1) / 100).toFixed(2), '1.00071');
      }
      writer.write([{ tob, alerts: [], feed: [], instruments: [] }], Date.now());
    }
    writer.close();
    const conn = openStoreReadOnly(bigDb);
    try {
      const out = join(dir, 'big.csv');
      const before = process.memoryUsage().heapUsed;
      let peak = before;
      const result = exportTopOfBookCsv(conn, { venue: 'binance-spot', symbol: 'BTCUSDT', from: null, to: null, out }, () => {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }, 10_000);
      expect(result.rows).toBe(rowsTotal);
      // The file is ~57 MB; holding it (or its rows) in memory would grow the heap by more than that.
      // Streaming, the heap grows only by short-lived garbage between collections.
      expect(result.bytes).toBeGreaterThan(55_000_000);
      expect(peak - before).toBeLessThan(40 * 1024 * 1024);
    } finally {
      conn.close();
    }
    // Writes and exports 300,000 rows: ~10 s on an idle machine, over 30 s on a loaded one.
  }, 90_000);

  it('refuses an empty range and says so', () => {
    const conn = openStoreReadOnly(db);
    try {
      expect(() => exportTopOfBookCsv(conn, { venue: 'binance-spot', symbol: 'NKNUSDT', from: 10, to: 10, out: join(dir, 'e.csv') })).toThrow(ExportError);
    } finally {
      conn.close();
    }
  });
});
