/**
 * Renderer: the dashboard in Chromium (Playwright, Debian's build) against the bench web host
 * (bench-host.ts) with the demo venue at 5,000 messages/s; the default layout (ladder, depth, time
 * series, heatmap, tape, health) on demo BTCUSDT. Frame time: from a frame's start (its requestAnimationFrame
 * timestamp) to the end of the main thread's work for it (a message posted from the frame callback
 * runs right after the frame's style, layout and paint): p50/p95/p99 over `seconds`. Frame interval
 * percentiles show dropped frames; long tasks (> 50 ms) come from PerformanceObserver('longtask'). How
 * often the ladder's and the tape's shown content changed is counted alongside: short frames bought by
 * showing fewer updates would show there.
 * Baseline, in the same browser and run: an empty page doing nothing but the frame loop.
 *
 * Replay case: the same dashboard on a real capture (Binance USD-M ETHUSDT, from ../shared) replayed at
 * full speed in the host and started again whenever it ends, measured the same way; then each panel
 * alone in its own window on that replay, to see which one costs the most.
 *
 * Order-flow cases (issue 17): the default dashboard plus Candles, Footprint and the Traded volume
 * profile with the heatmap's trade bubbles on (ORDER_FLOW_LAYOUT), on the demo at the same rate (with its
 * trades) right after the default dashboard, and on the replay after it; measured the same way.
 *
 * The current UI is built with vite into a temporary folder for each run, or taken from BENCH_UI when built.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from '@playwright/test';
import { capturesDir, emit, repoRoot, round, sleep } from './bench-util';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function chromiumPath(): string {
  for (const c of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (c && existsSync(c)) return c;
  }
  throw new Error('no Chromium found: install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH');
}

/**
 * A built UI folder (renderer/ and web-preload/): BENCH_UI when given, otherwise the current sources
 * built with vite into a fresh temporary folder (never an earlier build, which could be stale), which
 * `remove` deletes.
 */
