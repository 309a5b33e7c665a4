import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../src/main/capture/replay';
import { replayIntoStore } from '../../../../src/main/store/client/replay-into-store';
import { capture, repoRoot } from '../../../support/paths';

const dir = mkdtempSync(join(tmpdir(), 'obm-store-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  venue: string;
  symbol: string;
  localTs: number;
  exchangeTs: number | null;
  bid: string | null;
  bidSize: string | null;
  ask: string | null;
  askSize: string | null;
}

function storedRows(db: string): Row[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn
      .prepare(
        `SELECT i.venue, i.symbol, t.local_ts AS localTs, t.exchange_ts AS exchangeTs, t.bid, t.bid_size AS bidSize, t.ask, t.ask_size AS askSize
         FROM top_of_book t JOIN instruments i ON i.id = t.instrument_id ORDER BY t.id`,
      )
      .all() as Row[];
  } finally {
    conn.close();
  }
}

/** The top-of-book changes a plain replay reports, in order, with the book's top at each one. */
async function expectedChanges(file: string): Promise<{ changes: number; rows: Row[] }> {
  const rows: Row[] = [];
  const result = await replayCapture(file, {
    onTopOfBook: (feed, event) => {
      const top = feed.book.topOfBook();
      rows.push({
        venue: feed.venue,
        symbol: feed.symbol,
        localTs: event.localTs,
        exchangeTs: event.exchangeTs ?? null,
        bid: top.bid,
        bidSize: top.bidSize,
        ask: top.ask,
        askSize: top.askSize,
      });
    },
  });
  return { changes: result.topOfBookChanges, rows };
}

describe('replay into the store', () => {
  for (const name of ['binance-spot_2021-10-12.capture.jsonl', 'binance-usdm_2021-07-22.capture.jsonl']) {
    it(`writes exactly the top-of-book changes the replay reports: ${name}`, async () => {
      const db = join(dir, `${name}.db`);
      const stored = await replayIntoStore(capture(name), db);
      const expected = await expectedChanges(capture(name));
      expect(expected.changes).toBeGreaterThan(20);
      expect(stored.replay.topOfBookChanges).toBe(expected.changes);
      expect(stored.rowsWritten).toBe(expected.changes);
      expect(stored.droppedRows).toBe(0);
      expect(stored.errors).toEqual([]);
      // Row by row: same order, same exact price and size texts, same times.
      expect(storedRows(db)).toEqual(expected.rows);
    });
  }

  it('npm run replay -- CAPTURE --db FILE reports the rows written and appends on a second run', () => {
    const db = join(dir, 'cli.db');
    const file = capture('binance-spot_2021-10-12.capture.jsonl');
    const run = () => spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/replay.ts', file, '--db', db, '--verify'], { cwd: repoRoot, encoding: 'utf8' });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout.trim().split('\n').at(-1)!) as { topOfBookChanges: number; verifyOk: boolean; stored: { rowsWritten: number; rowsInDb: number } };
    expect(out.verifyOk).toBe(true);
    expect(out.stored.rowsWritten).toBe(out.topOfBookChanges);
    expect(out.stored.rowsInDb).toBe(out.topOfBookChanges);
    const second = run();
    expect(second.status, second.stderr).toBe(0);
    const again = JSON.parse(second.stdout.trim().split('\n').at(-1)!) as typeof out;
    expect(again.stored.rowsWritten).toBe(out.topOfBookChanges);
    expect(again.stored.rowsInDb).toBe(2 * out.topOfBookChanges);
    expect(storedRows(db)).toHaveLength(2 * out.topOfBookChanges);
  });
});
