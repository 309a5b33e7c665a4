/**
 * npm run bench: performance figures as JSON lines, each with a baseline measured in the same run
 * (these machines are noisy, so ratios are what we compare).
 *
 *   book-apply   level updates/s through our OrderBook vs a plain Map (no ordering) baseline,
 *                on the real Binance captures' depth levels and on a synthetic 5,000-level workload
 *   ingest       full replay (parse + sync + apply) messages/s vs JSON.parse of the same frames
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { OrderBook } from '../book/order-book';
import { replayCapture } from '../capture/replay';
import { seededRandom } from '../venues/demo/market';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const captures = join(root, '..', 'shared', 'fixtures', 'captures');

type Update = [side: 0 | 1, price: string, size: string];

function emit(record: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(record) + '\n');
}

/** Best of `runs` timings, in seconds. */
function time(runs: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

function captureUpdates(file: string): Update[] {
  const out: Update[] = [];
  for (const line of readFileSync(join(captures, file), 'utf8').split('\n')) {
    if (!line) continue;
    const rec = JSON.parse(line) as { kind: string; data?: string };
    if (rec.kind !== 'recv' && rec.kind !== 'rest') continue;
    const msg = JSON.parse(rec.data!) as { data?: { e?: string; b?: [string, string][]; a?: [string, string][] }; bids?: [string, string][]; asks?: [string, string][] };
    const d = msg.data?.e === 'depthUpdate' ? msg.data : msg.bids ? { b: msg.bids, a: msg.asks } : null;
    if (!d) continue;
    for (const [p, q] of d.b ?? []) out.push([0, p, q]);
    for (const [p, q] of d.a ?? []) out.push([1, p, q]);
  }
  return out;
}

/** 1,000,000 updates on a 5,000-level book: 90% within the top 50 levels, 40% deletions. */
function syntheticUpdates(): Update[] {
  const rand = seededRandom(99);
  const out: Update[] = [];
  const mid = 3_000_000; // ticks of 0.01
  for (let i = 0; i < 5000; i++) {
    out.push([0, (mid - 1 - i).toString().replace(/(\d\d)$/, '.$1'), (1 + rand() * 10).toFixed(4)]);
    out.push([1, (mid + i).toString().replace(/(\d\d)$/, '.$1'), (1 + rand() * 10).toFixed(4)]);
  }
  for (let i = 0; i < 1_000_000; i++) {
    const side = rand() < 0.5 ? 0 : 1;
    const depth = rand() < 0.9 ? Math.floor(rand() * 50) : Math.floor(rand() * 5000);
    const tick = side === 0 ? mid - 1 - depth : mid + depth;
    const size = rand() < 0.4 ? '0.0000' : (rand() * 10).toFixed(4);
    out.push([side as 0 | 1, tick.toString().replace(/(\d\d)$/, '.$1'), size]);
  }
  return out;
}

function benchBookApply(name: string, updates: Update[]): void {
  const runs = updates.length > 100_000 ? 3 : 20;
  const ours = time(runs, () => {
    const book = new OrderBook('demo', 'BENCH');
    for (const [side, p, q] of updates) book.setLevel(side === 0 ? 'bid' : 'ask', p, q);
  });
  // Baseline: an unordered Map keyed by the price text, the least any book must do.
  const baseline = time(runs, () => {
    const sides = [new Map<string, number>(), new Map<string, number>()];
    for (const [side, p, q] of updates) {
      const n = +q;
      if (n === 0) sides[side]!.delete(p);
      else sides[side]!.set(p, n);
    }
  });
  emit({
    bench: 'book-apply',
    workload: name,
    updates: updates.length,
    updatesPerSec: Math.round(updates.length / ours),
    baseline: 'unordered Map',
    baselineUpdatesPerSec: Math.round(updates.length / baseline),
    ratioToBaseline: Math.round((baseline / ours) * 100) / 100,
  });
}

async function benchIngest(file: string): Promise<void> {
  const frames = readFileSync(join(captures, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; data?: string })
    .filter((r) => r.kind === 'recv')
    .map((r) => r.data!);
  const parseOnly = time(20, () => {
    for (const f of frames) JSON.parse(f);
  });
  let best = Infinity;
  let messages = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = await replayCapture(join(captures, file));
    best = Math.min(best, (performance.now() - t0) / 1000);
    messages = r.messages;
  }
  const bytes = frames.reduce((n, f) => n + f.length, 0);
  emit({
    bench: 'ingest',
    capture: file,
    messages,
    avgFrameBytes: Math.round(bytes / frames.length),
    msgsPerSec: Math.round(messages / best),
    baseline: 'JSON.parse of the same frames',
    baselineMsgsPerSec: Math.round(frames.length / parseOnly),
    costRatioToJsonParse: Math.round((best / parseOnly) * 100) / 100,
    note: 'includes reading the capture file and answering REST snapshots',
  });
}

async function main(): Promise<void> {
  for (const file of ['binance-spot_2021-10-12.capture.jsonl', 'binance-usdm_2021-07-22.capture.jsonl']) {
    benchBookApply(file, captureUpdates(file));
  }
  benchBookApply('synthetic-1M-on-5000-levels', syntheticUpdates());
  for (const file of ['binance-spot_2021-10-12.capture.jsonl', 'binance-usdm_2021-07-22.capture.jsonl']) await benchIngest(file);
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
