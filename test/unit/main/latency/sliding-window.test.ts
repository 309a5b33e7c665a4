import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlidingLatencyWindow } from '../../../../src/main/latency/sliding-window';

/** The reference: keep every sample, filter by the same rules, sort, take nearest ranks. */
function reference(samples: Array<{ at: number; ms: number }>, now: number, capacity: number, spanMs: number) {
  const kept = samples.slice(-capacity).filter((s) => now - s.at <= spanMs);
  if (kept.length === 0) return null;
  const sorted = kept.map((s) => s.ms).sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
  return { count: sorted.length, p50: rank(50), p99: rank(99), max: sorted[sorted.length - 1] };
}

describe('SlidingLatencyWindow', () => {
  it('matches a sort of the samples still in the window, for any sequence and read time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 60 }), ms: fc.double({ min: -50, max: 5_000, noNaN: true }) }), { maxLength: 300 }),
        fc.integer({ min: 0, max: 6_000 }),
        (capacity, spanMs, steps, readDelay) => {
          const window = new SlidingLatencyWindow(capacity, spanMs);
          const samples: Array<{ at: number; ms: number }> = [];
          let at = 1_000_000;
          for (const step of steps) {
            at += step.gap;
            window.add(at, step.ms);
            samples.push({ at, ms: step.ms });
          }
          const now = at + readDelay;
          const got = window.summary(now);
          const want = reference(samples, now, capacity, spanMs);
          if (want === null) expect(got).toBeNull();
          else expect(got).toMatchObject(want);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('takes the nearest rank upwards: of 60 samples, p99 is the largest and p50 the 30th', () => {
    const window = new SlidingLatencyWindow(100, 60_000);
    for (let i = 1; i <= 60; i++) window.add(i, i);
    expect(window.summary(60)).toMatchObject({ count: 60, p50: 30, p99: 60, max: 60 });
  });

  it('reads the throughput over the time the window covers', () => {
    const window = new SlidingLatencyWindow(1000, 10_000);
    for (let i = 0; i < 50; i++) window.add(i * 100, 5); // 10 samples/s for 4.9 s
    expect(window.summary(5_000)?.perSec).toBeCloseTo(10, 5);
    // Twenty seconds later every sample has left the 10 s window.
    expect(window.summary(25_000)).toBeNull();
  });

  it('keeps memory bounded: a full ring holds its capacity and reports the newest samples', () => {
    const window = new SlidingLatencyWindow(4, 60_000);
    for (let i = 1; i <= 100; i++) window.add(i, i);
    expect(window.summary(100)).toMatchObject({ count: 4, p50: 98, p99: 100, max: 100 });
  });
});
