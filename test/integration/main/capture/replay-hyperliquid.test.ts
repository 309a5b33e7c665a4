/**
 * The shared Hyperliquid capture (BTC l2Book + trades, 12 s) replays with exactly the figures of the
 * captures README: 23 whole books, each strictly ordered, never crossed, `time` never going back; the
 * last best bid 105055.0 × 0.12468 and best ask 105056.0 × 4.71798; 32 trades, volume 0.28523, taker
 * buy 0.19036, taker sell 0.09487. The feed has no sequence or checksum, so those counts are 0.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReplayDriver, nextMacrotask, replayCapture, verifyTotals } from '../../../../src/main/capture/replay';
import { judgeReplay } from '../../../../src/main/capture/verify';
import { readCapture } from '../../../../src/main/capture/reader';
import { TradeStats } from '../../../../src/main/trades/stats';
import type { HyperliquidAdapter } from '../../../../src/main/venues/hyperliquid/adapter';
import { parseHyperliquidFrame, type BookFrame } from '../../../../src/main/venues/hyperliquid/messages';
import { parseHyperliquidTrades } from '../../../../src/main/venues/hyperliquid/trades';
import { capture, repoRoot } from '../../../support/paths';
import { heldLevels } from '../../../support/books';

const FILE = 'hyperliquid_2025-01-26.capture.jsonl';

function lines(path = capture(FILE)): Array<{ kind: string; data?: string }> {
  return readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; data?: string });
}

/** The recorded l2Book frames, read independently of the replay. */
function recordedBooks(): BookFrame[] {
  return lines()
    .filter((l) => l.kind === 'recv')
    .map((l) => parseHyperliquidFrame(l.data!))
    .flatMap((m) => (m.kind === 'book' ? [m.book] : []));
}

/** A copy of the capture with its recv lines edited, in a temporary folder. */
function altered(edit: (frames: Array<Record<string, unknown>>) => void): string {
  const all = lines();
  const frames = all.filter((l) => l.kind === 'recv').map((l) => JSON.parse(l.data!) as Record<string, unknown>);
  edit(frames);
  let i = 0;
  const out = all.map((l) => (l.kind === 'recv' ? { ...l, data: JSON.stringify(frames[i++]) } : l));
  const path = join(mkdtempSync(join(tmpdir(), 'obm-hyperliquid-')), FILE);
  writeFileSync(path, out.map((l) => JSON.stringify(l)).join('\n'));
  return path;
}

