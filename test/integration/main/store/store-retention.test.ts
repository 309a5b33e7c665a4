import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../../src/main/log';
import { RetentionRun, usedBytes } from '../../../../src/main/store/worker/retention';
import { Store } from '../../../../src/main/store/client/store';
import type { AlertToWrite } from '../../../../src/main/store/types';
import { StoreWriter, type WriteBatch } from '../../../../src/main/store/worker/writer';

const dir = mkdtempSync(join(tmpdir(), 'obm-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2024, 5, 10, 12);

function tobRows(venue: string, symbol: string, times: number[]): Array<string | number | null> {
  return times.flatMap((t, i) => [venue, symbol, Math.floor(t), t, `${100 + (i % 10)}.5`, '1', `${101 + (i % 10)}.5`, '2']);
}

function alert(id: string, phase: AlertToWrite['phase'], ts: number): AlertToWrite {
  return { id, venue: 'demo', symbol: 'BTCUSDT', kind: 'wall', severity: 'warning', phase, ts, message: `${id} ${phase}`, evidence: JSON.stringify({ size: '12.5' }) };
}

function run(r: RetentionRun): number {
  let steps = 0;
  while (r.step()) steps++;
  return steps;
}

describe('retention', () => {
  it('deletes by age exactly what is older than the setting, in small steps, keeping active alerts', () => {
    const writer = new StoreWriter(join(dir, 'age.db'));
    writer.open();
    const hours = Array.from({ length: 240 }, (_, k) => NOW - k * HOUR); // 10 days, hourly
    const batch: WriteBatch = {
      tob: [...tobRows('demo', 'BTCUSDT', hours), ...tobRows('binance-spot', 'ETHUSDT', hours)],
      feed: hours.map((ts) => ({ venue: 'demo', symbol: 'BTCUSDT', ts, kind: 'gap' as const, from: 'synced' as const, to: 'resyncing' as const, reason: 'test' })),
      alerts: [
        alert('old-cleared', 'raised', NOW - 8 * DAY),
        alert('old-cleared', 'cleared', NOW - 7.5 * DAY),
        alert('old-active', 'raised', NOW - 8 * DAY),
        alert('new-cleared', 'raised', NOW - 2 * DAY),
        alert('new-cleared', 'cleared', NOW - 1 * DAY),
      ],
      instruments: [],
    };
    writer.write([batch], NOW);
    const db = writer.db!;
    const cutoff = NOW - 3 * DAY;
    const keptPerSymbol = hours.filter((t) => t >= cutoff).length;
    expect(keptPerSymbol).toBe(73);

    const r = new RetentionRun(db, { days: 3, maxBytes: null }, NOW, 50);
    const steps = run(r);
    expect(steps).toBeGreaterThan(8); // 2 × 167 old rows in chunks of 50, then the other tables
    expect(r.deleted.topOfBook).toBe(2 * (240 - keptPerSymbol));
    expect(r.deleted.feedEvents).toBe(240 - keptPerSymbol);
    const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
    expect(count('SELECT count(*) AS n FROM top_of_book')).toBe(2 * keptPerSymbol);
    expect(count(`SELECT count(*) AS n FROM top_of_book WHERE local_ts < ${cutoff}`)).toBe(0);
    expect(count('SELECT count(*) AS n FROM feed_events')).toBe(keptPerSymbol);
    const alerts = (db.prepare('SELECT alert_id AS id FROM alerts ORDER BY alert_id').all() as Array<{ id: string }>).map((a) => a.id);
    // An alert still raised is kept however old; a cleared one goes with its age.
    expect(alerts).toEqual(['new-cleared', 'old-active']);
    expect(count('SELECT count(*) AS n FROM alert_events')).toBe(2);
    writer.close();
  });

  it('keeps the database under a size cap by deleting the oldest rows first and hands the space back', () => {
    const writer = new StoreWriter(join(dir, 'size.db'));
    writer.open();
    const times = Array.from({ length: 100_000 }, (_, i) => NOW - 100_000 + i);
    for (let i = 0; i < times.length; i += 10_000) writer.write([{ tob: tobRows('demo', 'BTCUSDT', times.slice(i, i + 10_000)), alerts: [], feed: [], instruments: [] }], NOW);
    const db = writer.db!;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const used = usedBytes(db);
    const pagesBefore = db.pragma('page_count', { simple: true }) as number;
    const ids = () => db.prepare('SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM top_of_book').get() as { lo: number; hi: number; n: number };
    const before = ids();
    const cap = Math.floor(used / 2);
    const r = new RetentionRun(db, { days: null, maxBytes: cap }, NOW, 2000);
    run(r);
    const after = ids();
    expect(usedBytes(db)).toBeLessThanOrEqual(cap);
    expect(after.n).toBeLessThan(before.n * 0.6);
    expect(after.n).toBeGreaterThan(before.n * 0.3);
    // Oldest first: the newest row is still there and the survivors are a contiguous newest range.
    expect(after.hi).toBe(before.hi);
    expect(after.hi - after.lo + 1).toBe(after.n);
    // Incremental vacuum returned the freed pages to the file system.
    expect(db.pragma('page_count', { simple: true }) as number).toBeLessThan(pagesBefore * 0.7);
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    writer.close();
  });

  it('in the app: the setting is saved, retention runs in the writer between commits, and status follows', async () => {
    const path = join(dir, 'app.db');
    // 120,000 rows from 40 days ago, written before the app starts.
    const writer = new StoreWriter(path);
    writer.open();
    const old = Array.from({ length: 120_000 }, (_, i) => Date.now() - 40 * DAY + i);
    for (let i = 0; i < old.length; i += 10_000) writer.write([{ tob: tobRows('demo', 'OLDUSDT', old.slice(i, i + 10_000)), alerts: [], feed: [], instruments: [] }], Date.now());
    writer.close();

    const open = () => new Store({ path, exportsDir: join(dir, 'exports'), logger: nullLogger, retention: { days: null, maxBytes: null }, retentionDelayMs: 2 ** 31 - 1 });
    let store = open();
    expect(await store.setRetention({ days: 30, maxBytes: 512 * 1024 * 1024 })).toEqual({ days: 30, maxBytes: 512 * 1024 * 1024 });
    await store.close();

    store = open();
    try {
      const status = await store.fetchStatus();
      expect(status.retention.days).toBe(30); // saved in the database, not the constructor default
      expect(status.rows.topOfBook).toBe(120_000);
      let flushedAt = 0;
      const retention = store.runRetention().then((r) => ({ ...r, at: performance.now() }));
      // Writes keep committing while retention deletes: this batch lands before retention finishes.
      for (let i = 0; i < 500; i++) {
        store.recordTopOfBook({ venue: 'demo', symbol: 'NEWUSDT', exchangeTs: null, localTs: Date.now(), bid: '1.0', bidSize: '1', ask: '1.1', askSize: '1' });
      }
      await store.flush().then(() => (flushedAt = performance.now()));
      const done = await retention;
      expect(done.deletedRows).toBe(120_000);
      expect(flushedAt).toBeLessThan(done.at);
      const after = await store.fetchStatus();
      expect(after.rows.topOfBook).toBe(500);
      expect(after.retention.deletedRows).toBe(120_000);
      expect(after.retention.lastRunTs).not.toBeNull();
    } finally {
      await store.close();
    }
  });
});
