/**
 * Memory: the services under the demo venue at 5,000 msgs/s with a dashboard's subscriptions, heap
 * and RSS (after a full GC) at the memory watch's baseline (here 15 s after start) and 45 s later,
 * and what the health report's memory watch says (src/main/market/memory-watch.ts). The long version of
 * this is `npm run soak`.
 */
import { createServices } from '../app/compose';
import { MemoryWatch } from '../market/memory-watch';
import { nullLogger } from '../log';
import { collectGarbage, emit, round, sleep } from './bench-util';

export async function runMemoryBench(): Promise<void> {
  const services = createServices({
    venues: ['demo'],
    logger: nullLogger,
    demo: { messagesPerSec: 5000, seed: 3 },
    host: { name: 'bench', version: '0', host: 'web' },
  });
  const watch = new MemoryWatch({
    baselineAfterMs: 15_000,
    sample: () => {
      collectGarbage();
      const m = process.memoryUsage();
      return { rss: m.rss, heapUsed: m.heapUsed };
    },
  });
  const connection = services.contract.connect({ send: (m) => void JSON.stringify(m) });
  const demo = { venue: 'demo', symbol: 'BTCUSDT' };
  connection.handle({ t: 'sub', id: 1, stream: 'book.ladder', params: { ...demo, depth: 40 } });
  connection.handle({ t: 'sub', id: 2, stream: 'book.depth', params: demo });
  connection.handle({ t: 'sub', id: 3, stream: 'book.heatmap', params: demo });
  connection.handle({ t: 'sub', id: 4, stream: 'book.top', params: demo });
  connection.handle({ t: 'sub', id: 5, stream: 'health', params: {} });
  try {
    await sleep(15_000);
    const base = watch.report();
    await sleep(45_000);
    const now = watch.report();
    const health = services.market.health().memory;
    emit({
      bench: 'memory',
      workload: 'services, demo BTCUSDT at 5000 msgs/s, dashboard subscriptions, 60 s',
      heapUsedMB: round(now.heapUsedBytes / 1_048_576, 1),
      rssMB: round(now.rssBytes / 1_048_576, 1),
      baseline: 'the same process 15 s after start (after GC)',
      baselineHeapUsedMB: round((base.baselineHeapUsedBytes ?? base.heapUsedBytes) / 1_048_576, 1),
      baselineRssMB: round((base.baselineRssBytes ?? base.rssBytes) / 1_048_576, 1),
      heapGrowthPct: now.heapGrowthPct,
      rssGrowthPct: now.rssGrowthPct,
      healthReportsMemory: { rssBytes: health.rssBytes > 0, heapUsedBytes: health.heapUsedBytes > 0 },
      alert: now.alert,
      target: 'growth under 50% (the health alert threshold)',
      met: now.alert === null,
    });
  } finally {
    connection.close();
    await services.close();
  }
}