describe('replay of the shared Hyperliquid capture', () => {
  it('23 whole books, every later one checked as an update: never crossed, no gap, nothing malformed', async () => {
    const r = await replayCapture(capture(FILE));
    expect(r.verify).toEqual({ checksumOk: 0, checksumFailed: 0, bboOk: 0, bboFailed: 0, gaps: 0, resyncs: 0, crossed: 0, updatesChecked: 22, sequenceChecked: 0, tradeGaps: 0 });
    expect(r.malformedFrames).toBe(0);
    expect(r.unsupported).toEqual([]);
    expect(r.books).toEqual([
      { venue: 'hyperliquid', symbol: 'BTC', state: 'synced', bestBid: '105055.0', bestAsk: '105056.0', bidLevels: 20, askLevels: 20, messages: 23, everSynced: true, trades: 32, tradeVolume: '0.28523', buyVolume: '0.19036', sellVolume: '0.09487', tradeGaps: 0 },
    ]);
    expect(judgeReplay(r)).toEqual({ ok: true, problems: [], booksWithoutData: [] });
  });

  it('after every frame the book is exactly that frame (best sizes 0.12468 and 4.71798 at the end)', async () => {
    const books = recordedBooks();
    expect(books).toHaveLength(23);
    for (let i = 1; i < books.length; i++) expect(books[i]!.time).toBeGreaterThanOrEqual(books[i - 1]!.time);
    const held: Array<ReturnType<typeof heldLevels>> = [];
    const kinds: string[] = [];
    let last: { bid: string; ask: string } | null = null;
    await replayCapture(capture(FILE), {
      onBook: (feed, event) => {
        held.push(heldLevels(feed));
        kinds.push(event.kind);
      },
      onEnd: ([feed]) => {
        last = { bid: `${feed!.book.bestBid()!.price} × ${feed!.book.bestBid()!.sizeText}`, ask: `${feed!.book.bestAsk()!.price} × ${feed!.book.bestAsk()!.sizeText}` };
      },
    });
    expect(kinds).toEqual(['snapshot', ...Array<string>(22).fill('delta')]);
    expect(held).toEqual(books.map((b) => ({ bids: b.bids, asks: b.asks })));
    expect(last).toEqual({ bid: '105055.0 × 0.12468', ask: '105056.0 × 4.71798' });
  });

  it('32 trades, volume 0.28523: taker buy 0.19036, taker sell 0.09487; tid not consecutive', async () => {
    const stats = new TradeStats();
    for await (const entry of readCapture(capture(FILE))) {
      if (!('line' in entry) || entry.line.kind !== 'recv') continue;
      const batch = parseHyperliquidTrades(JSON.parse(entry.line.data!), entry.line.ts);
      if (batch) for (const verdict of stats.addBatch(batch)) expect(verdict).toBe('counted');
    }
    const [btc, ...others] = stats.all();
    expect(others).toEqual([]);
    expect(btc).toMatchObject({ venue: 'hyperliquid', symbol: 'BTC', trades: 32, volume: '0.28523', takerBuy: '0.19036', takerSell: '0.09487', takerUnknown: '0', consecutiveIds: false, duplicates: 0 });
    expect(btc!.history).toEqual({ trades: 0, volume: '0' });
  });

  it('the adapter subscribed to trades hands all 32 to the BTC feed during the replay', async () => {
    const passed: string[] = [];
    const driver = new ReplayDriver({ onBook: () => {}, onState: () => {}, onTrade: (feed, trade) => void passed.push(`${feed.symbol}:${trade.id}`) });
    for await (const entry of readCapture(capture(FILE))) if ('line' in entry && driver.handle(entry.line)) await nextMacrotask();
    driver.end();
    const btc = (driver.adapters.get('hyperliquid') as HyperliquidAdapter).feed('BTC')!;
    expect(passed).toHaveLength(32);
    expect(passed.every((p) => p.startsWith('BTC:'))).toBe(true);
    expect(btc.health.trades).toBe(32);
    expect(btc.health.tradeDuplicates).toBe(0);
    expect(verifyTotals(driver).verify.updatesChecked).toBe(22);
    driver.close();
  });

  it('a book whose time goes back is a gap; a crossed book is counted; a side out of order is malformed', async () => {
    const path = altered((frames) => {
      const books = frames.filter((f) => f.channel === 'l2Book').map((f) => f.data as { time: number; levels: Array<Array<{ px: string }>> });
      books[5]!.time = books[4]!.time - 1;
      // The best bid raised to the best ask's price.
      books[10]!.levels[0]![0]!.px = books[10]!.levels[1]![0]!.px;
      // Two bids swapped.
      const bids = books[15]!.levels[0]!;
      [bids[2], bids[3]] = [bids[3]!, bids[2]!];
    });
    const r = await replayCapture(path);
    expect(r.verify).toMatchObject({ gaps: 1, crossed: 1, resyncs: 2 });
    expect(r.malformedFrames).toBe(1);
    // Each fault was followed by whole books again: the replay ends on the right book.
    expect(r.books[0]).toMatchObject({ state: 'synced', bestBid: '105055.0', bestAsk: '105056.0' });
    expect(judgeReplay(r).problems).toEqual(['1 frame the adapter could not parse skipped', '1 sequence gap seen', 'the book crossed 1 time']);
  });

  it('`npm run replay -- --verify` exits 0 with verifyOk true', () => {
    const out = execFileSync('npx', ['tsx', 'src/main/cli/replay.ts', capture(FILE), '--verify'], { cwd: repoRoot, encoding: 'utf8' });
    const last = JSON.parse(out.trim().split('\n').at(-1)!) as { verifyOk: boolean; verify: { updatesChecked: number } };
    expect(last.verifyOk).toBe(true);
    expect(last.verify.updatesChecked).toBe(22);
  }, 60_000);
});
