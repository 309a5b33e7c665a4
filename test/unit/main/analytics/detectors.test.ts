/**
 * Detectors on scripted books: every scene is a sequence of book events with chosen local times, fed
 * through AnalyticsService exactly as the market feeds it.
 */
import { describe, expect, it } from 'vitest';
import { AlertBook } from '../../../../src/main/analytics/alerts';
import { DEFAULT_ANALYTICS_CONFIG } from '../../../../src/main/analytics/config';
import { ladder, s, scene, type Levels } from '../../../support/analytics-scene';

describe('wall detector', () => {
  it('a wall appears, persists 5 s, is reported, then is pulled while the touch is elsewhere', () => {
    const { feed, run, alerts } = scene();
    run(0, 6); // six seconds of history: median level size 1
    feed.delta(s(6.1), [['99.95', '10']]); // 10× median, five levels behind the best bid
    run(6.2, 11);
    expect(alerts('wall')).toHaveLength(0); // 4.9 s: not yet
    run(11.1, 11.5);
    const [wall] = alerts('wall');
    expect(wall).toMatchObject({ state: 'active', severity: 'info', key: 'wall:binance-spot:TESTUSDT:bid@99.95' });
    expect(wall!.raisedAt).toBe(s(11.1));
    expect(wall!.evidence).toMatchObject({ side: 'bid', price: '99.95', size: 10, medianSize: 1, multiple: 10, atTouch: false });
    // 99.95 is 5.5 ticks from the mid 100.005: 0.055 / 100.005 = 5.4997 bps.
    expect(wall!.evidence.distanceBps).toBeCloseTo(5.4997, 3);
    // Pulled: the level vanishes while bids at 100.00–99.96 are still in front of it.
    feed.delta(s(12), [['99.95', '0']]);
    const [cleared] = alerts('wall');
    expect(cleared).toMatchObject({ state: 'cleared', outcome: 'pulled', clearedAt: s(12) });
    expect(cleared!.evidence).toMatchObject({ lifetimeMs: 900, peakSize: 10, atTouch: false });
  });

  it('a wall at the touch that vanishes as the price moves through it is traded through', () => {
    const { feed, run, alerts } = scene();
    run(0, 6);
    feed.delta(s(6), [['100.00', '12']]);
    run(6.25, 11.25);
    expect(alerts('wall')[0]).toMatchObject({ state: 'active' });
    expect(alerts('wall')[0]!.evidence.atTouch).toBe(true);
    // Sellers take it: the level goes and the best bid is now below it.
    feed.delta(s(12), [['100.00', '0']]);
    expect(alerts('wall')[0]).toMatchObject({ state: 'cleared', outcome: 'traded-through' });
  });

  it('a wall that shrinks below 3× median clears as shrunk; one gone within 5 s is never reported', () => {
    const { feed, run, alerts } = scene();
    run(0, 6);
    feed.delta(s(6), [['99.98', '8']]);
    run(6.25, 11.5);
    expect(alerts('wall')).toHaveLength(1);
    feed.delta(s(11.6), [['99.98', '4']]); // still 4× median: above the 3× clear line, stays
    expect(alerts('wall')[0]!.state).toBe('active');
    feed.delta(s(11.7), [['99.98', '2']]);
    expect(alerts('wall')[0]).toMatchObject({ state: 'cleared', outcome: 'shrunk' });
    // A short-lived big level: appears and goes within 3 s.
    feed.delta(s(12), [['99.90', '20']]);
    run(12.25, 15);
    feed.delta(s(15.1), [['99.90', '0']]);
    run(15.25, 25);
    expect(alerts('wall')).toHaveLength(1);
  });

  it('a wall that comes back soon after clearing reopens its alert instead of adding one', () => {
    const { feed, run, alerts, events } = scene();
    run(0, 6);
    feed.delta(s(6), [['99.95', '10']]);
    run(6.25, 11.25);
    feed.delta(s(11.5), [['99.95', '0']]);
    feed.delta(s(12), [['99.95', '10']]);
    run(12.25, 17.5);
    const walls = alerts('wall');
    expect(walls).toHaveLength(1);
    expect(walls[0]).toMatchObject({ state: 'active', updates: 1 });
    expect(events.filter((e) => e.alert.kind === 'wall').map((e) => e.type)).toEqual(['raised', 'cleared', 'updated']);
  });

  it('walls clear as feed-reset when the book leaves sync', () => {
    const { feed, run, alerts } = scene();
    run(0, 6);
    feed.delta(s(6), [['99.95', '10']]);
    run(6.25, 11.25);
    feed.setState('resyncing', 'sequence gap');
    expect(alerts('wall')[0]).toMatchObject({ state: 'cleared', outcome: 'feed-reset' });
  });
});

