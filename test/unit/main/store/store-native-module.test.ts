import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';

describe('a SQLite module built for another runtime', () => {
  let services: Services | null = null;
  afterEach(async () => {
    delete process.env.ORDERBOOK_SQLITE_BINDING;
    await services?.close();
  });

  it('leaves the feeds running and tells the user how to fix it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obm-native-'));
    const wrong = join(dir, 'better_sqlite3.node');
    writeFileSync(wrong, 'not a shared object for this runtime');
    // What the desktop app sets; a binary that cannot load stands in for one built for Electron's ABI.
    process.env.ORDERBOOK_SQLITE_BINDING = wrong;
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, dataDir: dir });
    const feed = await services.market.ensure('demo', 'BTCUSDT');
    const start = Date.now();
    while ((services.health().store?.state !== 'failed' || feed.state !== 'synced') && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 50));
    const store = services.health().store!;
    expect(store.state).toBe('failed');
    expect(store.message).toMatch(/built for a different runtime.*npm start/);
    expect(feed.state).toBe('synced');
  });
});
