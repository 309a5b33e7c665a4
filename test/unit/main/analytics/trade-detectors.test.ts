/**
 * Trade-aware analytics on scripted books and prints, fed through AnalyticsService exactly as the
 * market feeds it (book events and trades with chosen local times): walls judged consumed or pulled
 * by the prints at their price, iceberg, large trade, sweep, and the per-second and windowed volumes.
 */
import { describe, expect, it } from 'vitest';
import type { AnalyticsOverrides } from '../../../../src/main/analytics/config';
import { s, scene } from '../../../support/analytics-scene';

/** A bid wall of 20 at 99.95 (20 × the median level size of 1), raised once it persisted. */
function sceneWithBidWall() {
  const sc = scene();
  sc.run(0, 8);
  // One print elsewhere: this feed delivers trades, so walls are judged by them.
  sc.feed.trade(s(8.1), 'buy', '100.05', '0.1');
  sc.feed.delta(s(8.2), [['99.95', '20']]);
  sc.run(8.25, 14);
  const [wall] = sc.alerts('wall');
  expect(wall).toMatchObject({ state: 'active', evidence: { side: 'bid', price: '99.95', size: 20 } });
  return sc;
}

describe('walls judged by trades', () => {
  it('a wall taken by sell prints at its price is consumed, with the traded size as evidence', () => {
    const { feed, alerts, run } = sceneWithBidWall();
    // The taker sells arrive first, then the depth update that shows the level gone.
    feed.trade(s(14.1), 'sell', '99.95', '12');
    feed.trade(s(14.1), 'sell', '99.95', '8');
    feed.delta(s(14.15), [['99.95', '0']]);
    const [wall] = alerts('wall');
    expect(wall!.state).toBe('cleared');
    expect(wall!.outcome).toBe('consumed');
    expect(wall!.clearedAt).toBe(s(14.15));
    expect(wall!.evidence).toMatchObject({ lastSize: 20, tradedAtPrice: 20, tradedRatio: 1 });
    expect(wall!.title).toContain('consumed');
    run(14.25, 16);
    expect(alerts('wall')).toHaveLength(1);
  });

  it('prints that arrive after the level vanished (within the grace) still count', () => {
    const { feed, alerts, run } = sceneWithBidWall();
    feed.delta(s(14.1), [['99.95', '0']]);
    expect(alerts('wall')[0]!.state).toBe('active');
    feed.trade(s(14.4), 'sell', '99.95', '20');
    expect(alerts('wall')[0]).toMatchObject({ state: 'cleared', outcome: 'consumed', clearedAt: s(14.1) });
    run(14.5, 16);
  });

  it('a wall that vanishes without prints at its price is pulled once the grace has passed', () => {
    const { feed, alerts, run } = sceneWithBidWall();
    // Prints elsewhere, and buys at the wall's price (they trade against asks, not the bid wall).
    feed.trade(s(14.05), 'sell', '100.00', '3');
    feed.trade(s(14.05), 'buy', '99.95', '5');
    feed.delta(s(14.1), [['99.95', '0']]);
    run(14.25, 15.5);
    expect(alerts('wall')[0]!.state).toBe('active');
    run(15.75, 16);
    const [wall] = alerts('wall');
    expect(wall).toMatchObject({ state: 'cleared', outcome: 'pulled', clearedAt: s(14.1) });
    expect(wall!.evidence).toMatchObject({ lastSize: 20, tradedAtPrice: 0, tradedRatio: 0 });
  });

  it('only the prints after the last size change count against the size the wall last showed', () => {
    const { feed, alerts, run } = sceneWithBidWall();
    // 15 sold into it (20 → 5 would shrink it below the clear line, so it is refilled to 18)…
    feed.trade(s(14.1), 'sell', '99.95', '15');
    feed.delta(s(14.15), [['99.95', '18']]);
    // …then it vanishes with 3 more sold: 3 of 18 is not the size it showed.
    feed.trade(s(14.3), 'sell', '99.95', '3');
    feed.delta(s(14.35), [['99.95', '0']]);
    run(14.5, 16.5);
    const [wall] = alerts('wall');
    expect(wall).toMatchObject({ outcome: 'pulled', evidence: { lastSize: 18, tradedAtPrice: 3, tradedDuringLife: 18 } });
  });

  it('without any trade on the feed, walls keep the book-only outcomes', () => {
    const sc = scene();
    sc.run(0, 8);
    sc.feed.delta(s(8.2), [['99.95', '20']]);
    sc.run(8.25, 14);
    sc.feed.delta(s(14.1), [['99.95', '0']]);
    expect(sc.alerts('wall')[0]).toMatchObject({ state: 'cleared', outcome: 'pulled' });
    expect(sc.alerts('wall')[0]!.evidence.tradedAtPrice).toBeUndefined();
  });
});

