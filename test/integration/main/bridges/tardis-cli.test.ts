import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { capture, repoRoot } from '../../../support/paths';

const run = promisify(execFile);
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');

async function cli(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [join(repoRoot, 'src/main/cli', script), ...args], { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run convert -- CAPTURE --to tardis DIR, then npm run replay -- DIR --format tardis', () => {
  it('converts a capture and replays the files to the same best bid and ask as the capture replay', async () => {
    const file = capture('okx_2022-05-13.capture.jsonl');
    const out = mkdtempSync(join(tmpdir(), 'tardis-cli-'));
    const converted = await cli('convert.ts', [file, '--to', 'tardis', out]);
    expect(converted.code, converted.stderr).toBe(0);
    const summary = JSON.parse(converted.stdout) as { books: Array<{ symbol: string; bookRows: number }>; verify: { checksumFailed: number; checksumOk: number } };
    // The captures README: 290 checksums verified, 0 failed.
    expect(summary.verify).toMatchObject({ checksumOk: 290, checksumFailed: 0 });
    expect(summary.books.length).toBe(3);
    expect(readdirSync(out).filter((n) => n.includes('_incremental_book_L2_')).length).toBe(3);

    const [fromFiles, fromCapture] = await Promise.all([cli('replay.ts', [out, '--format', 'tardis']), cli('replay.ts', [file])]);
    expect(fromFiles.code, fromFiles.stderr).toBe(0);
    const tardisBooks = (JSON.parse(fromFiles.stdout) as { books: Array<Record<string, unknown>> }).books;
    const captureBooks = (JSON.parse(fromCapture.stdout) as { books: Array<Record<string, unknown>> }).books;
    const touch = (b: Record<string, unknown>) => [b.symbol, b.bestBid, b.bestAsk, b.bidLevels, b.askLevels];
    const sort = (rows: unknown[][]) => rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(sort(tardisBooks.map(touch))).toEqual(sort(captureBooks.filter((b) => (b.messages as number) > 0).map(touch)));
  }, 60_000);

  it('says how to use it when asked wrongly', async () => {
    const noTarget = await cli('convert.ts', [capture('okx_2022-05-13.capture.jsonl'), 'out']);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('--to must be "tardis"');
    expect(noTarget.stderr).toContain('usage: npm run convert -- <capture.jsonl[.gz]> --to tardis <DIR>');
    const badFormat = await cli('replay.ts', [capture('okx_2022-05-13.capture.jsonl'), '--format', 'parquet']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('--format must be capture or tardis, got "parquet"');
    const empty = await cli('replay.ts', [mkdtempSync(join(tmpdir(), 'tardis-empty-')), '--format', 'tardis']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no tardis incremental_book_L2 or trades CSV found');
  }, 60_000);
});
