/**
 * npm run recorder -- --nats URL[,URL…] [--data DIR] [--name NAME] [--batch N] [--report-every MS]
 *
 * The desk's recorder: a durable JetStream consumer that writes the top of book and trades every
 * collector publishes into the SQLite store at <data>/store.db, exactly once (src/main/desk/recorder.ts).
 * Stop it with SIGINT or SIGTERM; started again, it continues where it stopped.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectDesk, openDeskStorage } from '../desk/connection';
import { DeskRecorder } from '../desk/recorder';
import { jsonLineLogger } from '../log';
import { storePaths } from '../app/store-capability';

async function main(): Promise<number> {
  const { values: v } = parseArgs({
    options: {
      nats: { type: 'string' },
      data: { type: 'string' },
      name: { type: 'string', default: 'obm_recorder' },
      'report-every': { type: 'string', default: '10000' },
      batch: { type: 'string', default: '500' },
    },
  });
  if (!v.nats) {
    process.stderr.write('recorder: --nats URL is required\nusage: npm run recorder -- --nats URL[,URL...] [--data DIR] [--name NAME]\n');
    return 2;
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(v.name!)) {
    process.stderr.write('recorder: --name may hold letters, digits, _ and - only\n');
    return 2;
  }
  const logger = jsonLineLogger((line) => process.stderr.write(line), 'warn');
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const nc = await connectDesk(v.nats, { name: `obm-recorder ${v.name}`, signal: stop.signal, onRetry: (m) => process.stderr.write(`recorder: ${m}\n`) });
  let storage;
  for (;;) {
    try {
      storage = await openDeskStorage(nc, { create: false });
      break;
    } catch (error) {
      if (stop.signal.aborted) return 0;
      process.stderr.write(`recorder: the desk's stream is not there yet (${(error as Error).message}); waiting for a collector\n`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  const dbPath = storePaths(resolve(v.data ?? join(homedir(), '.orderbook-monitor'))).db;
  const recorder = new DeskRecorder({ js: storage.js, jsm: storage.jsm, dbPath, logger, durablePrefix: v.name, batch: Math.max(1, Number(v.batch) || 500) });
  await recorder.start();
  process.stdout.write(`recorder: recording the desk's top of book and trades into ${dbPath}\n`);
  const report = setInterval(() => process.stdout.write(JSON.stringify({ recorded: recorder.counts }) + '\n'), Number(v['report-every']) || 10_000);
  await new Promise<void>((r) => stop.signal.addEventListener('abort', () => r()));
  clearInterval(report);
  await recorder.stop();
  await nc.drain();
  process.stdout.write(JSON.stringify({ recorded: recorder.counts }) + '\n');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`recorder: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
