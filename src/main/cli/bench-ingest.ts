/**
 * Ingest: everything a frame costs from text to book (parse, sync, apply, top-of-book diff), through
 * the replay machinery driven from memory (src/main/capture/replay-lines.ts), on one core, against
 * the cost of JSON.parse alone on the same frames. The capture is read and split before timing.
 *
 * Workloads: the Binance spot/USD-M and Kraken captures, and a Binance-format stream of ~2 KB depth
 * messages from the demo market (the size the target is set for).
 */
import { readFileSync } from 'node:fs';
import type { CaptureLine } from '../capture/format';
import { parseCaptureText, replayLines, type LinesReplayResult } from '../capture/replay-lines';
import { DEMO_SYMBOLS, SyntheticMarket } from '../venues/demo/market';
import { performance } from 'node:perf_hooks';
import { capturePath, collectGarbage, emit, round } from './bench-util';

export const INGEST_CAPTURES = ['binance-spot_2021-10-12.capture.jsonl', 'binance-usdm_2021-07-22.capture.jsonl', 'kraken_2021-04-17.capture.jsonl'];

/**
 * A Binance spot recording of one demo symbol whose depth messages average about `bytes` long:
 * the stream opens, a few diffs buffer, the REST snapshot answers, then `count` diffs follow.
 */
export function syntheticBinanceLines(count: number, bytes = 2048): CaptureLine[] {
  const spec = DEMO_SYMBOLS.find((s) => s.symbol === 'BTCUSDT')!;
  const market = new SyntheticMarket([spec], 42);
  const lines: CaptureLine[] = [];
  let ts = 1_700_000_000_000;
  lines.push({ ts, conn: 'c1', venue: 'binance-spot', kind: 'open', url: 'wss://stream.binance.com:9443/stream?streams=btcusdt@depth@100ms/btcusdt@bookTicker' });
  // Intensity scales the changes per step; find the one that gives messages of about `bytes`.
  let intensity = 10;
  const probe = new SyntheticMarket([spec], 7);
  for (let i = 0; i < 5; i++) {
    let total = 0;
    for (let k = 0; k < 20; k++) total += JSON.stringify({ stream: 'btcusdt@depth@100ms', data: probe.step(ts + k * 100, intensity)[0]?.depth }).length;
    intensity *= bytes / (total / 20);
  }
  const frames = (n: number): void => {
    for (let i = 0; i < n; i++) {
      ts += 100;
      for (const f of market.step(ts, intensity)) {
        if (f.bookTicker) lines.push({ ts, conn: 'c1', venue: 'binance-spot', kind: 'recv', data: JSON.stringify({ stream: 'btcusdt@bookTicker', data: f.bookTicker }) });
        lines.push({ ts, conn: 'c1', venue: 'binance-spot', kind: 'recv', data: JSON.stringify({ stream: 'btcusdt@depth@100ms', data: f.depth }) });
      }
    }
  };
  frames(3);
  lines.push({ ts, conn: 'rest', venue: 'binance-spot', kind: 'rest', url: 'https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=1000', data: JSON.stringify(market.snapshot('BTCUSDT', 1000)) });
  frames(count);
  return lines;
}

/** CPU time this process has used (user + system, all its threads), in seconds. */
function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function checks(r: LinesReplayResult): Record<string, number> {
  return { gaps: r.gaps, resyncs: r.resyncs, checksumOk: r.checksumOk, checksumFailed: r.checksumFailed, bboOk: r.bboOk, bboFailed: r.bboFailed, topOfBookChanges: r.topOfBookChanges };
}

export async function benchIngestLines(name: string, lines: CaptureLine[]): Promise<Record<string, unknown>> {
  const recv = lines.filter((l) => l.kind === 'recv').map((l) => l.data!);
  // The replay parses REST snapshot bodies too: the baseline parses everything the replay parses.
  const parsed = lines.filter((l) => l.kind === 'recv' || l.kind === 'rest').map((l) => l.data!);
  const depthFrames = recv.filter((f) => f.includes('depth') || f.includes('"book"'));
  const first = await replayLines(lines);
  // Long enough runs to time: repeat small captures within one timed run.
  const reps = Math.max(1, Math.ceil(20_000 / Math.max(1, first.messages)));
  let oursSec = Infinity;
  let parseSec = Infinity;
  // CPU time too: on a loaded machine a run's wall time includes waiting for a core, and the longer
  // run (ours) is the likelier to wait; the process's CPU time counts only the work.
  let oursCpuSec = Infinity;
  let parseCpuSec = Infinity;
  const replayAll = async (): Promise<void> => {
    for (let i = 0; i < reps; i++) await replayLines(lines);
  };
  const parseAll = (): void => {
    for (let i = 0; i < reps; i++) for (const f of parsed) JSON.parse(f);
  };
  for (let r = 0; r < 7; r++) {
    // A full collection makes V8 drop much of the optimized code (the first replay after one runs
    // several times slower; JSON.parse, native, does not care): one untimed pass after it re-warms,
    // so that both sides are timed warm, as in a running app.
    collectGarbage();
    await replayAll();
    let [wallFrom, cpuFrom] = [performance.now(), cpuSeconds()];
    await replayAll();
    oursSec = Math.min(oursSec, (performance.now() - wallFrom) / 1000 / reps);
    oursCpuSec = Math.min(oursCpuSec, (cpuSeconds() - cpuFrom) / reps);
    collectGarbage();
    parseAll();
    [wallFrom, cpuFrom] = [performance.now(), cpuSeconds()];
    parseAll();
    parseSec = Math.min(parseSec, (performance.now() - wallFrom) / 1000 / reps);
    parseCpuSec = Math.min(parseCpuSec, (cpuSeconds() - cpuFrom) / reps);
  }
  const msgsPerSec = first.messages / oursSec;
  const costRatio = oursSec / parseSec;
  const avgBytes = recv.reduce((n, f) => n + f.length, 0) / recv.length;
  return {
    bench: 'ingest',
    workload: name,
    messages: first.messages,
    avgFrameBytes: Math.round(avgBytes),
    avgDepthFrameBytes: Math.round(depthFrames.reduce((n, f) => n + f.length, 0) / Math.max(1, depthFrames.length)),
    msgsPerSec: Math.round(msgsPerSec),
    mbPerSec: round((msgsPerSec * avgBytes) / 1e6, 1),
    baseline: 'JSON.parse of the same frames and REST snapshot bodies',
    baselineMsgsPerSec: Math.round(first.messages / parseSec),
    costRatioToJsonParse: round(costRatio),
    // The same from the process's CPU time (user + system, every thread, garbage collection included).
    cpuCostRatioToJsonParse: round(oursCpuSec / parseCpuSec),
    target: 'msgsPerSec >= 20000 for ~2 KB depth messages; cost <= 3x JSON.parse',
    met: msgsPerSec >= 20_000 && costRatio <= 3,
    checks: checks(first),
  };
}

export async function runIngestBench(): Promise<void> {
  for (const file of INGEST_CAPTURES) {
    emit(await benchIngestLines(file, parseCaptureText(readFileSync(capturePath(file), 'utf8'))));
  }
  emit(await benchIngestLines('binance-format-demo-2kb-depth', syntheticBinanceLines(5000)));
}
