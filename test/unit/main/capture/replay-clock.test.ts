/**
 * The replay pacing both in-app players use (capture and tardis), on a virtual wall clock: recorded
 * time plays at the chosen speed, pause and resume keep the position, a speed change re-anchors at the
 * last played time, and stop wakes a player that is waiting.
 */
import { describe, expect, it } from 'vitest';
import { ReplayClock, type WallClock } from '../../../../src/main/capture/replay-clock';

/** A wall clock that moves only when the test says: sleeps end as `advance` passes their time. */
class VirtualWallClock implements WallClock {
  private time = 1_700_000_000_000;
  private sleepers: Array<{ until: number; wake: () => void }> = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.sleepers.push({ until: this.time + ms, wake: resolve }));
  }

  /** Moves time forward in 1 ms steps, waking each sleeper when its time comes and letting it run. */
  async advance(ms: number): Promise<void> {
    for (let i = 0; i < ms; i++) {
      this.time++;
      const due = this.sleepers.filter((s) => s.until <= this.time);
      this.sleepers = this.sleepers.filter((s) => s.until > this.time);
      for (const s of due) s.wake();
      await settle();
    }
  }
}

/** Lets every pending promise callback run (the clock's loop awaits several in a row). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** A wait on the clock whose end the test can observe. */
function waiting(clock: ReplayClock, ts: number | null): { ended: () => boolean } {
  let ended = false;
  void clock.waitFor(ts).then(() => (ended = true));
  return { ended: () => ended };
}

/** The wait ends exactly `ms` of wall time from now: not 1 ms before. */
async function expectEndsAfter(wall: VirtualWallClock, wait: { ended: () => boolean }, ms: number): Promise<void> {
  await wall.advance(ms - 1);
  expect(wait.ended()).toBe(false);
  await wall.advance(1);
  expect(wait.ended()).toBe(true);
}

/** Plays the line at `ts`: waits until it is due, then records it as played. */
async function playAt(clock: ReplayClock, ts: number): Promise<void> {
  await clock.waitFor(ts);
  clock.played(ts);
}

const T0 = 1_723_100_000_000;

/** A clock at 1× on a virtual wall clock, anchored by playing its first line at T0. */
async function anchoredClock(): Promise<{ wall: VirtualWallClock; clock: ReplayClock }> {
  const wall = new VirtualWallClock();
  const clock = new ReplayClock(1, wall);
  await playAt(clock, T0); // the first timed line anchors the clock and plays at once
  return { wall, clock };
}

describe('ReplayClock', () => {
  it('plays recorded time at 1× and at 10×, and not at all at speed 0', async () => {
    const { wall, clock } = await anchoredClock();
    const second = waiting(clock, T0 + 1000);
    await expectEndsAfter(wall, second, 1000);
    clock.played(T0 + 1000);

    clock.setSpeed(10);
    const fast = waiting(clock, T0 + 3000); // 2 s of recorded time at 10×: 200 ms
    await expectEndsAfter(wall, fast, 200);

    clock.setSpeed(0);
    const full = waiting(clock, T0 + 3_600_000);
    await settle();
    expect(full.ended()).toBe(true);
  });

  it('lets a line without a recorded time through at once, but not while paused', async () => {
    const { wall, clock } = await anchoredClock();
    const untimed = waiting(clock, null);
    await settle();
    expect(untimed.ended()).toBe(true);

    clock.pause();
    const held = waiting(clock, null);
    await wall.advance(500);
    expect(held.ended()).toBe(false);
    clock.resume();
    await settle();
    expect(held.ended()).toBe(true);
  });

  it('holds still while paused and, resumed, goes on from the position it played, not the wall clock', async () => {
    const { wall, clock } = await anchoredClock();
    const first = waiting(clock, T0 + 5000);
    await wall.advance(5000);
    expect(first.ended()).toBe(true);
    clock.played(T0 + 5000);

    clock.pause();
    expect(clock.paused).toBe(true);
    const next = waiting(clock, T0 + 6000);
    await wall.advance(60_000); // a minute paused: the next line stays held
    expect(next.ended()).toBe(false);
    expect(clock.position).toBe(T0 + 5000);

    clock.resume();
    // Re-anchored at the played position: the line 1 s later is due 1 s after resuming, not at once.
    await expectEndsAfter(wall, next, 1000);
  });

  it('re-anchors on a speed change: a waiting line is due by the new speed from the played position', async () => {
    const { wall, clock } = await anchoredClock();
    const far = waiting(clock, T0 + 10_000);
    await wall.advance(2000);
    expect(far.ended()).toBe(false);
    clock.setSpeed(10);
    expect(clock.speed).toBe(10);
    // 10 s from the played position (T0) at 10×: 1 s from the change (not 8 s left at 1×, nor 0.8 s).
    await expectEndsAfter(wall, far, 1000);
  });

  it('stop wakes a player waiting on a paused clock or on a far line, and later waits end at once', async () => {
    const { wall, clock } = await anchoredClock();
    const far = waiting(clock, T0 + 3_600_000);
    await wall.advance(300);
    expect(far.ended()).toBe(false);
    clock.stop();
    await settle();
    expect(far.ended()).toBe(true);
    expect(clock.stopped).toBe(true);
    const after = waiting(clock, T0 + 7_200_000);
    await settle();
    expect(after.ended()).toBe(true);

    const pausedClock = new ReplayClock(1, wall);
    pausedClock.pause();
    const held = waiting(pausedClock, T0);
    await wall.advance(1000);
    expect(held.ended()).toBe(false);
    pausedClock.stop();
    await settle();
    expect(held.ended()).toBe(true);
  });
});
