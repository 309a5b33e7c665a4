import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FrameJob } from '../../../src/renderer/src/panels/frame-jobs';
import { pacedDraw } from '../../../src/renderer/src/panels/paced-draw';

/** Data draws at most once per interval (candles): a frame every publisher tick is not a draw every tick. */
describe('paced draws', () => {
  let now: number;
  let requests: number;
  let cancels: number;
  const job: FrameJob = {
    request: () => void requests++,
    cancel: () => void cancels++,
    runNow: () => {},
    setRun: () => {},
  };

  beforeEach(() => {
    vi.useFakeTimers();
    now = 1000;
    requests = 0;
    cancels = 0;
  });
  afterEach(() => vi.useRealTimers());

  const advance = (ms: number) => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  it('draws the first data at once, then at most one draw per interval, and always the newest in the end', () => {
    const paced = pacedDraw(job, 250, () => now);
    paced.request();
    expect(requests).toBe(1);
    // Publisher ticks every 50 ms: 20 frames in a second.
    for (let i = 0; i < 19; i++) {
      advance(50);
      paced.request();
    }
    // At 0, 250, 500, 750 ms; the frame at 950 ms waits for 1000 ms.
    expect(requests).toBe(4);
    advance(50);
    expect(requests).toBe(5);
    // Nothing new: no more draws.
    advance(1000);
    expect(requests).toBe(5);
    // After a quiet spell, new data draws at once again.
    paced.request();
    expect(requests).toBe(6);
  });

  it('a cancelled draw does not run later', () => {
    const paced = pacedDraw(job, 250, () => now);
    paced.request();
    advance(10);
    paced.request(); // waits for 250 ms
    paced.cancel();
    expect(cancels).toBe(1);
    advance(1000);
    expect(requests).toBe(1);
  });
});
