/**
 * The web host as benchmarks and the soak run it: the same services and server as `npm run web`
 * (createServices + startWebHost), with the demo venue at a chosen message rate, and, when started as
 * a child process with an IPC channel, answering `{ t: 'sample' }` with its memory and open handles
 * (after a full garbage collection, so retained memory is what is compared) and `{ t: 'stop' }`.
 *
 *   tsx src/main/cli/bench-host.ts --port 5291 --data DIR [--ui DIR] [--rate 5000] [--tick 50]
 *
 * Without a built UI (--ui holding renderer/index.html) it serves a placeholder page: the soak drives
 * the contract over the WebSocket, not through a browser.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createServices } from '../app/compose';
import { jsonLineLogger } from '../log';
import { rotatingFileLogger, teeLogger } from '../log-file';
import type { DemoTransport } from '../venues/demo/transport';
import { startWebHost } from '../web/server';
import { collectGarbage } from './bench-util';

export interface HostSample {
  t: 'sample';
  uptimeSec: number;
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  activeHandles: number;
  activeRequests: number;
  demoMessages: number;
  framesSent: number;
  sessions: number;
}

interface ProcessInternals {
  _getActiveHandles(): unknown[];
  _getActiveRequests(): unknown[];
}

/** A UI folder with a placeholder page, for hosts driven without a browser. */
function placeholderUi(dataDir: string): string {
  const dir = join(dataDir, 'placeholder-ui');
  mkdirSync(join(dir, 'renderer'), { recursive: true });
  mkdirSync(join(dir, 'web-preload'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><html><head><title>bench host</title></head><body>bench host</body></html>\n');
  writeFileSync(join(dir, 'web-preload', 'web-preload.js'), '\n');
  return dir;
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      port: { type: 'string', default: '5291' },
      data: { type: 'string' },
      ui: { type: 'string' },
      rate: { type: 'string', default: '5000' },
      tick: { type: 'string', default: '50' },
      venue: { type: 'string', multiple: true },
    },
  });
  if (!v.data) throw new Error('--data DIR is required');
  const dataDir = resolve(v.data);
  mkdirSync(dataDir, { recursive: true });
  const ui = v.ui && existsSync(join(v.ui, 'renderer', 'index.html')) ? resolve(v.ui) : placeholderUi(dataDir);
  const logger = teeLogger(rotatingFileLogger(join(dataDir, 'logs'), 'info'), jsonLineLogger((line) => process.stderr.write(line), 'error'));
  const services = createServices({
    venues: ['demo'],
    logger,
    tickMs: Number(v.tick),
    dataDir,
    demo: { messagesPerSec: Number(v.rate), seed: 5 },
    host: { name: 'Order Book Monitor (bench host)', version: '0', host: 'web' },
  });
  const web = await startWebHost({
    services,
    logger,
    host: '127.0.0.1',
    port: Number(v.port),
    token: null,
    rendererDir: join(ui, 'renderer'),
    webPreloadFile: join(ui, 'web-preload', 'web-preload.js'),
  });
  const demo = services.market.venueConfig('demo').transport as DemoTransport;
  const internals = process as unknown as ProcessInternals;
  const started = Date.now();
  const sample = (): HostSample => {
    collectGarbage();
    const m = process.memoryUsage();
    return {
      t: 'sample',
      uptimeSec: Math.round((Date.now() - started) / 1000),
      rssBytes: m.rss,
      heapUsedBytes: m.heapUsed,
      externalBytes: m.external,
      activeHandles: internals._getActiveHandles().length,
      activeRequests: internals._getActiveRequests().length,
      demoMessages: demo.delivered,
      framesSent: services.publisher.framesSent,
      sessions: services.publisher.sessionCount,
    };
  };
  const stop = async (): Promise<void> => {
    await web.close();
    await services.close();
    process.exit(0);
  };
  process.on('message', (m: { t?: string }) => {
    if (m?.t === 'sample') process.send?.(sample());
    if (m?.t === 'stop') void stop();
  });
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('disconnect', () => void stop());
  process.stdout.write(`bench host: ${web.url}\n`);
  process.send?.({ t: 'ready', url: web.url });
}

main().catch((error: Error) => {
  process.stderr.write(`bench host failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
