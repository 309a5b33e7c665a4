/**
 * The records `npm run bench -- --only renderer` prints: their fields, in the order the README's bench
 * table and earlier runs' logs have them, and each record's figures taken from its own workload.
 */
import { describe, expect, it } from 'vitest';
import { rendererRecords, type FrameStats, type RendererResults } from '../../../../src/main/cli/bench-renderer';

/** Frame figures whose every value tells which workload it came from (`base` + a field offset). */
function stats(base: number, longTasks = 0): FrameStats {
  return {
    frames: base,
    intervalP50: base + 0.1,
    intervalP95: base + 0.2,
    intervalP99: base + 0.3,
    p50: base + 0.4,
    p95: base + 0.5,
    p99: base + 0.6,
    max: base + 0.7,
    longTasks,
    longestTaskMs: base + 0.8,
    mainThreadCpuMsPerSec: base + 0.9,
    rendererProcessCpuMsPerSec: base + 0.95,
    ladderUpdatesPerSec: base + 0.96,
    tapeUpdatesPerSec: base + 0.97,
  };
}

const FRAME_FIELDS = [
  'frameP50Ms',
  'frameP95Ms',
  'frameP99Ms',
  'frameMaxMs',
  'frameIntervalP95Ms',
  'frameIntervalP99Ms',
  'longTasksOver50Ms',
  'longestTaskMs',
  'mainThreadCpuMsPerSec',
  'rendererProcessCpuMsPerSec',
  'ladderUpdatesPerSec',
  'tapeUpdatesPerSec',
];
const BASELINE_FIELDS = ['baseline', 'baselineFrameP95Ms', 'baselineFrameP99Ms', 'baselineMainThreadCpuMsPerSec', 'ratioP95', 'ratioP99', 'target', 'met'];

const RESULTS: RendererResults = {
  page: stats(2),
  blank: stats(1),
  orderFlowDemo: stats(5),
  orderFlowDemoError: null,
  replay: { ...stats(3, 1), replays: 4 },
  orderFlow: { ...stats(9), replays: 2 },
  orderFlowError: null,
  soloP95: { ladder: 5.123, heatmap: 9.876 },
  soloCpu: { ladder: 30.111, heatmap: 41.999 },
};

describe('the renderer bench records', () => {
  it('prints demo, its order flow, replay and its order flow with the same fields in the same order, each from its own figures', () => {
    const [demo, orderFlowDemo, replay, orderFlow, ...rest] = rendererRecords(RESULTS, 5000);
    expect(rest).toEqual([]);
    expect(Object.keys(demo!)).toEqual(['bench', 'workload', 'frames', ...FRAME_FIELDS, ...BASELINE_FIELDS]);
    expect(Object.keys(orderFlowDemo!)).toEqual(['bench', 'workload', 'frames', ...FRAME_FIELDS, ...BASELINE_FIELDS]);
    expect(orderFlowDemo).toMatchObject({ bench: 'renderer-orderflow-demo', frames: 5, frameP95Ms: 5.5, baselineFrameP95Ms: 1.5, met: true });
    expect(orderFlowDemo!.workload).toContain('order-flow dashboard');
    expect(orderFlowDemo!.workload).toContain('at 5000 msgs/s with its trades');
    expect(Object.keys(replay!)).toEqual(['bench', 'workload', 'frames', 'replays', ...FRAME_FIELDS, 'soloPanelFrameP95Ms', 'soloPanelMainThreadCpuMsPerSec', ...BASELINE_FIELDS]);
    expect(Object.keys(orderFlow!)).toEqual(['bench', 'workload', 'frames', 'replays', ...FRAME_FIELDS, ...BASELINE_FIELDS]);

    expect(demo).toMatchObject({ bench: 'renderer', frames: 2, frameP95Ms: 2.5, frameIntervalP99Ms: 2.3, rendererProcessCpuMsPerSec: 2.95, ladderUpdatesPerSec: 2.96, tapeUpdatesPerSec: 2.97, baselineFrameP95Ms: 1.5, ratioP95: 1.67, met: true });
    expect(demo!.workload).toContain('at 5000 msgs/s');
    expect(replay).toMatchObject({
      bench: 'renderer-replay',
      frames: 3,
      replays: 4,
      frameP50Ms: 3.4,
      longTasksOver50Ms: 1,
      soloPanelFrameP95Ms: { ladder: 5.12, heatmap: 9.88 },
      soloPanelMainThreadCpuMsPerSec: { ladder: 30.11, heatmap: 42 },
      baselineMainThreadCpuMsPerSec: 1.9,
      met: false, // a long task
    });
    expect(orderFlow).toMatchObject({ bench: 'renderer-orderflow', frames: 9, replays: 2, frameMaxMs: 9.7, ratioP99: 6, met: false });
  });

  it('prints the demo alone without a replay, and the order-flow failure in its own record', () => {
    expect(rendererRecords({ ...RESULTS, orderFlowDemo: null, replay: null, orderFlow: null }, 5000).map((r) => r.bench)).toEqual(['renderer']);
    const failed = rendererRecords({ ...RESULTS, orderFlowDemo: null, orderFlowDemoError: 'locator.waitFor: Timeout 60000ms exceeded.', orderFlow: null, orderFlowError: 'page.reload: Timeout 120000ms exceeded.' }, 5000);
    expect(failed.map((r) => r.bench)).toEqual(['renderer', 'renderer-orderflow-demo', 'renderer-replay', 'renderer-orderflow']);
    expect(failed[1]).toEqual({ bench: 'renderer-orderflow-demo', error: 'locator.waitFor: Timeout 60000ms exceeded.' });
    expect(failed[3]).toEqual({ bench: 'renderer-orderflow', error: 'page.reload: Timeout 120000ms exceeded.' });
  });
});