export function builtUi(): { dir: string; remove: () => void } {
  const given = process.env.BENCH_UI;
  if (given) {
    if (!existsSync(join(given, 'renderer', 'index.html'))) throw new Error(`BENCH_UI=${given} holds no renderer/index.html`);
    return { dir: given, remove: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'obm-bench-ui-'));
  process.stderr.write(`bench: building the UI into ${dir}…\n`);
  const vite = join(repoRoot, 'node_modules', '.bin', 'vite');
  execFileSync(vite, ['build', '-c', 'vite.renderer.config.ts', '--outDir', join(dir, 'renderer')], { cwd: repoRoot, stdio: 'ignore' });
  execFileSync(vite, ['build', '-c', 'vite.web-preload.config.ts', '--outDir', join(dir, 'web-preload')], { cwd: repoRoot, stdio: 'ignore' });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function startBenchHost(port: number, ui: string, dataDir: string, rate: number): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(join(repoRoot, 'src', 'main', 'cli', 'bench-host.ts'), ['--port', String(port), '--data', dataDir, '--ui', ui, '--rate', String(rate)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench host exited with code ${code} before it was ready`)));
    child.on('message', (m: { t?: string; url?: string }) => {
      if (m.t === 'ready') resolve({ child, url: m.url! });
    });
  });
}

export interface FrameStats {
  frames: number;
  /** Time between frames (bounded below by the display rate, ~16.7 ms in headless Chromium). */
  intervalP50: number;
  intervalP95: number;
  intervalP99: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  longTasks: number;
  longestTaskMs: number;
  /**
   * CPU time the page's main thread and its renderer process used per second of the measurement
   * (Chromium's Performance.getMetrics ThreadTime and ProcessTime). Frame times are wall-clock and grow
   * when other processes take the cores; CPU time does not, so it tells the page's own work apart
   * from a loaded machine.
   */
  mainThreadCpuMsPerSec: number;
  rendererProcessCpuMsPerSec: number;
  /**
   * Times a second the ladder's and the tape's shown content changed (their canvases' test read-outs,
   * `data-grid` and `data-first`): a frame loop that kept frames short by showing fewer updates would
   * show here (the streams send 20 a second).
   */
  ladderUpdatesPerSec: number;
  tapeUpdatesPerSec: number;
}

/**
 * Runs in the page (as text: the page is not compiled with this file): frame intervals and long tasks
 * for `ms` milliseconds, resolved as FrameStats.
 */
export const PAGE_MEASURE = `(ms) => new Promise((resolve) => {
  const work = [];
  const intervals = [];
  const longTasks = [];
  let observer = null;
  try {
    observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); });
    observer.observe({ type: 'longtask' });
  } catch (e) { /* no longtask support: reported as zero */ }
  // A message posted from the frame callback runs as the next task once this frame's rendering
  // (animation callbacks, style, layout, paint) is done: its time minus the frame's start is the
  // main-thread time the frame took, including any task that delayed it.
  const channel = new MessageChannel();
  let frameStart = 0;
  channel.port1.onmessage = () => { work.push(performance.now() - frameStart); };
  let last = 0;
  const end = performance.now() + ms;
  const changes = { 'data-grid': 0, 'data-first': 0 };
  const watcher = new MutationObserver((list) => { for (const m of list) changes[m.attributeName]++; });
  watcher.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-grid', 'data-first'] });
  const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const frame = (t) => {
    if (last > 0) intervals.push(t - last);
    last = t;
    frameStart = t;
    if (t < end) { channel.port2.postMessage(null); requestAnimationFrame(frame); return; }
    if (observer) observer.disconnect();
    watcher.disconnect();
    const w = work.slice().sort((a, b) => a - b);
    const iv = intervals.slice().sort((a, b) => a - b);
    resolve({ frames: w.length, p50: pct(w, 50), p95: pct(w, 95), p99: pct(w, 99), max: w[w.length - 1],
      intervalP50: pct(iv, 50), intervalP95: pct(iv, 95), intervalP99: pct(iv, 99),
      longTasks: longTasks.length, longestTaskMs: longTasks.length ? Math.max(...longTasks) : 0,
      ladderUpdatesPerSec: changes['data-grid'] / (ms / 1000), tapeUpdatesPerSec: changes['data-first'] / (ms / 1000) });
  };
  requestAnimationFrame(frame);
})`;

async function cpuSeconds(cdp: CDPSession): Promise<{ thread: number; process: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { thread: value('ThreadTime'), process: value('ProcessTime') };
}

async function measurePage(page: Page, ms: number): Promise<FrameStats> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const before = await cpuSeconds(cdp);
  const started = Date.now();
  const stats = (await page.evaluate(`(${PAGE_MEASURE})(${ms})`)) as Omit<FrameStats, 'mainThreadCpuMsPerSec' | 'rendererProcessCpuMsPerSec'>;
  const after = await cpuSeconds(cdp);
  const seconds = (Date.now() - started) / 1000;
  await cdp.detach();
  return {
    ...stats,
    mainThreadCpuMsPerSec: ((after.thread - before.thread) * 1000) / seconds,
    rendererProcessCpuMsPerSec: ((after.process - before.process) * 1000) / seconds,
  };
}

/** The real capture replayed at full speed in the replay case: Binance USD-M ETHUSDT, 2 minutes at depth 1000. */
export const REPLAY_CAPTURE = 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl';
/** Panels measured alone in their own window during the replay, to see which one costs the most. */
const SOLO_PANELS = ['ladder', 'depth', 'timeseries', 'heatmap', 'health', 'tape', 'candles', 'footprint', 'traded-profile'] as const;

/**
 * The order-flow dashboard (issue 17): the default dashboard's panels plus Candles, Footprint and the
 * Traded volume profile in a fourth column, the heatmap's trade bubbles on (every size), all following
 * the dashboard symbol. Written to the page's saved layout (the page's own format, see layout/model.ts).
 */
export const ORDER_FLOW_LAYOUT = {
  version: 1,
  columns: [
    { id: 'of-c1', size: 20, panelSizes: [100], panels: [{ id: 'of-ladder', kind: 'ladder', link: 'dashboard', symbol: null, settings: {} }] },
    {
      id: 'of-c2',
      size: 25,
      panelSizes: [50, 50],
      panels: [
        { id: 'of-depth', kind: 'depth', link: 'dashboard', symbol: null, settings: {} },
        { id: 'of-timeseries', kind: 'timeseries', link: 'dashboard', symbol: null, settings: {} },
      ],
    },
    {
      id: 'of-c3',
      size: 25,
      panelSizes: [40, 35, 25],
      panels: [
        { id: 'of-heatmap', kind: 'heatmap', link: 'dashboard', symbol: null, settings: { minTrade: 0 } },
        { id: 'of-tape', kind: 'tape', link: 'dashboard', symbol: null, settings: {} },
        { id: 'of-health', kind: 'health', link: 'dashboard', symbol: null, settings: {} },
      ],
    },
    {
      id: 'of-c4',
      size: 30,
      panelSizes: [40, 35, 25],
      panels: [
        { id: 'of-candles', kind: 'candles', link: 'dashboard', symbol: null, settings: {} },
        { id: 'of-footprint', kind: 'footprint', link: 'dashboard', symbol: null, settings: {} },
        { id: 'of-traded-profile', kind: 'traded-profile', link: 'dashboard', symbol: null, settings: {} },
      ],
    },
  ],
  detached: [],
};

export interface ReplayFrameStats extends FrameStats {
  /** Times the capture played to its end and was started again during the measurement. */
  replays: number;
}

export interface RendererResults {
  page: FrameStats;
  blank: FrameStats;
  /** The order-flow dashboard (ORDER_FLOW_LAYOUT) on the demo (null when it failed). */
  orderFlowDemo: FrameStats | null;
  /** Why the demo's order-flow case could not be measured, if it failed. */
  orderFlowDemoError: string | null;
  /** The default dashboard on a real capture replayed at full speed (null when the capture is missing). */
  replay: ReplayFrameStats | null;
  /** The order-flow dashboard (ORDER_FLOW_LAYOUT) on the same replay (null when the capture is missing or it failed). */
  orderFlow: ReplayFrameStats | null;
  /** Why the order-flow case could not be measured, if it failed. */
  orderFlowError: string | null;
  /** Each panel alone in a window on the same replay: frame p95 per panel kind. */
  soloP95: Record<string, number>;
  /** …and its main thread's CPU ms per second. */
  soloCpu: Record<string, number>;
}

/**
 * Play the capture at full speed in the page's host, starting it again whenever it ends, and measure
 * the page meanwhile. The restart runs in the page (it subscribes to replay.status like the app does).
 */
async function measureDuringReplay(page: Page, name: string, ms: number): Promise<ReplayFrameStats> {
  await page.evaluate(`(() => {
    const api = window.orderbook;
    window.__benchReplays = 0;
    let reopening = false;
    window.__benchStopReplays = api.subscribe('replay.status', {}, (s) => {
      if (!s.done || reopening) return;
      reopening = true;
      window.__benchReplays++;
      api.invoke('replay.open', { name: ${JSON.stringify(name)}, speed: 0 }).finally(() => { reopening = false; });
    });
  })()`);
  const stats = await measurePage(page, ms);
  const replays = (await page.evaluate('(() => { window.__benchStopReplays(); return window.__benchReplays; })()')) as number;
  return { ...stats, replays };
}

/** The page reloaded with the order-flow dashboard, once its ladder (`ladder`: its accessible name) and footprint show. */
async function openOrderFlowLayout(page: Page, ladder: string | RegExp, timeout: number): Promise<void> {
  await page.evaluate(`localStorage.setItem('obm.layout.v1', ${JSON.stringify(JSON.stringify(ORDER_FLOW_LAYOUT))})`);
  await page.reload({ timeout: 120_000, waitUntil: 'domcontentloaded' });
  await page.getByRole('table', { name: ladder }).first().waitFor({ timeout });
  await page.getByRole('region', { name: 'Footprint', exact: true }).waitFor({ timeout });
}

export async function measureRenderer(seconds = 20, rate = 5000, port = 5293): Promise<RendererResults> {
  const { chromium } = await import('@playwright/test');
  const ui = builtUi();
  const dataDir = mkdtempSync(join(tmpdir(), 'obm-bench-renderer-'));
  // The real capture is linked (never copied) into the host's recordings folder.
  let replayName: string | null = null;
  if (existsSync(join(capturesDir, REPLAY_CAPTURE))) {
    mkdirSync(join(dataDir, 'recordings'), { recursive: true });
    symlinkSync(join(capturesDir, REPLAY_CAPTURE), join(dataDir, 'recordings', REPLAY_CAPTURE));
    replayName = REPLAY_CAPTURE;
  } else {
    process.stderr.write(`bench: ${REPLAY_CAPTURE} not found in ${capturesDir}; the replay case is skipped\n`);
  }
  const { child, url } = await startBenchHost(port, ui.dir, dataDir, rate);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const blankPage = await context.newPage();
    await blankPage.setContent('<!doctype html><title>blank</title><body></body>');
    const blank = await measurePage(blankPage, 5000);
    await blankPage.close();

    const page = await context.newPage();
    // A loaded machine can take a while to serve and start the page.
    await page.goto(url, { timeout: 120_000 });
    // The default layout streams demo BTCUSDT: wait until the ladder shows prices, then settle.
    await page.getByRole('table', { name: /Order book ladder/ }).first().waitFor({ timeout: 60_000 });
    await sleep(5000);
    const stats = await measurePage(page, seconds * 1000);

    process.stderr.write(`bench: the order-flow dashboard on the demo…\n`);
    let orderFlowDemo: FrameStats | null = null;
    let orderFlowDemoError: string | null = null;
    try {
      await openOrderFlowLayout(page, /Order book ladder/, 60_000);
      await sleep(5000);
      orderFlowDemo = await measurePage(page, seconds * 1000);
    } catch (error) {
      orderFlowDemoError = (error as Error).message.split('\n')[0]!;
      process.stderr.write(`bench: the order-flow dashboard on the demo failed: ${orderFlowDemoError}\n`);
    }
    // Back to the default dashboard for the replay.
    await page.evaluate(`localStorage.removeItem('obm.layout.v1')`);
    await page.reload({ timeout: 120_000, waitUntil: 'domcontentloaded' });
    await page.getByRole('table', { name: /Order book ladder/ }).first().waitFor({ timeout: 60_000 });

    let replay: ReplayFrameStats | null = null;
    let orderFlow: ReplayFrameStats | null = null;
    let orderFlowError: string | null = null;
    const soloP95: Record<string, number> = {};
    const soloCpu: Record<string, number> = {};
    if (replayName) {
      process.stderr.write(`bench: the default dashboard on ${replayName} at full speed…\n`);
      await page.evaluate(`window.orderbook.invoke('replay.open', { name: ${JSON.stringify(replayName)}, speed: 0 })`);
      await page.getByRole('table', { name: 'Order book ladder for ETHUSDT' }).waitFor({ timeout: 120_000 });
      await sleep(2000);
      replay = await measureDuringReplay(page, replayName, seconds * 1000);

      process.stderr.write(`bench: the order-flow dashboard on ${replayName} at full speed…\n`);
      // A failure here (a loaded machine that cannot reload the page in time) is reported in its own
      // record and does not lose the others.
      try {
        await openOrderFlowLayout(page, 'Order book ladder for ETHUSDT', 120_000);
        await sleep(2000);
        orderFlow = await measureDuringReplay(page, replayName, seconds * 1000);
      } catch (error) {
        orderFlowError = (error as Error).message.split('\n')[0]!;
        process.stderr.write(`bench: the order-flow dashboard failed: ${orderFlowError}\n`);
      }
      await page.close();
      // Each panel alone, on the same replay (the dashboard symbol is the capture's, saved by the page).
      for (const kind of SOLO_PANELS) {
        const solo = await context.newPage();
        await solo.goto(`${url}${url.includes('?') ? '&' : '?'}panel=bench-${kind}&kind=${kind}`, { timeout: 120_000 });
        await sleep(3000);
        const soloStats = await measureDuringReplay(solo, replayName, Math.max(5, seconds / 2) * 1000);
        soloP95[kind] = soloStats.p95;
        soloCpu[kind] = soloStats.mainThreadCpuMsPerSec;
        await solo.close();
      }
    }
    return { page: stats, blank, orderFlowDemo, orderFlowDemoError, replay, orderFlow, orderFlowError, soloP95, soloCpu };
  } finally {
    await browser.close();
    child.send({ t: 'stop' });
    await new Promise<void>((r) => {
      child.once('exit', () => r());
      setTimeout(() => {
        child.kill('SIGKILL');
        r();
      }, 10_000);
    });
    rmSync(dataDir, { recursive: true, force: true });
    ui.remove();
  }
}

/**
 * One renderer record: a workload's frame figures beside the empty page's (the measuring loop alone),
 * and whether they meet the target. A replay's record adds its restarts after `frames`; `perPanel`
 * (the solo panels' figures) goes after the workload's own CPU figures.
 */
function frameRecord(bench: string, workload: string, stats: FrameStats | ReplayFrameStats, blank: FrameStats, perPanel: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    bench,
    workload,
    frames: stats.frames,
    ...('replays' in stats ? { replays: stats.replays } : {}),
    frameP50Ms: round(stats.p50),
    frameP95Ms: round(stats.p95),
    frameP99Ms: round(stats.p99),
    frameMaxMs: round(stats.max),
    frameIntervalP95Ms: round(stats.intervalP95),
    frameIntervalP99Ms: round(stats.intervalP99),
    longTasksOver50Ms: stats.longTasks,
    longestTaskMs: round(stats.longestTaskMs),
    mainThreadCpuMsPerSec: round(stats.mainThreadCpuMsPerSec),
    rendererProcessCpuMsPerSec: round(stats.rendererProcessCpuMsPerSec),
    ladderUpdatesPerSec: round(stats.ladderUpdatesPerSec),
    tapeUpdatesPerSec: round(stats.tapeUpdatesPerSec),
    ...perPanel,
    baseline: 'empty page, same browser and method (the measuring loop alone)',
    baselineFrameP95Ms: round(blank.p95),
    baselineFrameP99Ms: round(blank.p99),
    baselineMainThreadCpuMsPerSec: round(blank.mainThreadCpuMsPerSec),
    ratioP95: round(stats.p95 / blank.p95),
    ratioP99: round(stats.p99 / blank.p99),
    target: 'frame p95 <= 8 ms; no long task over 50 ms',
    met: stats.p95 <= 8 && stats.longTasks === 0,
  };
}

/** The records the renderer bench prints for its results: demo and its order flow, then replay and its order flow when measured. */
export function rendererRecords(results: RendererResults, rate: number): Record<string, unknown>[] {
  const { page, blank, orderFlowDemo, orderFlowDemoError, replay, orderFlow, orderFlowError, soloP95, soloCpu } = results;
  const records = [
    frameRecord(
      'renderer',
      `default dashboard (ladder, depth, time series, heatmap, tape, health) on demo BTCUSDT at ${rate} msgs/s, headless Chromium 1600x1000`,
      page,
      blank,
    ),
  ];
  if (orderFlowDemoError) records.push({ bench: 'renderer-orderflow-demo', error: orderFlowDemoError });
  if (orderFlowDemo) {
    records.push(
      frameRecord(
        'renderer-orderflow-demo',
        `order-flow dashboard (the default panels plus candles, footprint, traded volume profile; heatmap trade bubbles on) on demo BTCUSDT at ${rate} msgs/s with its trades, headless Chromium 1600x1000`,
        orderFlowDemo,
        blank,
      ),
    );
  }
  if (!replay) return records;
  records.push(
    frameRecord(
      'renderer-replay',
      `default dashboard on a real capture (${REPLAY_CAPTURE}) replayed at full speed in the host, restarted whenever it ends, headless Chromium 1600x1000`,
      replay,
      blank,
      // Each panel alone in its own window on the same replay: which one costs the most.
      {
        soloPanelFrameP95Ms: Object.fromEntries(Object.entries(soloP95).map(([k, v]) => [k, round(v)])),
        soloPanelMainThreadCpuMsPerSec: Object.fromEntries(Object.entries(soloCpu).map(([k, v]) => [k, round(v)])),
      },
    ),
  );
  if (orderFlowError) records.push({ bench: 'renderer-orderflow', error: orderFlowError });
  if (!orderFlow) return records;
  records.push(
    frameRecord(
      'renderer-orderflow',
      `order-flow dashboard (the default panels plus candles, footprint, traded volume profile; heatmap trade bubbles on) on ${REPLAY_CAPTURE} replayed at full speed, restarted whenever it ends, headless Chromium 1600x1000`,
      orderFlow,
      blank,
    ),
  );
  return records;
}

export async function runRendererBench(): Promise<void> {
  const rate = 5000;
  // BENCH_PORT moves the bench host off its default port when another run may hold it.
  const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : 5293;
  for (const record of rendererRecords(await measureRenderer(20, rate, port), rate)) emit(record);
}
