import type { HeatmapColumnInfo, HeatmapFrame } from '../../../../shared/contract';

/** One heatmap column on the global price grid (bin k covers [k·rowStep, (k+1)·rowStep)). */
export interface HeatColumn {
  /** Start of the time the column covers. */
  ts: number;
  /** How long it covers: the stream's interval, or more for history merged in time. */
  spanMs: number;
  baseRow: number;
  sizes: Float32Array;
  bestBid: number | null;
  bestAsk: number | null;
}

export type TradeCells = ReadonlyArray<readonly [price: number, buy: number, sell: number]>;

/** Columns kept by a panel: an hour at the default 250 ms per column (120 float32 bins: ~7 MB). */
export const MAX_COLUMNS = 14_400;

/** Gaps between columns up to this long are bridged by the column before (see endOf). */
export const MAX_BRIDGED_GAP_MS = 1000;

/** Absorbs float error at bin edges. */
const EDGE_EPSILON = 1e-7;

/**
 * The columns a heatmap panel draws, live and loaded from the main process's history, in time order on
 * one price grid. A change of row height (a new subscription or span) starts over: old columns would
 * not line up.
 */
export class HeatmapColumns {
  columns: HeatColumn[] = [];
  rowStep = 0;
  columnMs: number;
  /** The oldest column the host's history holds (null: unknown or no history): how far back scrolling can load. */
  historyOldestTs: number | null = null;
  /**
   * Trade bubbles per column slot start: [price, taker-buy volume, taker-sell volume] per price row.
   * Kept apart from the columns: a slot in which the book did not change has no column of its own
   * (the one before it is drawn across) but may well have prints.
   */
  trades = new Map<number, TradeCells>();

  constructor(columnMs: number) {
    this.columnMs = columnMs;
  }

  /** The bin a price falls in. */
  row(price: number): number {
    return Math.floor(price / this.rowStep + EDGE_EPSILON);
  }

  get oldestTs(): number | null {
    return this.columns[0]?.ts ?? null;
  }

  get newest(): HeatColumn | null {
    return this.columns.at(-1) ?? null;
  }

  /** Add a live frame; a frame in the newest column's time replaces it. Returns false if it does not fit (no grid yet). */
  addFrame(frame: HeatmapFrame): boolean {
    if (frame.rowStep <= 0) return false;
    if (frame.rowStep !== this.rowStep) this.reset(frame.rowStep);
    // On the same time slots as the host's history, so live and loaded columns line up.
    const column = toColumn({ ...frame, ts: Math.floor(frame.ts / this.columnMs) * this.columnMs }, frame.rowStep, this.columnMs);
    const last = this.newest;
    if (last && column.ts < last.ts + last.spanMs) {
      if (column.ts < last.ts) return false;
      this.columns[this.columns.length - 1] = column;
    } else {
      this.columns.push(column);
      if (this.columns.length > MAX_COLUMNS) this.columns.splice(0, this.columns.length - MAX_COLUMNS);
    }
    this.addFrameTrades(frame);
    return true;
  }

  /** A frame's bubbles for its own slot and the one before: the newest word on those slots' prints. */
  private addFrameTrades(frame: HeatmapFrame): void {
    for (const slot of frame.trades ?? []) this.setTrades(slot.ts, slot.cells);
    // Bounded like the columns: drop the bubbles of slots older than the oldest column.
    if (this.trades.size > MAX_COLUMNS) {
      const oldest = this.oldestTs ?? 0;
      for (const ts of this.trades.keys()) if (ts < oldest) this.trades.delete(ts);
    }
  }

  /** Bubbles of slots from the host's history, where the panel has none of its own (live ones are newer). */
  addHistoryTrades(rowStep: number, slots: ReadonlyArray<{ ts: number; cells: TradeCells }>): void {
    if (Math.abs(rowStep - this.rowStep) > this.rowStep * 1e-9) return;
    for (const slot of slots) if (!this.trades.has(slot.ts)) this.setTrades(slot.ts, slot.cells);
  }

  private setTrades(ts: number, cells: TradeCells): void {
    if (cells.length > 0) this.trades.set(ts, cells);
    else this.trades.delete(ts);
  }

  /**
   * Merge columns from the history (oldest first) where no column is held yet. Ignored when on another
   * grid than the live stream's (the history cannot make a finer grid than it keeps).
   */
  addHistory(rowStep: number, columnMs: number, columns: HeatmapColumnInfo[], oldestTs: number | null): number {
    if (this.rowStep === 0) this.reset(rowStep);
    if (Math.abs(rowStep - this.rowStep) > this.rowStep * 1e-9) return 0;
    this.historyOldestTs = oldestTs;
    const incoming = columns.map((c) => toColumn(c, rowStep, columnMs));
    // Keep what is already held (live columns are newer and exact); fill the gaps around them.
    const merged: HeatColumn[] = [];
    let i = 0;
    let j = 0;
    let added = 0;
    const held = this.columns;
    while (i < held.length || j < incoming.length) {
      const a = held[i];
      const b = incoming[j];
      if (b && (!a || b.ts + b.spanMs <= a.ts)) {
        const prev = merged.at(-1);
        if (!prev || b.ts >= prev.ts + prev.spanMs) {
          merged.push(b);
          added++;
        }
        j++;
      } else if (a && (!b || a.ts <= b.ts)) {
        merged.push(a);
        i++;
        // Drop incoming columns that overlap one held.
        while (incoming[j] && incoming[j]!.ts < a.ts + a.spanMs) j++;
      } else {
        // b overlaps a held column that starts after it: keep the held one.
        j++;
      }
    }
    this.columns = merged.length > MAX_COLUMNS ? merged.slice(merged.length - MAX_COLUMNS) : merged;
    return added;
  }

  /** Index of the first column that ends after t (binary search). */
  firstEndingAfter(t: number): number {
    let lo = 0;
    let hi = this.columns.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.columns[mid]!;
      if (c.ts + c.spanMs <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Where column k ends on screen: its own end, or the next column's start when only a short gap lies
   * between (a tick the publisher skipped under load is not news; a longer gap is shown as no data).
   */
  endOf(k: number): number {
    const c = this.columns[k]!;
    const end = c.ts + c.spanMs;
    const next = this.columns[k + 1];
    return next && next.ts > end && next.ts - end <= MAX_BRIDGED_GAP_MS ? next.ts : end;
  }

  /** The column covering time t, if any. */
  columnAt(t: number): HeatColumn | null {
    const k = this.firstEndingAfter(t);
    const c = this.columns[k];
    if (c && c.ts <= t) return c;
    // In a bridged gap: the column before it.
    const before = this.columns[k - 1];
    return before && t < this.endOf(k - 1) ? before : null;
  }

  private reset(rowStep: number): void {
    this.columns = [];
    this.trades = new Map();
    this.rowStep = rowStep;
    this.historyOldestTs = null;
  }
}

function toColumn(c: { ts: number; basePrice: number; sizes: number[]; bestBid: number | null; bestAsk: number | null }, rowStep: number, spanMs: number): HeatColumn {
  return { ts: c.ts, spanMs, baseRow: Math.round(c.basePrice / rowStep), sizes: Float32Array.from(c.sizes), bestBid: c.bestBid, bestAsk: c.bestAsk };
}
