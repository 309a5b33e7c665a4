/**
 * Order flow on a real capture with trades (Binance USD-M ETHUSDT, 2 minutes, 4,029 trades): the app
 * replays it and the per-second series, the metrics' volume windows and the heatmap's trade bubbles
 * (history and stream) hold the capture's traded volume, split by taker side as the captures README
 * says (2298.353 = 1181.463 taker buy + 1116.89 taker sell).
 */
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import type { HeatmapFrame, ServerMessage } from '../../../../src/shared/contract';
import { createContractClient } from '../../../../src/shared/contract-client';
import { capture } from '../../../support/paths';
import { until } from '../../../support/wait';

const ETH = 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl';
const VOLUME = 2298.353;
const TAKER_BUY = 1181.463;
const TAKER_SELL = 1116.89;

function openWindow(s: Services) {
  const client = createContractClient({ send: (m) => conn.handle(JSON.parse(JSON.stringify(m))) });
  const conn = s.contract.connect({ send: (m) => client.receive(JSON.parse(JSON.stringify(m)) as ServerMessage) });
  return client.api;
}

describe('order flow on a replayed capture', () => {
  let services: Services | null = null;
  afterEach(async () => {
    await services?.close();
    services = null;
  });

  it('series, volume windows and heatmap bubbles carry the capture’s traded volume by taker side', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'obm-order-flow-'));
    mkdirSync(join(dataDir, 'recordings'));
    symlinkSync(capture(ETH), join(dataDir, 'recordings', 'eth.capture.jsonl'));
    const s = (services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, dataDir, tickMs: 20 }));
    const api = openWindow(s);
    await api.invoke('replay.open', { name: 'eth.capture.jsonl', speed: 0 });
    await until(() => s.market.feed('binance-usdm', 'ETHUSDT') !== undefined, 15_000);
    const frames: HeatmapFrame[] = [];
    api.subscribe('book.heatmap', { venue: 'binance-usdm', symbol: 'ETHUSDT' }, (f) => frames.push(f));
    await until(() => s.market.replayStatus().done, 60_000, 'the replay to finish');

    // Every print reached analytics: the completed seconds of the series and the second in progress
    // (a replay's clock stops at its last event) sum to the capture's volume.
    const series = s.analytics.series('binance-usdm', 'ETHUSDT', 600)!;
    const open = s.analytics.book('binance-usdm', 'ETHUSDT')!.analytics.series;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(new Date(series.t.at(-1)!).toISOString().slice(0, 10)).toBe('2024-08-08');
    expect(sum(series.volume) + open.currentBuy + open.currentSell + open.currentOther).toBeCloseTo(VOLUME, 6);
    expect(sum(series.buyVolume) + open.currentBuy).toBeCloseTo(TAKER_BUY, 6);
    expect(sum(series.sellVolume) + open.currentSell).toBeCloseTo(TAKER_SELL, 6);
    expect(sum(series.trades) + open.currentTrades).toBe(4029);
    // A VWAP inside each second's price range, and imbalance within −1…1.
    const busy = series.volume.findIndex((v) => v > 0);
    expect(series.vwap[busy]).toBeGreaterThan(2600);
    expect(series.tradeImbalance.every((x) => x === null || (x >= -1 && x <= 1))).toBe(true);

    // The 15-minute window holds all of it; the last print is the capture's.
    const metrics = s.analytics.book('binance-usdm', 'ETHUSDT')!.analytics.frame('synced');
    const w15 = metrics.flow.windows.find((w) => w.seconds === 900)!;
    expect(w15.volume).toBeCloseTo(VOLUME, 6);
    expect(w15.delta).toBeCloseTo(TAKER_BUY - TAKER_SELL, 6);
    expect(metrics.flow.windows.find((w) => w.seconds === 60)!.volume).toBeLessThan(w15.volume);
    expect(metrics.flow.lastPrice).toMatch(/^26\d\d\.\d+$/);

    // The heatmap history carries the bubbles per column slot: all prints from the moment the book
    // had a mid (the first few before the snapshot have no history to go to).
    const feed = s.market.feed('binance-usdm', 'ETHUSDT')!;
    const answer = await api.invoke('heatmap.history', { venue: 'binance-usdm', symbol: 'ETHUSDT', from: feed.lastLocalTs - 10 * 60_000, to: feed.lastLocalTs + 1000 });
    let buy = 0;
    let sell = 0;
    const withTrades = answer.trades!.length;
    for (const slot of answer.trades!) {
      expect(slot.ts % 250).toBe(0);
      for (const [price, b, sl] of slot.cells) {
        // ETHUSDT traded between 2,675 and 2,690 in those two minutes.
        expect(price).toBeGreaterThan(2675);
        expect(price).toBeLessThan(2690);
        buy += b;
        sell += sl;
      }
    }
    expect(withTrades).toBeGreaterThan(100);
    expect(buy + sell).toBeGreaterThan(VOLUME * 0.97);
    expect(buy + sell).toBeLessThanOrEqual(VOLUME + 1e-6);
    expect(buy).toBeLessThanOrEqual(TAKER_BUY + 1e-6);
    expect(sell).toBeLessThanOrEqual(TAKER_SELL + 1e-6);

    // Stream frames carry the latest two slots' bubbles, on the stream's grid.
    const withCells = frames.filter((f) => f.trades?.some((t) => t.cells.length > 0));
    expect(withCells.length).toBeGreaterThan(0);
    const f = withCells.at(-1)!;
    expect(f.trades!.map((t) => t.ts)).toEqual([Math.floor(f.ts / 250) * 250 - 250, Math.floor(f.ts / 250) * 250]);
  }, 90_000);
});
