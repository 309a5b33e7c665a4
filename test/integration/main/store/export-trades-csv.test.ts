/**
 * Trades into the store (through the writer worker, as the app records them) and out as CSV
 * (`npm run export -- --trades`, and the app's export worker), compared field by field with what
 * went in: the venue's exact price and size text, ids beyond 2^53 as text, every side, and the
 * exchange time in UTC with milliseconds (the local time where the venue sent none).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../../src/main/log';
import { Store } from '../../../../src/main/store/client/store';
import { TRADES_CSV_HEADER } from '../../../../src/main/store/worker/csv-export';
import type { Trade } from '../../../../src/shared/market';
import { repoRoot } from '../../../support/paths';
import { parseCsv } from '../../../support/csv';

const dir = mkdtempSync(join(tmpdir(), 'obm-trades-csv-'));
const db = join(dir, 'trades.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (iso: string): number => Date.parse(iso);

/** Hand-picked awkward prints, in the order they arrived, with the CSV line each must become. */
const AWKWARD: Array<{ trade: Trade; line: string }> = [
  {
    trade: { venue: 'binance-spot', symbol: 'BTCUSDT', id: '18446744073709551615', price: '0.00000100', size: '123456.78900000', side: 'buy', exchangeTs: at('2024-08-08T12:00:00.123Z'), localTs: at('2024-08-08T12:00:00.150Z') },
    line: '2024-08-08T12:00:00.123Z,binance-spot,BTCUSDT,18446744073709551615,buy,0.00000100,123456.78900000',
  },
  {
    // µs on the venue's clock: the CSV shows milliseconds, not rounded up.
    trade: { venue: 'binance-spot', symbol: 'BTCUSDT', id: '9007199254740993', price: '61234.5', size: '0.00000001', side: 'sell', exchangeTs: at('2024-08-08T12:00:00.999Z') + 0.999, localTs: at('2024-08-08T12:00:01.020Z') },
    line: '2024-08-08T12:00:00.999Z,binance-spot,BTCUSDT,9007199254740993,sell,61234.5,0.00000001',
  },
  {
    trade: { venue: 'binance-spot', symbol: 'BTCUSDT', id: null, price: '61234.50', size: '10', side: 'unknown', exchangeTs: at('2024-08-08T12:00:01.000Z'), localTs: at('2024-08-08T12:00:01.030Z'), fills: 3 },
    line: '2024-08-08T12:00:01.000Z,binance-spot,BTCUSDT,,unknown,61234.50,10',
  },
  {
    // No exchange time from the venue: the local receive time stands in.
    trade: { venue: 'binance-spot', symbol: 'BTCUSDT', id: 'f3c1d2a4-5b6e-4f70-8a91-b2c3d4e5f607', price: '0.1', size: '0.3', side: 'buy', exchangeTs: 0, localTs: at('2024-08-08T12:00:01.040Z') + 0.75 },
    line: '2024-08-08T12:00:01.040Z,binance-spot,BTCUSDT,f3c1d2a4-5b6e-4f70-8a91-b2c3d4e5f607,buy,0.1,0.3',
  },
  {
    // An id with CSV's special characters is quoted (RFC 4180).
    trade: { venue: 'binance-spot', symbol: 'BTCUSDT', id: 'a,"b"', price: '1.000000000000000001', size: '2', side: 'sell', exchangeTs: at('2024-08-08T12:00:02.000Z'), localTs: at('2024-08-08T12:00:02.001Z') },
    line: '2024-08-08T12:00:02.000Z,binance-spot,BTCUSDT,"a,""b""",sell,1.000000000000000001,2',
  },
];

/** Many ordinary prints after the awkward ones, to check order and streaming over several chunks. */
const BULK = 20_000;
const BULK_START = at('2024-08-08T13:00:00.000Z');
function bulkTrade(i: number): Trade {
  return {
    venue: 'binance-spot',
    symbol: 'BTCUSDT',
    id: String(10_000_000_000 + i),
    price: `${61000 + (i % 100)}.${String(i % 100).padStart(2, '0')}`,
    size: `0.${String(i % 1000).padStart(5, '0')}`,
    side: i % 2 ? 'buy' : 'sell',
    exchangeTs: BULK_START + i * 10,
    localTs: BULK_START + i * 10 + 3,
  };
}

function exportCli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/export.ts', ...args], { cwd: repoRoot, encoding: 'utf8' });
}

