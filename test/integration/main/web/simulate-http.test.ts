/**
 * GET /api/simulate on the web host, in process:
 *  - against a live-style book (the real Binance adapter streaming from the fake exchange on
 *    127.0.0.1), frozen, and checked against the exchange's own true book with arithmetic done here;
 *  - against a book replayed from a real capture, checked against an independent rebuild of that book
 *    from the capture's REST snapshot and diffs;
 *  - 400 for bad parameters, 404 for an unknown venue or symbol, 503 while a book is not in sync.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { MarketService } from '../../../../src/main/market/service';
import { answerSimulate, type BookSource } from '../../../../src/main/analytics/impact-query';
import { replayCapture } from '../../../../src/main/capture/replay';
import { nullLogger } from '../../../../src/main/log';
import type { SymbolFeed } from '../../../../src/main/venues/symbol-feed';
import { startWebHost, type WebHost } from '../../../../src/main/web/server';
import { canonicalDecimal } from '../../../../src/shared/decimal';
import type { VenueId } from '../../../../src/shared/market';
import { ContractError } from '../../../../src/shared/contract';
import { FakeBinanceExchange } from '../../../fakes/binance-exchange';
import { capture } from '../../../support/paths';
import { until } from '../../../support/wait';

function fakeRenderer(): { rendererDir: string; webPreloadFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'obm-sim-'));
  mkdirSync(join(dir, 'renderer'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<html><head></head><body></body></html>');
  writeFileSync(join(dir, 'web-preload.js'), '');
  return { rendererDir: join(dir, 'renderer'), webPreloadFile: join(dir, 'web-preload.js') };
}

// The answers are checked field by field against hand computation, so read them loosely typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Json; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = { raw: body };
        }
        resolve({ status: res.statusCode ?? 0, json, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A market order walked by hand over [price, size] levels, best first. */
function handWalk(levels: Array<[number, number]>, order: { size?: number; notional?: number }) {
  let base = 0;
  let quote = 0;
  const fills: Array<[number, number]> = [];
  for (const [price, size] of levels) {
    if (order.size !== undefined) {
      if (base >= order.size) break;
      const take = Math.min(size, order.size - base);
      base += take;
      quote += take * price;
      fills.push([price, take]);
    } else {
      if (quote >= order.notional!) break;
      const want = order.notional! - quote;
      const take = size * price <= want ? size : want / price;
      base += take;
      quote += take * price;
      fills.push([price, take]);
    }
  }
  return { base, quote, vwap: quote / base, fills };
}

