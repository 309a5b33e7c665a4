import { describe, expect, it } from 'vitest';
import { MemoryWatch, type MemorySample } from '../../../../src/main/market/memory-watch';
import { MarketService } from '../../../../src/main/market/service';
import { HealthReportSchema } from '../../../../src/shared/contract';
import type { Logger } from '../../../../src/main/log';

describe('MemoryWatch', () => {
  it('takes its baseline after start-up and warns once when RSS or heap grows more than 50% over it', () => {
    let now = 1_000;
    let mem: MemorySample = { rss: 100e6, heapUsed: 40e6 };
    const logged: string[] = [];
    const logger: Logger = { log: (_level, event) => void logged.push(event) };
    const changes: Array<string | null> = [];
    const watch = new MemoryWatch({ baselineAfterMs: 60_000, minGrowthBytes: 20e6, sample: () => mem, now: () => now, logger });
    watch.onChange = (m) => changes.push(m);

    // Start-up: big allocations before the baseline do not count.
    mem = { rss: 300e6, heapUsed: 90e6 };
    expect(watch.report()).toMatchObject({ rssBytes: 300e6, baselineRssBytes: null, heapGrowthPct: null, alert: null });
    now += 60_000;
    mem = { rss: 200e6, heapUsed: 50e6 };
    expect(watch.report()).toMatchObject({ baselineRssBytes: 200e6, baselineHeapUsedBytes: 50e6, rssGrowthPct: 0, alert: null });

    // 40% heap growth: not yet.
    mem = { rss: 210e6, heapUsed: 70e6 };
    expect(watch.report()).toMatchObject({ heapGrowthPct: 40, rssGrowthPct: 5, alert: null });
    // 60% heap growth: warned, with numbers.
    mem = { rss: 210e6, heapUsed: 80e6 };
    const r = watch.report();
    expect(r.heapGrowthPct).toBe(60);
    expect(r.alert).toMatch(/heap 76 MB is 60% over its baseline of 48 MB/);
    expect(r.alert).not.toMatch(/RSS/);
    watch.report();
    // RSS too.
    mem = { rss: 320e6, heapUsed: 80e6 };
    expect(watch.report().alert).toMatch(/RSS 305 MB is 60% over .*; heap/);
    // Back under: the warning ends.
    mem = { rss: 220e6, heapUsed: 55e6 };
    expect(watch.report().alert).toBeNull();
    expect(changes.map((c) => (c === null ? null : c.slice(0, 14)))).toEqual(['memory growing', null]);
    expect(logged.filter((e) => e.startsWith('memory-growth'))).toEqual(['memory-growth', 'memory-growth-ended']);
  });

  it('does not warn of growth smaller than 64 MB, however large a share of a small baseline it is', () => {
    let now = 0;
    let mem: MemorySample = { rss: 150e6, heapUsed: 32e6 };
    const watch = new MemoryWatch({ baselineAfterMs: 60_000, sample: () => mem, now: () => now });
    now = 60_000;
    watch.report();
    // The web host's heap in a long e2e run: 32 → 49 MB, +52%, no leak.
    mem = { rss: 200e6, heapUsed: 49e6 };
    expect(watch.report()).toMatchObject({ heapGrowthPct: 53.1, alert: null });
    mem = { rss: 200e6, heapUsed: 110e6 };
    expect(watch.report().alert).toMatch(/^memory growing: heap 105 MB is 244% over its baseline of 31 MB$/);
  });

  it('is in the health report, which still validates against the contract', () => {
    const market = new MarketService([], { log() {} });
    try {
      const health = market.health();
      expect(health.memory.rssBytes).toBeGreaterThan(0);
      expect(health.memory.baselineRssBytes).toBeNull(); // a minute has not passed
      expect(HealthReportSchema.parse(health)).toEqual(health);
    } finally {
      market.close();
    }
  });
});
