import { readFileSync } from 'node:fs';
import type { TradePrint } from '../../src/shared/contract';
import { parseBinanceTrades } from '../../src/main/venues/binance/trades';
import { capture } from './paths';

/** The Binance USD-M ETHUSDT capture the tape tests replay (4,029 prints in 2 minutes). */
export const ETHUSDT_TRADES_CAPTURE = 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl';

/** The capture's real prints as the `trades` stream carries them, in arrival order. */
export function ethusdtCapturePrints(): TradePrint[] {
  const prints: TradePrint[] = [];
  for (const text of readFileSync(capture(ETHUSDT_TRADES_CAPTURE), 'utf8').split('\n')) {
    if (!text.includes('@trade')) continue;
    const line = JSON.parse(text) as { ts: number; kind: string; data?: string };
    if (line.kind !== 'recv' || !line.data) continue;
    for (const t of parseBinanceTrades('binance-usdm', JSON.parse(line.data), line.ts)?.trades ?? []) {
      prints.push({ id: t.id, price: t.price, size: t.size, side: t.side, exchangeTs: t.exchangeTs, localTs: t.localTs });
    }
  }
  return prints;
}
