/**
 * The ladder's pure model: a fixed price grid (one row per price step, empty prices included) built
 * from the levels a ladder frame carries, the wall rule, and number formatting. No DOM, no React:
 * unit tests drive it with books rebuilt from the real captures.
 *
 * Prices are exact integers in units of 10^-decimals (the frame's priceDecimals), never floats, so a
 * level lands on exactly one row.
 */

/** A side's levels, best first: [price text, size text]. */
export type Levels = ReadonlyArray<readonly [string, string]>;

export interface LadderBook {
  bids: Levels;
  asks: Levels;
  /** Decimals every price in the book fits in (price units are 10^-priceDecimals). */
  priceDecimals: number;
  /** The most size decimals worth showing (the instrument's lot precision, capped). */
  sizeDecimals: number;
}

/**
 * A price text as an integer count of 10^-decimals, exactly; null when the text is not a plain
 * decimal or carries non-zero digits beyond `decimals`.
 */
export function priceUnits(text: string, decimals: number): number | null {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m || (m[1] === '' && !m[2])) return null;
  const frac = m[2] ?? '';
  const kept = frac.slice(0, decimals);
  if (/[1-9]/.test(frac.slice(decimals))) return null;
  const units = Number((m[1] || '0') + kept.padEnd(decimals, '0'));
  return Number.isSafeInteger(units) ? units : null;
}

export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b > 0) [a, b] = [b, a % b];
  return a;
}

/** A grid step remembered across frames: its size in units of 10^-decimals. */
export interface GridStep {
  units: number;
  decimals: number;
}

/** The same step expressed at other decimals (null if it does not fit them exactly). */
export function stepAt(step: GridStep, decimals: number): number | null {
  if (decimals >= step.decimals) return step.units * 10 ** (decimals - step.decimals);
  const div = 10 ** (step.decimals - decimals);
  return step.units % div === 0 ? step.units / div : null;
}

/**
 * The grid step for this book: the largest step every price sits on, i.e. the greatest common
 * divisor of the gaps between prices, combined with the step used so far (so it only ever gets
 * finer and rows do not jump back and forth). Inferred from prices rather than the instrument's
 * tick: metadata is missing in many captures, and some venues publish a tick far finer than the
 * prices actually used (Kraken's KSM/XBT trades in 1e-6 steps at 8 decimals). Null until two prices
 * are known.
 */
export function inferStep(book: LadderBook, previous: GridStep | null): GridStep | null {
  const d = book.priceDecimals;
  let g = previous ? (stepAt(previous, d) ?? 0) : 0;
  let first: number | null = null;
  for (const side of [book.bids, book.asks]) {
    for (const [price] of side) {
      const u = priceUnits(price, d);
      if (u === null) continue;
      if (first === null) first = u;
      else g = gcd(g, u - first);
    }
  }
  return g > 0 ? { units: g, decimals: d } : previous;
}

export interface GridRow {
  /** Price in units of 10^-decimals. */
  price: number;
  /** 0 where no level rests at this price. */
  bidSize: number;
  askSize: number;
  /** Cumulative size from the best price out to this row (set on rows holding a level). */
  bidCum: number;
  askCum: number;
  /** Where this row sits: at or above the best ask, inside the spread, or at or below the best bid. */
  zone: 'ask' | 'spread' | 'bid';
  /** Beyond the farthest level loaded on a side whose book goes on further (contents unknown). */
  unloaded: boolean;
  wall: boolean;
  /** Traded volume at this row's prices in the frame's window: taker buys and taker sells (0 when none). */
  buyVol: number;
  sellVol: number;
}

export interface Grid {
  rows: GridRow[];
  /** Price units per row. */
  step: number;
  decimals: number;
  bestBid: number | null;
  bestAsk: number | null;
  /** Rows from the view's far edge to the best price on each side: the depth the view needs. */
  levelsNeeded: number;
}

