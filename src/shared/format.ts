/**
 * Number formatting for every panel and chart: prices at the instrument's tick precision, sizes at its
 * lot precision, thousands separators, compact notation for large axis values, basis points with
 * enough decimals to stay non-zero, percentages and ratios with sensible digits, and units.
 * One locale (en-US: "," groups thousands, "." is the decimal point) so every window reads the same.
 */
import { canonicalDecimal, significantDecimals } from './decimal';

/** More decimals than any venue's tick or lot uses; a bound for inferred precisions. */
export const MAX_DISPLAY_DECIMALS = 10;

const fixedFormats = new Map<string, Intl.NumberFormat>();
let useGrouping = true;

/** The settings' number format: thousands separators (the default) or none. Applies to every later call. */
export function setNumberGrouping(on: boolean): void {
  if (on === useGrouping) return;
  useGrouping = on;
  fixedFormats.clear();
}

function fixedFormat(minDecimals: number, maxDecimals: number): Intl.NumberFormat {
  const key = `${minDecimals}:${maxDecimals}`;
  let f = fixedFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: minDecimals, maximumFractionDigits: maxDecimals, useGrouping });
    fixedFormats.set(key, f);
  }
  return f;
}

function clampDecimals(d: number): number {
  return Math.max(0, Math.min(MAX_DISPLAY_DECIMALS, Math.round(d)));
}

/** Fixed decimals with thousands separators: (1234.5, 2) → "1,234.50". "—" for a missing value. */
export function formatNumber(value: number | null | undefined, decimals: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const d = clampDecimals(decimals);
  const out = fixedFormat(d, d).format(value);
  // Never "-0.00": a value that rounds to zero has no sign.
  return /^-0(\.0*)?$/.test(out) ? out.slice(1) : out;
}

/** Up to `maxDecimals`, trailing zeros dropped: (2.3560, 4) → "2.356". For totals and summaries. */
export function formatTrimmed(value: number | null | undefined, maxDecimals: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const out = fixedFormat(0, clampDecimals(maxDecimals)).format(value);
  return /^-0(\.0*)?$/.test(out) ? out.slice(1) : out;
}

/** Decimal places of a tick or lot step: "0.00001" → 5, "0.5" → 1, 0.25 → 2, "1" → 0. */
export function stepDecimals(step: string | number): number {
  if (typeof step === 'string') return significantDecimals(step);
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let d = 0; d < MAX_DISPLAY_DECIMALS; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return MAX_DISPLAY_DECIMALS;
}

/** Decimals needed to write every one of these numbers exactly (to MAX_DISPLAY_DECIMALS). */
export function inferDecimals(values: Iterable<number>): number {
  let most = 0;
  for (const v of values) {
    if (!Number.isFinite(v) || v === 0) continue;
    most = Math.max(most, stepDecimals(Math.abs(v)));
    if (most >= MAX_DISPLAY_DECIMALS) break;
  }
  return most;
}

/** Decimals that show about six significant digits of a price when the tick is unknown. */
export function magnitudeDecimals(price: number): number {
  if (!(price > 0) || !Number.isFinite(price)) return 2;
  return clampDecimals(5 - Math.floor(Math.log10(price)));
}

/** A price at the instrument's precision: (64000.5, 2) → "64,000.50"; (0.0076, 6) → "0.007600". */
export function formatPrice(value: number | null | undefined, decimals: number): string {
  return formatNumber(value, decimals);
}

/**
 * A price given as the venue's exact text, padded to `decimals` and grouped, without a float on the way
 * ("64000.5", 2 → "64,000.50"). Text with more decimals than asked keeps all its digits: never rounds.
 */
