import { describe, expect, it } from 'vitest';
import {
  assetsOf,
  axisLabels,
  formatBps,
  formatCompact,
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
  inferDecimals,
  magnitudeDecimals,
  stepDecimals,
} from '../../../src/shared/format';

// The magnitudes of the real captures: KSM/XBT ~0.0076 (Kraken), DOGEUSDT ~0.12, XRPUSDT ~1.95
// (Bybit), ETHUSDT ~2,500 (Binance USD-M), BTC-USDT ~30,000 (OKX), the demo's BTCUSDT ~64,000.
describe('prices at the instrument precision', () => {
  it('pads to the tick decimals and groups thousands', () => {
    expect(formatPrice(0.0076, 6)).toBe('0.007600');
    expect(formatPrice(0.12345, 5)).toBe('0.12345');
    expect(formatPrice(1.9512, 4)).toBe('1.9512');
    expect(formatPrice(2512.37, 2)).toBe('2,512.37');
    expect(formatPrice(30012.5, 1)).toBe('30,012.5');
    expect(formatPrice(64000, 2)).toBe('64,000.00');
    expect(formatPrice(null, 2)).toBe('—');
  });

  it('keeps the exact digits of price text and never rounds it', () => {
    expect(formatPriceText('64000.5', 2)).toBe('64,000.50');
    expect(formatPriceText('0.00761', 6)).toBe('0.007610');
    expect(formatPriceText('1234567.123456789', 2)).toBe('1,234,567.123456789');
    expect(formatPriceText('0.35270000', 4)).toBe('0.3527');
    expect(formatPriceText('105055.0', 0)).toBe('105,055');
  });

  it('tells the decimals of a tick or lot from text or number', () => {
    expect(stepDecimals('0.00001')).toBe(5);
    expect(stepDecimals('0.5')).toBe(1);
    expect(stepDecimals('1')).toBe(0);
    expect(stepDecimals(0.25)).toBe(2);
    expect(stepDecimals(0.000001)).toBe(6);
    expect(stepDecimals(10)).toBe(0);
    expect(inferDecimals([0.0076, 0.007612, 0.00761])).toBe(6);
    expect(inferDecimals([30012.5, 30013])).toBe(1);
  });

  it('shows six significant digits when the tick is unknown', () => {
    expect(magnitudeDecimals(0.0076)).toBe(8);
    expect(magnitudeDecimals(0.12)).toBe(6);
    expect(magnitudeDecimals(1.95)).toBe(5);
    expect(magnitudeDecimals(2500)).toBe(2);
    expect(magnitudeDecimals(64000)).toBe(1);
  });
});

describe('sizes and totals', () => {
  it('sizes keep the lot precision, grouped', () => {
    expect(formatSize(1234.5, 3)).toBe('1,234.500');
    expect(formatSize(154408, 0)).toBe('154,408');
    expect(formatSize(0.00012, 5)).toBe('0.00012');
  });

  it('totals and derived amounts: four significant digits, at most the lot decimals, compact when large', () => {
    expect(formatQuantity(54.98229082, 8)).toBe('54.98');
    expect(formatQuantity(0.0123456, 8)).toBe('0.01235');
    expect(formatQuantity(9.17974721, 8)).toBe('9.18');
    expect(formatQuantity(2298.353, 3)).toBe('2,298');
    expect(formatQuantity(123_456, 3)).toBe('123K');
    expect(formatQuantity(1.5, 0)).toBe('2');
    expect(formatQuantity(0, 4)).toBe('0');
  });

  it('totals drop trailing zeros', () => {
    expect(formatTrimmed(2.356, 8)).toBe('2.356');
    expect(formatTrimmed(2298.353, 3)).toBe('2,298.353');
    expect(formatTrimmed(5, 4)).toBe('5');
  });

  it('never shows a negative zero', () => {
    expect(formatNumber(-0.0001, 2)).toBe('0.00');
    expect(formatSigned(-0.0001, (v) => formatNumber(v, 2))).toBe('0.00');
    expect(formatSigned(1.5, (v) => formatNumber(v, 2))).toBe('+1.50');
    expect(formatSigned(-1.5, (v) => formatNumber(v, 2))).toBe('−1.50');
  });
});

