/**
 * Helpers shared by the benchmarks (npm run bench, npm run soak): JSON-line output, timing and
 * percentiles, and where the shared captures live.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const capturesDir = join(repoRoot, '..', 'shared', 'fixtures', 'captures');

export function capturePath(file: string): string {
  const path = join(capturesDir, file);
  if (!existsSync(path)) throw new Error(`capture missing: ${path} (the shared fixtures live beside the repository)`);
  return path;
}

/** One figure, one JSON line on stdout. */
export function emit(record: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(record) + '\n');
}

/** Best of `runs` timings of a synchronous function, in seconds. */
export function bestTime(runs: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    collectGarbage();
    const t0 = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

/** The p-th percentile (0-100) of values, nearest rank; NaN when empty. Sorts a copy. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Full garbage collection, so one timed run does not pay for the previous run's garbage. */
export function collectGarbage(): void {
  gc();
}
