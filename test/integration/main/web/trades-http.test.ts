/**
 * GET /api/trades: the route's rules with stand-in services (exact counts: live buffer first, the
 * store for older prints, never the store for a replayed book), then on the real web host with the
 * demo venue and a data folder: 400 for bad parameters, 404 for a venue not enabled or a symbol not
 * listed, and prints pushed through the market's listener (as a venue adapter will) coming back
 * newest first, after the ones the store kept from an earlier session.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import type { StoredTrade, TradesQuery } from '../../../../src/main/store/protocol';
import type { SymbolFeed } from '../../../../src/main/venues/symbol-feed';
import { startWebHost, type WebHost } from '../../../../src/main/web/server';
import { tradesAnswer, type TradesRouteServices } from '../../../../src/main/web/trades-route';
import { ContractError, type TradePrint } from '../../../../src/shared/contract';
import type { Trade, VenueId } from '../../../../src/shared/market';

const dir = mkdtempSync(join(tmpdir(), 'obm-trades-http-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function print(id: string, localTs: number): TradePrint {
  return { id, price: '1.5', size: '2', side: 'buy', exchangeTs: localTs - 1, localTs };
}

/** Stand-ins: one feed per symbol, a live buffer of `live` prints, and a store holding `stored` ones. */
function standIns(live: TradePrint[], stored: TradePrint[] | Error | null, replay = false) {
  const feed = { venue: 'demo', symbol: 'BTCUSDT' } as SymbolFeed;
  const queries: TradesQuery[] = [];
  const services: TradesRouteServices = {
    market: {
      venueIds: () => ['demo'],
      ensure: async (_venue: VenueId, symbol: string) => {
        if (symbol !== 'BTCUSDT') throw new ContractError('not-found', `${symbol} is not listed on Demo`);
        return feed;
      },
      isReplayFeed: () => replay,
    },
    recentTrades: { newest: (_f, n) => live.slice(-n) },
    store:
      stored === null
        ? null
        : {
            trades: async (q) => {
              queries.push(q);
              if (stored instanceof Error) throw stored;
              const rows = stored.filter((t) => t.localTs >= q.from && t.localTs < q.to).slice(q.newest ? -q.limit : 0, q.newest ? undefined : q.limit) as StoredTrade[];
              return { venue: q.venue, symbol: q.symbol, rows, truncated: false };
            },
          },
  };
  return { services, queries };
}

const params = (query: string) => new URLSearchParams(query);
const ids = (trades: TradePrint[]) => trades.map((t) => t.id);

describe('trades route', () => {
  it('answers from the live buffer, newest first; the store adds only older prints when the buffer has too few', async () => {
    const live = [print('l1', 100), print('l2', 101), print('l3', 102)];
    const stored = [print('s1', 50), print('s2', 60), print('s3', 70), print('l1', 100), print('l2', 101)];
    const enough = standIns(live, stored);
    expect(await tradesAnswer(enough.services, params('venue=demo&symbol=BTCUSDT&limit=2'))).toEqual({
      venue: 'demo',
      symbol: 'BTCUSDT',
      trades: [live[2], live[1]],
      live: 2,
      stored: 0,
    });
    expect(enough.queries).toEqual([]);

    const short = standIns(live, stored);
    const answer = await tradesAnswer(short.services, params('venue=demo&symbol=BTCUSDT&limit=5'));
    expect(ids(answer.trades)).toEqual(['l3', 'l2', 'l1', 's3', 's2']);
    expect(answer).toMatchObject({ live: 3, stored: 2 });
    // Only what is older than the oldest live print, and only as many as are missing.
    expect(short.queries).toEqual([{ venue: 'demo', symbol: 'BTCUSDT', from: 0, to: 100, limit: 2, newest: true }]);

    const defaults = standIns([], stored);
    expect(ids((await tradesAnswer(defaults.services, params('venue=demo&symbol=BTCUSDT'))).trades)).toEqual(['l2', 'l1', 's3', 's2', 's1']);
  });

  it('never asks the store for a replayed book, and says when the store could not answer', async () => {
    const replay = standIns([print('r1', 5)], [print('s1', 1)], true);
    expect(await tradesAnswer(replay.services, params('venue=demo&symbol=BTCUSDT'))).toMatchObject({ live: 1, stored: 0 });
    expect(replay.queries).toEqual([]);
    const broken = standIns([print('l1', 5)], new Error('the store is not available: disk full'));
    expect(await tradesAnswer(broken.services, params('venue=demo&symbol=BTCUSDT'))).toMatchObject({ live: 1, stored: 0, storeError: 'the store is not available: disk full' });
    const none = standIns([print('l1', 5)], null);
    expect(await tradesAnswer(none.services, params('venue=demo&symbol=BTCUSDT'))).toEqual({ venue: 'demo', symbol: 'BTCUSDT', trades: [print('l1', 5)], live: 1, stored: 0 });
  });
});

