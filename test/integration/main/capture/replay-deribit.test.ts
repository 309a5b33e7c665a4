import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../src/main/capture/replay';
import type { SymbolFeed } from '../../../../src/main/venues/symbol-feed';
import { capture, repoRoot } from '../../../support/paths';

const DERIBIT = 'deribit_2021-04-05+17.capture.jsonl';

/** Each book's last state as [best bid, size, best ask, size, bid levels, ask levels], worked out from the capture by hand (a separate script). */
const LAST_BOOKS: Record<string, [string | null, string | null, string | null, string | null, number, number]> = {
  'ETH-6APR21-2400-P': [null, null, null, null, 0, 0],
  'ETH-30APR21-2240-P': ['0.093', '202', '0.098', '137', 6, 3],
  'ETH-24SEP21-320-P': ['0.0005', '1000', '0.0015', '150', 1, 6],
  'ETH-23APR21-2000-C': ['0.0965', '2', null, null, 1, 0],
  'BTC-25MAR22-400000-C': ['0.027', '27', '0.032', '0.1', 7, 12],
  'ETH-7MAY21-2100-C': [null, null, null, null, 0, 0],
  'ETH-30APR21-2560-P': ['0.083', '5', '0.0885', '240', 9, 1],
  'BTC-25MAR22-50000-C': ['0.4', '1', null, null, 2, 0],
  'BTC-18APR21-62000-C': ['0.001', '52.6', '0.0025', '26', 2, 10],
  'BTC-18APR21-59000-C': ['0.028', '0.4', null, null, 2, 0],
};

function lastState(feed: SymbolFeed): (typeof LAST_BOOKS)[string] {
  const bid = feed.book.bestBid();
  const ask = feed.book.bestAsk();
  return [bid?.price ?? null, bid?.sizeText ?? null, ask?.price ?? null, ask?.sizeText ?? null, feed.book.levelCount('bid'), feed.book.levelCount('ask')];
}

/** A copy of the capture with lines rewritten, in a temporary folder. */
function altered(edit: (lines: string[]) => void): string {
  const lines = readFileSync(capture(DERIBIT), 'utf8').split('\n');
  edit(lines);
  const path = join(mkdtempSync(join(tmpdir(), 'obm-deribit-')), DERIBIT);
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('replay of the shared Deribit capture', () => {
  it('2021-04-05+17: 10 snapshots, 103 changes chained by prev_change_id, 0 breaks, never crossed', async () => {
    const last = new Map<string, (typeof LAST_BOOKS)[string]>();
    const r = await replayCapture(capture(DERIBIT), { onBook: (feed) => last.set(feed.symbol, lastState(feed)) });
    expect(r.verify).toEqual({ checksumOk: 0, checksumFailed: 0, bboOk: 0, bboFailed: 0, gaps: 0, resyncs: 0, crossed: 0, updatesChecked: 103, sequenceChecked: 103, tradeGaps: 0 });
    expect(r.malformedFrames).toBe(0);
    expect(r.unsupported).toEqual([]);
    expect(r.corruptLines.count).toBe(0);
    // The two subscribe frames name 20 books; 10 of them stream, each opening with a snapshot.
    expect(r.books).toHaveLength(20);
    expect(r.books.filter((b) => b.everSynced).map((b) => b.symbol).sort()).toEqual(Object.keys(LAST_BOOKS).sort());
    expect(Object.fromEntries(last)).toEqual(LAST_BOOKS);
  });

  it('the second session arrives on a new connection: the first goes stale over the 12-day gap and the adapter reconnects', async () => {
    const r = await replayCapture(capture(DERIBIT));
    const secondSession = r.books.filter((b) => b.symbol === 'BTC-18APR21-62000-C' || b.symbol === 'ETH-30APR21-2560-P');
    for (const b of secondSession) expect(b.state).toBe('synced');
    expect(r.books.find((b) => b.symbol === 'BTC-18APR21-62000-C')).toMatchObject({ bestBid: '0.001', bestAsk: '0.0025' });
  });

  it('one changed prev_change_id is a break: counted, the book rebuilt, the rest unchanged', async () => {
    const path = altered((lines) => {
      const i = lines.findIndex((l) => l.includes('\\"prev_change_id\\":8973376502'));
      lines[i] = lines[i]!.replace('\\"prev_change_id\\":8973376502', '\\"prev_change_id\\":8973376501');
    });
    const r = await replayCapture(path);
    expect(r.verify.gaps).toBe(1);
    expect(r.verify.resyncs).toBe(1);
    expect(r.verify.crossed).toBe(0);
    // The broken change and every later one of that book wait for a snapshot that is not recorded.
    expect(r.verify.sequenceChecked).toBeLessThan(103);
  });

  it('npm run replay -- <capture> --verify prints verifyOk true', () => {
    const out = execFileSync('npx', ['tsx', 'src/main/cli/replay.ts', capture(DERIBIT), '--verify'], { cwd: repoRoot, encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as { verifyOk: boolean; verify: { gaps: number; sequenceChecked: number } };
    expect(result.verifyOk).toBe(true);
    expect(result.verify).toMatchObject({ gaps: 0, sequenceChecked: 103 });
  }, 60_000);
});
