/**
 * npm run soak -- [--minutes 30] [--rate 5000] [--speed 20] [--no-replay] [--port 5291] [--data DIR]
 *
 * Runs the whole web host (src/main/cli/bench-host.ts, a child process) for `minutes` under demo
 * traffic at `rate` messages/s and accelerated replay of the real captures (the in-app replay at
 * `speed`×, one capture after another), with a window connected over the WebSocket that subscribes to
 * a dashboard's streams, follows each replay's books, and closes and reopens every five minutes.
 * Every minute the host reports its heap and RSS (after a full GC) and its open handles; each sample
 * is a JSON line, and the last line is the verdict:
 *   heap growth under 10 MB after the first 5 minutes, and no growth in open handles.
 * Not part of npm test: it takes as long as you tell it to.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import type { HostSample } from './bench-host';
import { capturesDir, emit, repoRoot, round, sleep } from './bench-util';

const SOAK_CAPTURES = [
  'binance-spot_2021-10-12.capture.jsonl',
  'binance-usdm_2021-07-22.capture.jsonl',
  'kraken_2021-04-17.capture.jsonl',
  'okx_2021-07-22.capture.jsonl',
  'okx_2022-05-13.capture.jsonl',
  'coinbase_2021-04-17.capture.jsonl',
  'bybit-linear_2024-12-01.capture.jsonl',
];

/** A window on the host's contract over the WebSocket (what web-preload.js does in a browser). */
class Window {
  private nextId = 1;
  private readonly pending = new Map<number, (msg: { ok: boolean; value?: unknown; error?: unknown }) => void>();
  private readonly streams = new Map<number, (frame: unknown) => void>();
  frames = 0;
  errors: string[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { t: string; id?: number; ok?: boolean; frames?: Array<{ id: number; frame: unknown }>; error?: { message?: string } };
      if (msg.t === 'result' && msg.id !== undefined) {
        this.pending.get(msg.id)?.(msg as { ok: boolean });
        this.pending.delete(msg.id);
      } else if (msg.t === 'frames') {
        for (const f of msg.frames ?? []) {
          this.frames++;
          this.streams.get(f.id)?.(f.frame);
        }
      } else if (msg.t === 'suberror') {
        this.errors.push(msg.error?.message ?? 'subscription failed');
      }
    });
    // A closed window answers nothing more: fail what still waits, so callers move on.
    ws.on('close', () => this.failPending('window closed'));
  }

  static open(url: string): Promise<Window> {
    return new Promise((resolveOpen, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolveOpen(new Window(ws)));
      ws.once('error', reject);
    });
  }

  /** A command's answer; fails if the window closes first or no answer comes within 30 s. */
  invoke(command: string, payload: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolveInvoke, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${command}: no answer within 30 s`));
      }, 30_000);
      this.pending.set(id, (msg) => {
        clearTimeout(timer);
        if (msg.ok) resolveInvoke(msg.value);
        else reject(new Error(JSON.stringify(msg.error)));
      });
      if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ t: 'invoke', id, command, payload }));
      else this.failPending('window closed');
    });
  }

  private failPending(why: string): void {
    for (const settle of this.pending.values()) settle({ ok: false, error: why });
    this.pending.clear();
  }

  subscribe(stream: string, params: unknown, onFrame: (frame: unknown) => void = () => {}): number {
    const id = this.nextId++;
    this.streams.set(id, onFrame);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ t: 'sub', id, stream, params }));
    return id;
  }

  unsubscribe(id: number): void {
    this.streams.delete(id);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ t: 'unsub', id }));
  }

  close(): void {
    this.failPending('window closed');
    this.ws.close();
  }
}

function startHost(port: number, dataDir: string, rate: number): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(join(repoRoot, 'src', 'main', 'cli', 'bench-host.ts'), ['--port', String(port), '--data', dataDir, '--rate', String(rate)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolveStart, reject) => {
    child.once('exit', (code) => reject(new Error(`bench host exited with code ${code} before it was ready`)));
    child.on('message', (m: { t?: string; url?: string }) => {
      if (m.t === 'ready') resolveStart({ child, url: m.url! });
    });
  });
}

function sampleHost(child: ChildProcess): Promise<HostSample> {
  return new Promise((resolveSample, reject) => {
    const timer = setTimeout(() => reject(new Error('host did not answer a memory sample within 30 s')), 30_000);
    const onMessage = (m: HostSample): void => {
      if (m.t !== 'sample') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolveSample(m);
    };
    child.on('message', onMessage);
    child.send({ t: 'sample' });
  });
}

/** Open a window and subscribe to what a dashboard on the demo venue shows. */
async function openDashboard(wsUrl: string): Promise<Window> {
  const w = await Window.open(wsUrl);
  const demo = { venue: 'demo', symbol: 'BTCUSDT' };
  w.subscribe('book.ladder', { ...demo, depth: 40 });
  w.subscribe('book.depth', demo);
  w.subscribe('book.heatmap', demo);
  w.subscribe('book.top', demo);
  w.subscribe('health', {});
  w.subscribe('book.ladder', { venue: 'demo', symbol: 'ETHUSDT', depth: 20 });
  return w;
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      minutes: { type: 'string', default: '30' },
      rate: { type: 'string', default: '5000' },
      speed: { type: 'string', default: '20' },
      port: { type: 'string', default: '5291' },
      data: { type: 'string' },
      /** Demo traffic only (to tell a leak in the replay path from one elsewhere). */
      'no-replay': { type: 'boolean', default: false },
    },
  });
  const minutes = Number(v.minutes);
  if (!(minutes >= 1)) throw new Error(`--minutes must be at least 1, got ${v.minutes}`);
  const speed = Number(v.speed);
  const ownData = !v.data;
  const dataDir = v.data ? resolve(v.data) : mkdtempSync(join(tmpdir(), 'obm-soak-'));
  // The in-app replay reads captures from the data folder's recordings/: link the shared captures.
  const recordings = join(dataDir, 'recordings');
  mkdirSync(recordings, { recursive: true });
  const captures = SOAK_CAPTURES.filter((f) => existsSync(join(capturesDir, f)));
  for (const f of captures) if (!readdirSync(recordings).includes(f)) symlinkSync(join(capturesDir, f), join(recordings, f));

  const { child, url } = await startHost(Number(v.port), dataDir, Number(v.rate));
  const wsUrl = url.replace(/^http/, 'ws').replace(/\/?(\?.*)?$/, '/ws');
  process.stderr.write(`soak: host ${url}, ${minutes} min, demo ${v.rate} msgs/s, ${v['no-replay'] ? 'no replay' : `replay ${speed}x of ${captures.length} captures`}\n`);
  const samples: HostSample[] = [];
  let stopping = false;
  let replays = 0;
  let replayErrors = 0;
  let windowsOpened = 0;
  let window = await openDashboard(wsUrl);
  windowsOpened++;

  // Replays one after another; the window follows each replay's first book.
  const replayLoop = async (): Promise<void> => {
    let i = 0;
    while (!stopping) {
      const name = captures[i++ % captures.length]!;
      const w = window;
      try {
        const status = (await w.invoke('replay.open', { name, speed })) as { symbols: Array<{ venue: string; symbol: string }> };
        replays++;
        let followed: number[] = [];
        for (;;) {
          await sleep(500);
          if (stopping || w !== window) break;
          const s = (await w.invoke('replay.control', { action: 'resume' }).catch(() => null)) as { done?: boolean; active?: boolean; symbols?: Array<{ venue: string; symbol: string }> } | null;
          const symbols = s?.symbols ?? status.symbols;
          if (followed.length === 0 && symbols.length > 0) {
            const first = symbols[0]!;
            followed = [w.subscribe('book.ladder', { ...first, depth: 25 }), w.subscribe('book.depth', first)];
          }
          if (!s || s.done || !s.active) break;
        }
        if (w === window) for (const id of followed) w.unsubscribe(id);
      } catch (error) {
        replayErrors++;
        process.stderr.write(`soak: replay ${name}: ${(error as Error).message}\n`);
        await sleep(1000);
      }
    }
  };
  const replaying = v['no-replay'] ? Promise.resolve() : replayLoop();

  const started = Date.now();
  for (let minute = 1; minute <= minutes; minute++) {
    await sleep(started + minute * 60_000 - Date.now());
    const s = await sampleHost(child);
    samples.push(s);
    emit({ bench: 'soak-sample', minute, heapUsedMB: round(s.heapUsedBytes / 1_048_576, 1), rssMB: round(s.rssBytes / 1_048_576, 1), activeHandles: s.activeHandles, activeRequests: s.activeRequests, demoMessages: s.demoMessages, framesSent: s.framesSent, windowFrames: window.frames, replays });
    if (minute % 5 === 0 && minute < minutes) {
      // Close the window and open a new one: subscriptions must die with their window.
      window.close();
      window = await openDashboard(wsUrl);
      windowsOpened++;
    }
  }
  stopping = true;
  await Promise.race([replaying, sleep(5000)]);
  window.close();
  child.send({ t: 'stop' });
  await new Promise<void>((r) => {
    child.once('exit', () => r());
    setTimeout(() => {
      child.kill('SIGKILL');
      r();
    }, 10_000);
  });
  if (ownData) rmSync(dataDir, { recursive: true, force: true });

  // Judge from minute 5 on (or from the first sample in a shorter run).
  const from = samples[Math.min(4, samples.length - 1)]!;
  const last = samples.at(-1)!;
  const after = samples.slice(samples.indexOf(from));
  const heapGrowthMB = (last.heapUsedBytes - from.heapUsedBytes) / 1_048_576;
  const handleGrowth = last.activeHandles - from.activeHandles;
  const minutesDemo = (last.uptimeSec - samples[0]!.uptimeSec) / 60;
  emit({
    bench: 'soak',
    minutes,
    demoMsgsPerSec: minutesDemo > 0 ? Math.round((last.demoMessages - samples[0]!.demoMessages) / (minutesDemo * 60)) : null,
    replays,
    replayErrors,
    windowsOpened,
    judgedFromMinute: samples.indexOf(from) + 1,
    heapUsedMB: { from: round(from.heapUsedBytes / 1_048_576, 1), last: round(last.heapUsedBytes / 1_048_576, 1), max: round(Math.max(...after.map((s) => s.heapUsedBytes)) / 1_048_576, 1) },
    rssMB: { first: round(samples[0]!.rssBytes / 1_048_576, 1), from: round(from.rssBytes / 1_048_576, 1), last: round(last.rssBytes / 1_048_576, 1) },
    activeHandles: { from: from.activeHandles, last: last.activeHandles, max: Math.max(...after.map((s) => s.activeHandles)) },
    heapGrowthMB: round(heapGrowthMB, 2),
    handleGrowth,
    baseline: 'the same host at minute 5',
    target: 'heap growth < 10 MB after minute 5; no growth in open handles',
    met: heapGrowthMB < 10 && handleGrowth <= 0,
  });
  process.exit(0);
}

main().catch((error: Error) => {
  process.stderr.write(`soak failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
