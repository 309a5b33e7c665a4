/**
 * Publish latency: from a frame's receipt by the venue adapter to the window frame that carries its
 * effect, under a 5,000 messages/s burst on the demo venue, with a dashboard's subscriptions open
 * (ladder, depth, heatmap, time series) and analytics running on every update, all in one process.
 *
 * Receipt: the moment the demo transport hands the frame to the adapter. Effect: the book version
 * after the frame was applied. Carried: the first ladder frame whose version is at or past it, timed
 * when the window message is serialized (as the web host does before writing it to the socket).
 * Baseline, measured the same way in the same run: the same pipeline at 100 messages/s, where the
 * latency is the wait for the next publisher tick and nothing else.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { ServerMessage } from '../../shared/contract';
import { createServices } from '../app/compose';
import { nullLogger } from '../log';
import type { DemoTransport } from '../venues/demo/transport';
import type { SocketHandlers } from '../venues/transport';
import { emit, percentile, round, sleep } from './bench-util';

const SYMBOL = 'BTCUSDT';

export interface LatencyRun {
  msgsPerSecTarget: number;
  msgsPerSecDelivered: number;
  samples: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  eventLoopDelayP99Ms: number;
  framesSent: number;
}

export async function measurePublishLatency(msgsPerSec: number, seconds: number, tickMs = 50): Promise<LatencyRun> {
  const services = createServices({
    venues: ['demo'],
    logger: nullLogger,
    tickMs,
    demo: { messagesPerSec: msgsPerSec, burstEverySec: 0, seed: 11 },
    host: { name: 'bench', version: '0', host: 'web' },
  });
  const transport = services.market.venueConfig('demo').transport as DemoTransport;
  const versions: number[] = [];
  const receivedAt: number[] = [];
  let head = 0;
  let measuring = false;
  const connect = transport.connect.bind(transport);
  transport.connect = (url: string, handlers: SocketHandlers) =>
    connect(url, {
      ...handlers,
      onMessage(text, at) {
        const t0 = performance.now();
        const feed = services.market.feed('demo', SYMBOL);
        const before = feed?.book.version;
        handlers.onMessage(text, at);
        if (measuring && feed && feed.book.version !== before && feed.state === 'synced') {
          versions.push(feed.book.version);
          receivedAt.push(t0);
        }
      },
    });
  const latencies: number[] = [];
  const ids = { ladder: 1 };
  const connection = services.contract.connect({
    send(message: ServerMessage) {
      const text = JSON.stringify(message);
      const now = performance.now();
      if (message.t !== 'frames' || !measuring) return;
      const ladder = message.frames.find((f) => f.id === ids.ladder)?.frame as { version?: number } | undefined;
      if (!ladder?.version) return;
      while (head < versions.length && versions[head]! <= ladder.version) {
        latencies.push(now - receivedAt[head]!);
        head++;
      }
      void text;
    },
  });
  const params = { venue: 'demo', symbol: SYMBOL };
  connection.handle({ t: 'sub', id: ids.ladder, stream: 'book.ladder', params: { ...params, depth: 40 } });
  connection.handle({ t: 'sub', id: 2, stream: 'book.depth', params });
  connection.handle({ t: 'sub', id: 3, stream: 'book.heatmap', params: { ...params, intervalMs: 250 } });
  connection.handle({ t: 'sub', id: 4, stream: 'book.top', params });
  connection.handle({ t: 'sub', id: 5, stream: 'health', params: {} });
  try {
    // Wait for the book to sync, then a second of warm-up.
    const deadline = Date.now() + 15_000;
    while (services.market.feed('demo', SYMBOL)?.state !== 'synced') {
      if (Date.now() > deadline) throw new Error('demo book did not sync within 15 s');
      await sleep(50);
    }
    await sleep(1000);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const deliveredBefore = transport.delivered;
    const framesBefore = services.publisher.framesSent;
    const t0 = performance.now();
    measuring = true;
    await sleep(seconds * 1000);
    measuring = false;
    const elapsed = (performance.now() - t0) / 1000;
    loop.disable();
    return {
      msgsPerSecTarget: msgsPerSec,
      msgsPerSecDelivered: Math.round((transport.delivered - deliveredBefore) / elapsed),
      samples: latencies.length,
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      p999: round(percentile(latencies, 99.9)),
      max: round(Math.max(...latencies)),
      eventLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
      framesSent: services.publisher.framesSent - framesBefore,
    };
  } finally {
    connection.close();
    await services.close();
  }
}

export async function runPublishBench(): Promise<void> {
  const tickMs = 50;
  const baseline = await measurePublishLatency(100, 5, tickMs);
  const burst = await measurePublishLatency(5000, 10, tickMs);
  const limit = tickMs + 2;
  emit({
    bench: 'publish-latency',
    workload: `demo ${SYMBOL} at ${burst.msgsPerSecTarget} msgs/s, dashboard subscriptions, analytics on`,
    tickMs,
    msgsPerSec: burst.msgsPerSecDelivered,
    samples: burst.samples,
    p50Ms: burst.p50,
    p99Ms: burst.p99,
    p999Ms: burst.p999,
    maxMs: burst.max,
    eventLoopDelayP99Ms: burst.eventLoopDelayP99Ms,
    baseline: `same pipeline at ${baseline.msgsPerSecTarget} msgs/s (the wait for the next tick alone)`,
    baselineP50Ms: baseline.p50,
    baselineP99Ms: baseline.p99,
    baselineP999Ms: baseline.p999,
    ratioP99: round(burst.p99 / baseline.p99),
    target: `p99 <= one tick + 2 ms (${limit} ms)`,
    met: burst.p99 <= limit,
  });
}
