import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** The shared frame loop, with animation frames and the clock driven by the test. */
describe('frame jobs: panel draws spread over animation frames', () => {
  let frames: Array<() => void>;
  let now: number;
  let reported: unknown[];

  beforeEach(() => {
    vi.resetModules();
    frames = [];
    now = 0;
    reported = [];
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
    vi.stubGlobal('performance', { now: () => now });
    vi.stubGlobal('reportError', (e: unknown) => reported.push(e));
  });
  afterEach(() => vi.unstubAllGlobals());

  const nextFrame = () => {
    const due = frames.splice(0);
    expect(due.length).toBeLessThanOrEqual(1); // one loop, however many panels asked
    for (const cb of due) cb();
  };

  it('runs waiting draws oldest first until the budget is spent; the rest wait for the next frame', async () => {
    const { frameJob, FRAME_BUDGET_MS } = await import('../../../src/renderer/src/panels/frame-jobs');
    const ran: string[] = [];
    const job = (name: string, cost: number) => frameJob(() => { ran.push(name); now += cost; });
    const quarter = FRAME_BUDGET_MS / 4;
    const [a, b, c, d] = [job('a', quarter), job('b', FRAME_BUDGET_MS), job('c', quarter), job('d', quarter)];
    d.request();
    a.request();
    b.request();
    c.request();
    a.request(); // asked again while waiting: keeps its place, runs once
    nextFrame();
    expect(ran).toEqual(['d', 'a', 'b']);
    nextFrame();
    expect(ran).toEqual(['d', 'a', 'b', 'c']);
    expect(frames).toHaveLength(0); // nothing waiting: no frame asked for
  });

  it('holds back a draw whose usual cost would take the frame past its budget, unless it is the frame\'s first; it keeps its place', async () => {
    const { frameJob, FRAME_BUDGET_MS } = await import('../../../src/renderer/src/panels/frame-jobs');
    const ran: string[] = [];
    const job = (name: string, cost: number) => frameJob(() => { ran.push(name); now += cost; });
    const heatmap = job('heatmap', FRAME_BUDGET_MS * 1.5); // dearer than a whole frame's budget
    const ladder = job('ladder', FRAME_BUDGET_MS / 2);
    const tape = job('tape', FRAME_BUDGET_MS / 4);
    // Learn the costs: each alone in its frame (a draw first in its frame always runs).
    heatmap.request();
    nextFrame();
    ladder.request();
    tape.request();
    nextFrame();
    expect(ran).toEqual(['heatmap', 'ladder', 'tape']);
    ran.length = 0;

    ladder.request();
    heatmap.request();
    tape.request();
    nextFrame();
    // The ladder used half the budget: the heatmap would overrun it, so it waits; the tape behind it fits.
    expect(ran).toEqual(['ladder', 'tape']);
    ladder.request();
    nextFrame();
    // The held heatmap is now the oldest request: first in this frame, alone (the ladder no longer fits).
    expect(ran).toEqual(['ladder', 'tape', 'heatmap']);
    nextFrame();
    expect(ran).toEqual(['ladder', 'tape', 'heatmap', 'ladder']);
    expect(frames).toHaveLength(0);
  });

  it('the frame after a chart was given data is left to the chart paint: waiting draws run in the one after', async () => {
    const { frameJob, leaveNextFrame } = await import('../../../src/renderer/src/panels/frame-jobs');
    const ran: string[] = [];
    const chart = frameJob(() => {
      ran.push('chart');
      leaveNextFrame();
    });
    const ladder = frameJob(() => ran.push('ladder'));
    chart.request();
    nextFrame();
    expect(ran).toEqual(['chart']);
    ladder.request();
    nextFrame(); // the chart's paint
    expect(ran).toEqual(['chart']);
    nextFrame();
    expect(ran).toEqual(['chart', 'ladder']);
    ladder.request();
    nextFrame(); // once only
    expect(ran).toEqual(['chart', 'ladder', 'ladder']);
  });

  it('a draw that asks for itself again runs in the next frame; a cancelled one never; a failing one does not stop the others', async () => {
    const { frameJob } = await import('../../../src/renderer/src/panels/frame-jobs');
    let count = 0;
    const again = frameJob(() => { count++; if (count < 3) again.request(); });
    const cancelled = frameJob(() => { throw new Error('must not run'); });
    const failing = frameJob(() => { throw new Error('draw failed'); });
    let after = 0;
    const later = frameJob(() => { after++; });
    again.request();
    cancelled.request();
    failing.request();
    later.request();
    cancelled.cancel();
    nextFrame();
    expect([count, after]).toEqual([1, 1]);
    expect(reported.map((e) => (e as Error).message)).toEqual(['draw failed']);
    nextFrame();
    nextFrame();
    expect(count).toBe(3);
    expect(frames).toHaveLength(0);
  });
});
