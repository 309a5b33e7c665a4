/**
 * The paper market maker in the app, through the contract: started on a capture replayed in the app,
 * it quotes and fills on the replayed book, publishes its account on the `mm` stream with the
 * accounting identity intact, refuses bad settings, and stops when its replay goes away.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import { Exact } from '../../../../src/main/strategy/exact';
import type { ServerMessage } from '../../../../src/shared/contract';
import { createContractClient } from '../../../../src/shared/contract-client';
import type { MarketMakerFrame } from '../../../../src/shared/market-maker';
import { capture } from '../../../support/paths';
import { until } from '../../../support/wait';

describe('paper market maker service', () => {
  let services: Services | null = null;
  afterEach(async () => {
    await services?.close();
    services = null;
  });

  it('runs on a replayed book, streams fills and an exact account, and stops with its replay', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'obm-mm-'));
    mkdirSync(join(dataDir, 'recordings'));
    copyFileSync(capture('binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl'), join(dataDir, 'recordings', 'eth.capture.jsonl'));
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, dataDir, tickMs: 20 });
    const s = services;
    const client = createContractClient({ send: (m) => conn.handle(JSON.parse(JSON.stringify(m))) });
    const conn = s.contract.connect({ send: (m) => client.receive(JSON.parse(JSON.stringify(m)) as ServerMessage) });
    const api = client.api;
    let latest: MarketMakerFrame | null = null;
    api.subscribe('mm', {}, (frame) => void (latest = frame));

    await expect(api.invoke('mm.settings', { settings: { size: '-1' } })).rejects.toThrow(/size must be greater than zero/);
    await expect(api.invoke('mm.settings', { settings: { queue: 'fifo' } })).rejects.toThrow(/unknown queue model "fifo"/);

    await api.invoke('replay.open', { name: 'eth.capture.jsonl', speed: 50 });
    await until(() => s.market.feed('binance-usdm', 'ETHUSDT')?.state === 'synced', 15_000, 'the replayed book to sync');
    const started = await api.invoke('mm.start', { venue: 'binance-usdm', symbol: 'ETHUSDT', settings: { size: '0.1', maxInventory: '1', spreadTicks: 2, makerFeeBps: '-0.5' } });
    expect(started).toMatchObject({ running: true, venue: 'binance-usdm', symbol: 'ETHUSDT', replay: true });
    await until(() => (latest?.fills.length ?? 0) >= 3 && latest!.quotes.length > 0, 30_000, 'fills and working quotes on the stream');
    const frame = latest!;
    const sum = frame.summary!;
    expect(Exact.of(sum.cash).add(Exact.of(sum.inventory).mul(Exact.of(sum.mark))).sub(Exact.of(sum.fees)).toString()).toBe(sum.pnl);
    expect(frame.points.length).toBeGreaterThan(0);
    // Quotes sit on the replayed book's price grid, the bid below the ask.
    const bid = frame.quotes.find((q) => q.side === 'buy');
    const ask = frame.quotes.find((q) => q.side === 'sell');
    if (bid && ask) expect(Exact.of(bid.price).lt(Exact.of(ask.price))).toBe(true);

    await api.invoke('replay.control', { action: 'stop' });
    await until(() => latest?.running === false, 5_000, 'the strategy to stop with its replay');
    expect(latest!.message).toMatch(/replay/);
    // The results stay on show; nothing is working any more.
    expect(latest!.summary!.fills).toBeGreaterThanOrEqual(sum.fills);
    expect(latest!.quotes).toEqual([]);
  });
});
