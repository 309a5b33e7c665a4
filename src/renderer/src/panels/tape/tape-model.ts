/**
 * The Time & Sales model, pure so it can be tested without a browser: a ring buffer of the newest
 * prints, their lines for display (newest first), optionally merging the prints of one taker order
 * into one line, a minimum-size filter, and which lines are large (over a size, or a multiple of the
 * recent median line size).
 *
 * Prints go in as they arrive, whatever the screen does; lines are derived on demand, so a slow or
 * paused view never makes the model drop a print (only the ring's capacity bounds it).
 */
import { addDecimal } from '../../../../shared/decimal-sum';
import { significantDecimals } from '../../../../shared/decimal';
import type { TradePrint } from '../../../../shared/contract';

/** One row of the tape; never changed once made (a merge makes a new line), so views can hold them. */
export interface TapeLine {
  /** Unique and increasing in arrival order: the key of the line's newest print. */
  key: number;
  exchangeTs: number;
  side: TradePrint['side'];
  /** Price of the newest print in the line, and of the first (they differ when an order swept levels). */
  price: string;
  firstPrice: string;
  /** Exact sum of the prints' sizes. */
  size: string;
  sizeValue: number;
  /** Prints merged into this line (1 without aggregation). */
  prints: number;
  history: boolean;
}

/** Lines newest first, as much of an array as a view reads. */
export interface LineList {
  readonly length: number;
  slice(from: number, to: number): TapeLine[];
}

export interface LineOptions {
  /** Merge consecutive prints with the same exchange time and taker side (one taker order). */
  aggregate: boolean;
  /** Hide lines smaller than this (0 shows all). */
  minSize: number;
}

export interface LargeRule {
  mode: 'size' | 'median';
  /** mode 'size': lines of at least this size are large. */
  size: number;
  /** mode 'median': lines of at least this multiple of the recent median line size are large. */
  multiple: number;
}

/** Lines the recent median is taken over. */
export const MEDIAN_WINDOW = 500;