describe('layering detector', () => {
  it('four adjacent new levels at 8× median raise one alert per side, with a 30 s cooldown', () => {
    const { feed, run, alerts } = scene();
    run(0, 6);
    const layer = (size: string): Levels => ['100.05', '100.06', '100.07', '100.08'].map((p) => [p, size]);
    feed.delta(s(6.1), [], layer('9'));
    run(6.25, 7.5); // the look at second 7 sees them, all new since the look at second 6
    const [a] = alerts('layering');
    expect(a).toMatchObject({ state: 'active', severity: 'warning', key: 'layering:binance-spot:TESTUSDT:ask' });
    expect(a!.raisedAt).toBe(s(7));
    expect(a!.evidence).toMatchObject({ side: 'ask', levels: 4, newLevels: 4, newFraction: 1, nearestPrice: '100.05', farthestPrice: '100.08', totalSize: 36, medianSize: 1, minMultiple: 9 });
    // Mid 100.005: 0.045 / 100.005 → 4.4998 bps; 0.075 → 7.4996 bps.
    expect(a!.evidence.nearestDistanceBps).toBeCloseTo(4.4998, 3);
    expect(a!.evidence.farthestDistanceBps).toBeCloseTo(7.4996, 3);
    // Withdrawn before the price gets there: pulled, with its lifetime.
    feed.delta(s(8.5), [], layer('1'));
    expect(alerts('layering')[0]).toMatchObject({ state: 'cleared', outcome: 'pulled', clearedAt: s(8.5) });
    expect(alerts('layering')[0]!.evidence.lifetimeMs).toBe(1500);
    // Layered again within the cooldown: nothing new.
    feed.delta(s(10.1), [], layer('9'));
    run(10.25, 12);
    feed.delta(s(12.1), [], layer('1'));
    run(12.25, 20);
    expect(alerts('layering')).toHaveLength(1);
    expect(alerts('layering')[0]!.state).toBe('cleared');
    // After the cooldown it is reported again.
    feed.delta(s(37.1), [], layer('9'));
    run(37.25, 38.5);
    expect(alerts('layering')[0]!.state).toBe('active');
  });

  it('old large levels are not layering (under 60% new), nor are three levels', () => {
    const { feed, run, alerts } = scene({ wall: { multiple: 1000 } });
    run(0, 6);
    // Two big levels for a while, then two more join: 2 of 4 new = 50%.
    feed.delta(s(6.1), [], [['100.05', '9'], ['100.06', '9']]);
    run(6.25, 8);
    feed.delta(s(8.1), [], [['100.07', '9'], ['100.08', '9']]);
    run(8.25, 10);
    // Three new adjacent levels on the bid side: too few.
    feed.delta(s(10.1), [['99.95', '9'], ['99.94', '9'], ['99.93', '9']]);
    run(10.25, 12);
    expect(alerts('layering')).toHaveLength(0);
  });

  it('a layer the price runs into is traded through', () => {
    const { feed, run, alerts } = scene();
    run(0, 6);
    feed.delta(s(6.1), [['99.97', '9'], ['99.96', '9'], ['99.95', '9'], ['99.94', '9']]);
    run(6.25, 7.25);
    expect(alerts('layering')[0]!.state).toBe('active');
    // Sellers sweep the bids down to 99.95: the layer's nearest levels are gone, the best bid is below them.
    feed.delta(s(7.5), [['100.00', '0'], ['99.99', '0'], ['99.98', '0'], ['99.97', '0'], ['99.96', '0'], ['99.95', '0']]);
    expect(alerts('layering')[0]).toMatchObject({ state: 'cleared', outcome: 'traded-through' });
  });
});

