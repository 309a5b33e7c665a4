/**
 * Heatmap history of one book, kept in the main process so a heatmap window can load the past on open,
 * after a reload, a symbol switch or a span change, and scroll back through it.
 *
 * A column is the book at one moment: resting size per price bin (a fixed row height, the book's
 * grouping for the heatmap) in a window of `rows` bins centred on mid, plus the best bid and ask. At most
 * one column is kept per `columnMs` (a later add in the same slot replaces it: the last state wins), so
 * the caller may feed it on every heatmap tick or on every book change. Storage is a ring of typed
 * arrays allocated once: memory is `bytesPerColumn × capacity` whatever the market does, and the
 * oldest columns are evicted first (also any older than `keepMs` behind the newest).
 */

export interface HeatmapHistoryOptions {
  /** Price height of one bin (the grouping); fixed for the life of the history. */
  rowStep: number;
  /** Bins kept per column, centred on mid. */
  rows?: number;
  /** Column width in time: at most one column per slot of this length. */
  columnMs?: number;
  /** How long columns are kept (behind the newest); capacity is sized so this much always fits. */
  keepMs?: number;
}

/** A column as returned by a query: the same shape as the heatmap stream's frame. */
export interface HistoryColumn {
  /** Start of the column's time slot (ms since the epoch). */
  ts: number;
  /** Lower edge of sizes[0]; bins go up in price by rowStep. */
  basePrice: number;
  sizes: number[];
  bestBid: number | null;
  bestAsk: number | null;
}

export interface HistoryRange {
  rowStep: number;
  /** Time covered by one returned column (columnMs, or a multiple when columns were merged). */
  columnMs: number;
  columns: HistoryColumn[];
  /** The oldest column held at all (null when empty): where scrolling back ends. */
  oldestTs: number | null;
  /** True when columns were merged in time to stay within maxColumns. */
  merged: boolean;
}

export interface RangeOptions {
  /** Bin height wanted; a coarser step than the history's re-bins (sizes split by overlap). Finer is not possible: the history's own step is returned. */
  rowStep?: number;
  /** At most this many columns; longer ranges merge neighbouring columns (mean size per bin). */
  maxColumns?: number;
}

/** A price level, best first on each side. */
export type LevelPair = readonly [price: number, size: number];

export const DEFAULT_ROWS = 120;
export const DEFAULT_COLUMN_MS = 250;
export const DEFAULT_KEEP_MS = 60 * 60 * 1000;

/** Absorbs float error when a price falls exactly on a bin edge (3051.2 / 0.1 = 30511.999…). */
const EDGE_EPSILON = 1e-7;
/** ts, baseRow, bestBid, bestAsk as float64. */
const META_BYTES_PER_COLUMN = 4 * 8;

export class HeatmapHistory {
  readonly rowStep: number;
  readonly rows: number;
  readonly columnMs: number;
  readonly keepMs: number;
  /** Columns the ring holds: keepMs of columns, plus the one being replaced. */
  readonly capacity: number;

  private readonly tsOf: Float64Array;
  /** Global bin index (floor(price / rowStep)) of each column's first bin. */
  private readonly baseRowOf: Float64Array;
  private readonly bidOf: Float64Array;
  private readonly askOf: Float64Array;
  private readonly sizes: Float32Array;
  /** Physical index of the oldest column, and how many are held. */
  private head = 0;
  private count = 0;

  constructor(options: HeatmapHistoryOptions) {
    if (!(options.rowStep > 0)) throw new Error('rowStep must be positive');
    this.rowStep = options.rowStep;
    this.rows = options.rows ?? DEFAULT_ROWS;
    this.columnMs = options.columnMs ?? DEFAULT_COLUMN_MS;
    this.keepMs = options.keepMs ?? DEFAULT_KEEP_MS;
    this.capacity = Math.ceil(this.keepMs / this.columnMs) + 1;
    this.tsOf = new Float64Array(this.capacity);
    this.baseRowOf = new Float64Array(this.capacity);
    this.bidOf = new Float64Array(this.capacity);
    this.askOf = new Float64Array(this.capacity);
    this.sizes = new Float32Array(this.capacity * this.rows);
  }