describe('/api/simulate on the web host', () => {
  let services: Services | undefined;
  let host: WebHost | undefined;
  let fake: FakeBinanceExchange | undefined;
  afterEach(async () => {
    await host?.close();
    await services?.close();
    await fake?.stop();
    host = undefined;
    services = undefined;
    fake = undefined;
  });

  it('answers for a live book, matching the exchange’s true book; 503 before sync; 400 and 404 with a message', async () => {
    fake = new FakeBinanceExchange({ stepMs: 20, seed: 11 });
    await fake.start();
    services = createServices({
      venues: ['binance-spot'],
      endpoints: { 'binance-spot': fake.endpoints },
      logger: nullLogger,
      host: { name: 't', version: '1', host: 'web' },
    });
    let lastSeq = -1;
    services.market.onBook((_feed, event) => {
      if (event.seq !== undefined) lastSeq = event.seq;
    });
    host = await startWebHost({ services, logger: nullLogger, host: '127.0.0.1', port: 0, token: null, ...fakeRenderer() });
    const port = host.port;
    const base = '/api/simulate?venue=binance-spot&symbol=BTCUSDT';

    // The first request starts the book; it is not in sync yet.
    const early = await get(port, `${base}&side=buy&size=1`);
    expect(early.status).toBe(503);
    expect(early.json.error).toMatch(/BTCUSDT on binance-spot is not in sync yet/);
    expect(early.headers['retry-after']).toBe('1');

    await until(() => services!.market.feed('binance-spot', 'BTCUSDT')?.state === 'synced', 15_000, 'sync');
    fake.pause();
    const truth = fake.market.trueBook('BTCUSDT')!;
    await until(() => lastSeq === truth.updateId, 10_000, 'the book to catch up with the paused exchange');
    const asks = truth.asks.map(([p, q]) => [Number(p), Number(q)] as [number, number]);
    const bids = truth.bids.map(([p, q]) => [Number(p), Number(q)] as [number, number]);
    const mid = (bids[0]![0] + asks[0]![0]) / 2;

    // Buy 2.5 BTC.
    const buy = await get(port, `${base}&side=buy&size=2.5`);
    expect(buy.status).toBe(200);
    const hb = handWalk(asks, { size: 2.5 });
    expect(buy.json.complete).toBe(true);
    expect(buy.json.filledBase).toBeCloseTo(2.5, 9);
    expect(buy.json.filledQuote).toBeCloseTo(hb.quote, 6);
    expect(buy.json.vwap).toBeCloseTo(hb.vwap, 6);
    expect(buy.json.levelsConsumed).toBe(hb.fills.length);
    expect(buy.json.fills.map((f: { price: string }) => Number(f.price))).toEqual(hb.fills.map(([p]) => p));
    expect(Number(buy.json.worstPrice)).toBe(hb.fills.at(-1)![0]);
    expect(canonicalDecimal(buy.json.bestPrice)).toBe(canonicalDecimal(truth.asks[0]![0]));
    expect(buy.json.mid).toBeCloseTo(mid, 9);
    expect(buy.json.slippageVsMidBps).toBeCloseTo(((hb.vwap - mid) / mid) * 10_000, 6);
    expect(buy.json.slippageVsBest).toBeCloseTo(hb.vwap - asks[0]![0], 6);

    // Sell 100,000 USDT of notional with a 7.5 bp fee.
    const sell = await get(port, `${base}&side=sell&notional=100000&fee=7.5`);
    expect(sell.status).toBe(200);
    const hs = handWalk(bids, { notional: 100_000 });
    expect(sell.json.mode).toBe('quote');
    expect(sell.json.complete).toBe(true);
    expect(sell.json.filledQuote).toBeCloseTo(100_000, 6);
    expect(sell.json.filledBase).toBeCloseTo(hs.base, 9);
    expect(sell.json.levelsConsumed).toBe(hs.fills.length);
    expect(sell.json.fee).toBeCloseTo(75, 6);
    expect(sell.json.total).toBeCloseTo(100_000 - 75, 6);
    expect(sell.json.slippageVsBestBps).toBeCloseTo(((bids[0]![0] - hs.vwap) / bids[0]![0]) * 10_000, 6);

    // More than the whole book: every level, partial.
    const all = await get(port, `${base}&side=buy&size=1e9`);
    expect(all.json.complete).toBe(false);
    expect(all.json.levelsConsumed).toBe(asks.length);
    expect(all.json.filledBase).toBeCloseTo(asks.reduce((s, [, q]) => s + q, 0), 6);

    // Bad parameters: 400 with what is wrong.
    const bad = async (query: string, message: RegExp) => {
      const r = await get(port, `/api/simulate?${query}`);
      expect(r.status).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/json/);
      expect(r.json.error).toMatch(message);
    };
    await bad('venue=binance-spot&symbol=BTCUSDT&size=1', /side must be buy or sell/);
    await bad('venue=binance-spot&symbol=BTCUSDT&side=buy', /exactly one of size or notional/);
    await bad('venue=binance-spot&symbol=BTCUSDT&side=buy&size=1&notional=1', /exactly one of size or notional/);
    await bad('venue=binance-spot&symbol=BTCUSDT&side=buy&size=lots', /size must be a positive number/);
    await bad('venue=binance-spot&symbol=BTCUSDT&side=buy&size=1&fee=-1', /fee must be a positive number/);
    await bad('symbol=BTCUSDT&side=buy&size=1', /venue is required/);
    await bad('venue=nasdaq&symbol=BTCUSDT&side=buy&size=1', /venue/);
    // Unknown venue (not enabled here) and unknown symbol: 404.
    const offVenue = await get(port, '/api/simulate?venue=okx&symbol=BTC-USDT&side=buy&size=1');
    expect(offVenue.status).toBe(404);
    expect(offVenue.json.error).toMatch(/okx.*not enabled/);
    const noSymbol = await get(port, '/api/simulate?venue=binance-spot&symbol=NOPEUSDT&side=buy&size=1');
    expect(noSymbol.status).toBe(404);
    expect(noSymbol.json.error).toMatch(/NOPEUSDT is not listed/);
    // The host checks still apply to the route.
    expect((await get(port, `${base}&side=buy&size=1`, { host: 'evil.example' })).status).toBe(403);
  });

  it('requires the token on a non-loopback host', async () => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' } });
    host = await startWebHost({ services, logger: nullLogger, host: '0.0.0.0', port: 0, token: 'tok-0123456789abcdef', ...fakeRenderer() });
    expect((await get(host.port, '/api/simulate?venue=demo&symbol=ETHUSDT&side=buy&size=1')).status).toBe(401);
    const withToken = await get(host.port, '/api/simulate?venue=demo&symbol=ETHUSDT&side=buy&size=1', { authorization: 'Bearer tok-0123456789abcdef' });
    expect([200, 503]).toContain(withToken.status);
  });
});

/** A market whose books are the replayed ones (no venue runs; ensure() hands out the replayed feeds). */
class ReplayedMarket extends MarketService {
  constructor(private readonly feeds: Map<string, SymbolFeed>) {
    super([], nullLogger);
  }
  override async ensure(venue: VenueId, symbol: string): Promise<SymbolFeed> {
    const feed = this.feeds.get(symbol);
    if (venue !== 'binance-spot' || !feed) throw new ContractError('not-found', `${symbol} is not listed on ${venue} in this replay`);
    return feed;
  }
}

