import type { FrameJob } from './frame-jobs';

// The browser's, declared here so Node's unit tests (compiled without DOM types) can load this module.
declare function setTimeout(callback: () => void, ms: number): number;
declare function clearTimeout(id: number): void;

/** How often new data is drawn at most by a paced panel: a human reads nothing faster, a chart costs each time. */
export const DATA_DRAW_INTERVAL_MS = 250;

export interface PacedDraw {
  /** New data: draw it in a frame soon, but no sooner than `intervalMs` after the last data draw. */
  request(): void;
  /** Forget a waiting draw (the panel unmounted or its stream changed). */
  cancel(): void;
}

/**
 * Data draws of a frame job, at most one per `intervalMs`: a full-speed replay or a busy feed sends a
 * frame every publisher tick (20 a second), and drawing each costs the window far more than it shows.
 * The first request after a quiet spell draws at once (in the next frame); the newest data is always
 * drawn in the end. The pointer and settings should call the job directly, unpaced.
 */
export function pacedDraw(job: FrameJob, intervalMs = DATA_DRAW_INTERVAL_MS, now: () => number = () => performance.now()): PacedDraw {
  let lastDraw = -Infinity;
  let timer = 0;
  const drawNow = () => {
    timer = 0;
    lastDraw = now();
    job.request();
  };
  return {
    request() {
      if (timer) return;
      const wait = lastDraw + intervalMs - now();
      if (wait <= 0) drawNow();
      else timer = setTimeout(drawNow, wait);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = 0;
      job.cancel();
    },
  };
}
