/**
 * The collector's end of a source: every book's final snapshot (marked ended) reaches the bucket even
 * when a write fails at first (a bucket leader being elected), and a snapshot that cannot be written
 * within the retry time is counted as failed, not dropped silently.
 */
import { describe, expect, it } from 'vitest';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { DeskCollector } from '../../../../src/main/desk/collector';
import { parseSnapshot, snapshotKey } from '../../../../src/main/desk/subjects';
import { nullLogger } from '../../../../src/main/log';
import { SymbolFeed } from '../../../../src/main/venues/symbol-feed';

/** A stream that stores every publish, and a bucket whose first `failures` writes fail. */
function fakeDesk(failures: number) {
  let seq = 0;
  const js = { publish: async (): Promise<PubAck> => ({ seq: ++seq, stream: 'obm', duplicate: false, domain: '' }) as PubAck } as unknown as JetStreamClient;
  const puts = new Map<string, Uint8Array>();
  let attempts = 0;
  const books = {
    put: async (key: string, value: Uint8Array) => {
      if (++attempts <= failures) throw new Error('timeout');
      puts.set(key, value);
      return 1;
    },
  } as unknown as KV;
  return { js, books, puts, attempts: () => attempts };
}

function syncedBook(collector: DeskCollector): SymbolFeed {
  const feed = new SymbolFeed('okx', 'BTC-USDT', collector.listener);
  feed.connecting('test');
  feed.awaitSnapshot('test');
  feed.apply(feed.event('snapshot', { bids: [['100', '1']], asks: [['101', '2']], localTs: 1 }));
  feed.bookSequence = 1;
  feed.synced('test');
  return feed;
}

describe('the collector at the end of its source', () => {
  it('writes the final snapshot after failed attempts, marked ended', async () => {
    const desk = fakeDesk(2);
    const collector = new DeskCollector({ js: desk.js, books: desk.books, logger: nullLogger, include: () => true, publishRetryMs: 10_000 });
    syncedBook(collector);
    await collector.finish();
    expect(desk.attempts()).toBe(3);
    const snapshot = parseSnapshot(desk.puts.get(snapshotKey('okx', 'BTC-USDT'))!);
    expect(snapshot.ended).toBe(true);
    expect(snapshot.bids).toEqual([['100', '1']]);
    expect(collector.counts.failed).toBe(0);
    expect(collector.counts.snapshots).toBe(1);
  });

  it('counts a final snapshot it could not write within the retry time as failed', async () => {
    const desk = fakeDesk(Number.POSITIVE_INFINITY);
    const collector = new DeskCollector({ js: desk.js, books: desk.books, logger: nullLogger, include: () => true, publishRetryMs: 1200 });
    syncedBook(collector);
    await collector.finish();
    expect(desk.attempts()).toBeGreaterThanOrEqual(2);
    expect(desk.puts.size).toBe(0);
    expect(collector.counts.failed).toBe(1);
  });
});
