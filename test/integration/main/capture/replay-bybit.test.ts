import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../src/main/capture/replay';
import { repoRoot, capture } from '../../../support/paths';

const FILE = 'bybit-linear_2024-12-01.capture.jsonl';

interface Frame {
  topic: string;
  type: string;
  data: { s: string; b: [string, string][]; a: [string, string][]; u: number };
}

/**
 * An independent reference: replay the recorded frames with plain Maps and number comparisons (no
 * adapter, no OrderBook), so the adapter's result is checked against the data, not against itself.
 */
function reference() {
  const frames = readFileSync(capture(FILE), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; data?: string })
    .filter((l) => l.kind === 'recv')
    .map((l) => JSON.parse(l.data!) as Frame);
  const bids = new Map<string, string>();
  const asks = new Map<string, string>();
  const us: number[] = [];
  let crossedAt: number | null = null;
  let topChanges = 0;
  let lastTop = '';
  for (const f of frames) {
    if (f.type === 'snapshot') {
      bids.clear();
      asks.clear();
    }
    for (const [side, levels] of [
      [bids, f.data.b],
      [asks, f.data.a],
    ] as const) {
      for (const [p, q] of levels) {
        if (Number(q) === 0) side.delete(p);
        else side.set(p, q);
      }
    }
    us.push(f.data.u);
    const bb = [...bids.keys()].sort((x, y) => Number(y) - Number(x))[0]!;
    const ba = [...asks.keys()].sort((x, y) => Number(x) - Number(y))[0]!;
    if (Number(bb) >= Number(ba) && crossedAt === null) crossedAt = f.data.u;
    const top = `${bb}:${bids.get(bb)}:${ba}:${asks.get(ba)}`;
    if (top !== lastTop) topChanges++;
    lastTop = top;
  }
  const bb = [...bids.keys()].sort((x, y) => Number(y) - Number(x))[0]!;
  const ba = [...asks.keys()].sort((x, y) => Number(x) - Number(y))[0]!;
  return { frames, bids, asks, us, crossedAt, topChanges, bestBid: bb, bestAsk: ba };
}

