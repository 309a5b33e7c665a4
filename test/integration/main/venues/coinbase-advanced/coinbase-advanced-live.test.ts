import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../../src/main/log';
import type { Trade } from '../../../../../src/shared/market';
import { createCoinbaseAdvancedAdapter, type AdvancedAdapterOptions, type CoinbaseAdvancedAdapter } from '../../../../../src/main/venues/coinbase-advanced/adapter';
import { LiveTransport } from '../../../../../src/main/venues/live-transport';
import type { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import { FakeAdvancedExchange, type FakeAdvancedOptions } from '../../../../fakes/coinbase-advanced-exchange';
import { expectBookMatchesTrueBook } from '../../../../support/books';
import { until } from '../../../../support/wait';

describe('Coinbase Advanced Trade adapter against a fake exchange on 127.0.0.1', () => {
  let fake: FakeAdvancedExchange;
  let adapter: CoinbaseAdvancedAdapter;
  let events: Array<{ event: string; fields: Record<string, unknown> }>;
  const logger: Logger = { log: (_level, event, fields = {}) => void events.push({ event, fields }) };

  async function setup(
    fakeOptions: FakeAdvancedOptions = {},
    adapterOptions: Partial<AdvancedAdapterOptions> = {},
    symbols = ['BTC-USD', 'ETH-USD'],
    transport = new LiveTransport({ maxFrameBytes: 1024 * 1024 }),
  ): Promise<SymbolFeed> {
    events = [];
    fake = new FakeAdvancedExchange({ stepMs: 20, heartbeatMs: 200, ...fakeOptions });
    await fake.start();
    adapter = createCoinbaseAdvancedAdapter({
      endpoints: fake.endpoints,
      transport,
      logger,
      staleAfterMs: 1500,
      heartbeatTimeoutMs: 1000,
      listener: { onBook: () => {}, onState: () => {} },
      ...adapterOptions,
    });
    adapter.subscribe(symbols);
    await until(() => [...adapter.feeds()].every((f) => f.state === 'synced'), 10_000, 'initial sync');
    return adapter.feed(symbols[0]!)!;
  }

  afterEach(async () => {
    adapter?.close();
    await fake?.stop();
  });

  it('subscribes heartbeats and level2 in separate messages, keeps the channel open, and matches the true book', async () => {
    // Channels without a heartbeats subscription close after 500 ms here (Coinbase: 60-90 s).
    const feed = await setup({ idleCloseMs: 500 });
    await until(() => fake.received.some((r) => r.msg.channel === 'market_trades'), 5000, 'trade connection subscribed');
    expect(fake.bookReceived.map((r) => r.msg).slice(0, 2)).toEqual([
      { type: 'subscribe', channel: 'heartbeats' },
      { type: 'subscribe', product_ids: ['BTC-USD', 'ETH-USD'], channel: 'level2' },
    ]);
    await new Promise((r) => setTimeout(r, 1200));
    expect(fake.idleClosed).toBe(0);
    // The book's connection and the trade connection.
    expect(fake.connections).toBe(2);
    expect(feed.health.gaps).toBe(0);
    await expectBookMatchesTrueBook(fake, feed);
    await expectBookMatchesTrueBook(fake, adapter.feed('ETH-USD')!);
  });

  it('streams market_trades on a connection of its own: history from the snapshot, live trades counted, books untouched', async () => {
    const trades: Trade[] = [];
    const feed = await setup({}, { listener: { onBook: () => {}, onState: () => {}, onTrade: (_f, t) => void trades.push(t) } });
    expect(adapter.connectionCount).toBe(1);
    expect(adapter.tradeConnectionCount).toBe(1);
    await until(() => feed.health.trades >= 5, 10_000, 'trades');
    expect(fake.connections).toBe(2);
    const live = trades.filter((t) => t.symbol === 'BTC-USD' && !t.history);
    expect(live.every((t) => t.venue === 'coinbase-advanced' && (t.side === 'buy' || t.side === 'sell'))).toBe(true);
    // The trade connection's own sequence_num count never touches the books' gap rule.
    expect(feed.health.gaps).toBe(0);
    expect(feed.health.tradeAnomalies).toBe(0);
    // The trade connection dropping leaves the books synced; trades resume on the reconnect.
    const before = feed.health.trades;
    const books = feed.health.reconnects;
    fake.dropConnections();
    await until(() => feed.health.trades >= before + 3 && feed.state === 'synced', 10_000, 'trades after reconnect');
    expect(feed.health.reconnects).toBe(books + 1);
  });

  it('a sequence_num gap resubscribes level2 and rebuilds every book on the connection', async () => {
    const feed = await setup();
    const eth = adapter.feed('ETH-USD')!;
    const before = fake.bookReceived.length;
    fake.skipSequence(3);
    await until(() => feed.health.gaps >= 1 && eth.health.gaps >= 1, 5000, 'gap detection');
    await until(() => feed.state === 'synced' && eth.state === 'synced', 10_000, 'rebuild');
    expect(feed.health.resyncs).toBeGreaterThanOrEqual(1);
    expect(eth.health.resyncs).toBeGreaterThanOrEqual(1);
    expect(fake.bookReceived.slice(before).map((r) => r.msg)).toEqual([
      { type: 'unsubscribe', product_ids: ['BTC-USD', 'ETH-USD'], channel: 'level2' },
      { type: 'subscribe', product_ids: ['BTC-USD', 'ETH-USD'], channel: 'level2' },
    ]);
    expect(fake.connections).toBe(2);
    expect(events.some((e) => e.event === 'gap')).toBe(true);
    await expectBookMatchesTrueBook(fake, feed);
    await expectBookMatchesTrueBook(fake, eth);
  });

  it('never sends more than 8 messages a second over both connections, even when gaps come in a burst', async () => {
    const feed = await setup({ maxMessagesPerSecond: 8 });
    // Each gap is seen before the next is made (two skips before the fake's next message would be one
    // gap), a few ms apart: their resubscribes still pile up far faster than 8 a second.
    for (let i = 1; i <= 4; i++) {
      fake.skipSequence(2);
      await until(() => feed.health.gaps >= i, 5000, `gap ${i}`);
    }
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.rateViolations).toBe(0);
    const times = fake.received.map((r) => r.at);
    for (let i = 8; i < times.length; i++) expect(times[i]! - times[i - 8]!).toBeGreaterThanOrEqual(1000);
    await until(() => feed.state === 'synced', 10_000, 'rebuild');
    await expectBookMatchesTrueBook(fake, feed);
  });

  it('reconnects after the connection drops', async () => {
    const feed = await setup();
    fake.dropConnections();
    await until(() => feed.health.reconnects >= 1 && feed.state === 'synced', 15_000, 'reconnect');
    expect(fake.connections).toBeGreaterThanOrEqual(2);
    await expectBookMatchesTrueBook(fake, feed);
  });

  it('treats a half-open connection (no close, no data, no pong) as stale and reconnects', async () => {
    const feed = await setup({}, { heartbeatTimeoutMs: 5000 });
    fake.goHalfOpen();
    await until(() => feed.health.reconnects >= 1 && feed.state === 'synced', 15_000, 'stale detection and reconnect');
    expect(events.some((e) => e.event === 'stale-feed')).toBe(true);
    await expectBookMatchesTrueBook(fake, feed);
  });

  it('missing heartbeats: subscribes heartbeats again, without touching the books', async () => {
    // 3 s without a heartbeat (not the file's 1 s): a 1 s stall of a loaded 2-core test machine must not
    // look like missing heartbeats before they are withheld.
    const feed = await setup({}, { heartbeatTimeoutMs: 3000 });
    const heartbeatSubscribes = (): number => fake.bookReceived.filter((r) => r.msg.channel === 'heartbeats' && r.msg.type === 'subscribe').length;
    // The trade connection counts as a book connection until it has subscribed to its trades.
    await until(() => fake.received.some((r) => r.msg.channel === 'market_trades'), 5000, 'trade connection subscribed');
    const before = heartbeatSubscribes();
    fake.withholdHeartbeats('until-resubscribed');
    await until(() => events.some((e) => e.event === 'heartbeat-missing' && e.fields.action === 'resubscribe heartbeats'), 10_000, 'missing heartbeats');
    await until(() => heartbeatSubscribes() > before, 5000, 'heartbeats subscribed again');
    expect(events.some((e) => e.event === 'heartbeat-missing' && e.fields.action === 'reconnect')).toBe(false);
    await new Promise((r) => setTimeout(r, 1500));
    expect(feed.health.reconnects).toBe(0);
    expect(feed.health.resyncs).toBe(0);
    expect(feed.health.gaps).toBe(0);
    await expectBookMatchesTrueBook(fake, feed);
  });

  it('heartbeats that stay missing after subscribing again: reconnects', async () => {
    const feed = await setup();
    fake.withholdHeartbeats('always');
    await until(() => events.some((e) => e.event === 'heartbeat-missing' && e.fields.action === 'reconnect'), 5000, 'second silence');
    await until(() => feed.health.reconnects >= 1 && feed.state === 'synced', 15_000, 'reconnect');
    await expectBookMatchesTrueBook(fake, feed);
  });

  it('counts and skips malformed frames, rebuilds a book whose update could not be read, survives an oversized frame', async () => {
    const feed = await setup();
    fake.sendRaw('{"channel":"l2_data","events":[');
    await until(() => adapter.unattributedMalformed >= 1, 5000, 'malformed count');
    expect(feed.state).toBe('synced');
    expect(feed.health.resyncs).toBe(0);
    expect(feed.health.gaps).toBe(0);
    // An unreadable l2_data frame used a sequence number: its product is rebuilt, without a gap.
    fake.sendUnreadableBookFrame('BTC-USD');
    await until(() => feed.health.malformed >= 1 && feed.health.resyncs >= 1, 5000, 'unreadable book frame');
    expect(feed.health.gaps).toBe(0);
    expect(adapter.feed('ETH-USD')!.health.resyncs).toBe(0);
    await expectBookMatchesTrueBook(fake, feed);
    fake.sendRaw(JSON.stringify({ channel: 'status', pad: 'x'.repeat(1100 * 1024) }));
    await until(() => feed.health.reconnects >= 1 && feed.state === 'synced', 15_000, 'reconnect after oversized frame');
    await expectBookMatchesTrueBook(fake, feed);
  });

  it('surfaces an error message, and marks a product the venue refuses as failed', async () => {
    const feed = await setup();
    fake.sendError('internal error, please retry');
    await until(() => feed.health.lastError === 'Coinbase Advanced Trade error: internal error, please retry', 5000, 'error surfaced');
    adapter.subscribe(['NOPE-USD']);
    const nope = adapter.feed('NOPE-USD')!;
    await until(() => nope.state === 'failed', 5000, 'refused product');
    expect(nope.health.lastError).toMatch(/^NOPE-USD cannot be streamed from Coinbase Advanced Trade: Failed to subscribe: NOPE-USD is not a valid product/);
    expect(feed.state).toBe('synced');
    await expectBookMatchesTrueBook(fake, feed);
  });

  it('a -USDC product is fed by the -USD data Advanced Trade sends for it', async () => {
    const feed = await setup({}, {}, ['BTC-USDC']);
    expect(feed.symbol).toBe('BTC-USDC');
    await expectBookMatchesTrueBook(fake, feed, 'BTC-USD');
  });

  it('a level2 snapshot larger than the transport accepts cannot sync (logged as such); a large enough limit syncs', async () => {
    events = [];
    fake = new FakeAdvancedExchange({ stepMs: 20, heartbeatMs: 200 });
    await fake.start();
    const small = createCoinbaseAdvancedAdapter({
      endpoints: fake.endpoints,
      transport: new LiveTransport({ maxFrameBytes: 16 * 1024 }),
      logger,
      staleAfterMs: 1500,
      listener: { onBook: () => {}, onState: () => {} },
    });
    small.subscribe(['BTC-USD']);
    const tooSmall = small.feed('BTC-USD')!;
    await until(() => events.filter((e) => e.event === 'socket-error' && e.fields.error === 'Max payload size exceeded').length >= 2, 10_000, 'frame-too-big closes');
    expect(tooSmall.state).not.toBe('synced');
    expect(fake.largestFrame).toBeGreaterThan(16 * 1024);
    small.close();
    // The live transport's default limit (64 MB) takes whole-book snapshots.
    adapter = createCoinbaseAdvancedAdapter({ endpoints: fake.endpoints, transport: new LiveTransport(), logger, listener: { onBook: () => {}, onState: () => {} } });
    adapter.subscribe(['BTC-USD']);
    await until(() => adapter.feed('BTC-USD')!.state === 'synced', 10_000, 'sync with the default limit');
    await expectBookMatchesTrueBook(fake, adapter.feed('BTC-USD')!);
  });

  it('lists instruments, waits out a slow REST answer, and reports HTTP 429 clearly', async () => {
    await setup();
    const list = await adapter.listInstruments();
    expect(list.find((i) => i.symbol === 'ETH-USD')).toMatchObject({ tickSize: '0.01', lotSize: '0.00000001', pricePrecision: 2, sizePrecision: 8, status: 'trading', display: 'ETH/USD' });
    fake.slowRest(1200);
    const started = Date.now();
    expect(await adapter.listInstruments()).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1100);
    expect(adapter.feed('BTC-USD')!.state).toBe('synced');
    fake.slowRest(0);
    fake.rateLimitNext(1);
    await expect(adapter.listInstruments()).rejects.toThrow(/rate limited \(HTTP 429\)/);
    expect(await adapter.listInstruments()).toHaveLength(2);
  });
});
