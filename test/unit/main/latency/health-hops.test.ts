import { describe, expect, it } from 'vitest';
import { ladderSource } from '../../../../src/main/publish/views/ladder';
import { SymbolFeed, type FeedListener } from '../../../../src/main/venues/symbol-feed';

const listener: FeedListener = { onBook: () => {}, onState: () => {} };

describe('latency hops in the health record', () => {
  it('fills exchange → receipt from every message that carries an exchange time, and leaves the collector hops null', () => {
    const feed = new SymbolFeed('binance-spot', 'BTCUSDT', listener);
    const start = 1_700_000_000_000;
    // 100 messages, 10 ms apart, 1..100 ms late; one without an exchange time is not a sample.
    for (let i = 1; i <= 100; i++) feed.received(start + i * 10, 1, start + i * 10 - i);
    feed.received(start + 1_010, 1);
    const hops = feed.healthSnapshot(start + 1_010).hops;
    expect(hops?.exchangeToReceipt).toMatchObject({ count: 100, p50: 50, p99: 99, max: 100 });
    expect(hops?.exchangeToReceipt?.perSec).toBeCloseTo(100, 0);
    expect(hops?.receiptToCollectorPublish).toBeNull();
    expect(hops?.collectorPublishToDeskReceipt).toBeNull();
    expect(hops?.receiptToFrame).toBeNull();
    // A minute later the window is empty again.
    expect(feed.healthSnapshot(start + 70_000).hops?.exchangeToReceipt).toBeNull();
  });

  it('times receipt → window frame once per book change when the ladder is built with a wall clock', () => {
    const feed = new SymbolFeed('binance-spot', 'BTCUSDT', listener);
    feed.lastLocalTs = 1_000;
    let clock = 1_030;
    const source = ladderSource(feed, 10, 1, () => null, null, () => clock);
    source.build();
    clock = 1_090; // same book version: not a new sample
    source.build();
    expect(feed.healthSnapshot(clock).hops?.receiptToFrame).toMatchObject({ count: 1, p50: 30, max: 30 });
    const replayed = ladderSource(feed, 10, 1, () => null, null, null);
    replayed.build();
    expect(feed.healthSnapshot(clock).hops?.receiptToFrame?.count).toBe(1);
  });
});