export function formatPriceText(text: string, decimals: number): string {
  let c: string;
  try {
    c = canonicalDecimal(text);
  } catch {
    return text;
  }
  const negative = c.startsWith('-');
  const body = negative ? c.slice(1) : c;
  const dot = body.indexOf('.');
  const intPart = dot === -1 ? body : body.slice(0, dot);
  let frac = dot === -1 ? '' : body.slice(dot + 1);
  if (frac.length < decimals) frac += '0'.repeat(decimals - frac.length);
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** A size at the lot precision (never more decimals than the lot has), grouped: (1234.5, 3) → "1,234.500". */
export function formatSize(value: number | null | undefined, lotDecimals: number): string {
  return formatNumber(value, lotDecimals);
}

/**
 * A total or a derived amount (cumulative size, depth in a band, OFI): four significant digits, never
 * more decimals than the lot, compact from 10,000: (54.98229082, 8) → "54.98", (0.0123456, 8) →
 * "0.01235", (123456, 3) → "123K". Single levels keep formatSize's exact lot precision.
 */
export function formatQuantity(value: number | null | undefined, lotDecimals: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 10_000) return formatCompact(value);
  if (abs === 0) return '0';
  const decimals = Math.min(clampDecimals(lotDecimals), Math.max(0, 3 - Math.floor(Math.log10(abs))));
  return formatTrimmed(value, decimals);
}

const COMPACT_UNITS: Array<[number, string]> = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** The compact unit for a magnitude: 10,000 and above in K, a million and above in M… */
function compactUnit(magnitude: number): [number, string] {
  for (const [size, suffix] of COMPACT_UNITS) if (magnitude >= size * (size === 1e3 ? 10 : 1)) return [size, suffix];
  return [1, ''];
}

/** Compact notation with up to three significant digits: 1234567 → "1.23M", 45210 → "45.2K", 950 → "950". */
export function formatCompact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const [size, suffix] = compactUnit(abs);
  const scaled = value / size;
  const a = Math.abs(scaled);
  const decimals = a === 0 ? 0 : a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : Math.min(MAX_DISPLAY_DECIMALS, 2 - Math.floor(Math.log10(a)));
  return `${formatTrimmed(scaled, decimals)}${suffix}`;
}

export interface AxisLabelOptions {
  /** Decimals every label shows at least (a price axis: the instrument's precision). */
  minDecimals?: number;
  /** Use K / M / B for large values (size axes). */
  compact?: boolean;
}

/**
 * Labels for axis ticks that are all distinct: decimals from the step between ticks (never fewer than
 * `minDecimals`), one compact unit for the whole axis when asked. (0.123, 0.1235, 0.124) never all read
 * "0.123"; (0, 500000, 1000000) read "0", "500K", "1M" (or "0", "0.5M", "1M").
 */
export function axisLabels(values: readonly number[], options: AxisLabelOptions = {}): string[] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return values.map(() => '');
  let step = Infinity;
  const sorted = [...new Set(finite)].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) step = Math.min(step, sorted[i]! - sorted[i - 1]!);
  const largest = Math.max(...finite.map(Math.abs));
  const [unitSize, suffix] = options.compact ? compactUnit(largest) : [1, ''];
  const stepInUnit = Number.isFinite(step) && step > 0 ? step / unitSize : 0;
  let decimals = stepInUnit > 0 ? Math.max(0, Math.ceil(-Math.log10(stepInUnit) - 1e-9)) : 0;
  // A step like 0.25 needs two decimals, not one.
  if (stepInUnit > 0) decimals = Math.max(decimals, Math.min(MAX_DISPLAY_DECIMALS, stepDecimals(Number(stepInUnit.toPrecision(6)))));
  decimals = Math.max(decimals, options.compact ? 0 : (options.minDecimals ?? 0));
  // Zero on a K / M axis reads "0", not "0.0".
  const label = (v: number, d: number): string => (!Number.isFinite(v) ? '' : v === 0 && suffix ? '0' : `${formatNumber(v / unitSize, d)}${suffix}`);
  let labels = values.map((v) => label(v, decimals));
  // Float noise (0.30000000000000004) can hide in a step; one more decimal until they are distinct.
  for (let extra = 1; extra <= 3 && new Set(labels.filter(Boolean)).size < sorted.length; extra++) {
    const d = Math.min(MAX_DISPLAY_DECIMALS, decimals + extra);
    labels = values.map((v) => label(v, d));
  }
  return labels;
}

