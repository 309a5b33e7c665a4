import type { Clock } from './transport';

/**
 * Calls `tick(now)` every `everyMs` from start() until stop(); a new start() ends the previous run,
 * so a timer armed for an old connection never ticks for the new one.
 */
export class RepeatingTimer {
  private timer: unknown = null;
  /** Bumped by stop(): a pending callback of an earlier run sees it and does nothing. */
  private run = 0;

  constructor(
    private readonly clock: Clock,
    private readonly everyMs: number,
    private readonly tick: (now: number) => void,
  ) {}

  start(): void {
    this.stop();
    this.schedule(this.run);
  }

  stop(): void {
    this.run++;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(run: number): void {
    this.timer = this.clock.setTimeout(() => {
      if (run !== this.run) return;
      this.tick(this.clock.now());
      this.schedule(run);
    }, this.everyMs);
  }
}
