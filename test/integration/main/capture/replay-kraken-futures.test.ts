import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../../src/main/capture/reader';
import { replayCapture } from '../../../../src/main/capture/replay';
import { TradeStats } from '../../../../src/main/trades/stats';
import { parseKrakenFuturesTradeFrame } from '../../../../src/main/venues/kraken-futures/trades';
import { capture, repoRoot } from '../../../support/paths';

const FILE = 'kraken-futures_2021-07-22.capture.jsonl';

/** A copy of the capture with its lines edited, in a temporary folder. */
function altered(edit: (lines: string[]) => void): string {
  const lines = readFileSync(capture(FILE), 'utf8').split('\n');
  edit(lines);
  const path = join(mkdtempSync(join(tmpdir(), 'obm-krf-')), FILE);
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('replay of the shared Kraken Futures capture (v1 book + trade, 2021-07-22)', () => {
  it('book_snapshot then 2,310 book messages, every seq continuing by one: 0 breaks, never crossed', async () => {
    const r = await replayCapture(capture(FILE));
    expect(r.verify).toEqual({
      checksumOk: 0,
      checksumFailed: 0,
      bboOk: 0,
      bboFailed: 0,
      gaps: 0,
      resyncs: 0,
      crossed: 0,
      updatesChecked: 2310,
      sequenceChecked: 2310,
      tradeGaps: 0,
    });
    expect(r.malformedFrames).toBe(0);
    expect(r.unsupported).toEqual([]);
    expect(r.corruptLines.count).toBe(0);
  });

  it('ends with the books the capture describes (the subscribe frame named five more that never stream)', async () => {
    const r = await replayCapture(capture(FILE));
    const streamed = r.books.filter((b) => b.messages > 0).sort((a, b) => a.symbol.localeCompare(b.symbol));
    // Final tops worked out independently from the raw frames.
    expect(streamed.map((b) => [b.symbol, b.state, b.bestBid, b.bestAsk, b.bidLevels, b.askLevels])).toEqual([
      ['FI_ETHUSD_211231', 'synced', '2028.05', '2031.95', 50, 33],
      ['FI_XBTUSD_210924', 'synced', '32207.0', '32225.0', 96, 125],
      ['FI_XRPUSD_210924', 'synced', '0.585', '0.586', 20, 21],
      ['PI_LTCUSD', 'synced', '119.34', '119.47', 91, 87],
      ['PI_XRPUSD', 'synced', '0.5879', '0.5886', 139, 90],
    ]);
    expect(r.books.filter((b) => b.messages === 0).map((b) => b.symbol).sort()).toEqual(['FI_BCHUSD_210730', 'FI_BCHUSD_210924', 'FI_ETHUSD_210730', 'FI_XBTUSD_210730', 'PI_ETHUSD']);
  });

  it('keeps the sizes the venue sent at the top of each book', async () => {
    let tops: Array<[string, string | undefined, string | undefined]> = [];
    await replayCapture(capture(FILE), {
      onEnd: (feeds) => {
        tops = feeds.filter((f) => f.book.levelCount('bid') > 0).map((f) => [f.symbol, f.book.bestBid()?.sizeText, f.book.bestAsk()?.sizeText]);
      },
    });
    expect(tops.sort((a, b) => a[0].localeCompare(b[0]))).toEqual([
      ['FI_ETHUSD_211231', '420.0', '50.0'],
      ['FI_XBTUSD_210924', '50.0', '1.0'],
      ['FI_XRPUSD_210924', '338.0', '288.0'],
      ['PI_LTCUSD', '28233.0', '24432.0'],
      ['PI_XRPUSD', '320.0', '320.0'],
    ]);
  });

  it('one lost book message is a break: counted, the book rebuilt from the next snapshot (none here, so it waits)', async () => {
    const path = altered((lines) => {
      // Drop the 10th PI_LTCUSD delta.
      const deltas = lines.map((l, i) => [l, i] as const).filter(([l]) => l.includes('\\"feed\\":\\"book\\",\\"product_id\\":\\"PI_LTCUSD\\"'));
      lines.splice(deltas[9]![1], 1);
    });
    const r = await replayCapture(path);
    expect(r.verify.gaps).toBe(1);
    expect(r.verify.resyncs).toBe(1);
    expect(r.books.find((b) => b.symbol === 'PI_LTCUSD')!.state).toBe('resyncing');
    for (const b of r.books.filter((x) => x.symbol !== 'PI_LTCUSD' && x.messages > 0)) expect(b.state).toBe('synced');
  });

  it('trades: PI_LTCUSD 1 taker buy of 320 (seq 5956); each trade snapshot is 100 trades of history, not counted', async () => {
    const stats = new TradeStats();
    for await (const entry of readCapture(capture(FILE))) {
      if (!('line' in entry) || entry.line.kind !== 'recv') continue;
      const batch = parseKrakenFuturesTradeFrame(entry.line.data ?? '', entry.line.ts);
      if (batch) for (const verdict of stats.addBatch(batch)) expect(verdict).not.toBe('duplicate');
    }
    const rows = stats
      .all()
      .map((s) => [s.symbol, s.trades, s.volume, s.takerBuy, s.takerSell, s.firstId, s.lastId, s.idGaps, s.history.trades, s.history.volume])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(rows).toEqual([
      ['FI_ETHUSD_211231', 0, '0', '0', '0', null, null, 0, 100, '51778'],
      ['FI_XBTUSD_210924', 0, '0', '0', '0', null, null, 0, 100, '57181'],
      ['FI_XRPUSD_210924', 0, '0', '0', '0', null, null, 0, 100, '11138'],
      ['PI_LTCUSD', 1, '320', '320', '0', '5956', '5956', 0, 100, '64240'],
      ['PI_XRPUSD', 0, '0', '0', '0', null, null, 0, 100, '68424'],
    ]);
    for (const s of stats.all()) expect(s.consecutiveIds).toBe(false);
  });

  it('npm run replay -- <capture> --verify exits 0 with verifyOk true', () => {
    const out = execFileSync('npx', ['tsx', 'src/main/cli/replay.ts', capture(FILE), '--verify'], { cwd: repoRoot, encoding: 'utf8' });
    const last = JSON.parse(out.trim().split('\n').at(-1)!) as { verifyOk: boolean; verify: { sequenceChecked: number; gaps: number } };
    expect(last.verifyOk).toBe(true);
    expect(last.verify.sequenceChecked).toBe(2310);
    expect(last.verify.gaps).toBe(0);
  }, 60_000);
});
