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

describe('heatmap history in the app', () => {
  let services: Services | null = null;
  afterEach(async () => {
    await services?.close();
    services = null;
  });

  function setup(venues: Array<'demo'> = ['demo']) {
    const dataDir = mkdtempSync(join(tmpdir(), 'obm-heatmap-history-'));
    mkdirSync(join(dataDir, 'recordings'));
    symlinkSync(capture(ETH), join(dataDir, 'recordings', 'eth.capture.jsonl'));
    services = createServices({ venues, logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, dataDir, tickMs: 20 });
    return { services, window: () => openWindow(services!) };
  }

  it('keeps a replayed book’s columns in capture time at full speed, and lets them go with the replay', async () => {
    const { services: s, window } = setup();
    const api = window();
    await api.invoke('replay.open', { name: 'eth.capture.jsonl', speed: 0 });
    await until(() => s.market.feed('binance-usdm', 'ETHUSDT') !== undefined, 15_000);
    const frames: HeatmapFrame[] = [];
    api.subscribe('book.heatmap', { venue: 'binance-usdm', symbol: 'ETHUSDT' }, (f) => frames.push(f));
    await until(() => s.market.replayStatus().done, 60_000, 'the replay to finish');

    const feed = s.market.feed('binance-usdm', 'ETHUSDT')!;
    const lastTs = feed.lastLocalTs;
    // About two minutes of capture after the snapshot: one column per 250 ms of recorded time, not a
    // handful (full speed plays it in a few seconds of wall clock).
    const answer = await api.invoke('heatmap.history', { venue: 'binance-usdm', symbol: 'ETHUSDT', from: lastTs - 10 * 60_000, to: lastTs + 1000 });
    expect(answer.columnMs).toBe(250);
    expect(answer.columns.length).toBeGreaterThan(400);
    expect(answer.columns.length).toBeLessThanOrEqual(125 * 4 + 1);
    const first = answer.columns[0]!;
    const last = answer.columns.at(-1)!;
    // Recorded time: 2024-08-08, about 120 s from first to last column.
    expect(new Date(first.ts).toISOString().slice(0, 10)).toBe('2024-08-08');
    expect(last.ts - first.ts).toBeGreaterThan(110_000);
    expect(last.ts - first.ts).toBeLessThan(125_000);
    // Columns hold the book: ETHUSDT around 2,680 with resting size in the window.
    expect(last.bestBid).toBeGreaterThan(2600);
    expect(last.bestAsk).toBeGreaterThan(last.bestBid!);
    expect(last.sizes.some((x) => x > 0)).toBe(true);
    // The stream is on the same clock and grid, so the panel can merge the two.
    await until(() => frames.at(-1)?.ts === lastTs, 15_000, 'the frame at the last recorded time');
    expect(frames.at(-1)!.rowStep).toBe(answer.rowStep);

    // The replay is over: no new columns while its clock stands still.
    const held = s.heatmaps.history(feed)!.size;
    await new Promise((r) => setTimeout(r, 600));
    expect(s.heatmaps.history(feed)!.size).toBe(held);

    await api.invoke('replay.control', { action: 'stop' });
    expect(s.heatmaps.history(feed)).toBeUndefined();
    await expect(api.invoke('heatmap.history', { venue: 'binance-usdm', symbol: 'ETHUSDT', from: 0, to: lastTs })).rejects.toThrow();
  }, 90_000);

  it('answers a window opened later (a page reload) with the columns kept before it', async () => {
    const { services: s, window } = setup();
    const first = window();
    const frames: HeatmapFrame[] = [];
    const stop = first.subscribe('book.heatmap', { venue: 'demo', symbol: 'BTCUSDT' }, (f) => frames.push(f));
    await until(() => frames.filter((f) => f.rowStep > 0).length > 0, 15_000, 'the first heatmap frame');
    const feed = s.market.feed('demo', 'BTCUSDT')!;
    await until(() => (s.heatmaps.history(feed)?.size ?? 0) >= 6, 15_000, 'six columns');
    stop();

    // The reloaded page: a new window, a new subscription, and the past from the main process.
    const reloaded = window();
    const again: HeatmapFrame[] = [];
    reloaded.subscribe('book.heatmap', { venue: 'demo', symbol: 'BTCUSDT' }, (f) => again.push(f));
    await until(() => again.some((f) => f.rowStep > 0), 15_000, 'a frame after the reload');
    const frame = again.find((f) => f.rowStep > 0)!;
    const past = await reloaded.invoke('heatmap.history', { venue: 'demo', symbol: 'BTCUSDT', from: frame.ts - 60_000, to: frame.ts, rowStep: frame.rowStep });
    expect(past.rowStep).toBe(frame.rowStep);
    expect(past.columns.length).toBeGreaterThanOrEqual(5);
    expect(past.columns.every((c) => c.ts < frame.ts)).toBe(true);
    expect(past.oldestTs).toBeLessThanOrEqual(frames.find((f) => f.rowStep > 0)!.ts);
  }, 30_000);
});

function openWindow(s: Services) {
  const client = createContractClient({ send: (m) => conn.handle(JSON.parse(JSON.stringify(m))) });
  const conn = s.contract.connect({ send: (m) => client.receive(JSON.parse(JSON.stringify(m)) as ServerMessage) });
  return client.api;
}
