/**
 * What keeps the alert list readable: one wall alert per run of adjacent wall-sized levels, and at most
 * `maxNewPerMinute` new alerts of a kind per book per minute. On scripted books, then counted on the
 * real Kraken capture (10 pairs, 30 s) with each effect on its own.
 */
import { describe, expect, it } from 'vitest';
import { AlertBook } from '../../../../src/main/analytics/alerts';
import { DEFAULT_ANALYTICS_CONFIG, type AnalyticsOverrides } from '../../../../src/main/analytics/config';
import { AnalyticsService } from '../../../../src/main/analytics/service';
import { replayCapture } from '../../../../src/main/capture/replay';
import { s, scene, type Levels } from '../../../support/analytics-scene';
import { capture } from '../../../support/paths';

/** The shared scene (20 levels a side of size 1, tick 0.01) with a book change at a set clock. */
function wallScene() {
  const { feed, run, alerts, setNow } = scene();
  const change = (ts: number, bids: Levels) => {
    setNow(ts);
    feed.delta(ts, bids);
  };
  return { change, run, walls: () => alerts('wall') };
}

describe('one wall alert per run of adjacent wall-sized levels', () => {
  it('two wall-sized levels one tick apart raise one alert, for the larger', () => {
    const { change, run, walls } = wallScene();
    run(0, 6); // the median is trusted after 5 s of samples
    change(s(6.1), [
      ['99.95', '10'],
      ['99.94', '12'],
    ]);
    run(6.2, 12);
    expect(walls()).toHaveLength(1);
    expect(walls()[0]!.evidence).toMatchObject({ side: 'bid', price: '99.94', size: 12 });
  });

  it('walls with an ordinary level between them are two walls', () => {
    const { change, run, walls } = wallScene();
    run(0, 6);
    change(s(6.1), [
      ['99.95', '10'],
      ['99.93', '12'],
    ]);
    run(6.2, 12);
    expect(walls().map((w) => w.evidence.price).sort()).toEqual(['99.93', '99.95']);
  });

  it('a level next to a reported wall growing to wall size adds no second alert', () => {
    const { change, run, walls } = wallScene();
    run(0, 6);
    change(s(6.1), [['99.95', '10']]);
    run(6.2, 12);
    expect(walls()).toHaveLength(1);
    change(s(12.1), [['99.96', '11']]);
    run(12.2, 20);
    expect(walls()).toHaveLength(1);
    expect(walls()[0]!.state).toBe('active');
  });
});

describe('per-kind rate limit', () => {
  const raise = (book: AlertBook, key: string, ts: number, kind: 'wall' | 'price' = 'wall') =>
    book.raise({ key, kind, venue: 'demo', symbol: 'X', severity: 'info', title: key, evidence: {}, ts });

  it('holds back new alerts of a kind past the budget, and says how many when the next gets through', () => {
    const book = new AlertBook({ ...DEFAULT_ANALYTICS_CONFIG.alerts, maxNewPerMinute: 3 });
    expect(raise(book, 'a', 1000)).not.toBeNull();
    expect(raise(book, 'b', 2000)).not.toBeNull();
    expect(raise(book, 'c', 3000)).not.toBeNull();
    expect(raise(book, 'd', 4000)).toBeNull();
    expect(raise(book, 'e', 5000)).toBeNull();
    // Updates of alerts already shown are not new alerts.
    expect(raise(book, 'a', 6000)).not.toBeNull();
    expect(book.list().alerts.map((a) => a.key)).toEqual(['c', 'b', 'a']);
    // A minute after the first, there is room for one more; it says two were held back.
    const next = raise(book, 'f', 61_000);
    expect(next?.evidence.heldBack).toBe(2);
    expect(raise(book, 'g', 61_500)).toBeNull();
  });

  it('never holds back price alerts, and counts each book and kind apart', () => {
    const book = new AlertBook({ ...DEFAULT_ANALYTICS_CONFIG.alerts, maxNewPerMinute: 1 });
    expect(raise(book, 'p1', 1000, 'price')).not.toBeNull();
    expect(raise(book, 'p2', 1001, 'price')).not.toBeNull();
    expect(raise(book, 'w1', 1002)).not.toBeNull();
    expect(raise(book, 'w2', 1003)).toBeNull();
    expect(book.raise({ key: 'w3', kind: 'wall', venue: 'demo', symbol: 'Y', severity: 'info', title: 'w3', evidence: {}, ts: 1004 })).not.toBeNull();
  });
});

describe('on the real Kraken capture (10 pairs, 30 s)', () => {
  async function wallsRaised(config: AnalyticsOverrides): Promise<number> {
    const service = new AnalyticsService({ clock: () => 0, config });
    let raised = 0;
    service.onAlert((e) => {
      if (e.type === 'raised' && e.alert.kind === 'wall') raised++;
    });
    await replayCapture(capture('kraken_2021-04-17.capture.jsonl'), { onBook: (feed, event) => service.onBook(feed, event), onEnd: () => {} });
    return raised;
  }

  it('walls raised: 141 before either change, 97 with one per run, 30 with the rate limit too', async () => {
    // 141 was the count with a wall per level (the regression value before runs were merged).
    expect(await wallsRaised({ alerts: { maxNewPerMinute: 1_000_000 } })).toBe(97);
    expect(await wallsRaised({})).toBe(30);
  });
});