describe('replay of the shared Bybit linear capture (XRPUSDT orderbook.500)', () => {
  const ref = reference();

  it('the capture itself: one snapshot, 49 deltas, u contiguous, never crossed', () => {
    expect(ref.frames).toHaveLength(50);
    expect(ref.frames.filter((f) => f.type === 'snapshot')).toHaveLength(1);
    expect(new Set(ref.frames.map((f) => f.topic))).toEqual(new Set(['orderbook.500.XRPUSDT']));
    for (let i = 1; i < ref.us.length; i++) expect(ref.us[i]).toBe(ref.us[i - 1]! + 1);
    expect(ref.crossedAt).toBeNull();
  });

  it('rebuilds the book through the adapter: every u applied in order, no gaps, never crossed', async () => {
    const applied: Array<{ kind: string; seq: number | undefined }> = [];
    const r = await replayCapture(capture(FILE), { onBook: (_feed, event) => void applied.push({ kind: event.kind, seq: event.seq }) });
    expect(r.unsupported).toEqual([]);
    expect(r.messages).toBe(50);
    expect(r.malformedFrames).toBe(0);
    // 49 deltas, every one checked to continue u: the only check this feed offers besides crossing.
    expect(r.verify).toEqual({ checksumOk: 0, checksumFailed: 0, bboOk: 0, bboFailed: 0, gaps: 0, resyncs: 0, crossed: 0, updatesChecked: 49, sequenceChecked: 49, tradeGaps: 0 });
    // The adapter applied the snapshot and then each delta exactly once, in u order.
    expect(applied.map((e) => e.seq)).toEqual(ref.us);
    expect(applied[0]!.kind).toBe('snapshot');
    expect(applied.slice(1).every((e) => e.kind === 'delta')).toBe(true);
    expect(r.books).toHaveLength(1);
    const book = r.books[0]!;
    expect(book).toMatchObject({ venue: 'bybit-linear', symbol: 'XRPUSDT', state: 'synced' });
    expect(book.bestBid).toBe(ref.bestBid);
    expect(book.bestAsk).toBe(ref.bestAsk);
    expect(book.bidLevels).toBe(ref.bids.size);
    expect(book.askLevels).toBe(ref.asks.size);
    expect(r.topOfBookChanges).toBe(ref.topChanges);
    // The values the reference derives, written out so a change in either is visible.
    expect([book.bestBid, book.bestAsk, book.bidLevels, book.askLevels]).toEqual(['1.9537', '1.9538', 500, 500]);
  });

  it('the final book equals the reference level by level', async () => {
    let levels: { bids: [string, string][]; asks: [string, string][] } | null = null;
    await replayCapture(capture(FILE), {
      onBook: (feed) => {
        levels = {
          bids: [...feed.book.levels('bid')].map((l) => [l.price, l.sizeText]),
          asks: [...feed.book.levels('ask')].map((l) => [l.price, l.sizeText]),
        };
      },
    });
    const sortedBids = [...ref.bids].sort((x, y) => Number(y[0]) - Number(x[0]));
    const sortedAsks = [...ref.asks].sort((x, y) => Number(x[0]) - Number(y[0]));
    expect(levels!.bids).toEqual(sortedBids);
    expect(levels!.asks).toEqual(sortedAsks);
  });

  it('the replay CLI with --verify reports it and exits 0', () => {
    const out = execFileSync('npx', ['tsx', 'src/main/cli/replay.ts', capture(FILE), '--verify'], { cwd: repoRoot, encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop()!) as {
      verifyOk: boolean;
      verify: { gaps: number; crossed: number };
      books: Array<{ bestBid: string; bestAsk: string; bidLevels: number; askLevels: number; state: string }>;
    };
    expect(result.verifyOk).toBe(true);
    expect(result.verify.gaps).toBe(0);
    expect(result.verify.crossed).toBe(0);
    expect(result.books).toEqual([
      { venue: 'bybit-linear', symbol: 'XRPUSDT', bestBid: ref.bestBid, bestAsk: ref.bestAsk, bidLevels: 500, askLevels: 500, state: 'synced', messages: 50, everSynced: true, trades: 0, tradeVolume: '0', buyVolume: '0', sellVolume: '0', tradeGaps: 0 },
    ]);
  });

  it('a capture that records its subscribe frame replays at the depth it names, to the same book', async () => {
    const lines = readFileSync(capture(FILE), 'utf8').trim().split('\n');
    const send = JSON.stringify({ ts: 1733011200600, conn: 'c1', venue: 'bybit-linear', kind: 'send', data: '{"req_id":"1","op":"subscribe","args":["orderbook.500.XRPUSDT"]}' });
    const dir = mkdtempSync(join(tmpdir(), 'obm-bybit-'));
    const file = join(dir, 'with-send.capture.jsonl');
    writeFileSync(file, [lines[0], send, ...lines.slice(1)].join('\n') + '\n');
    const notes: string[] = [];
    const r = await replayCapture(file, { logger: { log: (_l, event) => void notes.push(event) } });
    expect(r.verify.gaps).toBe(0);
    expect(r.books[0]).toMatchObject({ symbol: 'XRPUSDT', bestBid: ref.bestBid, bestAsk: ref.bestAsk, bidLevels: 500, askLevels: 500, state: 'synced' });
    // The depth came from the recorded subscribe, not from following the stream.
    expect(notes).not.toContain('depth-followed');
  });

  it('a capture with a delta missing fails: the gap is counted and the book is not left half-right', async () => {
    const lines = readFileSync(capture(FILE), 'utf8').trim().split('\n');
    const dir = mkdtempSync(join(tmpdir(), 'obm-bybit-'));
    const file = join(dir, 'gap.capture.jsonl');
    // Drop the 10th delta (u = 20254879).
    writeFileSync(file, lines.filter((_l, i) => i !== 11).join('\n') + '\n');
    const r = await replayCapture(file);
    expect(r.verify.gaps).toBe(1);
    expect(r.verify.resyncs).toBe(1);
    // The resubscribe cannot be answered from a recording: the book stays empty rather than wrong.
    expect(r.books[0]).toMatchObject({ state: 'resyncing', bidLevels: 0, askLevels: 0 });
  });
});
