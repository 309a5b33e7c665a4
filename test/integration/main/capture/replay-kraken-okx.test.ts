import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../src/main/capture/replay';
import { capture, repoRoot } from '../../../support/paths';

const KRAKEN = 'kraken_2021-04-17.capture.jsonl';
const OKX_2021 = 'okx_2021-07-22.capture.jsonl';
const OKX_2022 = 'okx_2022-05-13.capture.jsonl';

// Kraken and OKX (2021, 2022) number no updates the replay can check: their checksums are the check.
const clean = { bboOk: 0, bboFailed: 0, gaps: 0, resyncs: 0, crossed: 0, sequenceChecked: 0, tradeGaps: 0 };

/** A copy of a capture with one line rewritten, in a temporary folder. */
function altered(name: string, edit: (lines: string[]) => void): string {
  const lines = readFileSync(capture(name), 'utf8').split('\n');
  edit(lines);
  const path = join(mkdtempSync(join(tmpdir(), 'obm-kraken-okx-')), name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('replay of the shared Kraken and OKX captures', () => {
  it('kraken 2021-04-17: 4,269 checksums verified, 0 failed, books at most 1000 deep', async () => {
    const r = await replayCapture(capture(KRAKEN));
    expect(r.verify).toEqual({ checksumOk: 4269, checksumFailed: 0, updatesChecked: 4269, ...clean });
    expect(r.malformedFrames).toBe(0);
    expect(r.unsupported).toEqual([]);
    expect(r.books.map((b) => b.symbol).sort()).toEqual(['ADA/XBT', 'ETH/CHF', 'GRT/ETH', 'KSM/XBT', 'OCEAN/XBT', 'OMG/USD', 'SC/EUR', 'WAVES/EUR', 'XBT/CHF', 'XMR/USD']);
    for (const b of r.books) {
      expect(b.state).toBe('synced');
      expect(b.bidLevels).toBeLessThanOrEqual(1000);
      expect(b.askLevels).toBeLessThanOrEqual(1000);
    }
  });

  it('kraken: the depth comes from the recorded subscribe frame (depth 10 truncates away levels the venue still counts)', async () => {
    const path = altered(KRAKEN, (lines) => {
      const i = lines.findIndex((l) => l.includes('"kind":"send"'));
      lines[i] = lines[i]!.replace('\\"depth\\":1000', '\\"depth\\":10');
    });
    const r = await replayCapture(path);
    expect(r.verify.checksumFailed).toBeGreaterThan(0);
    for (const b of r.books) {
      expect(b.bidLevels).toBeLessThanOrEqual(10);
      expect(b.askLevels).toBeLessThanOrEqual(10);
    }
  });

  it('kraken: one changed digit in the best ask of a snapshot fails the next checksum', async () => {
    const path = altered(KRAKEN, (lines) => {
      // The first book snapshot: add 1 to the last digit of its best ask's quantity.
      const i = lines.findIndex((l) => l.includes('\\"channel\\":\\"book\\",\\"type\\":\\"snapshot\\"'));
      lines[i] = lines[i]!.replace(/(\\"asks\\":\[\{\\"price\\":[0-9.]+,\\"qty\\":[0-9.]*)([0-8])/, (_m, head: string, d: string) => `${head}${Number(d) + 1}`);
    });
    const r = await replayCapture(path);
    expect(r.verify.checksumFailed).toBe(1);
    expect(r.verify.resyncs).toBe(1);
    expect(r.verify.checksumOk).toBeLessThan(4269);
  });

  it('okx 2021-07-22 (books-l2-tbt, no seqId): 1,504 checksums verified, 0 failed', async () => {
    const r = await replayCapture(capture(OKX_2021));
    expect(r.verify).toEqual({ checksumOk: 1504, checksumFailed: 0, updatesChecked: 1478, ...clean });
    expect(r.malformedFrames).toBe(0);
    expect(r.books).toHaveLength(10);
    for (const b of r.books) expect(b.state).toBe('synced');
  });

  it('okx 2022-05-13 (books, tickers and trades interleaved): 290 checksums verified, 0 failed', async () => {
    const r = await replayCapture(capture(OKX_2022));
    expect(r.verify).toEqual({ checksumOk: 290, checksumFailed: 0, updatesChecked: 287, ...clean });
    expect(r.malformedFrames).toBe(0);
    expect(r.books.map((b) => b.symbol).sort()).toEqual(['BTC-USD-220527', 'BTC-USDT', 'UNI-USD-SWAP']);
    for (const b of r.books) expect(b.state).toBe('synced');
  });

  it('okx: one changed size fails its checksum', async () => {
    const path = altered(OKX_2022, (lines) => {
      const i = lines.findIndex((l) => l.includes('\\"action\\":\\"update\\"') && l.includes('\\"bids\\":[[\\"'));
      lines[i] = lines[i]!.replace(/(\\"bids\\":\[\[\\"[0-9.]+\\",\\")([0-9]+)/, (_m, head: string, size: string) => `${head}${Number(size) + 1}`);
    });
    const r = await replayCapture(path);
    expect(r.verify.checksumFailed).toBe(1);
  });

  it('npm run replay -- <capture> --verify prints verifyOk true for all three', () => {
    for (const name of [KRAKEN, OKX_2021, OKX_2022]) {
      const out = execFileSync('npx', ['tsx', 'src/main/cli/replay.ts', capture(name), '--verify'], { cwd: repoRoot, encoding: 'utf8' });
      const last = JSON.parse(out.trim().split('\n').at(-1)!) as { verifyOk: boolean; verify: { checksumFailed: number } };
      expect(last.verifyOk, name).toBe(true);
      expect(last.verify.checksumFailed).toBe(0);
    }
  }, 60_000);
});