export interface GridOptions {
  /** Price (in units) of the top row. */
  top: number;
  rowCount: number;
  step: number;
  /** A side whose loaded levels stop short of its book: rows beyond the last loaded one are unknown. */
  bidsTruncated: boolean;
  asksTruncated: boolean;
}

/**
 * Rows from `top` downwards, one per step: every loaded level lands on the row of its price, empty
 * prices stay as empty rows. Cumulative sizes count from the best price outwards (levels above or
 * below the view included) and are set on the rows that hold a level.
 */
export function buildGrid(book: LadderBook, opts: GridOptions): Grid {
  const { top, rowCount, step } = opts;
  const d = book.priceDecimals;
  const rows: GridRow[] = [];
  const bestBid = book.bids.length ? priceUnits(book.bids[0]![0], d) : null;
  const bestAsk = book.asks.length ? priceUnits(book.asks[0]![0], d) : null;
  const lastBid = book.bids.length ? priceUnits(book.bids[book.bids.length - 1]![0], d) : null;
  const lastAsk = book.asks.length ? priceUnits(book.asks[book.asks.length - 1]![0], d) : null;
  for (let i = 0; i < rowCount; i++) {
    const price = top - i * step;
    const zone = bestAsk !== null && price >= bestAsk ? 'ask' : bestBid !== null && price <= bestBid ? 'bid' : 'spread';
    const unloaded = (opts.asksTruncated && lastAsk !== null && price > lastAsk) || (opts.bidsTruncated && lastBid !== null && price < lastBid);
    rows.push({ price, bidSize: 0, askSize: 0, bidCum: 0, askCum: 0, zone, unloaded, wall: false, buyVol: 0, sellVol: 0 });
  }
  const place = (levels: Levels, side: 'bid' | 'ask') => {
    let cum = 0;
    for (const [priceText, sizeText] of levels) {
      const size = Number(sizeText);
      cum += size;
      const u = priceUnits(priceText, d);
      if (u === null) continue;
      const offset = top - u;
      // Levels run away from the spread: asks upwards, bids downwards. Past the view's far edge on
      // a side, every later level is further out still.
      if (offset < 0) {
        if (side === 'ask') break;
        continue;
      }
      const row = offset % step === 0 ? rows[offset / step] : undefined;
      if (!row) {
        if (side === 'bid' && offset >= rowCount * step) break;
        continue;
      }
      if (side === 'bid') {
        row.bidSize += size;
        row.bidCum = cum;
      } else {
        row.askSize += size;
        row.askCum = cum;
      }
    }
  };
  place(book.bids, 'bid');
  place(book.asks, 'ask');
  const bottom = top - (rowCount - 1) * step;
  const askRows = bestAsk === null ? 0 : Math.floor((top - bestAsk) / step) + 1;
  const bidRows = bestBid === null ? 0 : Math.floor((bestBid - bottom) / step) + 1;
  return { rows, step, decimals: d, bestBid, bestAsk, levelsNeeded: Math.max(0, askRows, bidRows) };
}

/**
 * The grid price a print lands on: like the book's grouping, a taker buy (it lifted the asks) rounds
 * up to its row and a taker sell (it hit the bids) rounds down. Null for a price not exact at `decimals`.
 */
export function tradeRowPrice(priceText: string, side: 'buy' | 'sell' | 'unknown', decimals: number, step: number): number | null {
  const u = priceUnits(priceText, decimals);
  if (u === null) return null;
  return side === 'buy' ? Math.ceil(u / step) * step : Math.floor(u / step) * step;
}