beforeAll(async () => {
  const store = new Store({ path: db, exportsDir: join(dir, 'exports'), logger: nullLogger, retention: { days: null, maxBytes: null } });
  for (const { trade } of AWKWARD) store.recordTrade(trade);
  // Another symbol's print in between: never in BTCUSDT's export.
  store.recordTrade({ venue: 'binance-spot', symbol: 'ETHUSDT', id: '1', price: '2500', size: '1', side: 'buy', exchangeTs: at('2024-08-08T12:00:01.500Z'), localTs: at('2024-08-08T12:00:01.500Z') });
  for (let i = 0; i < BULK; i++) store.recordTrade(bulkTrade(i));
  await store.flush();
  await store.close();
});

describe('trades CSV', () => {
  it('npm run export -- --trades writes every print exactly as it went in, in arrival order', () => {
    const out = join(dir, 'all.csv');
    const run = exportCli('--trades', '--db', db, '--venue', 'binance-spot', '--symbol', 'BTCUSDT', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { rows: number; table: string };
    expect(summary).toMatchObject({ rows: AWKWARD.length + BULK, table: 'trades' });
    const text = readFileSync(out, 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('ts_iso,provider,symbol,trade_id,side,price,size');
    expect(lines[0]).toBe(TRADES_CSV_HEADER);
    expect(lines.slice(1, 1 + AWKWARD.length)).toEqual(AWKWARD.map((a) => a.line));
    expect(lines.at(-1)).toBe('');

    // Parsed back (quotes undone), every field equals what was recorded.
    const parsed = parseCsv(text).slice(1);
    expect(parsed).toHaveLength(AWKWARD.length + BULK);
    expect(parsed[4]![3]).toBe('a,"b"');
    for (let i = 0; i < BULK; i++) {
      const t = bulkTrade(i);
      const [tsIso, provider, symbol, id, side, price, size] = parsed[AWKWARD.length + i]!;
      expect(tsIso).toBe(new Date(BULK_START + i * 10).toISOString());
      expect([provider, symbol, id, side, price, size]).toEqual([t.venue, t.symbol, t.id, t.side, t.price, t.size]);
    }
  });

  it('--from/--to select by local receive time, like the top-of-book export', () => {
    const out = join(dir, 'window.csv');
    // The second awkward print arrived at 12:00:01.020, the fourth at 12:00:01.040750.
    const run = exportCli('--trades', '--db', db, '--venue', 'binance-spot', '--symbol', 'BTCUSDT', '--from', '2024-08-08T12:00:01.020Z', '--to', '2024-08-08T12:00:01.041Z', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe([TRADES_CSV_HEADER, ...AWKWARD.slice(1, 4).map((a) => a.line), ''].join('\n'));
  });

  it('the CLI says which symbols have trades when this one has none, and takes one kind of export at a time', () => {
    const missing = exportCli('--trades', '--db', db, '--venue', 'binance-spot', '--symbol', 'NOPEUSDT', '--out', join(dir, 'x.csv'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('nothing is recorded for binance-spot:NOPEUSDT; recorded: binance-spot:BTCUSDT, binance-spot:ETHUSDT');
    const both = exportCli('--trades', '--depth', '--capture', db, '--venue', 'binance-spot', '--symbol', 'BTCUSDT', '--out', join(dir, 'x.json'));
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('--depth and --trades are two different exports; give one');
    const badDate = exportCli('--trades', '--db', db, '--venue', 'binance-spot', '--symbol', 'BTCUSDT', '--to', '2024-02-30', '--out', join(dir, 'x.csv'));
    expect(badDate.status).toBe(2);
    expect(badDate.stderr).toContain('is not a day of the calendar');
  });

  it('from the app: the export worker writes the same file, named as a trades export', async () => {
    const store = new Store({ path: db, exportsDir: join(dir, 'exports'), logger: nullLogger, retentionDelayMs: 2 ** 31 - 1 });
    try {
      const job = store.startCsvExport({ table: 'trades', venue: 'binance-spot', symbol: 'BTCUSDT', from: null, to: null });
      expect(job.name).toMatch(/^binance-spot_BTCUSDT_trades_\d{8}T\d{6}Z_[0-9a-f]{12}\.csv$/);
      let current = store.exportJob(job.id)!;
      while (current.state === 'running') {
        await new Promise((r) => setTimeout(r, 20));
        current = store.exportJob(job.id)!;
      }
      expect(current).toMatchObject({ state: 'done', error: null, rows: AWKWARD.length + BULK, totalRows: AWKWARD.length + BULK });
      expect(readFileSync(current.file, 'utf8')).toBe(readFileSync(join(dir, 'all.csv'), 'utf8'));
      expect(store.exportFile(current.name)).toBe(current.file);
    } finally {
      await store.close();
    }
  });
});
