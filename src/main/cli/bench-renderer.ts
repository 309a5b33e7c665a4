/**
 * Renderer: the dashboard in Chromium (Playwright, Debian's build) against the bench web host
 * (bench-host.ts) with the demo venue at 5,000 messages/s; the default layout (ladder, depth, time
 * series, heatmap, health) on demo BTCUSDT. Frame time: from a frame's start (its requestAnimationFrame
 * timestamp) to the end of the main thread's work for it (a message posted from the frame callback
 * runs right after the frame's style, layout and paint): p50/p95/p99 over `seconds`. Frame interval
 * percentiles show dropped frames; long tasks (> 50 ms) come from PerformanceObserver('longtask').
 * Baseline, in the same browser and run: an empty page doing nothing but the frame loop.
 *
 * The current UI is built with vite into a temporary folder for each run, or taken from BENCH_UI when built.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emit, repoRoot, round, sleep } from './bench-util';

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
}

/**
 * Runs in the page (as text: the page is not compiled with this file): frame intervals and long tasks
 * for `ms` milliseconds, resolved as FrameStats.
 */
const PAGE_MEASURE = `(ms) => new Promise((resolve) => {
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
  const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const frame = (t) => {
    if (last > 0) intervals.push(t - last);
    last = t;
    frameStart = t;
    if (t < end) { channel.port2.postMessage(null); requestAnimationFrame(frame); return; }
    if (observer) observer.disconnect();
    const w = work.slice().sort((a, b) => a - b);
    const iv = intervals.slice().sort((a, b) => a - b);
    resolve({ frames: w.length, p50: pct(w, 50), p95: pct(w, 95), p99: pct(w, 99), max: w[w.length - 1],
      intervalP50: pct(iv, 50), intervalP95: pct(iv, 95), intervalP99: pct(iv, 99),
      longTasks: longTasks.length, longestTaskMs: longTasks.length ? Math.max(...longTasks) : 0 });
  };
  requestAnimationFrame(frame);
})`;

async function measurePage(page: { evaluate(script: string): Promise<unknown> }, ms: number): Promise<FrameStats> {
  return (await page.evaluate(`(${PAGE_MEASURE})(${ms})`)) as FrameStats;
}

export async function measureRenderer(seconds = 20, rate = 5000, port = 5293): Promise<{ page: FrameStats; blank: FrameStats; framesReceived: number }> {
  const { chromium } = await import('@playwright/test');
  const ui = builtUi();
  const dataDir = mkdtempSync(join(tmpdir(), 'obm-bench-renderer-'));
  const { child, url } = await startBenchHost(port, ui.dir, dataDir, rate);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const blankPage = await context.newPage();
    await blankPage.setContent('<!doctype html><title>blank</title><body></body>');
    const blank = await measurePage(blankPage, 5000);
    await blankPage.close();

    const page = await context.newPage();
    await page.goto(url);
    // The default layout streams demo BTCUSDT: wait until the ladder shows prices, then settle.
    await page.getByRole('table', { name: /Order book ladder/ }).first().waitFor({ timeout: 30_000 });
    await sleep(5000);
    const stats = await measurePage(page, seconds * 1000);
    return { page: stats, blank, framesReceived: 0 };
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

export async function runRendererBench(): Promise<void> {
  const rate = 5000;
  const { page, blank } = await measureRenderer(20, rate);
  emit({
    bench: 'renderer',
    workload: `default dashboard (ladder, depth, time series, heatmap, health) on demo BTCUSDT at ${rate} msgs/s, headless Chromium 1600x1000`,
    frames: page.frames,
    frameP50Ms: round(page.p50),
    frameP95Ms: round(page.p95),
    frameP99Ms: round(page.p99),
    frameMaxMs: round(page.max),
    frameIntervalP95Ms: round(page.intervalP95),
    frameIntervalP99Ms: round(page.intervalP99),
    longTasksOver50Ms: page.longTasks,
    longestTaskMs: round(page.longestTaskMs),
    baseline: 'empty page, same browser and method (the measuring loop alone)',
    baselineFrameP95Ms: round(blank.p95),
    baselineFrameP99Ms: round(blank.p99),
    ratioP95: round(page.p95 / blank.p95),
    target: 'frame p95 <= 8 ms; no long task over 50 ms',
    met: page.p95 <= 8 && page.longTasks === 0,
  });
}
