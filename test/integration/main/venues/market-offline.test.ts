import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { replayCapture } from '../../../../src/main/capture/replay';
import { nullLogger } from '../../../../src/main/log';
import { FakeBinanceExchange } from '../../../fakes/binance-exchange';

const host = { name: 't', version: '1', host: 'web' as const };

describe('instrument lists offline and recording from the app', () => {
  let services: Services | null = null;
  let fake: FakeBinanceExchange | null = null;
  afterEach(async () => {
    await services?.close();
    await fake?.stop();
    services = null;
    fake = null;
  });

  it('saves each venue’s instrument list and serves it, with a message, when the venue is unreachable', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'obm-data-'));
    fake = new FakeBinanceExchange();
    await fake.start();
    services = createServices({ venues: ['binance-spot'], logger: nullLogger, host, dataDir, endpoints: { 'binance-spot': fake.endpoints } });
    const online = await services.contract.invoke('instruments.list', { venue: 'binance-spot' });
    expect((online as Array<{ symbol: string }>).map((i) => i.symbol)).toContain('BTCUSDT');
    expect(existsSync(join(dataDir, 'instruments', 'binance-spot.json'))).toBe(true);
    await services.close();
    const deadEndpoints = { ws: `ws://127.0.0.1:${fake.port}`, rest: `http://127.0.0.1:${fake.port}` };
    await fake.stop();
    fake = null;

    services = createServices({ venues: ['binance-spot'], logger: nullLogger, host, dataDir, endpoints: { 'binance-spot': deadEndpoints } });
    const offline = (await services.contract.invoke('instruments.list', { venue: 'binance-spot' })) as Array<{ symbol: string }>;
    expect(offline.map((i) => i.symbol)).toEqual((online as Array<{ symbol: string }>).map((i) => i.symbol));
    const venues = (await services.contract.invoke('venues.list', {})) as Array<{ status: string; message: string }>;
    expect(venues[0]!.status).toBe('unreachable');
    expect(venues[0]!.message).toMatch(/cannot reach .*; showing the instrument list saved \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    // A symbol the saved list does not have is refused with a clear message.
    await expect(services.market.ensure('binance-spot', 'NOPEUSDT')).rejects.toThrow('NOPEUSDT is not listed on Binance Spot');
  });

  it('a venue unreachable with no saved list says so', async () => {
    services = createServices({
      venues: ['binance-spot'],
      logger: nullLogger,
      host,
      dataDir: mkdtempSync(join(tmpdir(), 'obm-data-')),
      endpoints: { 'binance-spot': { ws: 'ws://127.0.0.1:9', rest: 'http://127.0.0.1:9' } },
    });
    await expect(services.contract.invoke('instruments.list', { venue: 'binance-spot' })).rejects.toThrow(/binance-spot: cannot reach http:\/\/127.0.0.1:9/);
  });

  it('records the demo venue from the app and the file replays to synced books', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'obm-data-'));
    services = createServices({ venues: ['demo'], logger: nullLogger, host, dataDir });
    const started = (await services.contract.invoke('recording.start', { venue: 'demo', symbols: ['BTCUSDT', 'SOLUSDT'] })) as { active: boolean; path: string };
    expect(started.active).toBe(true);
    await expect(services.contract.invoke('recording.start', { venue: 'demo', symbols: ['BTCUSDT'] })).rejects.toThrow(/already running/);
    await new Promise((r) => setTimeout(r, 1500));
    const stopped = (await services.contract.invoke('recording.stop', {})) as { active: boolean; path: string; lines: number };
    expect(stopped.active).toBe(false);
    expect(stopped.path).toBe(started.path);
    expect(stopped.path.startsWith(join(dataDir, 'recordings'))).toBe(true);
    expect(stopped.lines).toBeGreaterThan(10);
    const replay = await replayCapture(stopped.path);
    expect(replay.books.map((b) => b.symbol).sort()).toEqual(['BTCUSDT', 'SOLUSDT']);
    for (const b of replay.books) expect(b.state).toBe('synced');
    expect(replay.verify.gaps).toBe(0);
    expect(replay.verify.bboFailed).toBe(0);
  });
});
