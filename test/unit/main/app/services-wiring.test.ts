import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import { until } from '../../../support/wait';

describe('services wiring', () => {
  let services: Services | null = null;
  afterEach(async () => {
    await services?.close();
    services = null;
  });

  it('stores every alert the analytics raise, and reports the store in health', async () => {
    services = createServices({
      venues: ['demo'],
      logger: nullLogger,
      host: { name: 't', version: '1', host: 'web' },
      dataDir: mkdtempSync(join(tmpdir(), 'obm-wiring-')),
    });
    const s = services;
    const feed = await s.market.ensure('demo', 'ETHUSDT');
    await until(() => feed.state === 'synced' && feed.book.bestBid() !== undefined, 15_000);
    // A price the best bid has already reached fires at the next update.
    const bid = feed.book.priceValue(feed.book.bestBid()!);
    await s.contract.invoke('alerts.price.set', { venue: 'demo', symbol: 'ETHUSDT', price: (bid - 20).toFixed(2), direction: 'above' });
    await until(async () => ((await s.contract.invoke('store.alerts', { venue: 'demo', symbol: 'ETHUSDT' })) as unknown[]).length > 0, 15_000);
    const stored = (await s.contract.invoke('store.alerts', { venue: 'demo', symbol: 'ETHUSDT' })) as Array<{ kind: string; message: string }>;
    expect(stored[0]!.kind).toBe('price');
    expect(stored[0]!.message).toMatch(/ETHUSDT/);
    const health = s.health();
    expect(health.store).not.toBeNull();
    expect(health.store!.path).toMatch(/store\.db$/);
    expect((await s.contract.invoke('health.get', {})) as { store: unknown }).toHaveProperty('store');
  });
});

describe('API keys', () => {
  it('come from the environment, only when both key and secret are set', async () => {
    const { credentialsFromEnv } = await import('../../../../src/main/app/compose');
    expect(credentialsFromEnv({})).toEqual({});
    expect(credentialsFromEnv({ ORDERBOOK_COINBASE_KEY: 'k' })).toEqual({});
    expect(credentialsFromEnv({ ORDERBOOK_COINBASE_KEY: 'k', ORDERBOOK_COINBASE_SECRET: 's', ORDERBOOK_COINBASE_PASSPHRASE: 'p' })).toEqual({
      coinbase: { key: 'k', secret: 's', passphrase: 'p' },
    });
  });
});
