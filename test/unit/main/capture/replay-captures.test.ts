import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../src/main/capture/replay';
import { capture } from '../../../support/paths';

describe('replay of the shared Binance captures', () => {
  it('binance-spot 2021-10-12: no gaps, 26 bookTicker matches, all equal', async () => {
    const r = await replayCapture(capture('binance-spot_2021-10-12.capture.jsonl'));
    expect(r.verify).toEqual({ checksumOk: 0, checksumFailed: 0, bboOk: 26, bboFailed: 0, gaps: 0, resyncs: 0, crossed: 0, updatesChecked: 172, sequenceChecked: 172, tradeGaps: 0 });
    expect(r.messages).toBe(265);
    expect(r.corruptLines.count).toBe(0);
    expect(r.unsupported).toEqual([]);
    expect(r.books.map((b) => b.symbol).sort()).toEqual(['BLZETH', 'LRCBTC', 'NKNUSDT', 'RUNEEUR']);
    for (const b of r.books) expect(b.state).toBe('synced');
    const nkn = r.books.find((b) => b.symbol === 'NKNUSDT')!;
    expect(nkn.bestBid).toBe('0.35270000');
    expect(nkn.bestAsk).toBe('0.35310000');
  });

  it('binance-usdm 2021-07-22: no gaps, 50 bookTicker matches, 0 mismatches', async () => {
    const r = await replayCapture(capture('binance-usdm_2021-07-22.capture.jsonl'));
    expect(r.verify).toEqual({ checksumOk: 0, checksumFailed: 0, bboOk: 50, bboFailed: 0, gaps: 0, resyncs: 0, crossed: 0, updatesChecked: 752, sequenceChecked: 752, tradeGaps: 0 });
    expect(r.books).toHaveLength(4);
    for (const b of r.books) expect(b.state).toBe('synced');
  });

  it('reads a gzip capture to the same result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obm-replay-'));
    const gz = join(dir, 'spot.capture.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(capture('binance-spot_2021-10-12.capture.jsonl'))));
    const r = await replayCapture(gz);
    expect(r.verify.bboOk).toBe(26);
    expect(r.verify.gaps).toBe(0);
  });

  it('counts corrupt lines with their numbers and reports unsupported venues', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obm-replay-'));
    const lines = readFileSync(capture('binance-spot_2021-10-12.capture.jsonl'), 'utf8').split('\n');
    lines.splice(4, 0, '{"ts": 1, "conn": "c1", "venue": "binance-spot", "kind": "recv"');
    lines.splice(9, 0, 'garbage');
    lines.push('{"ts":1,"conn":"c9","venue":"no-such-venue","kind":"open","url":"wss://feed.invalid/ws"}');
    const path = join(dir, 'corrupt.capture.jsonl');
    writeFileSync(path, lines.join('\n'));
    const r = await replayCapture(path);
    expect(r.corruptLines.count).toBe(2);
    expect(r.corruptLines.lines.map((l) => l.line)).toEqual([5, 10]);
    expect(r.unsupported).toHaveLength(1);
    expect(r.unsupported[0]!.venue).toBe('no-such-venue');
    // The rest of the file still replays.
    expect(r.verify.bboOk).toBe(26);
  });

  it('replays a line whose venue is __proto__ (or another Object property) as an unsupported venue, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obm-replay-'));
    const lines = readFileSync(capture('binance-spot_2021-10-12.capture.jsonl'), 'utf8').split('\n');
    lines.splice(3, 0, '{"ts":1,"conn":"c7","venue":"__proto__","kind":"open","url":"wss://x.invalid/stream?streams=btcusdt@depth"}');
    lines.splice(5, 0, '{"ts":2,"conn":"c7","venue":"__proto__","kind":"recv","data":"{}"}', '{"ts":3,"conn":"c8","venue":"constructor","kind":"send","data":"{}"}');
    const path = join(dir, 'proto.capture.jsonl');
    writeFileSync(path, lines.join('\n'));
    const r = await replayCapture(path);
    expect(r.unsupported.map((u) => [u.venue, u.lines])).toEqual([
      ['__proto__', 2],
      ['constructor', 1],
    ]);
    expect(r.verify.bboOk).toBe(26);
  });

  it('reports a truncated gzip file instead of crashing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obm-replay-'));
    const full = gzipSync(readFileSync(capture('binance-spot_2021-10-12.capture.jsonl')));
    const path = join(dir, 'cut.capture.jsonl.gz');
    writeFileSync(path, full.subarray(0, Math.floor(full.length / 2)));
    const r = await replayCapture(path);
    expect(r.endedEarly).not.toBeNull();
    expect(r.endedEarly!.error).toMatch(/unexpected end of file/);
    // What was read before the cut still replays.
    expect(r.messages).toBeGreaterThan(0);
  });
});
