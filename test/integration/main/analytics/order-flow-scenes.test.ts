/**
 * Order-flow detector scenes played on a scripted fake Binance spot exchange on 127.0.0.1, through
 * the real adapter, market and analytics service (createServices): a wall eaten by prints
 * (consumed), a wall withdrawn (pulled), an iceberg refilling at the ask, a large print and a sweep,
 * each raised and cleared with its evidence. Timings are shortened through the analytics settings
 * so the scenes take seconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import type { Alert } from '../../../../src/shared/analytics';
import { ScriptedBinanceExchange } from '../../../fakes/scripted-binance-exchange';
import { until } from '../../../support/wait';

const SYMBOL = 'TESTUSDT';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ladder(): { bids: Array<[string, string]>; asks: Array<[string, string]> } {
  const bids: Array<[string, string]> = [];
  const asks: Array<[string, string]> = [];
  for (let i = 0; i < 20; i++) {
    bids.push([(100 - i * 0.01).toFixed(2), '1']);
    asks.push([(100.01 + i * 0.01).toFixed(2), '1']);
  }
  return { bids, asks };
}

describe('order-flow scenes on a fake exchange', () => {
  let services: Services | null = null;
  let fake: ScriptedBinanceExchange | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  afterEach(async () => {
    if (heartbeat) clearInterval(heartbeat);
    await services?.close();
    await fake?.stop();
    services = null;
    fake = null;
  });

  it('shows a consumed wall, a pulled wall, an iceberg, a large trade and a sweep, raised and cleared with evidence', async () => {
    const { bids, asks } = ladder();
    fake = new ScriptedBinanceExchange(SYMBOL, bids, asks);
    await fake.start();
    const f = fake;
    services = createServices({
      venues: ['binance-spot'],
      endpoints: { 'binance-spot': f.endpoints },
      logger: nullLogger,
      host: { name: 't', version: '1', host: 'web' },
      analytics: {
        wall: { persistMs: 300, minMedianSeconds: 1, medianWindowMs: 5000 },
        flow: { verdictGraceMs: 600 },
        largeTrade: { minOrders: 5, holdMs: 1500 },
        sweep: { holdMs: 1500 },
        iceberg: { idleMs: 2000 },
        alerts: { maxNewPerMinute: 100 },
      },
    });
    const s = services;
    const raised: Alert[] = [];
    s.analytics.onAlert((e) => {
      if (e.type === 'raised') raised.push(e.alert);
    });
    // The market subscribes the book (depth and trades), as a window or the recorder would.
    await s.market.ensure('binance-spot', SYMBOL);
    // The book ticks on a far level (Binance syncs on the first diff after the snapshot), so seconds
    // complete and the median level size (1) is learned.
    heartbeat = setInterval(() => f.depth([], [['100.19', '1']]), 100);
    await until(() => s.market.feed('binance-spot', SYMBOL)?.state === 'synced', 15_000, 'the book to sync');
    await sleep(2500);
    const alert = (kind: string, pred: (a: Alert) => boolean = () => true) =>
      s.analytics.listAlerts({ limit: 1000 }).alerts.find((a) => a.kind === kind && pred(a));
    const cleared = (kind: string, pred: (a: Alert) => boolean = () => true) => alert(kind, (a) => a.state === 'cleared' && pred(a));

    // 1. A bid wall of 20 eaten by taker sells: consumed.
    f.depth([['99.95', '20']]);
    await until(() => alert('wall', (a) => a.evidence.price === '99.95') !== undefined, 5000, 'the bid wall');
    f.trades('sell', [['99.95', '12']]);
    f.trades('sell', [['99.95', '8']]);
    f.depth([['99.95', '0']]);
    await until(() => cleared('wall', (a) => a.evidence.price === '99.95') !== undefined, 5000, 'the bid wall to clear');
    const consumed = cleared('wall', (a) => a.evidence.price === '99.95')!;
    expect(consumed.outcome).toBe('consumed');
    expect(consumed.evidence).toMatchObject({ side: 'bid', lastSize: 20, tradedAtPrice: 20, tradedRatio: 1 });

    // 2. An ask wall of 20 withdrawn with no prints at its price: pulled, after the grace.
    f.depth([], [['100.15', '20']]);
    await until(() => alert('wall', (a) => a.evidence.price === '100.15') !== undefined, 5000, 'the ask wall');
    f.trades('buy', [['100.01', '0.2']]);
    f.depth([], [['100.15', '0']]);
    await until(() => cleared('wall', (a) => a.evidence.price === '100.15') !== undefined, 5000, 'the ask wall to clear');
    const pulled = cleared('wall', (a) => a.evidence.price === '100.15')!;
    expect(pulled.outcome).toBe('pulled');
    expect(pulled.evidence).toMatchObject({ side: 'ask', lastSize: 20, tradedAtPrice: 0 });
    expect(pulled.clearedAt! - pulled.raisedAt).toBeGreaterThan(0);

    // 3. An iceberg at the ask 100.02: bought 0.9 at a time, it drops to 0.1 and refills to 1, four times.
    for (let k = 0; k < 4; k++) {
      f.trades('buy', [['100.02', '0.9']]);
      f.depth([], [['100.02', '0.1']]);
      await sleep(60);
      f.depth([], [['100.02', '1']]);
      await sleep(60);
    }
    await until(() => alert('iceberg') !== undefined, 5000, 'the iceberg');
    const icebergRaised = raised.find((a) => a.kind === 'iceberg')!;
    expect(icebergRaised.evidence).toMatchObject({ side: 'ask', price: '100.02', maxDisplayed: 1, refills: 3 });
    expect(icebergRaised.evidence.executed).toBeCloseTo(3.6, 9);
    await until(() => cleared('iceberg') !== undefined, 6000, 'the iceberg to clear');
    const iceberg = cleared('iceberg')!;
    expect(iceberg.outcome).toBe('idle');
    expect(iceberg.evidence).toMatchObject({ refills: 4, maxDisplayed: 1 });

    // 4. Small orders, then one of 5: a large trade (the median order is 0.1 or so).
    for (let k = 0; k < 8; k++) {
      f.trades('sell', [['100.00', '0.1']], Date.now() + k);
      await sleep(20);
    }
    await sleep(300);
    const bigTime = Date.now() + 1000;
    f.trades('sell', [['100.00', '5']], bigTime);
    await until(() => alert('large-trade', (a) => a.evidence.exchangeTs === bigTime) !== undefined, 5000, 'the large trade');
    expect(alert('large-trade', (a) => a.evidence.exchangeTs === bigTime)!.evidence).toMatchObject({ side: 'sell', size: 5, levels: 1, prices: '100.00' });
    await until(() => cleared('large-trade', (a) => a.evidence.exchangeTs === bigTime) !== undefined, 5000, 'the large trade to clear');
    expect(['followed-through', 'reverted']).toContain(cleared('large-trade', (a) => a.evidence.exchangeTs === bigTime)!.outcome);

    // 5. One taker buy through three ask levels at one trade time: a sweep, then the book moves up.
    const sweepTime = Date.now() + 2000;
    f.trades('buy', [['100.03', '1'], ['100.04', '1'], ['100.05', '0.5']], sweepTime);
    f.depth([['100.04', '2']], [['100.01', '0'], ['100.02', '0'], ['100.03', '0'], ['100.04', '0'], ['100.05', '0.5']]);
    await until(() => alert('sweep') !== undefined, 5000, 'the sweep');
    expect(alert('sweep')!.evidence).toMatchObject({ side: 'buy', levels: 3, levelsTaken: '100.03×1 100.04×1 100.05×0.5', firstPrice: '100.03', lastPrice: '100.05', size: 2.5 });
    await until(() => cleared('sweep') !== undefined, 5000, 'the sweep to clear');
    expect(cleared('sweep')!.outcome).toBe('followed-through');
  }, 60_000);
});
