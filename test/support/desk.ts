/**
 * Running the desk's command-line parts (collector, recorder) and the web host as child processes in
 * tests, and the desk the join tests share: real captures published into a real nats-server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InstrumentCache } from '../../src/main/market/instrument-cache';
import type { Instrument } from '../../src/shared/market';
import { startNatsServer, type NatsCluster } from './nats-server';
import { capture, repoRoot } from './paths';
import { until } from './wait';

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<Finished>;
}

/**
 * Starts the TypeScript entry point `file` with `args` in one Node process (tsx as a loader, not its
 * CLI, which would run the script in a second process that a SIGKILL of the first leaves running);
 * `done` resolves when it exits.
 */
function startScript(file: string, args: string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<Finished>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

/** Starts `src/main/cli/<script>` with `args` (see startScript). */
export function startCli(script: string, args: string[]): Running {
  return startScript(join(repoRoot, 'src', 'main', 'cli', script), args);
}

/**
 * Starts the web host (`src/main/web/main.ts`) on a port of its own choosing with `args`; resolves
 * once it prints its URL, or rejects with its output if it exits or takes over 60 s.
 */
export async function startWebHost(args: string[]): Promise<Running & { url: string }> {
  const host = startScript(join(repoRoot, 'src', 'main', 'web', 'main.ts'), ['--port', '0', ...args]);
  const url = () => /web host: (http:\/\/127\.0\.0\.1:\d+)/.exec(host.stdout())?.[1];
  await until(() => url() !== undefined || host.child.exitCode !== null, 60_000, 'the web host up').catch(() => {});
  const found = url();
  if (!found) {
    host.child.kill('SIGTERM');
    throw new Error(`the web host did not come up:\n${host.stdout()}\n${host.stderr()}`);
  }
  return { ...host, url: found };
}

/** `npm run collect -- --capture FILE ...` to its end; rejects unless it exits 0. Returns its summary line. */
export async function collectCapture(natsUrls: string, file: string, extra: string[] = []): Promise<{ run: string; books: number; published: Record<string, number> }> {
  const result = await startCli('collect.ts', ['--nats', natsUrls, '--capture', file, ...extra]).done;
  if (result.code !== 0) throw new Error(`collect exited ${result.code}:\n${result.stderr}\n${result.stdout}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

/** Binance USD-M's ETHUSDT as its exchangeInfo lists it (what a local app saves in <data>/instruments). */
export const ETHUSDT_INSTRUMENT: Instrument = {
  venue: 'binance-usdm',
  symbol: 'ETHUSDT',
  display: 'ETHUSDT',
  base: 'ETH',
  quote: 'USDT',
  tickSize: '0.01',
  lotSize: '0.001',
  pricePrecision: 2,
  sizePrecision: 3,
  status: 'trading',
};

/** The captures the desk join tests publish: one with an instrument list, one without. */
export const DESK_ETH_CAPTURE = 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl';
export const DESK_COINBASE_CAPTURE = 'coinbase_2021-04-17.capture.jsonl';

/** A collector's data folder: with a saved instrument list (of one venue), or none. */
export function collectorDataDir(instruments: Instrument[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'obm-desk-collector-'));
  if (instruments.length > 0) new InstrumentCache(join(dir, 'instruments')).save(instruments[0]!.venue, instruments);
  return dir;
}

/**
 * A nats-server with two real captures published through `collect --capture` to their ends: Binance
 * USD-M ETHUSDT by a collector that knows the instrument (its saved list holds ETHUSDT), and Coinbase
 * 2021-04-17 by one that knows none. `eth` is the first collector's summary. The server is stopped
 * again if publishing fails.
 */
export async function startDeskWithCaptures(): Promise<{ nats: NatsCluster; eth: Awaited<ReturnType<typeof collectCapture>> }> {
  const nats = await startNatsServer();
  try {
    const eth = await collectCapture(nats.urls, capture(DESK_ETH_CAPTURE), ['--data', collectorDataDir([ETHUSDT_INSTRUMENT])]);
    await collectCapture(nats.urls, capture(DESK_COINBASE_CAPTURE), ['--data', collectorDataDir([])]);
    return { nats, eth };
  } catch (error) {
    await nats.stop();
    throw error;
  }
}
