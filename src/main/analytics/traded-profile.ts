/**
 * The traded volume profile: volume traded at each price row over a period (the UTC day by default),
 * split taker buy / taker sell, with the point of control and the value area.
 *
 * The value area is found the standard way: start at the point of control, then repeatedly compare
 * the volume of the next two rows above the area with the next two below and add the larger pair
 * (on a tie, both), until the area holds at least the wanted share (70%) of the period's volume.
 * Rows with no volume inside the range count as zero, so the area stays one contiguous band.
 */
import type { TradedProfileRow } from '../../shared/order-flow';
import { commonScale, pointOfControl } from './footprint';
import { BuySell, groupRows, rescale, rowPrice, scaledText, type PriceVolumes, type Scaled } from './traded-volume-buckets';

export interface ValueArea {
  /** Row indexes of the point of control and the area's edges (inclusive). */
  poc: bigint;
  low: bigint;
  high: bigint;
  /** Volume inside the area, at `scale`. */
  volume: bigint;
}

/**
 * The value area of rows holding at least `percent`% of their volume, growing from the point of
 * control by `rowsPerStep` rows at a time (2: the standard pairs; 1: single rows). Null when empty.
 */
export function valueArea(rows: Map<bigint, BuySell>, percent = 70, rowsPerStep = 2): ValueArea | null {
  const poc = pointOfControl(rows);
  if (poc === null) return null;
  const scale = commonScale(rows);
  const volumeAt = (index: bigint): bigint => {
    const row = rows.get(index);
    return row ? rescale(row.total, row.scale, scale) : 0n;
  };
  let min = poc;
  let max = poc;
  let total = 0n;
  for (const [index, row] of rows) {
    total += rescale(row.total, row.scale, scale);
    if (index < min) min = index;
    if (index > max) max = index;
  }
  const wanted = BigInt(Math.round(percent * 100));
  let low = poc;
  let high = poc;
  let volume = volumeAt(poc);
  const step = BigInt(rowsPerStep);
  while (volume * 10_000n < total * wanted && (low > min || high < max)) {
    const upTo = high + step > max ? max : high + step;
    const downTo = low - step < min ? min : low - step;
    let up = 0n;
    for (let i = high + 1n; i <= upTo; i++) up += volumeAt(i);
    let down = 0n;
    for (let i = low - 1n; i >= downTo; i--) down += volumeAt(i);
    const canUp = high < max;
    const canDown = low > min;
    const takeUp = canUp && (!canDown || up >= down);
    const takeDown = canDown && (!canUp || down >= up);
    if (takeUp) {
      high = upTo;
      volume += up;
    }
    if (takeDown) {
      low = downTo;
      volume += down;
    }
  }
  return { poc, low, high, volume };
}

export interface TradedProfile {
  /** Highest price first; only rows where something traded. */
  rows: TradedProfileRow[];
  volume: string;
  buyVolume: string;
  sellVolume: string;
  poc: string | null;
  /** The value area's top and bottom rows (their prices), null when nothing traded. */
  valueAreaHigh: string | null;
  valueAreaLow: string | null;
  valueAreaVolume: string;
}

/** The profile of volumes by price at rows of `step`. */
export function buildTradedProfile(volumes: PriceVolumes, step: Scaled, valueAreaPercent = 70): TradedProfile {
  const rows = groupRows(volumes, step);
  const scale = commonScale(rows);
  const total = new BuySell();
  const indexes = [...rows.keys()].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  const out: TradedProfileRow[] = indexes.map((index) => {
    const row = rows.get(index)!;
    total.addAll(row);
    return { price: rowPrice(index, step), buy: scaledText(rescale(row.buy, row.scale, scale), scale), sell: scaledText(rescale(row.sell, row.scale, scale), scale) };
  });
  const area = valueArea(rows, valueAreaPercent);
  return {
    rows: out,
    volume: scaledText(total.total, total.scale),
    buyVolume: scaledText(total.buy, total.scale),
    sellVolume: scaledText(total.sell, total.scale),
    poc: area ? rowPrice(area.poc, step) : null,
    valueAreaHigh: area ? rowPrice(area.high, step) : null,
    valueAreaLow: area ? rowPrice(area.low, step) : null,
    valueAreaVolume: area ? scaledText(area.volume, scale) : '0',
  };
}
