/**
 * The renderer's formatting: everything numeric comes from src/shared/format.ts (one module for every
 * panel and chart); what is here is only about the app itself (rates, file sizes).
 */
import { formatNumber } from '../../shared/format';

export {
  assetsOf,
  axisLabels,
  bpsNumber,
  formatBps,
  formatCompact,
  formatCount,
  formatDuration,
  formatNumber,
  formatPercent,
  formatPrice,
  formatPriceText,
  formatQuantity,
  formatRatio,
  formatSigned,
  formatSize,
  formatTrimmed,
  withUnit,
} from '../../shared/format';

/** Messages or updates per second: one decimal below 100, grouped above. */
export function formatRate(value: number): string {
  return formatNumber(value, value >= 100 ? 0 : 1);
}

/** A file size: KB below a megabyte, else MB with one decimal. */
export function formatBytes(bytes: number): string {
  return bytes >= 1_048_576 ? `${formatNumber(bytes / 1_048_576, 1)} MB` : `${formatNumber(Math.max(1, Math.round(bytes / 1024)), 0)} KB`;
}
