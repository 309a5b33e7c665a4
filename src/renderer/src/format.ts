import { canonicalDecimal, toFixedDecimals } from '../../shared/decimal';

/** Price text padded to the book's decimals, without float rounding. */
export function formatPrice(text: string, decimals: number): string {
  try {
    return toFixedDecimals(text, decimals);
  } catch {
    return canonicalDecimal(text);
  }
}

const sizeFormats = new Map<number, Intl.NumberFormat>();

/** Size for display: grouped thousands, fixed decimals so columns line up; none past 100,000. */
export function formatSize(value: number, decimals = 4): string {
  if (!Number.isFinite(value)) return '—';
  const d = Math.abs(value) >= 100_000 ? 0 : decimals;
  let f = sizeFormats.get(d);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
    sizeFormats.set(d, f);
  }
  return f.format(value);
}

export function formatRate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** A file size: KB below a megabyte, else MB with one decimal. */
export function formatBytes(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