/** A fixed-capacity ring of lines, oldest overwritten first. */
class LineRing {
  private readonly items: Array<TapeLine | undefined>;
  private start = 0;
  count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<TapeLine | undefined>(capacity);
  }

  push(line: TapeLine): void {
    this.items[(this.start + this.count) % this.capacity] = line;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  replaceNewest(line: TapeLine): void {
    this.items[(this.start + this.count - 1) % this.capacity] = line;
  }

  newest(): TapeLine | undefined {
    return this.count === 0 ? undefined : this.items[(this.start + this.count - 1) % this.capacity];
  }

  /** The i-th newest line (0 = newest). */
  fromNewest(i: number): TapeLine {
    return this.items[(this.start + this.count - 1 - i) % this.capacity]!;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}

/** Fractional digits without trailing zeros ("0.35280000" → 4); a fast path for the per-print cost. */
function decimalsOf(text: string): number {
  if (text.includes('e') || text.includes('E')) return significantDecimals(text);
  const dot = text.indexOf('.');
  if (dot === -1) return 0;
  let end = text.length;
  while (end > dot + 1 && text.charCodeAt(end - 1) === 48) end--;
  return end - dot - 1;
}

function lineOf(key: number, print: TradePrint): TapeLine {
  return {
    key,
    exchangeTs: print.exchangeTs,
    side: print.side,
    price: print.price,
    firstPrice: print.price,
    size: print.size,
    sizeValue: Number(print.size),
    prints: 1,
    history: print.history === true,
  };
}

/**
 * Both views of the tape are kept as prints arrive (one line per print, and prints of one taker
 * order merged), so switching aggregation is instant and each frame costs only its own prints.
 */
export class TapeModel {
  private readonly each: LineRing;
  private readonly merged: LineRing;
  private nextKey = 1;
  /** Increases with every change; views cache on it. */
  version = 0;
  /** Prints the host said it left out (more than a frame holds in one tick). */
  droppedByHost = 0;
  /** Prints pushed since the model was made (a paused view shows how many arrived since). */
  received = 0;
  /** Most decimals any price or size carried, for display when the instrument's precision is unknown. */
  priceDecimals = 0;
  sizeDecimals = 0;

  private cache: { version: number; aggregate: boolean; lines: TapeLine[] } | null = null;

  constructor(readonly capacity = 20_000) {
    this.each = new LineRing(capacity);
    this.merged = new LineRing(capacity);
  }

  /** Prints held (up to the capacity). */
  get size(): number {
    return this.each.count;
  }

  /** Append prints in arrival order (oldest first, as a frame carries them). */
  push(prints: readonly TradePrint[], dropped = 0): void {
    this.droppedByHost += dropped;
    if (prints.length === 0 && dropped === 0) return;
    this.received += prints.length;
    for (const print of prints) {
      const key = this.nextKey++;
      this.each.push(lineOf(key, print));
      const last = this.merged.newest();
      const history = print.history === true;
      if (last && last.exchangeTs === print.exchangeTs && last.side === print.side && last.side !== 'unknown' && last.history === history) {
        // A new object, never a change to the old: a view holding the old line (paused) stays as it was.
        this.merged.replaceNewest({
          ...last,
          key,
          price: print.price,
          size: addDecimal(last.size, print.size),
          sizeValue: last.sizeValue + Number(print.size),
          prints: last.prints + 1,
        });
      } else {
        this.merged.push(lineOf(key, print));
      }
      this.priceDecimals = Math.max(this.priceDecimals, Math.min(12, decimalsOf(print.price)));
      this.sizeDecimals = Math.max(this.sizeDecimals, Math.min(12, decimalsOf(print.size)));
    }
    this.version++;
  }

  clear(): void {
    this.each.clear();
    this.merged.clear();
    this.droppedByHost = 0;
    this.priceDecimals = 0;
    this.sizeDecimals = 0;
    this.version++;
  }

  /** Every line, newest first, before the size filter (copied once per version). */
  private allLines(aggregate: boolean): TapeLine[] {
    if (this.cache && this.cache.version === this.version && this.cache.aggregate === aggregate) return this.cache.lines;
    const ring = aggregate ? this.merged : this.each;
    const lines = new Array<TapeLine>(ring.count);
    for (let i = 0; i < ring.count; i++) lines[i] = ring.fromNewest(i);
    this.cache = { version: this.version, aggregate, lines };
    return lines;
  }

  /** Lines to show, newest first. */
  lines(options: LineOptions): TapeLine[] {
    const all = this.allLines(options.aggregate);
    return options.minSize > 0 ? all.filter((l) => l.sizeValue >= options.minSize) : all;
  }

  /**
   * Lines to show, newest first, read from the ring as it is when asked: nothing is copied without a
   * size filter (the ring holds up to 20,000 lines and a busy tape changes with every frame, while a
   * view shows a few dozen).
   */
  liveLines(options: LineOptions): LineList {
    if (options.minSize > 0) return this.lines(options);
    const ring = options.aggregate ? this.merged : this.each;
    return {
      get length() {
        return ring.count;
      },
      slice(from: number, to: number): TapeLine[] {
        const out: TapeLine[] = [];
        for (let i = Math.max(0, from); i < Math.min(to, ring.count); i++) out.push(ring.fromNewest(i));
        return out;
      },
    };
  }

  /** Median size of the newest MEDIAN_WINDOW live lines (before the size filter); 0 with none. */
  medianLineSize(aggregate: boolean): number {
    const ring = aggregate ? this.merged : this.each;
    const sizes: number[] = [];
    for (let i = 0; i < ring.count && sizes.length < MEDIAN_WINDOW; i++) {
      const line = ring.fromNewest(i);
      if (!line.history) sizes.push(line.sizeValue);
    }
    return median(sizes);
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The size from which a line counts as large, or Infinity when the rule cannot apply yet. */
export function largeThreshold(rule: LargeRule, recentMedian: number): number {
  if (rule.mode === 'size') return rule.size > 0 ? rule.size : Infinity;
  return recentMedian > 0 && rule.multiple > 0 ? recentMedian * rule.multiple : Infinity;
}

/** What the tape's rows (tape-rows.ts) show: the visible lines and how to write them. */
export interface RowsView {
  /** Lines from the first shown one (index `from` in the whole list), newest first. */
  lines: readonly TapeLine[];
  from: number;
  threshold: number;
  priceDecimals: number;
  sizeDecimals: number;
  /** Anything else the texts depend on (the number format setting). */
  formatKey: string;
}

/** Local time of day with milliseconds: "14:03:07.215". */
export function formatTimeOfDay(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** Which rows of a list of `total` rows `rowHeight` tall a viewport shows, with some spare rows. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 8): { from: number; to: number } {
  const from = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const to = Math.min(total, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { from, to: Math.max(from, to) };
}