describe('liquidity exhaustion and wide spread', () => {
  it('depth under half its 15 s average while the spread is over twice its average', () => {
    const { feed, run, alerts } = scene();
    run(0, 8);
    expect(alerts('exhaustion')).toHaveLength(0);
    // The touch is taken out on both sides and what is left thins to 0.3 a level:
    // depth 10 × 0.3 × 2 = 6 against an average of 20; spread 99.98 → 100.03 = 0.05 against 0.01.
    const thin: Levels = [];
    const thinAsk: Levels = [];
    for (let i = 2; i < 20; i++) {
      thin.push([(100 - i * 0.01).toFixed(2), '0.3']);
      thinAsk.push([(100.01 + i * 0.01).toFixed(2), '0.3']);
    }
    feed.delta(s(8.3), [['100.00', '0'], ['99.99', '0'], ...thin], [['100.01', '0'], ['100.02', '0'], ...thinAsk]);
    const [e] = alerts('exhaustion');
    expect(e).toMatchObject({ state: 'active', severity: 'warning', raisedAt: s(8.3) });
    expect(e!.evidence).toMatchObject({ depth: 6, averageDepth: 20, depthRatio: 0.3, spreadRatio: 5 });
    expect(e!.evidence.spread).toBeCloseTo(0.05, 12);
    // 0.05 / 100.03 is above 1 bp of the ask: the wide-spread alert fires as well.
    expect(alerts('wide-spread')[0]).toMatchObject({ state: 'active' });
    // Liquidity returns at 9 s; the alert holds at least 2 s, then clears.
    const { bids, asks } = ladder();
    feed.delta(s(9), bids, asks);
    expect(alerts('exhaustion')[0]!.state).toBe('active');
    run(9.25, 10.5);
    expect(alerts('exhaustion')[0]).toMatchObject({ state: 'cleared', outcome: 'resolved', clearedAt: s(10.5) });
  });

  it('needs five seconds of history before judging', () => {
    const { feed, alerts } = scene();
    feed.delta(s(2), [['100.00', '0'], ['99.99', '0']], [['100.01', '0'], ['100.02', '0']]);
    expect(alerts('exhaustion')).toHaveLength(0);
  });

  it('wide spread: raised above 1 bp of the ask, cleared after 2 s narrow, no flood while it flaps', () => {
    const { feed, run, alerts, events } = scene();
    run(0, 2);
    // 100.00 / 100.01: spread / ask = 0.01 / 100.01 < 0.0001: quiet.
    expect(alerts('wide-spread')).toHaveLength(0);
    feed.delta(s(2.1), [['100.00', '0']]); // spread 0.02 / 100.01 = 2.0e-4
    const [w] = alerts('wide-spread');
    expect(w).toMatchObject({ state: 'active', title: expect.stringContaining('Wide spread on TESTUSDT') });
    expect(w!.evidence.spreadOverAsk).toBeCloseTo(0.02 / 100.01, 9);
    expect(w!.evidence.threshold).toBe(0.0001);
    // Flapping every 400 ms for 8 s: never narrow for 2 s, so one alert and no clears.
    for (let i = 0; i < 20; i++) feed.delta(s(2.5 + i * 0.4), [['100.00', i % 2 === 0 ? '1' : '0']]);
    expect(alerts('wide-spread')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'cleared')).toHaveLength(0);
    // Narrow from 10.5 s: cleared at 12.5 s.
    feed.delta(s(10.5), [['100.00', '1']]);
    run(10.75, 12.25);
    expect(alerts('wide-spread')[0]!.state).toBe('active');
    run(12.5, 12.5);
    expect(alerts('wide-spread')[0]).toMatchObject({ state: 'cleared', outcome: 'resolved', clearedAt: s(12.5) });
    // Wide again within 30 s: the same alert reopens.
    feed.delta(s(20), [['100.00', '0']]);
    expect(alerts('wide-spread')).toHaveLength(1);
    expect(alerts('wide-spread')[0]).toMatchObject({ state: 'active', updates: 1 });
  });

  it('the threshold is configurable', () => {
    const { feed, alerts } = scene({ wideSpread: { threshold: 0.001 } });
    feed.delta(s(1), [['100.00', '0']]); // 2e-4 < 1e-3
    expect(alerts('wide-spread')).toHaveLength(0);
  });
});

