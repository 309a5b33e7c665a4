/**
 * One animation-frame loop for every panel's drawing.
 *
 * A panel asks for a draw (`job.request()`); each animation frame runs the waiting draws, oldest request
 * first, until the frame's budget is spent, and the rest wait for the next frame. Why: the publisher sends
 * every stream's frame on the same tick, so with one requestAnimationFrame per panel a dashboard drew all
 * its panels in the same animation frame, which then took as long as all the draws together (a dropped
 * frame on every tick). Spread over frames, a frame costs about one draw; a draw asked for again while it
 * waits keeps its place and runs once.
 *
 * A draw is also held back when what it usually costs would take the frame past its budget, unless it
 * is the frame's first: the heatmap's draw (about 3.5 ms) started after other draws of the same frame
 * made most of the slowest frames on the demo. A held draw keeps its place (it runs before any draw
 * asked for after it); smaller draws behind it may still fill this frame.
 */

// The browser's, declared here so Node's unit tests (compiled without DOM types) can load this module.
declare const requestAnimationFrame: (callback: () => void) => number;
declare const reportError: (error: unknown) => void;

/**
 * Main-thread time a frame may spend on panel draws before the rest wait for the next frame. 2 ms read
 * the shortest frames (4 ms: demo p95 about 1 ms longer); where more draws are asked for than frames of
 * 2 ms hold, a waiting draw's newer request replaces the older one, so a panel shows fewer updates.
 */
export const FRAME_BUDGET_MS = 2;

export interface FrameJob {
  /** Draw in an animation frame soon (once, however often it is asked for before it runs). */
  request(): void;
  /** Forget a waiting request (the panel unmounted or its stream changed). */
  cancel(): void;
  /** Draw now (a rebuilt chart, the pointer): a waiting request is served by it. */
  runNow(): void;
  /** Draw with this function from now on (a React panel's newest draw). */
  setRun(run: () => void): void;
}

interface Waiting {
  run: () => void;
  /** What a run usually costs (ms): a moving average of its last runs, 0 before the first. */
  cost: number;
}

/** Weight of the newest run in a draw's usual cost. */
const COST_WEIGHT = 0.3;

/** Insertion-ordered: the first is the oldest request. */
const waiting = new Set<Waiting>();
let frameRequested = false;
/** The next frame is a chart library's own paint (see leaveNextFrame): the loop draws nothing in it. */
let nextFrameLeft = false;

/**
 * A chart that paints in its own animation frame (lightweight-charts) was just given data in this
 * frame's draws: its paint, several milliseconds, comes in the next frame, so the loop leaves that
 * frame to it and runs the waiting draws in the one after. Otherwise the paint and a frame's budget of
 * draws land together.
 */
export function leaveNextFrame(): void {
  nextFrameLeft = true;
}

function runFrame(): void {
  frameRequested = false;
  if (nextFrameLeft) {
    nextFrameLeft = false;
    if (waiting.size > 0) requestFrame();
    return;
  }
  const start = performance.now();
  let ran = false;
  // A draw that asks for itself again goes to the next frame, not round this loop.
  const due = [...waiting];
  for (const job of due) {
    if (!waiting.has(job)) continue; // cancelled by an earlier draw in this frame
    const before = performance.now();
    if (ran && before - start + job.cost > FRAME_BUDGET_MS) continue; // held for the next frame, in its place
    waiting.delete(job);
    ran = true;
    try {
      job.run();
    } catch (error) {
      // One panel's failure must not stop the others drawing; the browser reports it as uncaught.
      reportError(error);
    }
    const after = performance.now();
    job.cost = job.cost === 0 ? after - before : job.cost + COST_WEIGHT * (after - before - job.cost);
    if (after - start >= FRAME_BUDGET_MS) break;
  }
  if (waiting.size > 0) requestFrame();
}

function requestFrame(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(runFrame);
}

/** A panel's draw, run in the shared frame loop. `run` is called with no arguments each time it is due. */
export function frameJob(run: () => void): FrameJob {
  const job: Waiting = { run, cost: 0 };
  return {
    request() {
      if (waiting.has(job)) return;
      waiting.add(job);
      requestFrame();
    },
    cancel() {
      waiting.delete(job);
    },
    runNow() {
      waiting.delete(job);
      job.run();
    },
    setRun(run) {
      job.run = run;
    },
  };
}
