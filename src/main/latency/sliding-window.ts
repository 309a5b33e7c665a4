/**
 * Exact latency percentiles over a sliding window with bounded memory.
 *
 * Kept: the last `capacity` samples no older than `spanMs`, in a fixed ring (two Float64Arrays, no
 * allocation per sample). Read: the live samples are copied into a scratch array and sorted, so
 * p50/p99/max are exact (nearest rank) rather than bucketed. Why not an HDR-style histogram: reads
 * happen once per health tick (about a second) over at most a few thousand samples, so an O(n log n)
 * sort per read costs microseconds, while writes (every message) stay O(1) — and exact figures can be
 * checked against a plain sort, which is what the tests do.
 */

export interface LatencySummary {
  /** Samples in the window. */
  count: number;
  p50: number;
  p99: number;
  max: number;
  /** Samples per second over the time the window covers. */
  perSec: number;
}

/** Nearest-rank percentile of an ascending array: the smallest value with at least p% at or below it. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sorted[Math.min(n, rank) - 1] ?? Number.NaN;
}

export class SlidingLatencyWindow {
  private readonly values: Float64Array;
  private readonly times: Float64Array;
  private readonly scratch: Float64Array;
  /** Index of the oldest live sample, and how many are live. */
  private head = 0;
  private size = 0;
  /** Time of the first sample ever added (the window covers less than `spanMs` until then). */
  private firstAt: number | null = null;

  constructor(
    readonly capacity = 4096,
    readonly spanMs = 60_000,
  ) {
    this.values = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.scratch = new Float64Array(capacity);
  }

  add(now: number, value: number): void {
    if (!Number.isFinite(value)) return;
    if (this.firstAt === null) this.firstAt = now;
    const slot = (this.head + this.size) % this.capacity;
    this.values[slot] = value;
    this.times[slot] = now;
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** Drop samples older than the span. */
  private evict(now: number): void {
    while (this.size > 0 && now - (this.times[this.head] ?? now) > this.spanMs) {
      this.head = (this.head + 1) % this.capacity;
      this.size--;
    }
  }

  /** p50/p99/max and throughput of the samples in the window; null when it holds none. */
  summary(now: number): LatencySummary | null {
    this.evict(now);
    const n = this.size;
    if (n === 0 || this.firstAt === null) return null;
    for (let i = 0; i < n; i++) this.scratch[i] = this.values[(this.head + i) % this.capacity] ?? Number.NaN;
    const sorted = this.scratch.subarray(0, n).sort();
    // A full ring covers back to its oldest sample; otherwise the span, or the time since the first sample.
    const coveredMs = this.size === this.capacity ? now - (this.times[this.head] ?? now) : Math.min(this.spanMs, now - this.firstAt);
    return {
      count: n,
      p50: nearestRank(sorted, 50),
      p99: nearestRank(sorted, 99),
      max: sorted[n - 1] ?? Number.NaN,
      perSec: coveredMs > 0 ? (n * 1000) / coveredMs : 0,
    };
  }
}
