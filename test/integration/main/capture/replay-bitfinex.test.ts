import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../../src/main/capture/reader';
import { nextMacrotask, ReplayDriver, replayCapture, verifyTotals } from '../../../../src/main/capture/replay';
import { TradeStats } from '../../../../src/main/trades/stats';
import type { BitfinexAdapter } from '../../../../src/main/venues/bitfinex/adapter';
import { parseBitfinexFrame } from '../../../../src/main/venues/bitfinex/messages';
import { parseBitfinexTrades } from '../../../../src/main/venues/bitfinex/trades';
import { capture, repoRoot } from '../../../support/paths';

const FILE = 'bitfinex_2021-04-17.capture.jsonl';
const SYMBOLS = ['tBFTUSD', 'tDOGUSD', 'tIOTETH', 'tMNABTC', 'tODEUSD', 'tSNGUSD', 'tTESTBTC:TESTUSD'];

/** A copy of the capture with its lines edited, in a temporary folder. */
function altered(edit: (lines: string[]) => void): string {
  const lines = readFileSync(capture(FILE), 'utf8').split('\n');
  edit(lines);
  const path = join(mkdtempSync(join(tmpdir(), 'obm-bitfinex-')), FILE);
  writeFileSync(path, lines.join('\n'));
  return path;
}

/** Replay through a driver we keep, so the adapter's connection-level sequence counts can be read. */
async function replayWithDriver(path: string) {
  const driver = new ReplayDriver({ onBook: () => {}, onState: () => {} });
  for await (const entry of readCapture(path)) {
    if ('error' in entry) throw new Error(`corrupt line ${entry.lineNo}`);
    if (driver.handle(entry.line)) await nextMacrotask();
  }
  driver.end();
  await nextMacrotask();
  const adapter = driver.adapters.get('bitfinex') as BitfinexAdapter;
  const result = { sequence: { ...adapter.protocol.sequence }, ...verifyTotals(driver), feeds: driver.feeds() };
  driver.close();
  return result;
}

describe('replay of the shared Bitfinex capture (2021-04-17: SEQ_ALL, no checksum frames)', () => {
  it('7 books; the sequence continues by one on every one of 1,669 messages, 0 gaps, never back; never crossed', async () => {
    const r = await replayWithDriver(capture(FILE));
    // 1,670 numbered messages on the one connection (tickers, trades, books, heartbeats): 1,669 follow one before.
    expect(r.sequence).toEqual({ checked: 1669, gaps: 0, backwards: 0 });
    // Of them, the 1,593 book updates reached a synced book with their sequence checked.
    expect(r.verify).toEqual({ checksumOk: 0, checksumFailed: 0, bboOk: 0, bboFailed: 0, gaps: 0, resyncs: 0, crossed: 0, updatesChecked: 1593, sequenceChecked: 1593, tradeGaps: 0 });
    expect(r.malformedFrames).toBe(0);
    expect(r.feeds.map((f) => f.symbol).sort()).toEqual(SYMBOLS);
    for (const f of r.feeds) expect(f.state, f.symbol).toBe('synced');
  });

  it('ends with the books a plain reading of the frames gives (best bid and ask, levels per side)', async () => {
    const r = await replayCapture(capture(FILE));
    const books = Object.fromEntries(r.books.map((b) => [b.symbol, [b.bestBid, b.bestAsk, b.bidLevels, b.askLevels]]));
    expect(books).toEqual({
      'tTESTBTC:TESTUSD': ['60417', '60423', 100, 100],
      tDOGUSD: ['277730', '282030', 100, 100],
      tODEUSD: ['0.02056', '0.02088', 100, 100],
      tIOTETH: ['0.001026', '0.0010272', 99, 100],
      tMNABTC: ['0.00002505', '0.0000253', 51, 88],
      tBFTUSD: ['0.068965', '0.0774', 96, 100],
      tSNGUSD: ['0.037108', '0.038798', 100, 100],
    });
    expect(r.unsupported).toEqual([]);
  });

  it('trades: no live trade in the 31 s; each pair’s subscribe snapshot (30 trades) is history, as the captures README counts it', async () => {
    const stats = new TradeStats();
    const channels = new Map<number, string>();
    for await (const entry of readCapture(capture(FILE))) {
      if (!('line' in entry) || entry.line.kind !== 'recv') continue;
      const msg = parseBitfinexFrame(entry.line.data!);
      if (msg.kind === 'subscribed' && msg.channel === 'trades') channels.set(msg.chanId, msg.symbol);
      if (msg.kind !== 'channel' || !channels.has(msg.chanId)) continue;
      const batch = parseBitfinexTrades(msg, channels.get(msg.chanId)!, entry.line.ts);
      if (batch) stats.addBatch(batch);
    }
    const rows = Object.fromEntries(stats.all().map((s) => [s.symbol, [s.trades, s.volume, s.takerBuy, s.takerSell, s.firstId, s.history.trades, s.history.volume]]));
    expect(rows).toEqual({
      tBFTUSD: [0, '0', '0', '0', null, 30, '40606.13173867'],
      tDOGUSD: [0, '0', '0', '0', null, 30, '0.13764507'],
      tIOTETH: [0, '0', '0', '0', null, 30, '2150.28985652'],
      tMNABTC: [0, '0', '0', '0', null, 30, '7867.97352391'],
      tODEUSD: [0, '0', '0', '0', null, 30, '149173.33714002'],
      tSNGUSD: [0, '0', '0', '0', null, 30, '58123.5755044'],
      'tTESTBTC:TESTUSD': [0, '0', '0', '0', null, 30, '2.07399642'],
    });
  });

  it('a lost book message breaks the connection sequence and every live book is thrown away', async () => {
    const path = altered((lines) => {
      // Remove one tIOTETH book update half-way through: the next message does not follow.
      const i = lines.findIndex((l, n) => n > 900 && /"data":"\[232955,\[[0-9]/.test(l));
      lines.splice(i, 1);
    });
    const r = await replayWithDriver(path);
    expect(r.sequence.gaps).toBe(1);
    expect(r.sequence.checked).toBe(1667);
    // The message could have been any book's: all seven (synced by then) count the gap and wait for a new snapshot.
    expect(r.verify.gaps).toBe(7);
    expect(r.verify.resyncs).toBe(7);
    for (const f of r.feeds) expect(f.state).toBe('resyncing');
  });

  it('npm run replay -- <capture> --verify prints verifyOk true', () => {
    const out = execFileSync('npx', ['tsx', 'src/main/cli/replay.ts', capture(FILE), '--verify'], { cwd: repoRoot, encoding: 'utf8' });
    const last = JSON.parse(out.trim().split('\n').at(-1)!) as { verifyOk: boolean; verify: { sequenceChecked: number; gaps: number } };
    expect(last.verifyOk).toBe(true);
    expect(last.verify).toMatchObject({ sequenceChecked: 1593, gaps: 0 });
  }, 60_000);
});
