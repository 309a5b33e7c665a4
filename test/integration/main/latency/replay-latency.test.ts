import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capture, repoRoot } from '../../../support/paths';

const USDM = 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl';

/**
 * The independent computation: straight from the capture text, no adapter. Binance USD-M sends the
 * exchange time `E` on depth updates and bookTicker (the book's messages); trades belong to the trade
 * channel and are not book messages. Nearest-rank percentiles over a plain sort.
 */
function fromCaptureText(): { messages: number; p50: number; p99: number; max: number; min: number; msgsPerSec: number } {
  const latencies: number[] = [];
  const times: number[] = [];
  for (const text of readFileSync(capture(USDM), 'utf8').split('\n')) {
    if (!text) continue;
    const line = JSON.parse(text) as { ts: number; kind: string; data?: string };
    if (line.kind !== 'recv' || !line.data) continue;
    const outer = JSON.parse(line.data) as { data?: { e: string; E: number } } & { e: string; E: number };
    const msg = outer.data ?? outer;
    if (msg.e !== 'depthUpdate' && msg.e !== 'bookTicker') continue;
    latencies.push(line.ts - msg.E);
    times.push(line.ts);
  }
  latencies.sort((a, b) => a - b);
  const n = latencies.length;
  const rank = (p: number) => latencies[Math.ceil((p / 100) * n) - 1] as number;
  const spanSec = ((times.at(-1) as number) - (times[0] as number)) / 1000;
  return { messages: n, p50: rank(50), p99: rank(99), max: latencies[n - 1] as number, min: latencies[0] as number, msgsPerSec: n / spanSec };
}

describe('npm run replay -- FILE --latency', () => {
  it('prints per-book exchange → receipt p50/p99/max that match the capture text', () => {
    const stdout = execFileSync('npx', ['tsx', 'src/main/cli/replay.ts', capture(USDM), '--latency'], { cwd: repoRoot, encoding: 'utf8' });
    const out = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
      latency: Array<{ venue: string; symbol: string; messages: number; timed: number; p50: number; p99: number; max: number; min: number; msgsPerSec: number }>;
      messages: number;
    };
    const want = fromCaptureText();
    expect(out.latency).toHaveLength(1);
    const book = out.latency[0]!;
    expect(book).toMatchObject({ venue: 'binance-usdm', symbol: 'ETHUSDT', messages: want.messages, timed: want.messages });
    // The CLI rounds to the microsecond.
    expect(book.p50).toBeCloseTo(want.p50, 3);
    expect(book.p99).toBeCloseTo(want.p99, 3);
    expect(book.max).toBeCloseTo(want.max, 3);
    expect(book.min).toBeCloseTo(want.min, 3);
    expect(book.msgsPerSec).toBeCloseTo(want.msgsPerSec, 2);
    // This recorder's clock ran about 1.27 s behind Binance's: every latency is negative, and shown so.
    expect(book.max).toBeLessThan(-1200);
  }, 60_000);
});