function get(port: number, path: string): Promise<{ status: number; json: { error?: string; trades?: TradePrint[]; live?: number; stored?: number } }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function fakeRenderer(): { rendererDir: string; webPreloadFile: string } {
  const root = mkdtempSync(join(tmpdir(), 'obm-trades-http-web-'));
  mkdirSync(join(root, 'renderer'), { recursive: true });
  writeFileSync(join(root, 'renderer', 'index.html'), '<html><head></head><body></body></html>');
  writeFileSync(join(root, 'web-preload.js'), '');
  return { rendererDir: join(root, 'renderer'), webPreloadFile: join(root, 'web-preload.js') };
}

/** What a venue adapter will do for each print: call onTrade on the listener its feeds were given. */
function emitTrade(feed: SymbolFeed, t: Trade): void {
  (feed as unknown as { listener: { onTrade(f: SymbolFeed, t: Trade): void } }).listener.onTrade(feed, t);
}

function trade(id: string, localTs: number): Trade {
  return { venue: 'demo', symbol: 'ETHUSDT', id, price: '3150.25', size: '0.0100', side: 'sell', exchangeTs: localTs - 2, localTs };
}

describe('GET /api/trades on the web host', () => {
  let services: Services | undefined;
  let host: WebHost | undefined;
  afterEach(async () => {
    await host?.close();
    await services?.close();
    host = undefined;
    services = undefined;
  });

  const start = async (dataDir: string) => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, dataDir });
    host = await startWebHost({ services, logger: nullLogger, host: '127.0.0.1', port: 0, token: null, ...fakeRenderer() });
    return { services, port: host.port };
  };

  it('400 for bad parameters and 404 for a venue not enabled or a symbol not listed, each with a message', async () => {
    const { port } = await start(join(dir, 'errors'));
    const bad: Array<[string, RegExp]> = [
      ['/api/trades', /venue is required/],
      ['/api/trades?venue=demo', /symbol is required/],
      ['/api/trades?venue=demo&symbol=ETH%20USDT', /symbol may contain/],
      ['/api/trades?venue=demo&symbol=ETHUSDT&limit=0', /limit must be a whole number from 1 to 2000, got "0"/],
      ['/api/trades?venue=demo&symbol=ETHUSDT&limit=2001', /limit must be a whole number/],
      ['/api/trades?venue=demo&symbol=ETHUSDT&limit=1.5', /limit must be a whole number/],
      ['/api/trades?venue=demo&venue=demo&symbol=ETHUSDT', /give venue once/],
      ['/api/trades?venue=demo&symbol=ETHUSDT&side=buy', /unknown parameter "side"/],
    ];
    for (const [path, message] of bad) {
      const r = await get(port, path);
      expect([path, r.status]).toEqual([path, 400]);
      expect(r.json.error).toMatch(message);
    }
    for (const [path, message] of [
      ['/api/trades?venue=nope&symbol=ETHUSDT', /venue "nope" is not enabled in this session; enabled: demo/],
      ['/api/trades?venue=kraken&symbol=XBT/USD', /venue "kraken" is not enabled/],
      ['/api/trades?venue=demo&symbol=NOPEUSDT', /NOPEUSDT is not listed/],
    ] as const) {
      const r = await get(port, path);
      expect([path, r.status]).toEqual([path, 404]);
      expect(r.json.error).toMatch(message);
    }
  });

  it('the newest prints first: this session\'s from the live buffer, then older ones the store kept', async () => {
    const dataDir = join(dir, 'sessions');
    const earlier = await start(dataDir);
    const feed1 = await earlier.services.market.ensure('demo', 'ETHUSDT');
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 4; i++) emitTrade(feed1, trade(`old-${i}`, t0 + i));
    await earlier.services.store!.flush();
    await host!.close();
    await services!.close();

    const later = await start(dataDir);
    const feed2 = await later.services.market.ensure('demo', 'ETHUSDT');
    for (let i = 0; i < 3; i++) emitTrade(feed2, trade(`new-${i}`, Date.now() + i));
    const r = await get(later.port, '/api/trades?venue=demo&symbol=ETHUSDT&limit=2000');
    expect(r.status).toBe(200);
    // Only the prints pushed here (the demo may print its own as well).
    const mine = r.json.trades!.filter((t) => /^(old|new)-/.test(t.id ?? ''));
    expect(mine.map((t) => t.id)).toEqual(['new-2', 'new-1', 'new-0', 'old-3', 'old-2', 'old-1', 'old-0']);
    expect(mine[0]).toEqual({ id: 'new-2', price: '3150.25', size: '0.0100', side: 'sell', exchangeTs: expect.any(Number), localTs: expect.any(Number) });
    expect(r.json.live).toBeGreaterThanOrEqual(3);
    expect(r.json.stored).toBeGreaterThanOrEqual(4);
    expect(r.json.trades!.slice(0, r.json.live).every((t) => !t.id?.startsWith('old-'))).toBe(true);

    const two = await get(later.port, '/api/trades?venue=demo&symbol=ETHUSDT&limit=2');
    expect(two.json).toMatchObject({ live: 2, stored: 0 });
  });
});
