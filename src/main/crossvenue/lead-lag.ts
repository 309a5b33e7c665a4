/**
 * Lead/lag between venues: which venue's mid moves first. Each venue's mid is sampled on local
 * receive time into fixed bins (the last mid of each bin, carried forward); the series of mid changes
 * (log returns per bin) of every pair is cross-correlated over a rolling window at lags up to
 * ±maxLag bins. The lag with the highest correlation says who leads: a positive lag means the first
 * venue's moves show up that much later on the second. Bins where a venue was not synced are holes,
 * never bridged.
 */
import type { LeadLagPair } from '../../shared/cross-venue';
import type { VenueId } from '../../shared/market';

/** Pairs need at least this many bins in which both mids moved or stood, at the best lag. */
const MIN_SAMPLES = 30;
/** And at least this many non-zero moves each, or the correlation says nothing. */
const MIN_MOVES = 5;

export class LeadLagTracker {
  /** Per venue: mid per bin (NaN: no synced mid in that bin), bin index of element 0. */
  private readonly series = new Map<VenueId, { first: number; mids: number[] }>();
  private readonly windowBins: number;

  constructor(
    readonly venues: readonly VenueId[],
    readonly binMs: number,
    windowSec: number,
    readonly maxLagBins: number,
  ) {
    this.windowBins = Math.ceil((windowSec * 1000) / binMs);
    for (const v of venues) this.series.set(v, { first: 0, mids: [] });
  }

  /** A venue's mid at a local receive time; null when its book is not synced (a hole). */
  record(venue: VenueId, ts: number, mid: number | null): void {
    const s = this.series.get(venue);
    if (!s) return;
    const bin = Math.floor(ts / this.binMs);
    // The first mid, or one after a silence longer than the window: start the series afresh there.
    if (s.mids.length === 0 || bin - (s.first + s.mids.length) > this.windowBins + this.maxLagBins) {
      s.first = bin;
      s.mids.length = 0;
    }
    const index = bin - s.first;
    if (index < s.mids.length - 1) return; // out of order: an older bin is already closed
    // Carry the last mid forward over bins without a message (an unchanged book keeps its mid).
    const carried = s.mids.length > 0 ? s.mids[s.mids.length - 1]! : Number.NaN;
    while (s.mids.length <= index) s.mids.push(carried);
    s.mids[index] = mid ?? Number.NaN;
    const excess = s.mids.length - (this.windowBins + this.maxLagBins + 1);
    if (excess > 0) {
      s.mids.splice(0, excess);
      s.first += excess;
    }
  }

  /** Every pair's best lag, as of bin `now` (local ms): series are extended to it first. */
  pairs(now: number): LeadLagPair[] {
    const end = Math.floor(now / this.binMs);
    const returns = new Map<VenueId, Map<number, number>>();
    for (const [venue, s] of this.series) {
      const r = new Map<number, number>();
      returns.set(venue, r);
      // Nothing recorded, or nothing since before the window: no returns to correlate.
      if (s.mids.length === 0 || s.first + s.mids.length < end - this.windowBins - this.maxLagBins) continue;
      // Carry the last mid up to `end` (a quiet book keeps its mid); at most a window's worth of bins.
      const mids = [...s.mids];
      const last = mids[mids.length - 1]!;
      while (s.first + mids.length <= end) mids.push(last);
      for (let i = 1; i < mids.length; i++) {
        const a = mids[i - 1]!;
        const b = mids[i]!;
        if (Number.isFinite(a) && Number.isFinite(b) && a > 0 && b > 0) r.set(s.first + i, Math.log(b / a));
      }
    }
    const out: LeadLagPair[] = [];
    const start = end - this.windowBins + 1;
    for (let x = 0; x < this.venues.length; x++) {
      for (let y = x + 1; y < this.venues.length; y++) {
        const a = this.venues[x]!;
        const b = this.venues[y]!;
        out.push(bestLag(a, b, returns.get(a)!, returns.get(b)!, start, end, this.maxLagBins, this.binMs));
      }
    }
    return out;
  }
}

/** Correlate a's return at bin t with b's at t + lag over t in [start, end]; keep the best lag. */
export function bestLag(
  a: VenueId,
  b: VenueId,
  ra: ReadonlyMap<number, number>,
  rb: ReadonlyMap<number, number>,
  start: number,
  end: number,
  maxLag: number,
  binMs: number,
): LeadLagPair {
  let best: { lag: number; corr: number; n: number } | null = null;
  let samplesAtZero = 0;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let t = start; t <= end - Math.max(0, lag); t++) {
      const x = ra.get(t);
      const y = rb.get(t + lag);
      if (x === undefined || y === undefined) continue;
      xs.push(x);
      ys.push(y);
    }
    if (lag === 0) samplesAtZero = xs.length;
    if (xs.length < MIN_SAMPLES || moves(xs) < MIN_MOVES || moves(ys) < MIN_MOVES) continue;
    const corr = pearson(xs, ys);
    if (corr !== null && (!best || corr > best.corr)) best = { lag, corr, n: xs.length };
  }
  if (!best) return { a, b, lagMs: null, correlation: null, leader: null, samples: samplesAtZero };
  return {
    a,
    b,
    lagMs: best.lag * binMs,
    correlation: best.corr,
    leader: best.lag > 0 ? a : best.lag < 0 ? b : null,
    samples: best.n,
  };
}

function moves(values: readonly number[]): number {
  let n = 0;
  for (const v of values) if (v !== 0) n++;
  return n;
}

function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let cov = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    cov += dx * dy;
    vx += dx * dx;
    vy += dy * dy;
  }
  if (vx === 0 || vy === 0) return null;
  return cov / Math.sqrt(vx * vy);
}