describe('user price alerts', () => {
  it('fires when the best bid reaches a level above, clears when it falls back, fires once', () => {
    const { service, feed, alerts } = scene();
    const rule = service.addPriceRule({ venue: 'binance-spot', symbol: 'TESTUSDT', price: '100.050', direction: 'above', repeat: false });
    expect(rule).toMatchObject({ state: 'armed', direction: 'above', price: '100.050' });
    feed.delta(s(1), [['100.04', '1']], [['100.01', '0'], ['100.02', '0'], ['100.03', '0'], ['100.04', '0']]);
    expect(alerts('price')).toHaveLength(0);
    // Exactly at the level (100.05 = 100.050): reached.
    feed.delta(s(2), [['100.05', '1']], [['100.05', '0']]);
    const [p] = alerts('price');
    expect(p).toMatchObject({ state: 'active', key: `price:binance-spot:TESTUSDT:${rule.id}`, raisedAt: s(2) });
    expect(p!.evidence).toMatchObject({ level: '100.050', direction: 'above', bestBid: '100.05' });
    expect(service.priceRules.list()[0]).toMatchObject({ state: 'triggered', triggeredAt: s(2), triggers: 1 });
    feed.delta(s(3), [['100.05', '0']]);
    expect(alerts('price')[0]).toMatchObject({ state: 'cleared', outcome: 'reverted' });
    feed.delta(s(4), [['100.06', '1']]);
    expect(alerts('price')[0]!.state).toBe('cleared');
    expect(service.priceRules.list()[0]!.triggers).toBe(1);
  });

  it('a level below fires on the best ask; repeat re-arms; the direction can come from the mid; removal clears', () => {
    const { service, feed, alerts } = scene();
    // Mid is 100.005: 99.90 is below it, so this waits for the ask to come down.
    const rule = service.addPriceRule({ venue: 'binance-spot', symbol: 'TESTUSDT', price: '99.9', repeat: true });
    expect(rule.direction).toBe('below');
    const sweep: Levels = [];
    for (let i = 0; i < 20; i++) sweep.push([(100 - i * 0.01).toFixed(2), '0']);
    feed.delta(s(1), [...sweep, ['99.80', '1']], [['99.90', '1']]); // ask 99.90 ≤ 99.9
    expect(alerts('price')[0]).toMatchObject({ state: 'active' });
    feed.delta(s(2), [], [['99.90', '0']]); // best ask back to 100.01
    expect(alerts('price')[0]!.state).toBe('cleared');
    feed.delta(s(3), [], [['99.85', '1']]);
    expect(alerts('price')).toHaveLength(1); // reopened within 30 s, not a new entry
    expect(alerts('price')[0]).toMatchObject({ state: 'active', updates: 1 });
    expect(service.priceRules.list()[0]!.triggers).toBe(2);
    expect(service.removePriceRule(rule.id)).toBe(true);
    expect(alerts('price')[0]).toMatchObject({ state: 'cleared', outcome: 'removed' });
    expect(service.priceRules.list()).toEqual([]);
    expect(service.removePriceRule(rule.id)).toBe(false);
  });

  it('a rule set where the market already is fires at once', () => {
    const { service, alerts } = scene();
    service.addPriceRule({ venue: 'binance-spot', symbol: 'TESTUSDT', price: '99.5', direction: 'above', repeat: false });
    expect(alerts('price')[0]).toMatchObject({ state: 'active' });
  });
});

