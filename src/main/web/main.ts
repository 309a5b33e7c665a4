/**
 * npm run web -- [--port N] [--host H] [--venue demo|binance-spot|binance-usdm ...] [--data DIR]
 *               [--token T] [--endpoint VENUE=WS_URL,REST_URL] [--tick MS] [--ui DIR] [--proxy URL]
 *               [--alert-webhook URL [--alert-webhook-secret S]] [--alert-telegram-token T --alert-telegram-chat ID]
 *               [--alert-telegram-api URL] [--alert-quiet-hours HH:MM-HH:MM[@ZONE]] [--alert-kinds K,…] [--alert-test] [--nats URL[,URL...]]
 *
 * With --nats the books, trades and health come from a desk's collectors over NATS JetStream instead
 * of exchange connections (every venue they publish, or those --venue names).
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
import { resolveProxyOptions, type ProxyOptions } from '../net/proxy-options';
import type { AlertDeliveryOptions } from '../../shared/alert-delivery';
import { resolveAlertDeliveryOptions } from '../alerts-delivery/options';
import { rotatingFileLogger, teeLogger } from '../log-file';
import { supportedVenues } from '../venues/registry';
import { effectiveSettingsOptions, settingsOverrides, type SettingsFlags } from '../settings/effective';
import { webHostCipher } from '../settings/secret-cipher';
import { SettingsStore } from '../settings/settings-store';
import { installCrashGuard } from './crash-guard';
import { connectDeskSubscriber, type DeskSource } from '../desk/subscriber';
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
        /** Venue traffic through this proxy (http://, https://, socks5://, socks5h://); HTTPS_PROXY/ALL_PROXY otherwise. */
        proxy: { type: 'string' },
        /** Alert delivery (see README "Alert delivery"); ORDERBOOK_ALERT_* variables do the same. */
        'alert-webhook': { type: 'string' },
        'alert-webhook-secret': { type: 'string' },
        'alert-telegram-token': { type: 'string' },
        'alert-telegram-chat': { type: 'string' },
        'alert-telegram-api': { type: 'string' },
        'alert-quiet-hours': { type: 'string' },
        'alert-kinds': { type: 'string' },
        /** Send a test message on every alert channel once the host is up, and print the outcome. */
        'alert-test': { type: 'boolean', default: false },
        /** Take the books from a desk's NATS (src/main/desk) instead of exchange connections. */
        nats: { type: 'string' },
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
  // --nats, else the settings page's "NATS URL (desk)": books from the desk instead of the venues.
  const natsUrl = v.nats ?? settingsStore.settings().natsUrl ?? undefined;
  // Without --venue the host runs the saved venues (by default the demo venue, which needs no network;
  // with a desk: what the desk publishes).
  const requested = (v.venue ?? (natsUrl ? [] : settingsStore.settings().venues)).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
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
  const settingsFlags: SettingsFlags = { venues: v.venue ? venues : undefined, data: v.data, nats: v.nats };
  const effective = effectiveSettingsOptions(settingsStore, settingsFlags, process.env, appDir);
  let proxy: ProxyOptions;
  try {
    proxy = resolveProxyOptions({ flag: v.proxy, env: process.env, saved: effective.savedProxy });
  } catch (error) {
    fail((error as Error).message);
  }
  let alertDelivery: AlertDeliveryOptions;
  try {
    alertDelivery = resolveAlertDeliveryOptions({
      env: process.env,
      saved: effective.savedAlertDelivery,
      flags: {
        webhook: v['alert-webhook'],
        webhookSecret: v['alert-webhook-secret'],
        telegramToken: v['alert-telegram-token'],
        telegramChat: v['alert-telegram-chat'],
        telegramApi: v['alert-telegram-api'],
        quietHours: v['alert-quiet-hours'],
        kinds: v['alert-kinds'],
      },
    });
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
  let desk: DeskSource | undefined;
  if (natsUrl) {
    const waiting = new AbortController();
    const stopWaiting = (): void => waiting.abort();
    process.once('SIGINT', stopWaiting);
    process.once('SIGTERM', stopWaiting);
    try {
      desk = await connectDeskSubscriber(natsUrl, { venues, logger, signal: waiting.signal, name: 'obm-web', onWait: (message) => process.stderr.write(`web: ${message}\n`) });
    } catch (error) {
      fail((error as Error).message);
    }
    process.off('SIGINT', stopWaiting);
    process.off('SIGTERM', stopWaiting);
    if (venues.length === 0) venues.push(...desk.venues);
  }
  const services = createServices({
    desk,
    venues,
    logger,
    endpoints,
    tickMs,
    dataDir,
    credentials: effective.coinbase ? { coinbase: effective.coinbase } : credentialsFromEnv(),
    settings: { store: settingsStore, overridden: settingsOverrides(settingsFlags, process.env) },
    proxy,
    alertDelivery,
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
  process.stdout.write(`Order Book Monitor web host: ${webHost.url}\n  venues: ${venues.join(', ')}${natsUrl ? ` (from the desk at ${natsUrl})` : ''}\n  data: ${dataDir}\n`);
  if (v['alert-test']) {
    const results = await services.alertDelivery.test();
    if (results.length === 0) process.stdout.write('  alert test: no alert channel is configured\n');
    for (const r of results) process.stdout.write(`  alert test, ${r.channel}: ${r.ok ? 'delivered' : 'FAILED'}${r.httpStatus !== null ? ` (HTTP ${r.httpStatus})` : ''}${r.error ? ` ${r.error}` : ''}\n`);
  }
  let stopping = false;
  shutdown = (code: number): void => {
    if (stopping) return;
    stopping = true;
    // Give files (recordings, the database) a few seconds to flush, then go regardless.
    setTimeout(() => process.exit(code), 5000).unref();
    void webHost
      .close()
      .then(() => services.close())
      .then(() => desk?.nc.close())
      .finally(() => process.exit(code));
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
}

void main();