describe('/api/simulate on a replayed book', () => {
  let services: Services | undefined;
  let host: WebHost | undefined;
  afterEach(async () => {
    await host?.close();
    await services?.close();
  });

  it('NKNUSDT from the binance-spot capture, over HTTP, against an independent rebuild of the book', async () => {
    const feeds = new Map<string, SymbolFeed>();
    await replayCapture(capture('binance-spot_2021-10-12.capture.jsonl'), { onBook: (feed) => void feeds.set(feed.symbol, feed) });
    const source: BookSource = {
      ensure: async (venue, symbol) => {
        const feed = feeds.get(symbol);
        if (venue !== 'binance-spot' || !feed) throw new ContractError('not-found', `${symbol} is not in the replay`);
        return feed;
      },
    };

    // Rebuild NKNUSDT here: the REST snapshot, then every depth diff with u > lastUpdateId, in order.
    const book = { bid: new Map<string, number>(), ask: new Map<string, number>() };
    let lastUpdateId = -1;
    const pendingDiffs: Array<{ u: number; b: string[][]; a: string[][] }> = [];
    for (const line of readFileSync(capture('binance-spot_2021-10-12.capture.jsonl'), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const rec = JSON.parse(line) as { kind: string; url?: string; data?: string };
      if (rec.kind === 'rest' && rec.url?.includes('symbol=NKNUSDT') && lastUpdateId < 0) {
        const snap = JSON.parse(rec.data!) as { lastUpdateId: number; bids: string[][]; asks: string[][] };
        lastUpdateId = snap.lastUpdateId;
        for (const [p, q] of snap.bids) book.bid.set(canonicalDecimal(p!), Number(q));
        for (const [p, q] of snap.asks) book.ask.set(canonicalDecimal(p!), Number(q));
      } else if (rec.kind === 'recv' && rec.data?.includes('"nknusdt@depth')) {
        const d = JSON.parse(rec.data).data as { u: number; b: string[][]; a: string[][] };
        pendingDiffs.push(d);
      }
    }
    for (const d of pendingDiffs) {
      if (d.u <= lastUpdateId) continue;
      for (const [side, levels] of [['bid', d.b], ['ask', d.a]] as const) {
        for (const [p, q] of levels) {
          if (Number(q) === 0) book[side].delete(canonicalDecimal(p!));
          else book[side].set(canonicalDecimal(p!), Number(q));
        }
      }
    }
    const asks = [...book.ask].map(([p, q]) => [Number(p), q] as [number, number]).sort((x, y) => x[0] - y[0]);
    const bids = [...book.bid].map(([p, q]) => [Number(p), q] as [number, number]).sort((x, y) => y[0] - x[0]);
    // The replay's final touch, as the capture README states it.
    expect(bids[0]![0]).toBe(0.3527);
    expect(asks[0]![0]).toBe(0.3531);

    // The web host, in process, serving the replayed books.
    services = createServices({ venues: [], logger: nullLogger, host: { name: 't', version: '1', host: 'web' } });
    host = await startWebHost({ services: { ...services, market: new ReplayedMarket(feeds) }, logger: nullLogger, host: '127.0.0.1', port: 0, token: null, ...fakeRenderer() });
    const answer = await get(host.port, '/api/simulate?venue=binance-spot&symbol=NKNUSDT&side=buy&size=250000&fee=10');
    expect(answer.status).toBe(200);
    const r = answer.json as { vwap: number; filledBase: number; filledQuote: number; levelsConsumed: number; worstPrice: string; fee: number; total: number; complete: boolean; mid: number };
    const h = handWalk(asks, { size: 250_000 });
    expect(r.complete).toBe(true);
    expect(r.filledBase).toBeCloseTo(250_000, 6);
    expect(r.filledQuote).toBeCloseTo(h.quote, 6);
    expect(r.vwap).toBeCloseTo(h.vwap, 9);
    expect(r.levelsConsumed).toBe(h.fills.length);
    expect(Number(r.worstPrice)).toBe(h.fills.at(-1)![0]);
    expect(r.fee).toBeCloseTo(h.quote * 0.001, 6);
    expect(r.total).toBeCloseTo(h.quote * 1.001, 6);
    expect(r.mid).toBeCloseTo((0.3527 + 0.3531) / 2, 12);

    const sell = await get(host.port, '/api/simulate?venue=binance-spot&symbol=NKNUSDT&side=sell&notional=20000');
    const hs = handWalk(bids, { notional: 20_000 });
    expect(sell.status).toBe(200);
    expect(sell.json.filledBase).toBeCloseTo(hs.base, 6);
    expect(sell.json.levelsConsumed).toBe(hs.fills.length);
    expect(sell.json.filledQuote).toBeCloseTo(20_000, 9);

    // A book the replay does not hold is a 404; a bad order is a 400.
    expect((await get(host.port, '/api/simulate?venue=binance-spot&symbol=BTCUSDT&side=buy&size=1')).status).toBe(404);
    const noSize = await get(host.port, '/api/simulate?venue=binance-spot&symbol=NKNUSDT&side=buy');
    expect(noSize.status).toBe(400);
    expect(noSize.json.error).toMatch(/exactly one of size or notional/);
    // The same function answers without HTTP, with a plain BookSource.
    const direct = await answerSimulate(source, new URLSearchParams('venue=binance-spot&symbol=NKNUSDT&side=buy&size=250000&fee=10'));
    expect(direct.body).toEqual(r);
  });
});
