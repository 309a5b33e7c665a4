/**
 * npm run web -- [--port N] [--host H] [--venue demo|binance-spot|binance-usdm ...] [--data DIR]
 *               [--token T] [--endpoint VENUE=WS_URL,REST_URL] [--tick MS] [--ui DIR]
 *
 * Starts the monitor's services in plain Node and serves the UI at http://127.0.0.1:5178/.
 */
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isVenueId, type VenueId } from '../../shared/market';
import { createServices, credentialsFromEnv } from '../app/compose';
import { parseEndpoints, type EndpointOverrides } from '../app/endpoints';
import { jsonLineLogger } from '../log';
import { rotatingFileLogger, teeLogger } from '../log-file';
import { supportedVenues } from '../venues/registry';
import { effectiveSettingsOptions, settingsOverrides, type SettingsFlags } from '../settings/effective';
import { webHostCipher } from '../settings/secret-cipher';
import { SettingsStore } from '../settings/settings-store';
import { installCrashGuard } from './crash-guard';
import { checkToken, isLoopback, startWebHost } from './server';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function fail(message: string): never {
  process.stderr.write(`web: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string', default: '5178' },
        host: { type: 'string', default: '127.0.0.1' },
        venue: { type: 'string', multiple: true },
        data: { type: 'string' },
        token: { type: 'string' },
        endpoint: { type: 'string', multiple: true },
        tick: { type: 'string', default: '50' },
        'log-level': { type: 'string', default: 'info' },
        /** Folder holding the built UI (renderer/ and web-preload/); default: the repository's out/. */
        ui: { type: 'string' },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const v = args.values;
  const port = Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0-65535, got ${v.port}`);
  const tickMs = Number(v.tick);
  if (!(tickMs >= 16 && tickMs <= 1000)) fail(`--tick must be 16-1000 ms, got ${v.tick}`);
  // The settings page's file lives in the --data folder (default ~/.orderbook-monitor); flags win over it.
  const appDir = resolve(v.data ?? join(homedir(), '.orderbook-monitor'));
  const settingsStore = new SettingsStore(join(appDir, 'settings.json'), webHostCipher(process.env));
  if (settingsStore.loadProblem) process.stderr.write(`web: settings: ${settingsStore.loadProblem}; using defaults\n`);
  // Without --venue the host runs the saved venues (by default the demo venue, which needs no network).
  const requested = (v.venue ?? settingsStore.settings().venues).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const venues: VenueId[] = [];
  for (const id of requested) {
    if (!isVenueId(id)) fail(`unknown venue "${id}"; known: ${supportedVenues().join(', ')}`);
    if (!supportedVenues().includes(id)) fail(`venue "${id}" is not supported yet; supported: ${supportedVenues().join(', ')}`);
    if (!venues.includes(id)) venues.push(id);
  }
  let endpoints: EndpointOverrides;
  try {
    endpoints = parseEndpoints(v.endpoint ?? []);
  } catch (error) {
    fail((error as Error).message);
  }
  const host = v.host!;
  let token = v.token ?? process.env.ORDERBOOK_TOKEN ?? null;
  if (!isLoopback(host) && !token) {
    token = randomBytes(18).toString('base64url');
    process.stderr.write(`web: ${host} is not a loopback address, so a token is required; generated one for this run.\n`);
  }
  const tokenProblem = token === null ? null : checkToken(token);
  if (tokenProblem) fail(tokenProblem);
  const settingsFlags: SettingsFlags = { venues: v.venue ? venues : undefined, data: v.data };
  const effective = effectiveSettingsOptions(settingsStore, settingsFlags, process.env, appDir);
  const dataDir = resolve(effective.dataDir);
  const logLevel = v['log-level'] as 'debug' | 'info' | 'warn' | 'error';
  const uiDir = resolve(v.ui ?? join(repoRoot, 'out'));
  const logger = teeLogger(
    rotatingFileLogger(join(dataDir, 'logs'), logLevel),
    jsonLineLogger((line) => process.stderr.write(line), 'warn'),
  );
  // Set once the host is up; giving up before then needs no cleanup.
  let shutdown: (code: number) => void = (code) => process.exit(code);
  installCrashGuard(process, logger, {
    giveUp: (reason) => {
      process.stderr.write(`web: stopping after ${reason} (see the log)\n`);
      shutdown(1);
    },
  });
  const services = createServices({
    venues,
    logger,
    endpoints,
    tickMs,
    dataDir,
    credentials: effective.coinbase ? { coinbase: effective.coinbase } : credentialsFromEnv(),
    settings: { store: settingsStore, overridden: settingsOverrides(settingsFlags, process.env) },
    host: { name: 'Order Book Monitor', version: process.env.npm_package_version ?? '0.0.0', host: 'web' },
  });
  let webHost;
  try {
    webHost = await startWebHost({
      services,
      logger,
      host,
      port,
      token,
      rendererDir: join(uiDir, 'renderer'),
      webPreloadFile: join(uiDir, 'web-preload', 'web-preload.js'),
    });
  } catch (error) {
    await services.close();
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') fail(`port ${port} on ${host} is already in use; pick another with --port`);
    if (e.code === 'EADDRNOTAVAIL') fail(`cannot bind ${host}: no such local address`);
    fail(e.message);
  }
  process.stdout.write(`Order Book Monitor web host: ${webHost.url}\n  venues: ${venues.join(', ')}\n  data: ${dataDir}\n`);
  let stopping = false;
  shutdown = (code: number): void => {
    if (stopping) return;
    stopping = true;
    // Give files (recordings, the database) a few seconds to flush, then go regardless.
    setTimeout(() => process.exit(code), 5000).unref();
    void webHost
      .close()
      .then(() => services.close())
      .finally(() => process.exit(code));
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
}

void main();
