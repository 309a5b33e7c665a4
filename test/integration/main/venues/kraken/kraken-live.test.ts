import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../../src/main/log';
import type { Trade } from '../../../../../src/shared/market';
import { createKrakenAdapter, type KrakenAdapter } from '../../../../../src/main/venues/kraken/adapter';
import { LiveTransport } from '../../../../../src/main/venues/live-transport';
import { FakeKrakenExchange } from '../../../../fakes/kraken-exchange';
import { expectHeldLevels, whilePaused } from '../../../../support/books';
import { sleep, until } from '../../../../support/wait';

const BTC = 'BTC/USD';
const ETH = 'ETH/USD';
/** BTC/USD is subscribed at depth 10 (heavy truncation), ETH/USD at the app's default 1000. */
const DEPTH: Record<string, number> = { [BTC]: 10, [ETH]: 1000 };

describe('Kraken adapter against a fake exchange on 127.0.0.1', () => {
  let fake: FakeKrakenExchange;
  let adapter: KrakenAdapter;
  let events: Array<{ event: string; fields: Record<string, unknown> }>;
  let trades: Trade[];
  const logger: Logger = { log: (_level, event, fields = {}) => void events.push({ event, fields }) };

  /** Pause the fake, let the adapter catch up, and compare every level with the top `depth` of the fake's true book. */
  async function expectBooksMatchFake(): Promise<void> {
    await whilePaused(fake, async () => {
      for (const symbol of [BTC, ETH]) {
        const feed = adapter.feed(symbol)!;
        await expectHeldLevels(feed, () => fake.view(symbol, DEPTH[symbol]!), `${symbol} to match the fake`);
        expect(feed.book.levelCount('bid')).toBeLessThanOrEqual(DEPTH[symbol]!);
      }
    });
  }

  const allSynced = () => [BTC, ETH].every((s) => adapter.feed(s)?.state === 'synced');

  beforeEach(async () => {
    events = [];
    trades = [];
    fake = new FakeKrakenExchange({ stepMs: 15, heartbeatMs: 100 });
    await fake.start();
    adapter = createKrakenAdapter({
      endpoints: fake.endpoints,
      transport: new LiveTransport({ maxFrameBytes: 256 * 1024 }),
      logger,
      staleAfterMs: 600,
      pingEveryMs: 200,
      snapshotTimeoutMs: 2000,
      restTimeoutMs: 500,
      listener: { onBook: () => {}, onState: () => {}, onTrade: (_f, t) => void trades.push(t) },
    });
    adapter.subscribe([BTC], { depth: 10 });
    adapter.subscribe([ETH]);
    await until(allSynced, 10_000, 'initial sync');
  });

  afterEach(async () => {
    adapter.close();
    await fake.stop();
  });

  it('syncs at depth 10 and 1000, verifies every checksum, and keeps the exact digits', async () => {
    expect(adapter.entry(BTC)?.sync.depth).toBe(10);
    expect(adapter.entry(ETH)?.sync.depth).toBe(1000);
    await until(() => adapter.feed(BTC)!.health.checksumOk >= 30 && adapter.feed(ETH)!.health.checksumOk >= 30, 10_000, 'checksums');
    expect(adapter.feed(BTC)!.health.checksumFailed).toBe(0);
    expect(adapter.feed(ETH)!.health.checksumFailed).toBe(0);
    await expectBooksMatchFake();
    // BTC/USD has one price decimal: whole-dollar levels must keep their ".0".
    await until(() => [...adapter.feed(BTC)!.book.levels('bid'), ...adapter.feed(BTC)!.book.levels('ask')].some((l) => l.price.endsWith('.0')), 10_000, 'a price ending in .0');
    expect(adapter.feed(BTC)!.book.levelCount('ask')).toBe(10);
  });

  it('streams trades with their exact digits, counts lost trade ids, drops trades resent after a reconnect, and keeps the snapshot as history', async () => {
    const feed = adapter.feed(BTC)!;
    await until(() => fake.tradeSubscribers(BTC) === 1, 5000, 'trade subscription');
    fake.printTrades(BTC, 4);
    await until(() => feed.health.trades === 4, 5000, 'trades');
    expect(trades.map((t) => [t.id, t.price, t.size, t.side, t.history])).toEqual([
      ['1001', '45281.0', '0.01000000', 'buy', undefined],
      ['1002', '45281.0', '0.01000000', 'sell', undefined],
      ['1003', '45281.0', '0.01000000', 'buy', undefined],
      ['1004', '45281.0', '0.01000000', 'sell', undefined],
    ]);
    fake.printTrades(BTC, 2, 3);
    await until(() => feed.health.trades === 6, 5000, 'trades after the hole');
    expect(feed.health.tradeGaps).toBe(1);

    // On reconnect the trade snapshot holds the six prints again: all seen before, all dropped.
    fake.dropConnections();
    await until(() => feed.health.tradeDuplicates === 6, 10_000, 'resent trades dropped');
    expect(feed.health.trades).toBe(6);
    expect(trades).toHaveLength(6);
    fake.printTrades(BTC, 1);
    await until(() => feed.health.trades === 7, 5000, 'live again');
    expect(feed.health.tradeGaps).toBe(1);

    // A client subscribing later gets the earlier prints as history: forwarded flagged, not counted.
    const later: Trade[] = [];
    const second = createKrakenAdapter({
      endpoints: fake.endpoints,
      transport: new LiveTransport({ maxFrameBytes: 256 * 1024 }),
      logger,
      listener: { onBook: () => {}, onState: () => {}, onTrade: (_f, t) => void later.push(t) },
    });
    try {
      second.subscribe([BTC], { depth: 10 });
      await until(() => later.length === 7, 5000, 'history');
      expect(later.every((t) => t.history === true)).toBe(true);
      expect(second.feed(BTC)!.health.trades).toBe(0);
      expect(second.feed(BTC)!.health.tradeGaps).toBe(0);
    } finally {
      second.close();
    }
  });

  it('lists instruments from REST AssetPairs with v2 names and precision', async () => {
    const list = await adapter.listInstruments();
    expect(list.map((i) => i.symbol).sort()).toEqual([BTC, ETH]);
    expect(list.find((i) => i.symbol === BTC)).toMatchObject({ tickSize: '0.1', pricePrecision: 1, sizePrecision: 8, status: 'trading', base: 'BTC', quote: 'USD' });
  });

  it('counts a corrupted checksum, resubscribes that symbol and rebuilds', async () => {
    const btc = adapter.feed(BTC)!;
    const subscribesBefore = fake.bookSubscribes.get(BTC) ?? 0;
    fake.corruptNextChecksum(BTC);
    await until(() => btc.health.checksumFailed >= 1, 5000, 'checksum failure');
    await until(() => btc.state === 'synced', 10_000, 'resync');
    expect(btc.health.checksumFailed).toBe(1);
    expect(btc.health.resyncs).toBeGreaterThanOrEqual(1);
    expect(fake.bookSubscribes.get(BTC)).toBe(subscribesBefore + 1);
    expect(btc.health.reconnects).toBe(0);
    expect(adapter.feed(ETH)!.health.checksumFailed).toBe(0);
    await expectBooksMatchFake();
  });

  it('reconnects after the connection drops', async () => {
    fake.dropConnections();
    await until(() => adapter.feed(BTC)!.health.reconnects >= 1 && allSynced(), 15_000, 'reconnect');
    expect(fake.connections).toBeGreaterThanOrEqual(2);
    await expectBooksMatchFake();
  });

  it('treats a half-open connection as stale and reconnects', async () => {
    fake.goHalfOpen();
    await until(() => adapter.feed(BTC)!.health.reconnects >= 1 && allSynced(), 15_000, 'stale detection and reconnect');
    expect(events.some((e) => e.event === 'stale-feed')).toBe(true);
    await expectBooksMatchFake();
  });

  it('keeps a quiet connection: heartbeats arrive and pings are answered', async () => {
    fake.pause();
    await sleep(1500);
    fake.resume();
    expect(adapter.feed(BTC)!.health.reconnects).toBe(0);
    expect(fake.pings).toBeGreaterThanOrEqual(3);
    await expectBooksMatchFake();
  });

  it('skips a malformed frame and survives an oversized one', async () => {
    fake.sendRaw('{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":64250.0,"qty":');
    await until(() => adapter.feed(BTC)!.health.malformed >= 1, 5000, 'malformed count');
    expect(adapter.feed(BTC)!.state).toBe('synced');
    fake.sendRaw(JSON.stringify({ channel: 'trade', type: 'update', data: [{ pad: 'x'.repeat(300 * 1024) }] }));
    await until(() => adapter.feed(BTC)!.health.reconnects >= 1 && allSynced(), 15_000, 'reconnect after oversized frame');
    await expectBooksMatchFake();
  });

  it('waits out HTTP 429 on the instrument list (Retry-After) while the book stays in sync', async () => {
    fake.rateLimitNext(1);
    const list = await adapter.listInstruments();
    expect(list).toHaveLength(2);
    const limited = events.filter((e) => e.event === 'instruments-rate-limited');
    expect(limited).toHaveLength(1);
    expect(limited[0]!.fields.retryMs).toBe(1000);
    expect(adapter.feed(BTC)!.health.checksumFailed).toBe(0);
    await expectBooksMatchFake();
  });

  it('retries Kraken\'s in-body rate-limit error, then reports it if it persists', async () => {
    fake.rateLimitNext(1, true);
    expect(await adapter.listInstruments()).toHaveLength(2);
    expect(events.filter((e) => e.event === 'instruments-rate-limited').map((e) => e.fields.retryMs)).toEqual([1000]);
    fake.rateLimitNext(3, true);
    await expect(adapter.listInstruments()).rejects.toThrow(/AssetPairs error: EAPI:Rate limit exceeded/);
  }, 15_000);

  it('reports a slow REST endpoint clearly and keeps streaming', async () => {
    fake.slowRest(1500);
    await expect(adapter.listInstruments()).rejects.toThrow(/kraken: cannot reach http:\/\/127\.0\.0\.1:\d+/);
    fake.slowRest(0);
    const okBefore = adapter.feed(ETH)!.health.checksumOk;
    await until(() => adapter.feed(ETH)!.health.checksumOk > okBefore + 5, 5000, 'more checksums');
    await expectBooksMatchFake();
  });

  it('marks a pair the venue refuses as failed, with the venue’s reason', async () => {
    adapter.subscribe(['FOO/BAR']);
    const foo = adapter.feed('FOO/BAR')!;
    await until(() => foo.state === 'failed', 5000, 'refusal');
    expect(foo.health.lastError).toMatch(/Currency pair not supported FOO\/BAR/);
    expect(allSynced()).toBe(true);
  });
});