describe('iceberg', () => {
  it('is raised when executions at a price exceed what it ever showed while it refilled, and clears idle', () => {
    const { feed, alerts, run, events } = scene();
    run(0, 8);
    // The ask at 100.01 shows 1; each time 0.9 is bought there it drops to 0.1 and refills to 1.
    for (let k = 0; k < 4; k++) {
      const t = s(8.1 + k * 0.5);
      feed.trade(t, 'buy', '100.01', '0.9');
      feed.delta(t + 50, [], [['100.01', '0.1']]);
      feed.delta(t + 150, [], [['100.01', '1']]);
    }
    const [iceberg] = alerts('iceberg');
    expect(iceberg).toBeDefined();
    expect(iceberg!.state).toBe('active');
    expect(iceberg!.key).toBe('iceberg:binance-spot:TESTUSDT:ask@100.01');
    // Raised on the fourth execution (three refills behind it); the fourth refill updated it.
    const raised = events.find((e) => e.type === 'raised' && e.alert.kind === 'iceberg')!.alert;
    expect(raised.raisedAt).toBe(s(9.6));
    expect(raised.evidence).toMatchObject({ side: 'ask', price: '100.01', maxDisplayed: 1, refills: 3, displayedTotal: 3.7 });
    expect(raised.evidence.executed).toBeCloseTo(3.6, 9);
    expect(iceberg!.evidence.refills).toBe(4);
    run(10.5, 20);
    expect(alerts('iceberg')[0]!.state).toBe('active');
    run(20.25, 26);
    const cleared = alerts('iceberg')[0]!;
    expect(cleared).toMatchObject({ state: 'cleared', outcome: 'idle', evidence: { refills: 4, maxDisplayed: 1 } });
    expect(cleared.evidence.displayedTotal).toBeCloseTo(4.6, 9);
    expect(cleared.evidence.executedRatio).toBeCloseTo(3.6, 9);
  });

  it('a level that is simply bought out (no refills) is no iceberg', () => {
    const { feed, alerts, run } = scene();
    run(0, 8);
    feed.trade(s(8.1), 'buy', '100.01', '1');
    feed.delta(s(8.15), [], [['100.01', '0']]);
    feed.trade(s(8.3), 'buy', '100.02', '1');
    feed.delta(s(8.35), [], [['100.02', '0']]);
    run(8.5, 12);
    expect(alerts('iceberg')).toHaveLength(0);
  });

  it('clears exhausted when the level leaves the book', () => {
    const { feed, alerts, run } = scene();
    run(0, 8);
    for (let k = 0; k < 4; k++) {
      const t = s(8.1 + k * 0.5);
      feed.trade(t, 'sell', '100.00', '0.8');
      feed.delta(t + 50, [['100.00', '0.2']]);
      feed.delta(t + 150, [['100.00', '1']]);
    }
    expect(alerts('iceberg')[0]!.state).toBe('active');
    feed.delta(s(10.3), [['100.00', '0']]);
    run(10.5, 12.5);
    expect(alerts('iceberg')[0]).toMatchObject({ state: 'cleared', outcome: 'exhausted', evidence: { side: 'bid', price: '100.00', displayedNow: 0 } });
  });
});

/** 60 small taker orders (0.1 each, one a second apart in exchange time) so the median is known. */
function withOrderHistory(config: AnalyticsOverrides = {}) {
  const sc = scene(config);
  for (let i = 0; i < 60; i++) {
    const t = s(i * 0.1);
    sc.feed.trade(t, i % 2 ? 'buy' : 'sell', '100.01', '0.1');
  }
  sc.run(6, 8);
  return sc;
}

describe('large trade', () => {
  it('a taker order of 20 × the median order size is raised, then cleared with where the price went', () => {
    const { feed, alerts, run, service } = withOrderHistory();
    expect(service.book('binance-spot', 'TESTUSDT')!.analytics.medianTakerOrder).toBe(0.1);
    feed.trade(s(8.1), 'buy', '100.01', '2.5', s(8.1));
    // The order closes when the next print of another order (or a book update 250 ms later) arrives.
    run(8.25, 8.5);
    const [large] = alerts('large-trade');
    expect(large).toMatchObject({ state: 'active', evidence: { side: 'buy', size: 2.5, levels: 1, prices: '100.01', medianSize: 0.1, multiple: 25 } });
    // The market moves up after it: followed through.
    feed.delta(s(9), [['100.02', '1']], [['100.01', '0']]);
    run(9.25, 18);
    expect(alerts('large-trade')[0]!.state).toBe('active');
    run(18.25, 18.5);
    const cleared = alerts('large-trade')[0]!;
    expect(cleared).toMatchObject({ state: 'cleared', outcome: 'followed-through' });
    expect(cleared.evidence.moveBps).toBeGreaterThan(0);
  });

  it('orders below the multiple are not large; a fixed minimum size catches them when set', () => {
    const plain = withOrderHistory();
    plain.feed.trade(s(8.1), 'sell', '100.00', '1.5');
    plain.run(8.25, 9);
    expect(plain.alerts('large-trade')).toHaveLength(0);

    const fixed = withOrderHistory({ largeTrade: { minSize: 1 } });
    fixed.feed.trade(s(8.1), 'sell', '100.00', '1.5');
    fixed.run(8.25, 9);
    expect(fixed.alerts('large-trade')).toHaveLength(1);
    // Nothing moved: the sell did not push the price down.
    fixed.run(9.25, 19);
    expect(fixed.alerts('large-trade')[0]).toMatchObject({ state: 'cleared', outcome: 'reverted' });
  });
});

