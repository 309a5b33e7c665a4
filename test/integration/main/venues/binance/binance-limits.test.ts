import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../../../src/main/log';
import { BINANCE_SPOT, createBinanceAdapter, SYMBOLS_PER_CONNECTION, type BinanceAdapter } from '../../../../../src/main/venues/binance';
import { RequestWeightBudget } from '../../../../../src/main/venues/binance/weight-budget';
import { LiveTransport } from '../../../../../src/main/venues/live-transport';
import { VirtualClock } from '../../../../../src/main/venues/transport';
import { FakeBinanceExchange } from '../../../../fakes/binance-exchange';
import { DEMO_SYMBOLS } from '../../../../../src/main/venues/demo/market';

describe('Binance request weight budget', () => {
  it('spends up to 80% of the per-minute limit at once, then spaces requests as the window frees', () => {
    const clock = new VirtualClock();
    clock.advanceTo(1_000_000);
    const budget = new RequestWeightBudget(6000, clock);
    // 1000-level snapshots weigh 50: 96 fit in 4,800.
    const waits = Array.from({ length: 100 }, () => budget.reserve(50));
    expect(waits.slice(0, 96).every((w) => w === 0)).toBe(true);
    expect(waits[96]).toBe(60_000);
    clock.advanceTo(1_030_000);
    // The server says it has counted more than we did (another tool on the same IP): we back off more.
    const b2 = new RequestWeightBudget(2400, clock);
    b2.observeUsed(1900);
    expect(b2.reserve(20)).toBe(0);
    expect(b2.reserve(20)).toBeGreaterThan(0);
  });
});

describe('Binance connection limits', () => {
  let fake: FakeBinanceExchange | null = null;
  let adapter: BinanceAdapter | null = null;
  afterEach(async () => {
    adapter?.close();
    await fake?.stop();
  });

  it(`puts at most ${SYMBOLS_PER_CONNECTION} symbols on a connection`, async () => {
    // The fake lists only a handful of symbols; subscribing more exercises sharding (unknown ones just never sync).
    fake = new FakeBinanceExchange();
    await fake.start();
    adapter = createBinanceAdapter({
      venue: 'binance-spot',
      market: BINANCE_SPOT,
      endpoints: fake.endpoints,
      transport: new LiveTransport(),
      logger: nullLogger,
      listener: { onBook: () => {}, onState: () => {} },
    });
    const symbols = [...DEMO_SYMBOLS.map((s) => s.symbol), ...Array.from({ length: SYMBOLS_PER_CONNECTION + 10 }, (_, i) => `FAKE${i}USDT`)];
    adapter.subscribe(symbols);
    expect(adapter.connectionCount).toBe(2);
    const start = Date.now();
    while (fake.connections < 2 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(fake.connections).toBe(2);
    while (adapter.feed('BTCUSDT')!.state !== 'synced' && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 20));
    expect(adapter.feed('BTCUSDT')!.state).toBe('synced');
  });
});