describe('feed integrity alerts', () => {
  it('one alert per cause, cleared when the book is back in sync', () => {
    const { service, feed, alerts, setNow } = scene();
    setNow(s(5));
    feed.health.gaps++;
    feed.setState('resyncing', 'sequence gap: expected 11, got U=15');
    const [gap] = alerts('feed');
    expect(gap).toMatchObject({ state: 'active', severity: 'warning', key: 'feed:binance-spot:TESTUSDT:gap', raisedAt: s(5) });
    expect(gap!.evidence).toMatchObject({ cause: 'gap', from: 'synced', to: 'resyncing', gaps: 1 });
    setNow(s(6.5));
    feed.setState('synced', 'snapshot applied');
    expect(alerts('feed')[0]).toMatchObject({ state: 'cleared', outcome: 'resolved' });
    expect(alerts('feed')[0]!.evidence.downtimeMs).toBe(1500);
    // Checksum and crossed books are critical.
    setNow(s(100));
    feed.health.checksumFailed++;
    feed.setState('resyncing', 'checksum mismatch');
    setNow(s(101));
    feed.setState('synced', 'snapshot applied');
    setNow(s(200));
    feed.health.crossed++;
    feed.setState('resyncing', 'crossed book');
    const byCause = Object.fromEntries(alerts('feed').map((a) => [a.evidence.cause, a]));
    expect(byCause.checksum).toMatchObject({ severity: 'critical', state: 'cleared' });
    expect(byCause.crossed).toMatchObject({ severity: 'critical', state: 'active' });
    // A disconnect with no counter moving; the reason decides.
    setNow(s(201));
    feed.setState('synced', 'snapshot applied');
    setNow(s(300));
    feed.setState('connecting', 'socket closed (1006)');
    expect(alerts('feed').find((a) => a.evidence.cause === 'disconnect')).toMatchObject({ state: 'active' });
    expect(service.listAlerts({ activeOnly: true }).active).toBe(1);
  });

  it('a synced book that hears nothing for 30 s raises a stale-feed alert, cleared by the next message', () => {
    const { service, feed, alerts } = scene();
    feed.delta(s(1));
    service.tick(s(20));
    expect(alerts('feed')).toHaveLength(0);
    service.tick(s(31.5));
    expect(alerts('feed')[0]).toMatchObject({ state: 'active', key: 'feed:binance-spot:TESTUSDT:stale' });
    service.tick(s(40));
    expect(alerts('feed')).toHaveLength(1);
    feed.delta(s(41));
    expect(alerts('feed')[0]).toMatchObject({ state: 'cleared', outcome: 'resolved' });
  });

  it('the stale watchdog closing the socket is reported as a stale feed', () => {
    const { feed, alerts } = scene();
    feed.setState('connecting', 'stale feed: nothing received for 65 s');
    expect(alerts('feed')[0]!.evidence.cause).toBe('stale');
  });
});

describe('alert book', () => {
  it('is bounded, dropping cleared alerts first', () => {
    const book = new AlertBook({ ...DEFAULT_ANALYTICS_CONFIG.alerts, maxAlerts: 3, reopenWithinMs: 0, maxNewPerMinute: 100 });
    const raise = (key: string, ts: number) =>
      book.raise({ key, kind: 'wall', venue: 'demo', symbol: 'X', severity: 'info', title: key, evidence: {}, ts });
    raise('a', 1);
    raise('b', 2);
    book.clear('b', 3, 'pulled');
    raise('c', 4);
    raise('d', 5);
    const list = book.list();
    expect(list.alerts.map((a) => a.key)).toEqual(['d', 'c', 'a']);
    expect(list.total).toBe(3);
    expect(list.active).toBe(3);
  });

  it('reports updates at most once a second but always holds the latest evidence', () => {
    const book = new AlertBook(DEFAULT_ANALYTICS_CONFIG.alerts);
    const types: string[] = [];
    book.onAlert((e) => types.push(e.type));
    for (let i = 0; i < 50; i++) {
      book.raise({ key: 'k', kind: 'wall', venue: 'demo', symbol: 'X', severity: 'info', title: 't', evidence: { i }, ts: 1000 + i * 100 });
    }
    // Raised at 1000, then updates reported at 2000, 3000, 4000, 5000, 5900 is too soon after 5000.
    expect(types).toEqual(['raised', 'updated', 'updated', 'updated', 'updated']);
    expect(book.list().alerts[0]!.evidence.i).toBe(49);
    expect(book.list().alerts[0]!.updates).toBe(49);
  });

  it('acknowledges by id or all, and a failing listener does not stop the others', () => {
    const errors: unknown[] = [];
    const book = new AlertBook(DEFAULT_ANALYTICS_CONFIG.alerts, (e) => errors.push(e));
    const seen: string[] = [];
    book.onAlert(() => {
      throw new Error('listener bug');
    });
    book.onAlert((e) => seen.push(e.type));
    const a = book.raise({ key: 'a', kind: 'feed', venue: 'demo', symbol: 'X', severity: 'critical', title: 'a', evidence: {}, ts: 1 });
    book.raise({ key: 'b', kind: 'feed', venue: 'demo', symbol: 'X', severity: 'critical', title: 'b', evidence: {}, ts: 2 });
    expect(book.acknowledge([a!.id, 'nope'])).toBe(1);
    expect(book.acknowledge('all')).toBe(1);
    expect(book.acknowledge('all')).toBe(0);
    expect(seen).toEqual(['raised', 'raised', 'acknowledged', 'acknowledged']);
    expect(errors).toHaveLength(4);
  });
});