describe('sweep', () => {
  it('one taker order printing at three prices is a sweep with the levels taken', () => {
    const { feed, alerts, run } = scene();
    run(0, 2);
    const T = s(2.1);
    feed.trade(T, 'buy', '100.01', '1', T);
    feed.trade(T + 1, 'buy', '100.02', '1', T);
    feed.trade(T + 2, 'buy', '100.03', '0.5', T);
    // A print of another order closes it at once.
    feed.trade(T + 400, 'sell', '100.00', '0.1', T + 400);
    const [sweep] = alerts('sweep');
    expect(sweep).toMatchObject({
      state: 'active',
      severity: 'warning',
      evidence: { side: 'buy', levels: 3, levelsTaken: '100.01×1 100.02×1 100.03×0.5', firstPrice: '100.01', lastPrice: '100.03', size: 2.5, prints: 3 },
    });
    // The book moves up behind it: bids step up to 100.02.
    feed.delta(s(2.5), [['100.01', '2'], ['100.02', '2']], [['100.01', '0'], ['100.02', '0'], ['100.03', '0.5']]);
    run(2.75, 12.5);
    expect(alerts('sweep')[0]).toMatchObject({ state: 'cleared', outcome: 'followed-through' });
  });

  it('a book out of sync counts prints in its volume but raises nothing from them', () => {
    const { feed, alerts, run, service } = scene();
    run(0, 2);
    feed.state = 'resyncing';
    const T = s(2.1);
    feed.trade(T, 'buy', '100.01', '1', T);
    feed.trade(T + 1, 'buy', '100.02', '1', T);
    feed.trade(T + 2, 'buy', '100.03', '1', T);
    feed.trade(T + 400, 'sell', '100.00', '0.1', T + 400);
    expect(alerts('sweep')).toHaveLength(0);
    const frame = service.book('binance-spot', 'TESTUSDT')!.analytics.frame('resyncing');
    expect(frame.flow.windows[0]).toMatchObject({ volume: 3.1, trades: 4 });
  });

  it('prints at several prices with different exchange times are separate orders, not a sweep', () => {
    const { feed, alerts, run } = scene();
    run(0, 2);
    feed.trade(s(2.1), 'buy', '100.01', '1', s(2.1));
    feed.trade(s(2.1) + 1, 'buy', '100.02', '1', s(2.1) + 1);
    feed.trade(s(2.1) + 2, 'buy', '100.03', '1', s(2.1) + 2);
    run(2.25, 4);
    expect(alerts('sweep')).toHaveLength(0);
  });
});

describe('order-flow series and windows', () => {
  it('each second carries volume, taker buy/sell, trade count, VWAP and trade imbalance', () => {
    const { feed, run, service } = scene();
    run(0, 1);
    feed.trade(s(1.1), 'buy', '100.01', '3');
    feed.trade(s(1.2), 'sell', '100.00', '1');
    feed.trade(s(1.3), 'unknown', '100.02', '1');
    run(1.25, 3);
    const series = service.series('binance-spot', 'TESTUSDT', 60)!;
    const i = series.t.indexOf(s(1));
    expect(series.volume[i]).toBe(5);
    expect(series.buyVolume[i]).toBe(3);
    expect(series.sellVolume[i]).toBe(1);
    expect(series.trades[i]).toBe(3);
    expect(series.vwap[i]).toBeCloseTo((3 * 100.01 + 100 + 100.02) / 5, 9);
    expect(series.tradeImbalance[i]).toBe(0.5);
    const quiet = series.t.indexOf(s(2));
    expect(series.volume[quiet]).toBe(0);
    expect(series.vwap[quiet]).toBeNull();
    expect(series.tradeImbalance[quiet]).toBeNull();
  });

  it('the metrics frame has the last price and volume and delta over 1, 5 and 15 minutes', () => {
    const { feed, run, service } = scene();
    feed.trade(s(0.5), 'buy', '100.01', '2');
    run(1, 2);
    feed.trade(s(100), 'sell', '100.00', '5');
    feed.trade(s(200), 'buy', '100.01', '1');
    run(200.25, 200.5);
    const frame = service.book('binance-spot', 'TESTUSDT')!.analytics.frame('synced');
    expect(frame.flow.lastPrice).toBe('100.01');
    expect(frame.flow.lastSide).toBe('buy');
    expect(frame.flow.windows).toEqual([
      { seconds: 60, volume: 1, buyVolume: 1, sellVolume: 0, delta: 1, trades: 1 },
      { seconds: 300, volume: 8, buyVolume: 3, sellVolume: 5, delta: -2, trades: 3 },
      { seconds: 900, volume: 8, buyVolume: 3, sellVolume: 5, delta: -2, trades: 3 },
    ]);
  });
});
