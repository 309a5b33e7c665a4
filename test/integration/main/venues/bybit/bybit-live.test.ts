import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../../src/main/log';
import { BYBIT_LINEAR, BYBIT_SPOT, createBybitAdapter, type BybitAdapter, type BybitMarket } from '../../../../../src/main/venues/bybit';
import { LiveTransport } from '../../../../../src/main/venues/live-transport';
import type { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import { FakeBybitExchange, type Category } from '../../../../fakes/bybit-exchange';
import { canonicalLevels, canonicalSide, whilePaused } from '../../../../support/books';
import { until } from '../../../../support/wait';

const SYMBOLS = ['BTCUSDT', 'XRPUSDT'];

describe('Bybit adapters against a fake exchange on 127.0.0.1', () => {
  let fake: FakeBybitExchange;
  let events: Array<{ event: string; fields: Record<string, unknown> }>;
  let lastU: WeakMap<SymbolFeed, number>;
  let adapters: Record<Category, BybitAdapter>;
  const logger: Logger = { log: (_level, event, fields = {}) => void events.push({ event, fields }) };

  const make = (venue: 'bybit-spot' | 'bybit-linear', market: BybitMarket, options: Partial<Parameters<typeof createBybitAdapter>[0]> = {}) =>
    createBybitAdapter({
      venue,
      market,
      endpoints: fake.endpoints,
      transport: new LiveTransport({ maxFrameBytes: 256 * 1024 }),
      logger,
      staleAfterMs: 1500,
      pingEveryMs: 300,
      pongTimeoutMs: 500,
      snapshotTimeoutMs: 1500,
      listener: {
        onBook: (f, event) => {
          if (event.seq !== undefined) lastU.set(f, event.seq);
        },
        onState: () => {},
      },
      ...options,
    });

  const feeds = () =>
    (['spot', 'linear'] as const).flatMap((category) => SYMBOLS.map((symbol) => ({ category, symbol, feed: adapters[category].feed(symbol)! })));

  /** Pause the fake, let every adapter catch up, and compare every level with the fake's window and true book. */
  async function expectBooksMatchFake(): Promise<void> {
    await whilePaused(fake, async () => {
      for (const { category, symbol, feed } of feeds()) {
        const depth = category === 'spot' ? BYBIT_SPOT.depth : BYBIT_LINEAR.depth;
        await until(
          () => feed.state === 'synced' && lastU.get(feed) === fake.window(category, symbol, depth)!.u,
          10_000,
          `${category} ${symbol} to catch up`,
        );
        const window = fake.window(category, symbol, depth)!;
        const truth = fake.trueTop(category, symbol, depth);
        expect(canonicalSide(feed, 'bid'), `${category} ${symbol} bids`).toEqual(canonicalLevels(window.bids));
        expect(canonicalSide(feed, 'ask'), `${category} ${symbol} asks`).toEqual(canonicalLevels(window.asks));
        expect(canonicalLevels(window.bids)).toEqual(canonicalLevels(truth.bids));
        expect(canonicalLevels(window.asks)).toEqual(canonicalLevels(truth.asks));
        expect(feed.book.levelCount('bid')).toBeLessThanOrEqual(depth);
      }
    });
  }

  const allSynced = () => feeds().every((f) => f.feed.state === 'synced');

  beforeEach(async () => {
    events = [];
    lastU = new WeakMap();
    fake = new FakeBybitExchange({ stepMs: 15 });
    await fake.start();
    adapters = { spot: make('bybit-spot', BYBIT_SPOT), linear: make('bybit-linear', BYBIT_LINEAR) };
    adapters.spot.subscribe(SYMBOLS);
    adapters.linear.subscribe(SYMBOLS);
    await until(allSynced, 10_000, 'initial sync');
  });

  afterEach(async () => {
    adapters.spot.close();
    adapters.linear.close();
    await fake.stop();
  });

  it('subscribes each category on one connection, pings, and matches the true book within the subscribed depth', async () => {
    // Each symbol's book topic and its trade topic, in one request.
    expect(fake.subscribeRequests).toContainEqual(['orderbook.50.BTCUSDT', 'publicTrade.BTCUSDT', 'orderbook.50.XRPUSDT', 'publicTrade.XRPUSDT']);
    expect(fake.subscribeRequests).toContainEqual(['orderbook.200.BTCUSDT', 'publicTrade.BTCUSDT', 'orderbook.200.XRPUSDT', 'publicTrade.XRPUSDT']);
    expect(fake.openConnections('spot')).toBe(1);
    expect(fake.openConnections('linear')).toBe(1);
    await until(() => fake.pings >= 4, 5000, 'pings');
    await new Promise((r) => setTimeout(r, 300));
    for (const { feed } of feeds()) {
      expect(feed.health.gaps).toBe(0);
      expect(feed.health.messages).toBeGreaterThan(5);
    }
    expect(events.some((e) => e.event === 'pong-timeout')).toBe(false);
    await expectBooksMatchFake();
  });

  it('recovers from a sequence gap by resubscribing the topic', async () => {
    fake.injectGap(4);
    await until(() => feeds().every((f) => f.feed.health.gaps >= 1), 5000, 'gap detection');
    await until(allSynced, 10_000, 'resync');
    for (const { feed } of feeds()) expect(feed.health.reconnects).toBe(0);
    expect(events.filter((e) => e.event === 'resubscribe').length).toBeGreaterThanOrEqual(4);
    await expectBooksMatchFake();
  });

  it('replaces the book on a snapshot sent mid-stream', async () => {
    fake.snapshotMidStream();
    await until(() => events.filter((e) => e.event === 'venue-snapshot').length >= 4, 5000, 'venue snapshots');
    await expectBooksMatchFake();
    // Taken as the venue's word: no gap, no crossed book, no rebuild of our own.
    for (const { feed } of feeds()) expect([feed.health.gaps, feed.health.crossed, feed.health.resyncs]).toEqual([0, 0, 0]);
  });

  it('overwrites the book on u == 1 after a service restart and continues from it', async () => {
    fake.restartService();
    await until(() => events.filter((e) => e.event === 'service-restart').length >= 4, 5000, 'restart handling');
    await new Promise((r) => setTimeout(r, 200));
    await expectBooksMatchFake();
    for (const { feed } of feeds()) {
      expect([feed.health.gaps, feed.health.crossed, feed.health.resyncs]).toEqual([0, 0, 0]);
      // Continuing from u = 1, not from the old sequence.
      expect(lastU.get(feed)).toBeLessThan(1000);
    }
  });

  it('subscribes again when a subscription is acknowledged but its snapshot never comes', async () => {
    const btc = adapters.linear.feed('BTCUSDT')!;
    fake.swallowSnapshots(1);
    fake.sendUnreadableLevel('linear', 'BTCUSDT', BYBIT_LINEAR.depth);
    await until(() => btc.state === 'resyncing', 5000, 'resync');
    await until(() => events.some((e) => e.event === 'snapshot-timeout' && e.fields.symbol === 'BTCUSDT'), 5000, 'snapshot timeout');
    await until(allSynced, 10_000, 'sync after subscribing again');
    expect(events.filter((e) => e.event === 'resubscribe' && e.fields.symbol === 'BTCUSDT').length).toBe(2);
    expect(btc.health.reconnects).toBe(0);
    await expectBooksMatchFake();
  });

  it('reconnects and resubscribes after the connection drops', async () => {
    const before = fake.connections;
    fake.dropConnections();
    await until(() => feeds().every((f) => f.feed.health.reconnects >= 1) && allSynced(), 15_000, 'reconnect');
    expect(fake.connections).toBeGreaterThanOrEqual(before + 2);
    await expectBooksMatchFake();
  });

  it('treats a half-open connection (nothing more arrives) as dead and reconnects', async () => {
    fake.goHalfOpen();
    await until(() => feeds().every((f) => f.feed.health.reconnects >= 1) && allSynced(), 15_000, 'dead-link detection and reconnect');
    expect(events.some((e) => e.event === 'pong-timeout' || e.event === 'stale-feed')).toBe(true);
    await expectBooksMatchFake();
  });

  it('reconnects when the server stops answering our ping, even while data flows', async () => {
    fake.ignorePings(true);
    await until(() => events.some((e) => e.event === 'pong-timeout'), 5000, 'pong timeout');
    await until(() => feeds().every((f) => f.feed.health.reconnects >= 1), 5000, 'reconnect after pong timeout');
    fake.ignorePings(false);
    await until(allSynced, 10_000, 'sync after pongs return');
    await expectBooksMatchFake();
  });

  it('skips malformed JSON without touching the book, and rebuilds after an unreadable level', async () => {
    const btc = adapters.spot.feed('BTCUSDT')!;
    fake.sendRaw('{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[["1"');
    await until(() => btc.health.malformed >= 1, 5000, 'malformed count');
    expect(btc.state).toBe('synced');
    expect(btc.health.gaps).toBe(0);
    expect(btc.health.resyncs).toBe(0);
    fake.sendRaw('not json at all');
    await until(() => adapters.linear.unattributedMalformed >= 1, 5000, 'unattributed malformed');
    await expectBooksMatchFake();
    fake.sendUnreadableLevel('linear', 'XRPUSDT', BYBIT_LINEAR.depth);
    const xrp = adapters.linear.feed('XRPUSDT')!;
    await until(() => xrp.health.malformed >= 1 && xrp.health.resyncs >= 1, 5000, 'unreadable level handled');
    await until(allSynced, 10_000, 'resync after unreadable level');
    await expectBooksMatchFake();
  });

  it('survives an oversized frame by reconnecting', async () => {
    fake.sendRaw(JSON.stringify({ topic: 'orderbook.50.BTCUSDT', pad: 'x'.repeat(300 * 1024) }));
    await until(() => feeds().every((f) => f.feed.health.reconnects >= 1) && allSynced(), 15_000, 'reconnect after oversized frame');
    await expectBooksMatchFake();
  });

  it('marks a symbol Bybit refuses as failed with its reason, while the others stream', async () => {
    adapters.spot.subscribe(['NOPEUSDT']);
    const nope = adapters.spot.feed('NOPEUSDT')!;
    await until(() => nope.state === 'failed', 5000, 'refusal');
    expect(nope.health.lastError).toContain('orderbook.50.NOPEUSDT');
    expect(adapters.spot.feed('BTCUSDT')!.state).toBe('synced');
    // A reconnect does not subscribe the refused symbol again.
    fake.dropConnections();
    await until(() => allSynced() && feeds().every((f) => f.feed.health.reconnects >= 1), 15_000, 'reconnect');
    expect(fake.subscribeRequests.filter((r) => r.includes('orderbook.50.NOPEUSDT'))).toHaveLength(1);
    await expectBooksMatchFake();
  });

  it('lists instruments: spot in one request, linear across cursor pages', async () => {
    const spot = await adapters.spot.listInstruments();
    const linear = await adapters.linear.listInstruments();
    expect(spot.map((i) => i.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT', 'ETHBTC']);
    expect(linear.map((i) => i.symbol)).toEqual(spot.map((i) => i.symbol));
    expect(spot.find((i) => i.symbol === 'XRPUSDT')).toMatchObject({ tickSize: '0.0001', lotSize: '1', pricePrecision: 4, sizePrecision: 0, status: 'trading' });
    const linearRequests = fake.restRequests.filter((u) => u.includes('category=linear'));
    expect(linearRequests).toHaveLength(2);
    expect(linearRequests[0]).toContain('limit=1000');
    expect(linearRequests[1]).toContain('cursor=');
    expect(fake.restRequests.filter((u) => u.includes('category=spot'))).toHaveLength(1);
  });

  it('honours HTTP 429 Retry-After on instruments and still gets the list', async () => {
    fake.rateLimitNext(1);
    const list = await adapters.linear.listInstruments();
    expect(list).toHaveLength(6);
    const retries = events.filter((e) => e.event === 'instruments-retry');
    expect(retries).toHaveLength(1);
    expect(retries[0]!.fields.retryMs).toBe(1000);
    expect(String(retries[0]!.fields.error)).toContain('429');
    await expectBooksMatchFake();
  });

  it('waits for slow REST, and gives a clear message when it is too slow', async () => {
    fake.slowRest(400);
    expect(await adapters.spot.listInstruments()).toHaveLength(6);
    const impatient = make('bybit-linear', BYBIT_LINEAR, { restTimeoutMs: 150 });
    try {
      await expect(impatient.listInstruments()).rejects.toThrow(/bybit-linear: instrument list request failed: cannot reach http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      impatient.close();
    }
    // The books never depended on REST.
    fake.slowRest(0);
    await expectBooksMatchFake();
  });
});
