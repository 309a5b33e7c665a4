import { beforeAll, describe, expect, it } from 'vitest';
import { replayCapture } from '../../../src/main/capture/replay';
import { AUTO_LEVELS, depthReachBps, nextAutoRange, niceBps } from '../../../src/renderer/src/panels/depth/auto-range';
import type { LadderFrame } from '../../../src/shared/contract';
import { capture } from '../../support/paths';

type Sides = Pick<LadderFrame, 'bids' | 'asks'>;
const ladder = (bids: string[], asks: string[]): LadderFrame => ({ bids: bids.map((p) => [p, '1']), asks: asks.map((p) => [p, '1']) }) as unknown as LadderFrame;

/** The real ETHUSDT book's top levels every 50 ms of recorded time (the publisher's tick). */
const samples: Sides[] = [];
beforeAll(async () => {
  let next = 0;
  await replayCapture(capture('binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl'), {
    onReceived: (feed, localTs) => {
      if (feed.symbol !== 'ETHUSDT' || feed.state !== 'synced' || localTs < next) return;
      next = localTs + 50;
      const side = (s: 'bid' | 'ask') => feed.book.top(s, AUTO_LEVELS).map((l) => [l.price, l.sizeText] as [string, string]);
      samples.push({ bids: side('bid'), asks: side('ask') });
    },
  });
}, 60_000);

describe('depth auto range', () => {
  it('reaches the 25th level on the farther side (plus 5%), never less than twice the spread, at most 2%', () => {
    // mid 100: the 25th bid is 1% away, the 25th ask 0.5%.
    const bids = Array.from({ length: 30 }, (_, i) => String(99.99 - (i * 0.99) / 24));
    const asks = Array.from({ length: 30 }, (_, i) => String(100.01 + (i * 0.49) / 24));
    expect(depthReachBps(ladder(bids, asks))).toBeCloseTo(105, 6);
    // A one-level book with a 2% spread: four half-spreads, capped at 200 bps.
    expect(depthReachBps(ladder(['99'], ['101']))).toBe(200);
    expect(depthReachBps(ladder([], ['101']))).toBeNull();
    expect([0.05, 0.1, 0.15, 1, 1.01, 2.4, 2.6, 7, 12].map(niceBps)).toEqual([0.1, 0.1, 0.2, 1, 2, 5, 5, 10, 20]);
  });

  it('moves only when the reach leaves its band, and never straight back', () => {
    expect(nextAutoRange(null, 2.4)).toBe(5);
    expect(nextAutoRange(2, 2.5)).toBe(2); // within 1.25×
    expect(nextAutoRange(2, 2.6)).toBe(5);
    expect(nextAutoRange(5, 1.1)).toBe(5); // above 0.2×
    expect(nextAutoRange(5, 0.9)).toBe(1);
    // Whatever the reach, the range it moves to keeps it: a second look at the same reach changes nothing.
    for (let reach = 0.05; reach < 300; reach *= 1.07) {
      for (const held of [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200]) {
        const moved = nextAutoRange(held, reach);
        expect(nextAutoRange(moved, reach)).toBe(moved);
      }
    }
  });

  it('holds steady on the real ETHUSDT book, whose reach wanders about the 2-5 bps boundary', () => {
    const reaches = samples.map((s) => depthReachBps(s as LadderFrame)).filter((r): r is number => r !== null);
    expect(reaches.length).toBeGreaterThan(1000); // two minutes at 20 a second
    // The raw reach crosses the rounding boundary between 2 and 5 bps again and again: rounding alone
    // (the range niceBps gives each sample) changes range hundreds of times.
    let roundedChanges = 0;
    for (let i = 1; i < reaches.length; i++) if (niceBps(reaches[i]!) !== niceBps(reaches[i - 1]!)) roundedChanges++;
    expect(roundedChanges).toBeGreaterThan(50);
    let held: number | null = null;
    let changes = 0;
    for (const reach of reaches) {
      const next = nextAutoRange(held, reach);
      if (next !== held) changes++;
      held = next;
      // The 25th level is never more than 1.25× past the shown range, nor the range over 5× wider than it.
      expect(reach).toBeLessThanOrEqual(held * 1.25);
      expect(reach).toBeGreaterThanOrEqual(held * 0.2);
    }
    // Over two minutes the 25th level moves between 1.2 and 2.7 bps from mid: the range is chosen once.
    expect(changes).toBeLessThanOrEqual(2);
  });
});