  /** Bytes one column takes: its sizes as float32 plus four float64 fields. */
  get bytesPerColumn(): number {
    return this.rows * 4 + META_BYTES_PER_COLUMN;
  }

  /** Bytes the history holds, allocated up front: never grows. */
  get capacityBytes(): number {
    return this.bytesPerColumn * this.capacity;
  }

  get size(): number {
    return this.count;
  }

  get oldestTs(): number | null {
    return this.count ? this.tsOf[this.head]! : null;
  }

  get newestTs(): number | null {
    return this.count ? this.tsOf[this.physical(this.count - 1)]! : null;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /** The bin a price falls in on this history's grid. */
  row(price: number): number {
    return Math.floor(price / this.rowStep + EDGE_EPSILON);
  }

  /**
   * Add the book at `ts` from its levels (best first on each side; the walk stops at the first level
   * outside the window). Returns false when ignored: no price to centre on, or older than the newest slot.
   */
  addBook(ts: number, bestBid: number | null, bestAsk: number | null, bids: Iterable<LevelPair>, asks: Iterable<LevelPair>): boolean {
    const centre = bestBid !== null && bestAsk !== null ? (bestBid + bestAsk) / 2 : (bestBid ?? bestAsk);
    if (centre === null) return false;
    const baseRow = this.row(centre) - Math.floor(this.rows / 2);
    const slot = this.slotFor(ts);
    if (slot < 0) return false;
    const offset = slot * this.rows;
    this.sizes.fill(0, offset, offset + this.rows);
    for (const side of [bids, asks]) {
      for (const [price, size] of side) {
        const i = this.row(price) - baseRow;
        if (i < 0 || i >= this.rows) break;
        this.sizes[offset + i]! += size;
      }
    }
    this.finishSlot(slot, ts, baseRow, bestBid, bestAsk);
    return true;
  }

  /**
   * Add a column already binned (e.g. a heatmap stream frame) at this history's row step. Bins outside
   * the history's window (centred on the column's mid) are dropped. Returns false when ignored.
   */
  addColumn(column: { ts: number; basePrice: number; rowStep: number; sizes: ArrayLike<number>; bestBid: number | null; bestAsk: number | null }): boolean {
    if (Math.abs(column.rowStep - this.rowStep) > this.rowStep * 1e-9) throw new Error(`column row step ${column.rowStep} differs from the history's ${this.rowStep}`);
    const { bestBid, bestAsk } = column;
    const sourceBase = Math.round(column.basePrice / this.rowStep);
    const centre = bestBid !== null && bestAsk !== null ? (bestBid + bestAsk) / 2 : (bestBid ?? bestAsk);
    const baseRow = centre === null ? sourceBase : this.row(centre) - Math.floor(this.rows / 2);
    const slot = this.slotFor(column.ts);
    if (slot < 0) return false;
    const offset = slot * this.rows;
    this.sizes.fill(0, offset, offset + this.rows);
    for (let j = 0; j < column.sizes.length; j++) {
      const i = sourceBase + j - baseRow;
      if (i >= 0 && i < this.rows) this.sizes[offset + i] = column.sizes[j]!;
    }
    this.finishSlot(slot, column.ts, baseRow, bestBid, bestAsk);
    return true;
  }

  /** Columns whose slot starts in [from, to), oldest first. */
  range(from: number, to: number, options: RangeOptions = {}): HistoryRange {
    const wanted = options.rowStep ?? this.rowStep;
    // Coarser only; a step within float noise of ours is ours.
    const rowStep = wanted > this.rowStep * (1 + 1e-9) ? wanted : this.rowStep;
    const first = this.lowerBound(from);
    const end = this.lowerBound(to);
    const n = Math.max(0, end - first);
    const maxColumns = Math.max(1, options.maxColumns ?? n);
    const group = Math.max(1, Math.ceil(n / maxColumns));
    const columns: HistoryColumn[] = [];
    for (let g = first; g < end; g += group) {
      columns.push(this.mergedColumn(g, Math.min(end, g + group), rowStep));
    }
    return { rowStep, columnMs: this.columnMs * group, columns, oldestTs: this.oldestTs, merged: group > 1 };
  }

  /** Columns [from, to) (logical indexes) as one column at `rowStep`: mean size per bin, last best prices. */
  private mergedColumn(from: number, to: number, rowStep: number): HistoryColumn {
    const last = this.physical(to - 1);
    const ratio = this.rowStep / rowStep;
    // The merged window is the last column's window, re-binned.
    const lastBase = this.baseRowOf[last]!;
    const baseRow = Math.floor(lastBase * ratio + EDGE_EPSILON);
    const topRow = Math.floor((lastBase + this.rows) * ratio - EDGE_EPSILON);
    const sizes = new Array<number>(topRow - baseRow + 1).fill(0);
    const weight = 1 / (to - from);
    for (let k = from; k < to; k++) {
      const p = this.physical(k);
      const base = this.baseRowOf[p]!;
      const offset = p * this.rows;
      for (let i = 0; i < this.rows; i++) {
        const size = this.sizes[offset + i]!;
        if (size === 0) continue;
        // Fine bin [lo, hi) in coarse-bin units; it overlaps at most two coarse bins (ratio <= 1).
        const lo = (base + i) * ratio;
        const hi = lo + ratio;
        const a = Math.floor(lo + EDGE_EPSILON);
        const b = Math.floor(hi - EDGE_EPSILON);
        if (a === b) addAt(sizes, a - baseRow, size * weight);
        else {
          const inA = (a + 1 - lo) / ratio;
          addAt(sizes, a - baseRow, size * inA * weight);
          addAt(sizes, b - baseRow, size * (1 - inA) * weight);
        }
      }
    }
    return { ts: this.tsOf[this.physical(from)]!, basePrice: baseRow * rowStep, sizes, bestBid: nullIfNaN(this.bidOf[last]!), bestAsk: nullIfNaN(this.askOf[last]!) };
  }

  /** The physical slot for a column at ts: the newest one if ts is in its time slot, else a new one; -1 when ts is older. */
  private slotFor(ts: number): number {
    const slotTs = this.slotStart(ts);
    if (this.count > 0) {
      const newest = this.physical(this.count - 1);
      const newestTs = this.tsOf[newest]!;
      if (slotTs === newestTs) return newest;
      if (slotTs < newestTs) return -1;
    }
    if (this.count === this.capacity) {
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
    this.count++;
    return this.physical(this.count - 1);
  }

  private finishSlot(slot: number, ts: number, baseRow: number, bestBid: number | null, bestAsk: number | null): void {
    const slotTs = this.slotStart(ts);
    this.tsOf[slot] = slotTs;
    this.baseRowOf[slot] = baseRow;
    this.bidOf[slot] = bestBid ?? Number.NaN;
    this.askOf[slot] = bestAsk ?? Number.NaN;
    // Age out what lies more than keepMs behind the newest (a gap in the feed leaves old columns).
    while (this.count > 1 && this.tsOf[this.head]! <= slotTs - this.keepMs) {
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
  }

  private slotStart(ts: number): number {
    return Math.floor(ts / this.columnMs) * this.columnMs;
  }

  private physical(logical: number): number {
    return (this.head + logical) % this.capacity;
  }

  /** The first logical index whose ts is >= t (binary search: columns are in time order). */
  private lowerBound(t: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tsOf[this.physical(mid)]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function addAt(sizes: number[], i: number, value: number): void {
  if (i >= 0 && i < sizes.length) sizes[i]! += value;
}

function nullIfNaN(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}
