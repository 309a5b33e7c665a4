import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../../src/main/log';
import { LiveTransport } from '../../../../../src/main/venues/live-transport';
import { createOkxAdapter, type OkxAdapter } from '../../../../../src/main/venues/okx/adapter';
import type { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import { FakeOkxExchange, type FakeOkxOptions } from '../../../../fakes/okx-exchange';
import { expectHeldLevels, whilePaused } from '../../../../support/books';
import { sleep, until } from '../../../../support/wait';

const BTC = 'BTC-USDT';
const ETH = 'ETH-USDT-SWAP';

describe('OKX adapter against a fake exchange on 127.0.0.1', () => {
  let fake: FakeOkxExchange;
  let adapter: OkxAdapter;
  let events: Array<{ event: string; fields: Record<string, unknown> }>;
  const logger: Logger = { log: (_level, event, fields = {}) => void events.push({ event, fields }) };
  const feed = (instId: string): SymbolFeed => adapter.feed(instId)!;
  const allSynced = () => [BTC, ETH].every((s) => adapter.feed(s)?.state === 'synced');

  async function setup(options: FakeOkxOptions = {}): Promise<void> {
    events = [];
    fake = new FakeOkxExchange({ stepMs: 15, ...options });
    await fake.start();
    adapter = createOkxAdapter({
      endpoints: fake.endpoints,
      transport: new LiveTransport({ maxFrameBytes: 256 * 1024 }),
      logger,
      staleAfterMs: 600,
      pingIdleMs: 200,
      snapshotTimeoutMs: 2000,
      restTimeoutMs: 500,
      listener: { onBook: () => {}, onState: () => {} },
    });
    adapter.subscribe([BTC, ETH]);
    await until(allSynced, 10_000, 'initial sync');
  }

  /** Pause the fake, let the adapter catch up to the fake's seqId, and compare every level with the true book. */
  async function expectBooksMatchFake(): Promise<void> {
    await whilePaused(fake, async () => {
      for (const instId of [BTC, ETH]) await expectHeldLevels(feed(instId), () => fake.book(instId), `${instId} to match the fake`);
    });
  }

  afterEach(async () => {
    adapter.close();
    await fake.stop();
  });

  it('syncs both books, verifies every legacy checksum and follows the sequence', async () => {
    await setup();
    await until(() => feed(BTC).health.checksumOk >= 30 && feed(ETH).health.checksumOk >= 30, 10_000, 'checksums');
    for (const instId of [BTC, ETH]) {
      expect(feed(instId).health.checksumFailed).toBe(0);
      expect(feed(instId).health.gaps).toBe(0);
    }
    await expectBooksMatchFake();
  });

  it('detects a lost update by prevSeqId, resubscribes and rebuilds', async () => {
    await setup();
    const before = fake.bookSubscribes.get(BTC)!;
    fake.dropNextUpdate(BTC);
    await until(() => feed(BTC).health.gaps >= 1, 5000, 'gap detection');
    await until(() => feed(BTC).state === 'synced', 10_000, 'resync');
    expect(feed(BTC).health.gaps).toBe(1);
    expect(fake.bookSubscribes.get(BTC)).toBe(before + 1);
    expect(feed(BTC).health.reconnects).toBe(0);
    expect(feed(ETH).health.gaps).toBe(0);
    await expectBooksMatchFake();
  });

  it('accepts a sequence reset after maintenance (seqId < prevSeqId) without resyncing', async () => {
    await setup();
    const seqBefore = fake.seqId(BTC);
    fake.resetSequence(BTC);
    await until(() => fake.seqId(BTC) < seqBefore, 5000, 'reset');
    await sleep(200);
    expect(feed(BTC).health.gaps).toBe(0);
    expect(feed(BTC).health.resyncs).toBe(0);
    expect(feed(BTC).state).toBe('synced');
    await expectBooksMatchFake();
  });

  it('accepts keep-alive updates (seqId == prevSeqId, no levels) on a quiet book', async () => {
    await setup({ keepAliveMs: 100 });
    fake.pause();
    const checksBefore = feed(BTC).health.checksumOk;
    await until(() => fake.keepAlivesSent >= 6, 5000, 'keep-alives');
    await until(() => feed(BTC).health.checksumOk > checksBefore, 5000, 'keep-alive checksum');
    expect(feed(BTC).health.gaps).toBe(0);
    expect(feed(BTC).state).toBe('synced');
    fake.resume();
    await expectBooksMatchFake();
  });

  it('counts a corrupted checksum, resubscribes and rebuilds', async () => {
    await setup();
    fake.corruptNextChecksum(ETH);
    await until(() => feed(ETH).health.checksumFailed >= 1, 5000, 'checksum failure');
    await until(() => feed(ETH).state === 'synced', 10_000, 'resync');
    expect(feed(ETH).health.checksumFailed).toBe(1);
    expect(feed(BTC).health.checksumFailed).toBe(0);
    await expectBooksMatchFake();
  });

  it('does not check the deprecated checksum 0, and still catches a lost update', async () => {
    await setup({ checksum: 'zero' });
    await sleep(300);
    expect(feed(BTC).health.checksumOk).toBe(0);
    expect(feed(BTC).health.checksumFailed).toBe(0);
    fake.dropNextUpdate(BTC);
    await until(() => feed(BTC).health.gaps >= 1, 5000, 'gap detection');
    await until(() => feed(BTC).state === 'synced', 10_000, 'resync');
    await expectBooksMatchFake();
  });

  it('reconnects after the connection drops', async () => {
    await setup();
    fake.dropConnections();
    await until(() => feed(BTC).health.reconnects >= 1 && allSynced(), 15_000, 'reconnect');
    expect(fake.connections).toBeGreaterThanOrEqual(2);
    await expectBooksMatchFake();
  });

  it('treats a half-open connection as stale and reconnects', async () => {
    await setup();
    fake.goHalfOpen();
    await until(() => feed(BTC).health.reconnects >= 1 && allSynced(), 15_000, 'stale detection and reconnect');
    expect(events.some((e) => e.event === 'stale-feed')).toBe(true);
    await expectBooksMatchFake();
  });

  it('keeps a silent connection alive with text ping/pong', async () => {
    await setup();
    // Only the text ping can keep this connection: no data, no keep-alive, no protocol pongs.
    fake.ignoreProtocolPings();
    fake.pause();
    await sleep(1500);
    fake.resume();
    expect(adapter.protocol.pingsSent).toBeGreaterThanOrEqual(3);
    expect(fake.pings).toBeGreaterThanOrEqual(3);
    expect(feed(BTC).health.reconnects).toBe(0);
    await expectBooksMatchFake();
  });

  it('sends no text ping while data flows', async () => {
    await setup();
    await sleep(800);
    expect(adapter.protocol.pingsSent).toBe(0);
  });

  it('skips a malformed frame and survives an oversized one', async () => {
    await setup();
    fake.sendRaw('{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["1"');
    await until(() => feed(BTC).health.malformed >= 1, 5000, 'malformed count');
    expect(feed(BTC).state).toBe('synced');
    fake.sendRaw(JSON.stringify({ arg: { channel: 'trades', instId: BTC }, data: [{ pad: 'x'.repeat(300 * 1024) }] }));
    await until(() => feed(BTC).health.reconnects >= 1 && allSynced(), 15_000, 'reconnect after oversized frame');
    await expectBooksMatchFake();
  });

  it('lists spot, swap and option instruments from REST', async () => {
    await setup();
    const list = await adapter.listInstruments();
    expect(list.map((i) => i.symbol).sort()).toEqual(['BTC-USD-260925-70000-C', BTC, ETH]);
    expect(list.find((i) => i.symbol === BTC)).toMatchObject({ display: 'BTC/USDT', tickSize: '0.1', pricePrecision: 1, sizePrecision: 8, status: 'trading' });
    expect(list.find((i) => i.symbol === ETH)).toMatchObject({ base: 'ETH', quote: 'USDT', lotSize: '1' });
  });

  it('waits out HTTP 429 on the instrument list while the books stay in sync', async () => {
    await setup();
    fake.rateLimitNext(1);
    const list = await adapter.listInstruments();
    expect(list).toHaveLength(3);
    const limited = events.filter((e) => e.event === 'instruments-rate-limited');
    expect(limited).toHaveLength(1);
    expect(limited[0]!.fields.retryMs).toBe(1000);
    await expectBooksMatchFake();
  });

  it('reports a slow REST endpoint clearly and keeps streaming', async () => {
    await setup();
    fake.slowRest(1500);
    await expect(adapter.listInstruments()).rejects.toThrow(/okx: cannot reach http:\/\/127\.0\.0\.1:\d+/);
    fake.slowRest(0);
    const okBefore = feed(BTC).health.checksumOk;
    await until(() => feed(BTC).health.checksumOk > okBefore + 5, 5000, 'more checksums');
    await expectBooksMatchFake();
  });

  it('marks an instrument the venue refuses as failed, with the venue’s reason', async () => {
    await setup();
    adapter.subscribe(['FOO-BAR']);
    await until(() => feed('FOO-BAR').state === 'failed', 5000, 'refusal');
    expect(feed('FOO-BAR').health.lastError).toMatch(/FOO-BAR doesn't exist.*60018/);
    expect(allSynced()).toBe(true);
  });
});
