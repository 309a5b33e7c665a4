import type { HeatmapFrame } from '../../../../shared/contract';

/** One heatmap column on the global price grid (row k covers [k·rowStep, (k+1)·rowStep)). */
export interface Column {
  ts: number;
  baseRow: number;
  sizes: number[];
  bestBid: number | null;
  bestAsk: number | null;
}

/** Columns kept in memory (a few minutes at the default 4 columns per second). */
export const MAX_COLUMNS = 1200;

/**
 * Accumulates heatmap frames into columns on one price grid. A change of row height (a new
 * subscription) starts over, since old columns no longer line up.
 */
export class ColumnHistory {
  columns: Column[] = [];
  rowStep = 0;

  add(f: HeatmapFrame): Column | null {
    if (f.rowStep <= 0) return null;
    if (f.rowStep !== this.rowStep) {
      this.columns = [];
      this.rowStep = f.rowStep;
    }
    const col: Column = { ts: f.ts, baseRow: Math.round(f.basePrice / f.rowStep), sizes: f.sizes, bestBid: f.bestBid, bestAsk: f.bestAsk };
    this.columns.push(col);
    if (this.columns.length > MAX_COLUMNS) this.columns.splice(0, this.columns.length - MAX_COLUMNS);
    return col;
  }

  /** The row index of a price on the global grid. */
  row(price: number): number {
    return Math.floor(price / this.rowStep + 1e-7);
  }
}
