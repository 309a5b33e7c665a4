/**
 * `replay --verify` must fail whenever it verified nothing or could not read everything, and pass every
 * shared capture of a supported venue with exactly its figures. Bad inputs are built from the real
 * captures in a temp folder.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../src/main/capture/replay';
import { endpointPath, restKey } from '../../../../src/main/capture/replay-transport';
import { judgeReplay } from '../../../../src/main/capture/verify';
import { capture, repoRoot } from '../../../support/paths';

const dir = mkdtempSync(join(tmpdir(), 'obm-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPOT = 'binance-spot_2021-10-12.capture.jsonl';
const USDM = 'binance-usdm_2021-07-22.capture.jsonl';

function captureLines(name: string): string[] {
  return readFileSync(capture(name), 'utf8').trimEnd().split('\n');
}

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

interface VerifyOutput {
  verifyOk: boolean;
  problems: string[];
  booksWithoutData: string[];
}

function runVerify(path: string): { status: number | null; out: VerifyOutput; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/replay.ts', path, '--verify'], { cwd: repoRoot, encoding: 'utf8' });
  return { status: run.status, out: JSON.parse(run.stdout.trim().split('\n').at(-1)!) as VerifyOutput, stderr: run.stderr };
}

describe('replay --verify fails when it verified nothing', () => {
  it('random bytes, an empty file, a truncated gzip and a capture missing one snapshot each exit 1 with their problems', () => {
    const random = runVerify(write('random.capture.jsonl', randomBytes(4096)));
    expect(random.status).toBe(1);
    expect(random.out.verifyOk).toBe(false);
    expect(random.out.problems.some((p) => /corrupt lines? skipped/.test(p))).toBe(true);
    expect(random.out.problems).toContain('no book received any data');

    const empty = runVerify(write('empty.capture.jsonl', ''));
    expect(empty.status).toBe(1);
    expect(empty.out.problems).toEqual([
      'no book received any data',
      'no integrity check ran: no checksum, sequence, best bid/offer or crossed-book check on any update',
    ]);

    // Cut a gzip of a real capture in the middle: the lines before the cut still replay, and verify
    // says the file ended early rather than passing what it read.
    const gz = gzipSync(readFileSync(capture(SPOT)));
    const cut = runVerify(write('cut.capture.jsonl.gz', gz.subarray(0, Math.floor(gz.length / 2))));
    expect(cut.status).toBe(1);
    expect(cut.out.problems[0]).toMatch(/^the file ends early: it could not be read past line \d+ \(unexpected end of file\)$/);

    // Drop the REST snapshot of one symbol: its diffs arrive but the book can never sync.
    const noSnapshot = captureLines(SPOT).filter((l) => !l.includes('depth?symbol=NKNUSDT'));
    const missing = runVerify(write('no-nkn-snapshot.capture.jsonl', noSnapshot.join('\n')));
    expect(missing.status).toBe(1);
    expect(missing.out.problems).toEqual(['binance-spot:NKNUSDT never synced: 224 messages received, ended buffering']);
    // The problems are also printed for people, one per line, on stderr.
    expect(missing.stderr).toContain('replay: binance-spot:NKNUSDT never synced');
  }, 60_000);

  it('a corrupt line that costs three of four books their snapshot fails twice over', async () => {
    const lines = captureLines(SPOT).map((l) => (/depth\?symbol=(BLZETH|LRCBTC|RUNEEUR)/.test(l) ? l.slice(0, 200) : l));
    const r = await replayCapture(write('three-cut.capture.jsonl', lines.join('\n')));
    const verdict = judgeReplay(r);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]).toBe('3 corrupt lines skipped (line 17: not valid JSON; line 31: not valid JSON; line 79: not valid JSON)');
    expect(verdict.problems.slice(1).sort()).toEqual(
      ['BLZETH', 'LRCBTC', 'RUNEEUR'].map((s) => expect.stringMatching(new RegExp(`^binance-spot:${s} never synced: \\d+ messages received, ended buffering$`))),
    );
    // The book that did sync was still checked.
    expect(r.books.find((b) => b.symbol === 'NKNUSDT')!.everSynced).toBe(true);
  });

  it('a capture that synced but applied no update verified nothing', async () => {
    // The Bybit capture opens, then sends the snapshot; without its 49 deltas the book syncs and stops.
    const lines = captureLines('bybit-linear_2024-12-01.capture.jsonl');
    const r = await replayCapture(write('bybit-snapshot-only.capture.jsonl', lines.slice(0, 2).join('\n')));
    expect(r.books[0]!.everSynced).toBe(true);
    expect(judgeReplay(r).problems).toEqual(['no integrity check ran: no checksum, sequence, best bid/offer or crossed-book check on any update']);
  });

  it('a book the capture names but never streams is listed apart, not failed', async () => {
    // Add a symbol to the recorded stream URL that no frame in the file carries.
    const lines = captureLines(SPOT);
    lines[0] = lines[0]!.replace('streams=', 'streams=xrpbtc@depth@100ms/');
    const r = await replayCapture(write('extra-symbol.capture.jsonl', lines.join('\n')));
    const verdict = judgeReplay(r);
    expect(verdict).toEqual({ ok: true, problems: [], booksWithoutData: ['binance-spot:XRPBTC'] });
    expect(r.verify.bboOk).toBe(26);
  });
});

describe('every shared capture of a supported venue verifies with exactly its figures', () => {
  /** Books the recorded subscribe frames name that stream nothing in the shared part of the recording. */
  const silent: Record<string, string[]> = {
    'bitget_2022-04-07.capture.jsonl': ['bitget:CULTUSDT', 'bitget:HOTUSDT', 'bitget:STGUSDT', 'bitget:SUNUSDT', 'bitget:UNIUSDT_UMCBL'],
    'deribit_2021-04-05+17.capture.jsonl': [
      'deribit:BTC-19APR21-68000-C',
      'deribit:BTC-25JUN21-28000-C',
      'deribit:BTC-30APR21-20000-C',
      'deribit:BTC-30APR21-54000-C',
      'deribit:BTC-31DEC21-300000-P',
      'deribit:ETH-16APR21-1400-P',
      'deribit:ETH-16APR21-1600-C',
      'deribit:ETH-23APR21-2100-P',
      'deribit:ETH-24SEP21-15000-C',
      'deribit:ETH-9APR21-1950-C',
    ],
    'kraken-futures_2021-07-22.capture.jsonl': ['kraken-futures:FI_BCHUSD_210730', 'kraken-futures:FI_BCHUSD_210924', 'kraken-futures:FI_ETHUSD_210730', 'kraken-futures:FI_XBTUSD_210730', 'kraken-futures:PI_ETHUSD'],
  };
  const supported: Array<[string, Partial<Record<string, number>>]> = [
    [SPOT, { bboOk: 26, bboFailed: 0, gaps: 0, crossed: 0 }],
    [USDM, { bboOk: 50, bboFailed: 0, gaps: 0, crossed: 0 }],
    ['binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl', { updatesChecked: 2303, bboOk: 175, bboFailed: 0, gaps: 0, crossed: 0 }],
    ['coinbase_2021-04-17.capture.jsonl', { updatesChecked: 9719, gaps: 0, crossed: 0 }],
    ['kraken_2021-04-17.capture.jsonl', { checksumOk: 4269, checksumFailed: 0 }],
    ['okx_2021-07-22.capture.jsonl', { checksumOk: 1504, checksumFailed: 0 }],
    ['okx_2022-05-13.capture.jsonl', { checksumOk: 290, checksumFailed: 0 }],
    ['bybit-linear_2024-12-01.capture.jsonl', { sequenceChecked: 49, gaps: 0, crossed: 0 }],
    ['hyperliquid_2025-01-26.capture.jsonl', { updatesChecked: 22, sequenceChecked: 0, gaps: 0, crossed: 0 }],
    ['bitget_2022-04-07.capture.jsonl', { checksumOk: 322, checksumFailed: 0, crossed: 0 }],
    ['deribit_2021-04-05+17.capture.jsonl', { sequenceChecked: 103, gaps: 0, crossed: 0 }],
    ['kraken-futures_2021-07-22.capture.jsonl', { sequenceChecked: 2310, gaps: 0, crossed: 0 }],
    ['bitfinex_2021-04-17.capture.jsonl', { gaps: 0, crossed: 0 }],
  ];
  for (const [name, figures] of supported) {
    it(name, async () => {
      const r = await replayCapture(capture(name));
      expect(r.verify).toMatchObject(figures);
      const verdict = judgeReplay(r);
      expect({ ...verdict, booksWithoutData: [...verdict.booksWithoutData].sort() }).toEqual({ ok: true, problems: [], booksWithoutData: silent[name] ?? [] });
    }, 60_000);
  }

  it('a capture of a venue the replay does not know is reported as unsupported, not passed', async () => {
    const text = readFileSync(capture('bybit-linear_2024-12-01.capture.jsonl'), 'utf8').replaceAll('"venue":"bybit-linear"', '"venue":"no-such-venue"');
    const file = join(dir, 'unknown-venue.capture.jsonl');
    writeFileSync(file, text);
    const verdict = judgeReplay(await replayCapture(file));
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]).toMatch(/^replay does not support venue "no-such-venue" yet; its \d+ lines were skipped$/);
  });
});

