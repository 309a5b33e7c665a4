/**
 * The shared Bitget capture (v1 `books` + ticker, candle1m, trade; spot and USDT futures on two
 * connections) replayed through the adapter: the figures of ../shared/fixtures/captures/README.md.
 * Our symbol for the USDT future DASHUSDT is DASHUSDT_UMCBL (the README names it bitget:DASHUSDT).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../src/main/capture/replay';
import type { TradeStatsSnapshot } from '../../../../src/main/trades/stats';
import { capture, repoRoot } from '../../../support/paths';

const BITGET = 'bitget_2022-04-07.capture.jsonl';

/** A copy of the capture with some lines rewritten, in a temporary folder. */
function altered(edit: (lines: string[]) => void): string {
  const lines = readFileSync(capture(BITGET), 'utf8').split('\n');
  edit(lines);
  const path = join(mkdtempSync(join(tmpdir(), 'obm-bitget-')), BITGET);
  writeFileSync(path, lines.join('\n'));
  return path;
}

/** Replay the capture through the adapter: each feed's trade figures, and the trades its listener was passed. */
async function replayTrades(): Promise<{ totals: TradeStatsSnapshot[]; passed: Map<string, number> }> {
  const totals: TradeStatsSnapshot[] = [];
  const passed = new Map<string, number>();
  await replayCapture(capture(BITGET), {
    onTrade: (feed) => void passed.set(feed.symbol, (passed.get(feed.symbol) ?? 0) + 1),
    onEnd: (feeds) => void totals.push(...feeds.flatMap((f) => f.tradeTotals())),
  });
  return { totals, passed };
}

describe('replay of the shared Bitget capture', () => {
  it('322 checksums verified, 0 failed; never crossed; every book with data synced', async () => {
    const r = await replayCapture(capture(BITGET));
    // v1 books carry no sequence number: the checksum on every message is the check.
    expect(r.verify).toEqual({ checksumOk: 322, checksumFailed: 0, updatesChecked: 317, sequenceChecked: 0, bboOk: 0, bboFailed: 0, gaps: 0, resyncs: 0, crossed: 0, tradeGaps: 0 });
    expect(r.malformedFrames).toBe(0);
    expect(r.unsupported).toEqual([]);
    const withData = r.books.filter((b) => b.messages > 0);
    expect(withData.map((b) => b.symbol).sort()).toEqual(['AVAXUSDT', 'DASHUSDT_UMCBL', 'EOSUSDT', 'GOGUSDT', 'VVSUSDT']);
    for (const b of withData) expect(b.state).toBe('synced');
    // Subscribed in the recorded frames but streamed nothing in this part of the recording.
    expect(r.books.filter((b) => b.messages === 0).map((b) => b.symbol).sort()).toEqual(['CULTUSDT', 'HOTUSDT', 'STGUSDT', 'SUNUSDT', 'UNIUSDT_UMCBL']);
    // Final tops as measured (the README states none for this file); the exchange strings are kept.
    const tops = Object.fromEntries(withData.map((b) => [b.symbol, [b.bestBid, b.bestAsk]]));
    expect(tops).toEqual({
      EOSUSDT: ['2.4346', '2.4376'],
      GOGUSDT: ['0.5547', '0.5590'],
      VVSUSDT: ['0.00002314', '0.00002327'],
      AVAXUSDT: ['82.8186', '83.0114'],
      DASHUSDT_UMCBL: ['113.28', '113.33'],
    });
  });

  it('trades through the adapter: the README Trades table, history kept apart', async () => {
    const { totals, passed } = await replayTrades();
    const rows = Object.fromEntries(
      totals.map((s) => [s.symbol, { trades: s.trades, volume: s.volume, buy: s.takerBuy, sell: s.takerSell, first: s.firstId, history: [s.history.trades, s.history.volume] }]),
    );
    expect(rows).toEqual({
      AVAXUSDT: { trades: 5, volume: '0.3016', buy: '0.0603', sell: '0.2413', first: null, history: [50, '27.8317'] },
      DASHUSDT_UMCBL: { trades: 9, volume: '6.2', buy: '2.89', sell: '3.31', first: null, history: [50, '46.38'] },
      EOSUSDT: { trades: 5, volume: '10.2717', buy: '8.2229', sell: '2.0488', first: null, history: [50, '239.8524'] },
      GOGUSDT: { trades: 5, volume: '66.1958', buy: '66.1958', sell: '0', first: null, history: [50, '540.4206'] },
      VVSUSDT: { trades: 4, volume: '860864.7', buy: '645625.7', sell: '215239', first: null, history: [50, '10780627.2'] },
    });
    for (const s of totals) {
      expect(s.consecutiveIds).toBe(false);
      expect(s.takerUnknown).toBe('0');
      expect(s.idGaps).toBe(0);
      expect(s.duplicates).toBe(0);
      // The listener is passed every live trade and every history trade, once.
      expect(passed.get(s.symbol)).toBe(s.trades + s.history.trades);
    }
  });

  it('one changed size in an update fails its checksum and the book is thrown away until a fresh snapshot', async () => {
    const path = altered((lines) => {
      const i = lines.findIndex((l) => l.includes('\\"action\\":\\"update\\"') && l.includes('\\"channel\\":\\"books\\"') && l.includes('EOSUSDT'));
      lines[i] = lines[i]!.replace(/(\\"bids\\":\[\[\\"[0-9.]+\\",\\")([0-9]+)/, (_m, head: string, size: string) => `${head}${Number(size) + 1}`);
    });
    const r = await replayCapture(path);
    expect(r.verify.checksumFailed).toBe(1);
    expect(r.verify.resyncs).toBe(1);
    // The recording holds no second snapshot for EOSUSDT: its later updates are dropped, not applied.
    expect(r.books.find((b) => b.symbol === 'EOSUSDT')!.state).toBe('resyncing');
    expect(r.verify.checksumOk).toBeLessThan(322);
  });

  it('npm run replay -- <capture> --verify prints verifyOk true', () => {
    const out = execFileSync('npx', ['tsx', 'src/main/cli/replay.ts', capture(BITGET), '--verify'], { cwd: repoRoot, encoding: 'utf8' });
    const last = JSON.parse(out.trim().split('\n').at(-1)!) as { verifyOk: boolean; verify: { checksumOk: number; checksumFailed: number } };
    expect(last.verifyOk).toBe(true);
    expect(last.verify).toMatchObject({ checksumOk: 322, checksumFailed: 0 });
  }, 60_000);
});
