import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import type { HealthReport } from '../../../../src/shared/contract';
import { resolveProxyOptions } from '../../../../src/main/net/proxy-options';
import { proxyRoute, type ProxyRoute } from '../../../../src/main/net/proxy-route';
import { BINANCE_SPOT, createBinanceAdapter, type BinanceAdapter } from '../../../../src/main/venues/binance';
import { LiveTransport } from '../../../../src/main/venues/live-transport';
import { FakeBinanceExchange } from '../../../fakes/binance-exchange';
import { LoopbackConnectProxy, LoopbackSocks5Proxy } from '../../../fakes/loopback-proxies';
import { until } from '../../../support/wait';

/** A name only the proxies resolve: a connection that reaches the fake went through a proxy. */
const VENUE_HOST = 'fake-binance.invalid';
const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];

describe('venue traffic through a proxy on 127.0.0.1', () => {
  let fake: FakeBinanceExchange;
  let adapter: BinanceAdapter | null = null;
  let route: ProxyRoute | null = null;
  const stops: Array<() => Promise<void>> = [];

  async function startFake(): Promise<{ ws: string; rest: string; port: number }> {
    fake = new FakeBinanceExchange({ stepMs: 15 });
    await fake.start();
    stops.push(() => fake.stop());
    const port = Number(new URL(fake.endpoints.rest).port);
    const swap = (url: string) => url.replace('127.0.0.1', VENUE_HOST);
    return { ws: swap(fake.endpoints.ws), rest: swap(fake.endpoints.rest), port };
  }

  function startAdapter(endpoints: { ws: string; rest: string }, proxyUrl: string): BinanceAdapter {
    route = proxyRoute(resolveProxyOptions({ flag: proxyUrl, env: {} }));
    adapter = createBinanceAdapter({
      venue: 'binance-spot',
      market: BINANCE_SPOT,
      endpoints,
      transport: new LiveTransport({ proxy: route }),
      logger: nullLogger,
      staleAfterMs: 2000,
      listener: { onBook: () => {}, onState: () => {} },
    });
    adapter.subscribe(SYMBOLS);
    return adapter;
  }

  const fakeAt = (port: number) => (host: string, p: number) => (host === VENUE_HOST && p === port ? { host: '127.0.0.1', port } : null);

  afterEach(async () => {
    adapter?.close();
    adapter = null;
    route?.close();
    route = null;
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  it.each([
    ['HTTP CONNECT', (resolve: ReturnType<typeof fakeAt>) => new LoopbackConnectProxy(resolve)],
    ['SOCKS5', (resolve: ReturnType<typeof fakeAt>) => new LoopbackSocks5Proxy(resolve)],
  ])('syncs Binance books with WebSocket and REST snapshots through a %s proxy', async (_name, makeProxy) => {
    const { ws, rest, port } = await startFake();
    const proxy = makeProxy(fakeAt(port));
    await proxy.start();
    stops.push(() => proxy.stop());
    const a = startAdapter({ ws, rest }, proxy.url);
    await until(() => SYMBOLS.every((s) => a.feed(s)?.state === 'synced'), 15_000, 'books to sync through the proxy');
    // The socket and at least one REST depth snapshot per book went through tunnels to the fake.
    expect(proxy.tunnels.length).toBeGreaterThanOrEqual(2);
    expect(new Set(proxy.tunnels)).toEqual(new Set([`${VENUE_HOST}:${port}`]));
    for (const symbol of SYMBOLS) {
      const feed = a.feed(symbol)!;
      expect(feed.book.bestBid()).not.toBeNull();
      expect(feed.health.gaps).toBe(0);
    }
  });

  it('names the proxy in feed health when the proxy refuses the connection', async () => {
    const { ws, rest } = await startFake();
    // A port that was just free: nothing listens there, so the connection is refused.
    const closed = new LoopbackConnectProxy(() => null);
    await closed.start();
    const deadUrl = closed.url;
    await closed.stop();
    const a = startAdapter({ ws, rest }, deadUrl);
    await until(() => (a.feed('BTCUSDT')?.health.lastError ?? '').includes('proxy'), 10_000, 'a proxy reason');
    expect(a.feed('BTCUSDT')!.health.lastError).toContain(`proxy ${deadUrl} refused the connection (ECONNREFUSED)`);
    expect(a.feed('BTCUSDT')!.state).not.toBe('synced');
  });

  it('names the proxy in feed health when an HTTP proxy refuses the tunnel', async () => {
    const { ws, rest, port } = await startFake();
    const proxy = new LoopbackConnectProxy(fakeAt(port));
    proxy.refuseWith = 403;
    await proxy.start();
    stops.push(() => proxy.stop());
    const a = startAdapter({ ws, rest }, proxy.url);
    await until(() => (a.feed('BTCUSDT')?.health.lastError ?? '').includes('proxy'), 10_000, 'a proxy reason');
    expect(a.feed('BTCUSDT')!.health.lastError).toContain(`proxy ${proxy.url} refused to connect to ${VENUE_HOST} (HTTP 403)`);
  });

  it('names the proxy when a SOCKS5 proxy cannot reach the venue', async () => {
    const { ws, rest } = await startFake();
    const proxy = new LoopbackSocks5Proxy(() => null);
    await proxy.start();
    stops.push(() => proxy.stop());
    const a = startAdapter({ ws, rest }, proxy.url);
    await until(() => (a.feed('BTCUSDT')?.health.lastError ?? '').includes('proxy'), 10_000, 'a proxy reason');
    expect(a.feed('BTCUSDT')!.health.lastError).toMatch(new RegExp(`proxy ${proxy.url.replace(/[/.]/g, '\\$&')}: .*HostUnreachable`, 'i'));
  });

  it('the app (createServices with --proxy) syncs through the proxy and reports a dead proxy in health', async () => {
    const { ws, rest, port } = await startFake();
    const proxy = new LoopbackSocks5Proxy(fakeAt(port));
    await proxy.start();
    stops.push(() => proxy.stop());
    const host = { name: 'Order Book Monitor', version: 'test', host: 'web' as const };
    const services = createServices({ venues: ['binance-spot'], logger: nullLogger, host, endpoints: { 'binance-spot': { ws, rest } }, proxy: resolveProxyOptions({ flag: proxy.url, env: {} }) });
    stops.push(() => services.close());
    await services.market.ensure('binance-spot', 'BTCUSDT');
    const health = async () => (await services.contract.invoke('health.get', {})) as HealthReport;
    await until(async () => (await health()).symbols.some((s) => s.symbol === 'BTCUSDT' && s.state === 'synced'), 15_000, 'sync through the app');
    // The instrument list (REST) came through the proxy too.
    expect((await health()).venues.find((v) => v.id === 'binance-spot')?.status).toBe('ok');

    const dead = new LoopbackConnectProxy(() => null);
    await dead.start();
    const deadUrl = dead.url;
    await dead.stop();
    const cut = createServices({ venues: ['binance-spot'], logger: nullLogger, host, endpoints: { 'binance-spot': { ws, rest } }, proxy: resolveProxyOptions({ flag: deadUrl, env: {} }) });
    stops.push(() => cut.close());
    await cut.market.ensure('binance-spot', 'BTCUSDT');
    const cutHealth = async () => (await cut.contract.invoke('health.get', {})) as HealthReport;
    await until(async () => ((await cutHealth()).symbols.find((s) => s.symbol === 'BTCUSDT')?.lastError ?? '').includes('proxy'), 10_000, 'the proxy as the reason');
    expect((await cutHealth()).symbols.find((s) => s.symbol === 'BTCUSDT')?.lastError).toContain(`proxy ${deadUrl} refused the connection`);
  });
});