describe('compact notation and axes', () => {
  it('shortens large values to three significant digits', () => {
    expect(formatCompact(1_234_567)).toBe('1.23M');
    expect(formatCompact(45_210)).toBe('45.2K');
    expect(formatCompact(9_999)).toBe('9,999');
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(2.356)).toBe('2.36');
    expect(formatCompact(0.0123)).toBe('0.0123');
    expect(formatCompact(3.2e9)).toBe('3.2B');
  });

  it('gives distinct price labels however close the ticks are', () => {
    // DOGE around 0.123 with ticks 0.0005 apart once read "0.123 0.123 0.123".
    expect(axisLabels([0.1225, 0.123, 0.1235, 0.124], { minDecimals: 5 })).toEqual(['0.12250', '0.12300', '0.12350', '0.12400']);
    expect(axisLabels([0.00758, 0.0076, 0.00762], { minDecimals: 6 })).toEqual(['0.007580', '0.007600', '0.007620']);
    expect(axisLabels([30000, 30050, 30100], { minDecimals: 1 })).toEqual(['30,000.0', '30,050.0', '30,100.0']);
    expect(axisLabels([1.9, 1.925, 1.95], { minDecimals: 2 })).toEqual(['1.900', '1.925', '1.950']);
    const noisy = axisLabels([0.1 + 0.2, 0.4, 0.5]);
    expect(new Set(noisy).size).toBe(3);
  });

  it('keeps the leading digits of large size axes, in one unit', () => {
    expect(axisLabels([0, 500_000, 1_000_000, 1_500_000], { compact: true })).toEqual(['0', '0.5M', '1.0M', '1.5M']);
    expect(axisLabels([0, 20_000, 40_000], { compact: true })).toEqual(['0', '20K', '40K']);
    expect(axisLabels([0, 0.5, 1, 1.5], { compact: true })).toEqual(['0.0', '0.5', '1.0', '1.5']);
    expect(axisLabels([0, 2, 4, 6], { compact: true })).toEqual(['0', '2', '4', '6']);
  });
});

describe('basis points, percentages and ratios', () => {
  it('basis points stay non-zero when the value is', () => {
    expect(formatBps(0.002)).toBe('0.0020 bps');
    expect(formatBps(0.0264)).toBe('0.026 bps');
    expect(formatBps(0.5123)).toBe('0.51 bps');
    expect(formatBps(1.5)).toBe('1.50 bps');
    expect(formatBps(12.345)).toBe('12.3 bps');
    expect(formatBps(1234.5)).toBe('1,235 bps');
    expect(formatBps(0)).toBe('0 bps');
    expect(formatBps(null)).toBe('—');
  });

  it('percentages and ratios read at a glance', () => {
    expect(formatPercent(36.3814)).toBe('36%');
    expect(formatPercent(7.09294)).toBe('7.1%');
    expect(formatPercent(0.4567)).toBe('0.46%');
    expect(formatRatio(7.09294)).toBe('7.1×');
    expect(formatRatio(23.6)).toBe('24×');
    expect(formatRatio(0.45)).toBe('0.45×');
  });

  it('durations', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_300)).toBe('12 s');
    expect(formatDuration(4_500)).toBe('4.5 s');
    expect(formatDuration(240_000)).toBe('4 min');
    expect(formatDuration(7_200_000)).toBe('2 h');
  });
});

describe('asset units', () => {
  it('from the instrument, else from the symbol', () => {
    expect(assetsOf('XRPUSDT', 'XRP', 'USDT')).toEqual({ base: 'XRP', quote: 'USDT' });
    expect(assetsOf('KSM/XBT')).toEqual({ base: 'KSM', quote: 'XBT' });
    expect(assetsOf('BTC-USDT')).toEqual({ base: 'BTC', quote: 'USDT' });
    expect(assetsOf('XRPUSDT')).toEqual({ base: 'XRP', quote: 'USDT' });
    expect(assetsOf('ETHBTC')).toEqual({ base: 'ETH', quote: 'BTC' });
    expect(assetsOf('BTC')).toEqual({ base: '', quote: '' });
  });
});