/**
 * Basis points with their unit and enough decimals to be non-zero when the value is: 12.345 → "12.3 bps",
 * 1.5 → "1.50 bps", 0.002 → "0.0020 bps", 0 → "0 bps".
 */
export function formatBps(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${bpsNumber(value)} bps`;
}

/** The number part of formatBps. */
export function bpsNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs >= 100) return formatNumber(value, 0);
  if (abs >= 10) return formatNumber(value, 1);
  if (abs >= 1) return formatNumber(value, 2);
  // Two significant digits below one basis point.
  return formatNumber(value, Math.min(MAX_DISPLAY_DECIMALS, 1 - Math.floor(Math.log10(abs))));
}

/** A percentage (already ×100): 36.3814 → "36%", 7.09 → "7.1%", 0.4567 → "0.46%". */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const decimals = abs >= 10 || abs === 0 ? 0 : abs >= 1 ? 1 : Math.min(MAX_DISPLAY_DECIMALS, 1 - Math.floor(Math.log10(abs)));
  return `${formatNumber(value, decimals)}%`;
}

/** A multiple: 7.09294 → "7.1×", 23.6 → "24×", 0.45 → "0.45×". */
export function formatRatio(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const decimals = abs >= 10 ? 0 : abs >= 1 ? 1 : 2;
  return `${formatNumber(value, decimals)}×`;
}

/** A signed number: "+1.25", "−0.30" (a real minus sign), "0". */
export function formatSigned(value: number | null | undefined, format: (v: number) => string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = format(Math.abs(value));
  // What shows as zero carries no sign.
  if (!/[1-9]/.test(text)) return text;
  return `${value > 0 ? '+' : '−'}${text}`;
}

/** A duration: 850 → "850 ms", 12_300 → "12.3 s", 240_000 → "4 min", 7_200_000 → "2 h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${formatTrimmed(ms / 1000, abs < 10_000 ? 1 : 0)} s`;
  if (abs < 3_600_000) return `${formatTrimmed(ms / 60_000, abs < 600_000 ? 1 : 0)} min`;
  return `${formatTrimmed(ms / 3_600_000, 1)} h`;
}

/** A count with thousands separators: 4029 → "4,029". */
export function formatCount(value: number | null | undefined): string {
  return formatNumber(value, 0);
}

/** Quote currencies recognised at the end of a joined symbol (XRPUSDT), longest first. */
const QUOTE_SUFFIXES = ['FDUSD', 'USDT', 'USDC', 'TUSD', 'BUSD', 'USD', 'EUR', 'GBP', 'JPY', 'TRY', 'BTC', 'XBT', 'ETH', 'BNB', 'DAI'];

/**
 * Base and quote assets for labels: from the instrument when it says, else from the symbol
 * ("KSM/XBT", "BTC-USDT", "BTC-USD-220527", "XRPUSDT"); empty strings when it cannot be told.
 */
export function assetsOf(symbol: string, base?: string | null, quote?: string | null): { base: string; quote: string } {
  if (base && quote) return { base, quote };
  const parts = symbol.split(/[/\-_:]/).filter(Boolean);
  if (parts.length >= 2) return { base: parts[0]!, quote: parts[1]! };
  const upper = symbol.toUpperCase();
  for (const q of QUOTE_SUFFIXES) if (upper.length > q.length && upper.endsWith(q)) return { base: symbol.slice(0, -q.length), quote: symbol.slice(-q.length) };
  return { base: '', quote: '' };
}

/** "2.356 BTC", or the number alone when the unit is unknown. */
export function withUnit(text: string, unit: string): string {
  return unit && text !== '—' ? `${text} ${unit}` : text;
}