describe('REST answers are matched by endpoint, not API version', () => {
  it('maps version segments alike and leaves the rest of the path alone', () => {
    expect(endpointPath('/api/v1/depth')).toBe(endpointPath('/api/v3/depth'));
    expect(endpointPath('/fapi/v1/depth')).toBe(endpointPath('/fapi/v2/depth'));
    expect(endpointPath('/api/v3/depth')).not.toBe(endpointPath('/fapi/v1/depth'));
    expect(endpointPath('/products/BTC-USD/book')).toBe('/products/BTC-USD/book');
    expect(restKey('https://api.binance.com/api/v1/depth?symbol=nknusdt&limit=100')).toBe(restKey('https://api.binance.com/api/v3/depth?symbol=NKNUSDT&limit=1000'));
  });

  it('a spot capture recorded from /api/v1/depth replays to the same figures as from /api/v3/depth', async () => {
    const v1 = captureLines(SPOT).map((l) => l.replace('/api/v3/depth', '/api/v1/depth'));
    expect(v1.filter((l) => l.includes('/api/v1/depth'))).toHaveLength(4);
    const [original, rewritten] = await Promise.all([replayCapture(capture(SPOT)), replayCapture(write('spot-v1.capture.jsonl', v1.join('\n')))]);
    expect(rewritten.verify).toEqual(original.verify);
    expect(rewritten.books).toEqual(original.books);
    expect(judgeReplay(rewritten).ok).toBe(true);
  });

  it('a USD-M capture recorded from /fapi/v2/depth replays to the same figures as from /fapi/v1/depth', async () => {
    const v2 = captureLines(USDM).map((l) => l.replace('/fapi/v1/depth', '/fapi/v2/depth'));
    expect(v2.filter((l) => l.includes('/fapi/v2/depth'))).toHaveLength(4);
    const r = await replayCapture(write('usdm-v2.capture.jsonl', v2.join('\n')));
    expect(r.verify).toMatchObject({ bboOk: 50, bboFailed: 0, gaps: 0, updatesChecked: 752 });
    expect(r.books.every((b) => b.state === 'synced')).toBe(true);
  });
});
