/** Candle intervals every side agrees on: the main process builds them, the contract names them, the chart spaces them. */
export const CANDLE_INTERVAL_NAMES = ['1s', '5s', '15s', '1m', '5m', '15m', '1h', '4h', '1d'] as const;
export type CandleIntervalName = (typeof CANDLE_INTERVAL_NAMES)[number];

/** Interval lengths in ms; buckets start at multiples of the length since the epoch (UTC days for 1d). */
export const CANDLE_INTERVAL_MS: { readonly [K in CandleIntervalName]: number } = {
  '1s': 1_000,
  '5s': 5_000,
  '15s': 15_000,
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};