/** Add the frame's traded volumes ([price, buy, sell], exact texts) to the rows they land on. */
export function placeTraded(rows: GridRow[], traded: ReadonlyArray<readonly [string, string, string]>, decimals: number, step: number): void {
  if (rows.length === 0) return;
  const top = rows[0]!.price;
  const rowAt = (price: number | null) => {
    if (price === null) return undefined;
    const offset = top - price;
    return offset >= 0 && offset % step === 0 ? rows[offset / step] : undefined;
  };
  for (const [price, buy, sell] of traded) {
    const buyRow = rowAt(tradeRowPrice(price, 'buy', decimals, step));
    if (buyRow) buyRow.buyVol += Number(buy);
    const sellRow = rowAt(tradeRowPrice(price, 'sell', decimals, step));
    if (sellRow) sellRow.sellVol += Number(sell);
  }
}

/** Levels per side are asked for in steps of this many, up to the stream's limit. */
export const DEPTH_STEP = 25;
const MAX_DEPTH = 500;

/** Levels per side to ask for so the view is covered: rounded up, with a little room to scroll. */
export function depthFor(levelsNeeded: number): number {
  return Math.min(MAX_DEPTH, Math.max(DEPTH_STEP, Math.ceil((levelsNeeded + 5) / DEPTH_STEP) * DEPTH_STEP));
}

/** The top row's price that puts `center` in the middle row (row index floor(rowCount / 2)). */
export function topForCenter(center: number, rowCount: number, step: number): number {
  return center + Math.floor(rowCount / 2) * step;
}

/** The grid price nearest to the middle of the spread (or the one best price there is). */
export function spreadCenter(bestBid: number | null, bestAsk: number | null, step: number): number | null {
  if (bestBid === null && bestAsk === null) return null;
  const mid = bestBid !== null && bestAsk !== null ? (bestBid + bestAsk) / 2 : (bestBid ?? bestAsk)!;
  // Round half up to a grid price: with a one-step spread the best ask sits in the middle row.
  return Math.floor(mid / step + 0.5) * step;
}

/**
 * Following the spread without shaking: keep the centre still while the middle of the spread stays
 * within `slack` rows of it, recentre otherwise. Returns the centre to use.
 */
export function followCenter(current: number | null, bestBid: number | null, bestAsk: number | null, step: number, slack: number): number | null {
  const target = spreadCenter(bestBid, bestAsk, step);
  if (target === null) return current;
  if (current === null || current % step !== 0) return target;
  return Math.abs(target - current) > slack * step ? target : current;
}

/** Wall rule: at least this many times the median of the sizes in view… */
export const WALL_MEDIAN_MULTIPLE = 5;
/** …and among the largest few in view… */
export const WALL_TOP_COUNT = 3;
/** …with enough sizes in view for a median to mean something. */
export const WALL_MIN_LEVELS = 8;

/**
 * Mark walls: sizes that stand out robustly among the levels in view, i.e. at least
 * WALL_MEDIAN_MULTIPLE× the median and among the WALL_TOP_COUNT largest. A thin book with a few
 * uneven levels marks nothing. Returns how many rows were marked.
 */
export function markWalls(rows: GridRow[]): number {
  const sizes: number[] = [];
  for (const r of rows) {
    r.wall = false;
    if (r.bidSize > 0) sizes.push(r.bidSize);
    if (r.askSize > 0) sizes.push(r.askSize);
  }
  if (sizes.length < WALL_MIN_LEVELS) return 0;
  sizes.sort((a, b) => a - b);
  const n = sizes.length;
  const median = n % 2 ? sizes[(n - 1) / 2]! : (sizes[n / 2 - 1]! + sizes[n / 2]!) / 2;
  const threshold = Math.max(median * WALL_MEDIAN_MULTIPLE, sizes[n - WALL_TOP_COUNT]!);
  let marked = 0;
  for (const r of rows) {
    const size = Math.max(r.bidSize, r.askSize);
    if (size > 0 && size >= threshold) {
      r.wall = true;
      marked++;
    }
  }
  return marked;
}

