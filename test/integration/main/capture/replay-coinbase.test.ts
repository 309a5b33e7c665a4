import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../src/main/capture/replay';
import type { SymbolFeed } from '../../../../src/main/venues/symbol-feed';
import { capture, repoRoot } from '../../../support/paths';

const FILE = 'coinbase_2021-04-17.capture.jsonl';

interface Frame {
  type: string;
  product_id?: string;
  time?: string;
  bids?: [string, string][];
  asks?: [string, string][];
  changes?: [string, string, string][];
  best_bid?: string;
  best_ask?: string;
}

/**
 * An independent reference: the recorded frames replayed with plain Maps keyed by the numeric price
 * (no adapter, no OrderBook, no shared decimal code), plus the ticker comparison the adapter's
 * 'exact' rule describes (a ticker stamped with the same time as the last update applied to its
 * product), done here with plain string and number comparisons.
 */
function reference() {
  const frames = readFileSync(capture(FILE), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; data?: string })
    .filter((l) => l.kind === 'recv')
    .map((l) => JSON.parse(l.data!) as Frame);
  const books = new Map<string, { bid: Map<number, string>; ask: Map<number, string>; lastTime: string | null }>();
  let updates = 0;
  let crossed = 0;
  let tickersCompared = 0;
  let tickersEqual = 0;
  const best = (m: Map<number, string>, dir: 1 | -1): number => [...m.keys()].reduce((a, b) => (dir * b > dir * a ? b : a), dir === 1 ? -Infinity : Infinity);
  for (const f of frames) {
    if (f.type === 'snapshot') {
      const bid = new Map(f.bids!.map(([p, s]) => [Number(p), s] as const));
      const ask = new Map(f.asks!.map(([p, s]) => [Number(p), s] as const));
      books.set(f.product_id!, { bid, ask, lastTime: null });
    } else if (f.type === 'l2update') {
      const b = books.get(f.product_id!)!;
      for (const [side, p, s] of f.changes!) {
        const m = side === 'buy' ? b.bid : b.ask;
        if (Number(s) === 0) m.delete(Number(p));
        else m.set(Number(p), s);
      }
      b.lastTime = f.time!;
      updates++;
      if (best(b.bid, 1) >= best(b.ask, -1)) crossed++;
    } else if (f.type === 'ticker') {
      const b = books.get(f.product_id!);
      if (!b || b.lastTime === null || b.lastTime !== f.time) continue;
      tickersCompared++;
      if (Number(f.best_bid) === best(b.bid, 1) && Number(f.best_ask) === best(b.ask, -1)) tickersEqual++;
    }
  }
  return { frames, books, updates, crossed, tickersCompared, tickersEqual, best };
}

/** Final best bid / ask per product, derived from the data (the reference above computes the same). */
const FINAL_TOP: Record<string, [string, string]> = {
  'BAND-GBP': ['14.7366', '14.7664'],
  'SKL-GBP': ['0.5747', '0.5768'],
  'NU-GBP': ['0.4388', '0.4393'],
  'YFI-BTC': ['0.82553', '0.82696'],
  'SKL-BTC': ['0.00001303', '0.00001305'],
  'CRV-EUR': ['3.2956', '3.3010'],
  'BAND-BTC': ['0.00033388', '0.00033421'],
  'DASH-BTC': ['0.00619316', '0.00619947'],
  'NMR-EUR': ['66.9257', '67.0210'],
  'SKL-USD': ['0.7902', '0.7911'],
};

describe('replay of the shared Coinbase capture (legacy level2, 10 products)', () => {
  const ref = reference();

  it('the capture itself: 10 snapshots, 9,719 l2updates, never crossed, 97 tickers comparable and equal', () => {
    expect(ref.frames.filter((f) => f.type === 'snapshot')).toHaveLength(10);
    expect(ref.updates).toBe(9719);
    expect(ref.crossed).toBe(0);
    expect(ref.tickersCompared).toBe(97);
    expect(ref.tickersEqual).toBe(97);
    for (const [product, b] of ref.books) {
      expect([String(ref.best(b.bid, 1)), String(ref.best(b.ask, -1))].map(Number)).toEqual(FINAL_TOP[product]!.map(Number));
    }
  });

  it('rebuilds all 10 books through the coinbase adapter: every l2update applied, no gaps, never crossed', async () => {
    const kinds = { snapshot: 0, delta: 0 };
    const feeds = new Set<SymbolFeed>();
    const r = await replayCapture(capture(FILE), {
      onBook: (feed, event) => {
        kinds[event.kind]++;
        feeds.add(feed);
      },
    });
    expect(r.unsupported).toEqual([]);
    expect(r.corruptLines.count).toBe(0);
    expect(r.malformedFrames).toBe(0);
    expect(r.messages).toBe(9946);
    expect(kinds).toEqual({ snapshot: 10, delta: 9719 });
    expect(kinds.delta).toBe(ref.updates);
    // 97 tickers are comparable under the 'exact' rule and all agree; none failed.
    // No sequence on this feed: each of the 9,719 updates is checked for crossing only.
    expect(r.verify).toEqual({ checksumOk: 0, checksumFailed: 0, bboOk: 97, bboFailed: 0, gaps: 0, resyncs: 0, crossed: 0, updatesChecked: 9719, sequenceChecked: 0, tradeGaps: 0 });
    expect(r.verify.bboOk).toBe(ref.tickersEqual);
    expect(r.books).toHaveLength(10);
    for (const b of r.books) {
      expect(b.state).toBe('synced');
      expect([b.bestBid, b.bestAsk]).toEqual(FINAL_TOP[b.symbol]);
    }
    // Nothing was dropped for arriving before its snapshot, and no product lost its book.
    for (const feed of feeds) expect(feed.health.staleDropped).toBe(0);
  });

  it('every final book equals the reference level by level', async () => {
    const feeds = new Map<string, SymbolFeed>();
    await replayCapture(capture(FILE), { onBook: (feed) => void feeds.set(feed.symbol, feed) });
    expect(feeds.size).toBe(10);
    for (const [product, b] of ref.books) {
      const feed = feeds.get(product)!;
      const side = (s: 'bid' | 'ask') => [...feed.book.levels(s)].map((l) => [Number(l.price), Number(l.sizeText)]);
      const refSide = (m: Map<number, string>, dir: 1 | -1) => [...m].map(([p, s]) => [p, Number(s)]).sort((x, y) => dir * (y[0]! - x[0]!));
      expect(side('bid')).toEqual(refSide(b.bid, 1));
      expect(side('ask')).toEqual(refSide(b.ask, -1));
    }
  });

  it('the replay CLI with --verify reports it and exits 0', () => {
    const out = execFileSync('npx', ['tsx', 'src/main/cli/replay.ts', capture(FILE), '--verify'], { cwd: repoRoot, encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop()!) as {
      verifyOk: boolean;
      verify: { bboOk: number; bboFailed: number; gaps: number; crossed: number };
      books: Array<{ symbol: string; bestBid: string; bestAsk: string; state: string }>;
    };
    expect(result.verifyOk).toBe(true);
    expect(result.verify).toMatchObject({ bboOk: 97, bboFailed: 0, gaps: 0, crossed: 0 });
    expect(result.books.map((b) => [b.symbol, b.bestBid, b.bestAsk, b.state]).sort()).toEqual(
      Object.entries(FINAL_TOP)
        .map(([s, [bid, ask]]) => [s, bid, ask, 'synced'])
        .sort(),
    );
  });
});
