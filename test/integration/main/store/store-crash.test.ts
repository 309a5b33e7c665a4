import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../support/paths';

const ROWS_PER_BATCH = 500;
const dir = mkdtempSync(join(tmpdir(), 'obm-store-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the child writing at full speed; SIGKILL it `delayMs` after `killAfter` batches are confirmed committed. */
function writeUntilKilled(db: string, firstBatch: number, killAfter: number, delayMs: number): Promise<{ committed: number[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fakes/store-crash-child.ts', db, String(firstBatch), String(ROWS_PER_BATCH)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const committed: number[] = [];
    let stderr = '';
    let buffered = '';
    let killing = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not commit ${killAfter} batches in time; stderr: ${stderr}`));
    }, 60_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const m = /^committed (\d+)$/.exec(line);
        if (m) committed.push(Number(m[1]));
      }
      if (committed.length >= killAfter && !killing) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ committed, signal });
    });
  });
}

function check(db: string): { integrity: string; batches: Map<number, number> } {
  const conn = new Database(db);
  try {
    const integrity = conn.pragma('integrity_check', { simple: true }) as string;
    const rows = conn.prepare('SELECT exchange_ts AS batch, count(*) AS n FROM top_of_book GROUP BY exchange_ts').all() as Array<{ batch: number; n: number }>;
    return { integrity, batches: new Map(rows.map((r) => [r.batch, r.n])) };
  } finally {
    conn.close();
  }
}

describe('store crash safety', () => {
  it('keeps every committed batch and stays intact when the writing process is SIGKILLed mid-stream, twice', async () => {
    const db = join(dir, 'crash.db');
    const rounds = [
      { first: 0, killAfter: 40, delayMs: 0 },
      { first: 1_000_000, killAfter: 40, delayMs: 37 },
    ];
    const allCommitted: number[] = [];
    for (const round of rounds) {
      const { committed, signal } = await writeUntilKilled(db, round.first, round.killAfter, round.delayMs);
      expect(signal).toBe('SIGKILL');
      expect(committed.length).toBeGreaterThanOrEqual(round.killAfter);
      allCommitted.push(...committed);
      const { integrity, batches } = check(db);
      expect(integrity).toBe('ok');
      // Every batch the writer confirmed is there, whole.
      const missing = allCommitted.filter((b) => batches.get(b) !== ROWS_PER_BATCH);
      expect(missing).toEqual([]);
      // Transactions are atomic: no batch is ever partly written, confirmed or not.
      const partial = [...batches].filter(([, n]) => n !== ROWS_PER_BATCH);
      expect(partial).toEqual([]);
    }
    // Two child processes each start tsx and a worker: ~10 s on an idle machine, 30 s and more under load.
  }, 90_000);
});