/** The size bars' full width: the largest size in view that is not a wall (walls run to full width). */
export function barScale(rows: readonly GridRow[]): number {
  let max = 0;
  let maxAll = 0;
  for (const r of rows) {
    const s = Math.max(r.bidSize, r.askSize);
    maxAll = Math.max(maxAll, s);
    if (!r.wall) max = Math.max(max, s);
  }
  return max > 0 ? max : maxAll > 0 ? maxAll : 1;
}

/**
 * Decimals that show every size in the book without padding zeros: the most any size needs once
 * rounded to `cap` (the lot precision), so whole lots show none ("325,740") and a column of
 * 0.008 … 26.466 shows three everywhere.
 */
export function sizeDecimalsNeeded(book: LadderBook): number {
  const cap = book.sizeDecimals;
  let need = 0;
  for (const side of [book.bids, book.asks]) {
    for (const [, sizeText] of side) {
      if (need >= cap) return cap;
      const dot = sizeText.indexOf('.');
      if (dot === -1 && !/e/i.test(sizeText)) continue;
      const fixed = Number(sizeText).toFixed(cap);
      const trimmed = fixed.replace(/\.?0+$/, '');
      const i = trimmed.indexOf('.');
      if (i !== -1) need = Math.max(need, trimmed.length - i - 1);
    }
  }
  return need;
}

/** Decimals a step of `units` (at `decimals`) needs: 0.01 → 2, 0.5 → 1, 1 → 0, 25 → 0. */
export function unitsDecimals(units: number, decimals: number): number {
  let d = decimals;
  while (d > 0 && units % 10 === 0) {
    units /= 10;
    d--;
  }
  return d;
}

/** Digits with a comma every three from the right ("1234567" → "1,234,567"). */
function groupThousands(digits: string): string {
  return digits.length <= 3 ? digits : digits.replace(/\B(?=(\d{3})+$)/g, ',');
}

/**
 * A grid price for display, exactly: thousands separators, `shown` decimals (the units may carry
 * more, which must be zeros: grid prices sit on the step).
 */
export function formatUnits(units: number, decimals: number, shown: number): string {
  // Each paint writes every row's price again, mostly the same ones: remember recent texts.
  const key = decimals * 64 + shown;
  let texts = unitTexts.get(key);
  if (!texts) unitTexts.set(key, (texts = new Map()));
  let text = texts.get(units);
  if (text === undefined) {
    text = unitsText(units, decimals, shown);
    if (texts.size >= TEXTS_KEPT) texts.clear();
    texts.set(units, text);
  }
  return text;
}

const unitTexts = new Map<number, Map<number, string>>();
/** Texts remembered per format before the memory starts again (a few screens' worth of prices and sizes). */
const TEXTS_KEPT = 4096;

function unitsText(units: number, decimals: number, shown: number): string {
  const digits = String(units).padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals, digits.length - decimals + shown);
  return shown > 0 ? `${groupThousands(whole)}.${frac.padEnd(shown, '0')}` : groupThousands(whole);
}

const sizeFormats = new Map<number, Intl.NumberFormat>();
const sizeTexts = new Map<number, Map<number, string>>();

/**
 * A size with thousands separators and exactly `decimals` decimals, at any magnitude (one column
 * never mixes "325,740" with "98,634.0000"). format.ts's formatSize drops decimals past 100,000,
 * which suits single figures but not a column.
 */
export function formatColumnSize(value: number, decimals: number): string {
  // The same sizes come back paint after paint (up to 20 a second, ~50 rows, several columns) and
  // Intl formatting is the dear part: remember recent texts per decimals.
  let texts = sizeTexts.get(decimals);
  if (!texts) sizeTexts.set(decimals, (texts = new Map()));
  let text = texts.get(value);
  if (text === undefined) {
    let f = sizeFormats.get(decimals);
    if (!f) {
      f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
      sizeFormats.set(decimals, f);
    }
    text = f.format(value);
    if (texts.size >= TEXTS_KEPT) texts.clear();
    texts.set(value, text);
  }
  return text;
}
