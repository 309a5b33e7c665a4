/** The candle CSV format, shared by `npm run export -- --candles` and the app's Export Candles CSV. */
import type { Candle } from './candles';

export const CANDLES_CSV_HEADER = 'ts_iso,open,high,low,close,volume,buy_volume,sell_volume,trades,vwap';

/** How far a recorded trade's receive time may lie from its trade time and still be found by a time range. */
export const DB_TIME_MARGIN_MS = 3_600_000;

/** One CSV line: the interval start in UTC with milliseconds, exact decimals, VWAP to 12 significant digits. */
export function candleCsvLine(c: Candle): string {
  return `${new Date(c.start).toISOString()},${c.open},${c.high},${c.low},${c.close},${c.volume},${c.buyVolume},${c.sellVolume},${c.trades},${c.vwap ?? ''}\n`;
}
