/**
 * Rolling median of level sizes on one side of a book: once a second (event time) the sizes of the
 * best `levels` levels are sampled; the median is over every size sampled in the window (e.g. the
 * last 30 s, so up to 30 × 20 sizes). The wall and layering detectors compare levels against it.
 * Fixed buffers; the median is recomputed only when a sample is added.
 */
export class RollingMedian {
  private readonly groups: number;
  private readonly sizes: Float64Array;
  private readonly groupTs: Float64Array;
  private readonly groupCount: Int32Array;
  private readonly scratch: Float64Array;
  private next = 0;
  /** NaN until enough seconds are sampled (`minSeconds`). */
  value = Number.NaN;
  /** Sampled seconds currently inside the window. */
  seconds = 0;

  constructor(
    readonly windowMs: number,
    readonly levels: number,
    readonly minSeconds: number,
  ) {
    this.groups = Math.ceil(windowMs / 1000) + 1;
    this.sizes = new Float64Array(this.groups * levels);
    this.groupTs = new Float64Array(this.groups).fill(Number.NEGATIVE_INFINITY);
    this.groupCount = new Int32Array(this.groups);
    this.scratch = new Float64Array(this.groups * levels);
  }

  /** Add one second's sample: sizes[0..count) (only the first `levels` are used). */
  sample(ts: number, sizes: Float64Array, count: number): void {
    const g = this.next;
    this.next = (g + 1) % this.groups;
    const n = Math.min(count, this.levels);
    const base = g * this.levels;
    for (let i = 0; i < n; i++) this.sizes[base + i] = sizes[i]!;
    this.groupCount[g] = n;
    this.groupTs[g] = ts;
    this.recompute(ts);
  }

  reset(): void {
    this.groupTs.fill(Number.NEGATIVE_INFINITY);
    this.groupCount.fill(0);
    this.value = Number.NaN;
    this.seconds = 0;
  }

  private recompute(now: number): void {
    let m = 0;
    let seconds = 0;
    const oldest = now - this.windowMs;
    for (let g = 0; g < this.groups; g++) {
      if (this.groupTs[g]! <= oldest || this.groupCount[g]! === 0) continue;
      seconds++;
      const base = g * this.levels;
      for (let i = 0; i < this.groupCount[g]!; i++) this.scratch[m++] = this.sizes[base + i]!;
    }
    this.seconds = seconds;
    this.value = seconds >= this.minSeconds && m > 0 ? median(this.scratch, m) : Number.NaN;
  }
}

/** Median of a[0..n) (reorders that part of `a`). */
export function median(a: Float64Array, n: number): number {
  const k = n >> 1;
  select(a, n, k);
  const upper = a[k]!;
  if (n % 2 === 1) return upper;
  // After selection every element before k is ≤ a[k]: the lower middle is their maximum.
  let lower = a[0]!;
  for (let i = 1; i < k; i++) if (a[i]! > lower) lower = a[i]!;
  return (lower + upper) / 2;
}

/** Hoare quickselect: puts the k-th smallest of a[0..n) at a[k], smaller ones before it. */
function select(a: Float64Array, n: number, k: number): void {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
