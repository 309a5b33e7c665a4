/**
 * The pacing of a replay in the running app, shared by the capture player and the tardis player:
 * recorded time `ts` (ms) is due at wall time `anchorWall + (ts - anchorTs) / speed`, and speed 0 plays
 * as fast as the app can. Pause, resume, a speed change and stop wake a waiting player at once; resume
 * and a speed change re-anchor at the last played time, so playback goes on from where it stood
 * instead of rushing to catch up with the wall clock.
 */
import { nextMacrotask } from './replay';

/** Where the clock reads the time and sleeps: the system's, or a virtual one in tests. */
export interface WallClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemWallClock: WallClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** At full speed, hand the event loop back this often so the app stays responsive. */
const YIELD_EVERY_MS = 8;
/** Longest single sleep while waiting for a line's time, so pause and stop act promptly. */
const MAX_SLEEP_MS = 200;

export class ReplayClock {
  private currentSpeed: number;
  private isPaused = false;
  private isStopped = false;
  /** Recorded time of the last line played (null until one with a time has played). */
  private playedTs: number | null = null;
  /** Pacing anchor: recorded time `anchorTs` is played at wall time `anchorWall`. */
  private anchorTs: number | null = null;
  private anchorWall = 0;
  /** Resolves the player's current wait early (one player waits on a clock at a time). */
  private wake: (() => void) | null = null;
  private lastYield: number;

  constructor(
    speed: number,
    private readonly wall: WallClock = systemWallClock,
  ) {
    this.currentSpeed = speed;
    this.lastYield = wall.now();
  }

  get speed(): number {
    return this.currentSpeed;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  get stopped(): boolean {
    return this.isStopped;
  }

  /** Recorded time of the last line played, or null before the first. */
  get position(): number | null {
    return this.playedTs;
  }

  /**
   * Resolves when recorded time `ts` is due at the current speed, or at once once stopped. A line
   * without a time (`ts` null) waits only while paused. The first timed line anchors the clock.
   */
  async waitFor(ts: number | null): Promise<void> {
    for (;;) {
      if (this.isStopped) return;
      if (this.isPaused) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if (this.currentSpeed <= 0 || ts === null) return;
      if (this.anchorTs === null) {
        this.anchorTs = ts;
        this.anchorWall = this.wall.now();
        return;
      }
      const wait = this.anchorWall + (ts - this.anchorTs) / this.currentSpeed - this.wall.now();
      if (wait <= 0) return;
      await Promise.race([this.wall.sleep(Math.min(wait, MAX_SLEEP_MS)), new Promise<void>((resolve) => (this.wake = resolve))]);
    }
  }

  /** The player has played the line at recorded time `ts`: the position resume and speed changes go on from. */
  played(ts: number): void {
    this.playedTs = ts;
  }

  /** Hands the event loop back when the player has held it for more than YIELD_EVERY_MS. */
  async yieldIfBusy(): Promise<void> {
    if (this.wall.now() - this.lastYield <= YIELD_EVERY_MS) return;
    await nextMacrotask();
    this.lastYield = this.wall.now();
  }

  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
    this.reanchor();
    this.wake?.();
  }

  setSpeed(speed: number): void {
    this.currentSpeed = speed;
    this.reanchor();
    this.wake?.();
  }

  stop(): void {
    this.isStopped = true;
    this.wake?.();
  }

  private reanchor(): void {
    this.anchorTs = this.playedTs;
    this.anchorWall = this.wall.now();
  }
}
