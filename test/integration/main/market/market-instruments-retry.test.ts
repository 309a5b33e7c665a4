/**
 * Issue 13: one failed instrument-list fetch must not leave a venue `unreachable` for the whole run.
 * The list is retried in the background with capped, jittered back-off, and the venue's status
 * follows its books.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Instrument } from '../../../../src/shared/market';
import { nullLogger } from '../../../../src/main/log';
import { InstrumentCatalog } from '../../../../src/main/market/instrument-catalog';
import { MarketService } from '../../../../src/main/market/service';
import { LiveTransport } from '../../../../src/main/venues/live-transport';
import type { HttpResponse, Transport } from '../../../../src/main/venues/transport';
import { FakeBinanceExchange } from '../../../fakes/binance-exchange';
import { until } from '../../../support/wait';

/** The live transport to a fake exchange, with the first `failures` instrument-list requests refused. */
class FlakyInstrumentsTransport implements Transport {
  private readonly live = new LiveTransport();
  readonly clock = this.live.clock;
  instrumentRequests: number[] = [];
  constructor(private failures: number) {}
  connect: Transport['connect'] = (url, handlers) => this.live.connect(url, handlers);
  async get(url: string, options?: { timeoutMs?: number }): Promise<HttpResponse> {
    if (url.includes('/exchangeInfo')) {
      this.instrumentRequests.push(Date.now());
      if (this.failures > 0) {
        this.failures--;
        throw new Error('connect ECONNREFUSED (injected)');
      }
    }
    return this.live.get(url, options);
  }
}

describe('instrument list after a failed fetch (issue 13)', () => {
  let market: MarketService | null = null;
  let fake: FakeBinanceExchange | null = null;
  afterEach(async () => {
    market?.close();
    await fake?.stop();
    market = null;
    fake = null;
  });

  async function start(failures: number, retry: { baseMs: number; maxMs: number }) {
    fake = new FakeBinanceExchange();
    await fake.start();
    const transport = new FlakyInstrumentsTransport(failures);
    market = new MarketService([{ id: 'binance-spot', mode: 'live', transport, endpoints: fake.endpoints }], nullLogger, null, { instrumentRetry: retry });
    return { market, transport };
  }

  it('reports the venue by its books, not by the first failed fetch, and fetches the list again by itself', async () => {
    const { market, transport } = await start(1, { baseMs: 400, maxMs: 2_000 });
    await expect(market.instruments('binance-spot')).rejects.toThrow(/ECONNREFUSED/);
    expect(market.venues()[0]!.status).toBe('unreachable'); // nothing but the failed list is known yet

    const feed = await market.ensure('binance-spot', 'BTCUSDT');
    await until(() => feed.state === 'synced', 10_000, 'BTCUSDT synced');
    // Books in sync: the venue is not unreachable, whatever the list did.
    expect(market.venues()[0]!.status).toBe('ok');

    // Nobody asks again: the catalog retries on its own after the back-off.
    await until(() => market.instrument('binance-spot', 'BTCUSDT') !== undefined, 5_000, 'the instrument list');
    expect(transport.instrumentRequests).toHaveLength(2);
    const waited = transport.instrumentRequests[1]! - transport.instrumentRequests[0]!;
    expect(waited).toBeGreaterThanOrEqual(190); // at least half the first back-off (half fixed, half jitter)
    expect(market.instrumentsMessage('binance-spot')).toBeNull();
    expect(market.venues()[0]).toMatchObject({ status: 'ok', message: null });
  });

  it('keeps the venue ok while its books are synced and the list still cannot be fetched', async () => {
    const { market, transport } = await start(1_000, { baseMs: 100, maxMs: 300 });
    const feed = await market.ensure('binance-spot', 'BTCUSDT');
    await until(() => feed.state === 'synced', 10_000, 'BTCUSDT synced');
    await until(() => transport.instrumentRequests.length >= 4, 5_000, 'retries');
    const venue = market.venues()[0]!;
    expect(venue.status).toBe('ok');
    expect(venue.message).toMatch(/ECONNREFUSED/); // why the list is missing is still said
    // Capped: no two attempts closer than half the first delay, none further apart than the cap (plus slack).
    const gaps = transport.instrumentRequests.slice(1).map((t, i) => t - transport.instrumentRequests[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(45);
    for (const gap of gaps) expect(gap).toBeLessThan(300 + 250);
  });
});

describe('InstrumentCatalog back-off', () => {
  afterEach(() => vi.useRealTimers());

  it('doubles the wait after each failure up to the cap, serves the saved list meanwhile, and stops on success', async () => {
    vi.useFakeTimers();
    const list: Instrument[] = [
      { venue: 'binance-spot', symbol: 'BTCUSDT', display: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', lotSize: '0.00001', pricePrecision: 2, sizePrecision: 5, status: 'trading' },
    ];
    let failuresLeft = 5;
    const attemptsAt: number[] = [];
    const catalog = new InstrumentCatalog({
      venue: 'binance-spot',
      logger: nullLogger,
      fallback: [{ ...list[0]!, symbol: 'FALLBACK' }],
      // No jitter (random 0): each delay is exactly half its ceiling.
      retry: { baseMs: 1_000, maxMs: 8_000, random: () => 0 },
      fetchList: async () => {
        attemptsAt.push(Date.now());
        if (failuresLeft-- > 0) throw new Error('down');
        return list;
      },
    });
    const start = Date.now();
    expect((await catalog.list()).map((i) => i.symbol)).toEqual(['FALLBACK']);
    // Asking again during the back-off serves the stand-in without asking the venue.
    expect((await catalog.list()).map((i) => i.symbol)).toEqual(['FALLBACK']);
    expect(attemptsAt).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(attemptsAt.map((t) => t - start)).toEqual([0, 500, 1_500, 3_500, 7_500, 11_500]);
    expect(catalog.instruments).toEqual(list);
    expect(catalog.message).toBeNull();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(attemptsAt).toHaveLength(6);
    catalog.close();
  });
});
