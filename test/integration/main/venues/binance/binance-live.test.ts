import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalDecimal } from '../../../../../src/shared/decimal';
import type { Trade } from '../../../../../src/shared/market';
import { nullLogger, type Logger } from '../../../../../src/main/log';
import { DEMO_REST, DEMO_WS, DemoTransport, demoVenue } from '../../../../../src/main/venues/demo';
import { BINANCE_SPOT, createBinanceAdapter, type BinanceAdapter } from '../../../../../src/main/venues/binance';
import { LiveTransport } from '../../../../../src/main/venues/live-transport';
import type { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import { FakeBinanceExchange } from '../../../../fakes/binance-exchange';
import { until } from '../../../../support/wait';

const SYMBOL = 'BTCUSDT';

/** Pause the fake, let the adapter catch up, and compare every level with the fake's true book. */
async function expectBookMatchesFake(fake: FakeBinanceExchange, feed: SymbolFeed): Promise<void> {
  fake.pause();
  const truth = fake.market.trueBook(SYMBOL)!;
  await until(() => feed.state === 'synced' && feed.book.version > 0 && lastId(feed) === truth.updateId, 10_000, 'adapter to catch up');
  const side = (s: 'bid' | 'ask') => [...feed.book.levels(s)].map((l) => [canonicalDecimal(l.price), canonicalDecimal(l.sizeText)]);
  const canon = (levels: [string, string][]) => levels.map(([p, q]) => [canonicalDecimal(p), canonicalDecimal(q)]);
  expect(side('bid')).toEqual(canon(truth.bids));
  expect(side('ask')).toEqual(canon(truth.asks));
  fake.resume();
}

let lastIds = new WeakMap<SymbolFeed, number>();
function lastId(feed: SymbolFeed): number {
  return lastIds.get(feed) ?? -1;
}

describe('Binance adapter against a fake exchange on 127.0.0.1', () => {
  let fake: FakeBinanceExchange;
  let adapter: BinanceAdapter;
  let feed: SymbolFeed;
  let events: Array<{ event: string; fields: Record<string, unknown> }>;
  let trades: Trade[];
  const logger: Logger = { log: (_level, event, fields = {}) => void events.push({ event, fields }) };

  beforeEach(async () => {
    events = [];
    trades = [];
    fake = new FakeBinanceExchange({ stepMs: 15 });
    await fake.start();
    lastIds = new WeakMap();
    adapter = createBinanceAdapter({
      venue: 'binance-spot',
      market: BINANCE_SPOT,
      endpoints: fake.endpoints,
      transport: new LiveTransport({ maxFrameBytes: 256 * 1024 }),
      logger,
      staleAfterMs: 600,
      listener: {
        onBook: (f, event) => {
          if (event.seq !== undefined) lastIds.set(f, event.seq);
        },
        onState: () => {},
        onTrade: (_f, trade) => void trades.push(trade),
      },
    });
    adapter.subscribe([SYMBOL, 'ETHUSDT']);
    feed = adapter.feed(SYMBOL)!;
    await until(() => feed.state === 'synced', 10_000, 'initial sync');
  });

  afterEach(async () => {
    adapter.close();
    await fake.stop();
  });

  it('syncs, cross-checks bookTicker, and matches the true book', async () => {
    await until(() => feed.health.bboOk >= 3, 10_000, 'bookTicker checks');
    expect(feed.health.bboFailed).toBe(0);
    expect(adapter.feed('ETHUSDT')!.state).toBe('synced');
    await expectBookMatchesFake(fake, feed);
  });

  it('streams @trade prints on the book connection, counts lost trade ids and drops trades resent after a reconnect', async () => {
    await until(() => feed.health.trades >= 5, 10_000, 'trades');
    const mine = (): Trade[] => trades.filter((t) => t.symbol === SYMBOL);
    // Consecutive ids, the taker side from `m`, and nothing lost yet.
    const ids = mine().map((t) => Number(t.id));
    expect(ids.slice(1).every((id, i) => id === ids[i]! + 1)).toBe(true);
    expect(mine().every((t) => t.side === 'buy' || t.side === 'sell')).toBe(true);
    expect(feed.health.tradeGaps).toBe(0);

    fake.injectTradeGap(3);
    await until(() => feed.health.tradeGaps === 1, 5000, 'trade gap counted');
    expect(feed.healthSnapshot(Date.now()).tradeGaps).toBe(1);

    // A reconnect: the venue sends the last trades again. Paused meanwhile, so no trade is lost on the way.
    fake.resendTradesOnConnect(5);
    fake.pause();
    const counted = feed.health.trades;
    const forwarded = mine().length;
    fake.dropConnections();
    await until(() => feed.health.tradeDuplicates >= 5, 10_000, 'resent trades seen');
    expect(feed.health.trades).toBe(counted);
    expect(mine().length).toBe(forwarded);
    fake.resume();
    await until(() => feed.health.trades >= counted + 5, 10_000, 'live trades again');
    expect(feed.health.tradeGaps).toBe(1);
    const seen = mine().map((t) => t.id);
    expect(new Set(seen).size).toBe(seen.length);
    // Every print took size at the touch: none went through a price the book still showed.
    expect(feed.health.tradeAnomalies).toBe(0);
  });

  it('recovers from a sequence gap', async () => {
    fake.injectGap(7);
    await until(() => feed.health.gaps >= 1, 5000, 'gap detection');
    await until(() => feed.state === 'synced', 10_000, 'resync');
    expect(feed.health.resyncs).toBeGreaterThanOrEqual(1);
    await expectBookMatchesFake(fake, feed);
  });

  it('reconnects after the connection drops', async () => {
    fake.dropConnections();
    await until(() => feed.health.reconnects >= 1 && feed.state === 'synced', 15_000, 'reconnect');
    expect(fake.connections).toBeGreaterThanOrEqual(2);
    await expectBookMatchesFake(fake, feed);
  });

  it('treats a half-open connection as stale and reconnects', async () => {
    fake.goHalfOpen();
    await until(() => feed.health.reconnects >= 1 && feed.state === 'synced', 15_000, 'stale detection and reconnect');
    await expectBookMatchesFake(fake, feed);
  });

  it('refetches a snapshot older than the buffered diffs', async () => {
    fake.serveStaleSnapshots(1);
    await new Promise((r) => setTimeout(r, 200));
    fake.injectGap(3);
    await until(() => feed.health.gaps >= 1, 5000, 'gap');
    await until(() => feed.state === 'synced', 15_000, 'resync after stale snapshot');
    expect(events.some((e) => e.event === 'snapshot-too-old' && e.fields.symbol === SYMBOL)).toBe(true);
    await expectBookMatchesFake(fake, feed);
  });

  it('backs off on HTTP 429 and still syncs', async () => {
    fake.rateLimitNext(2);
    fake.injectGap(3);
    await until(() => feed.health.gaps >= 1, 5000, 'gap');
    await until(() => feed.state === 'synced', 15_000, 'resync after rate limit');
    const limited = events.filter((e) => e.event === 'snapshot-failed' && String(e.fields.error).includes('429'));
    expect(limited.length).toBeGreaterThanOrEqual(1);
    // Retry-After: 1 is honoured.
    expect(limited[0]!.fields.retryMs).toBe(1000);
    await expectBookMatchesFake(fake, feed);
  });

  it('answers server pings with pongs, and a ping alone keeps a quiet connection alive', async () => {
    fake.goHalfOpen();
    // Pings but no data for longer than the stale window: still the same connection.
    for (let i = 0; i < 8; i++) {
      fake.pingClients();
      await new Promise((r) => setTimeout(r, 150));
    }
    await until(() => fake.pongs >= 8, 5000, 'pongs');
    expect(feed.health.reconnects).toBe(0);
  });

  it('keeps buffering through a slow snapshot and syncs when it arrives', async () => {
    fake.slowRest(1500);
    fake.injectGap(3);
    await until(() => feed.health.gaps >= 1, 5000, 'gap');
    await until(() => feed.health.bufferSize > 5, 5000, 'diffs buffering while the snapshot is slow');
    await until(() => feed.state === 'synced', 15_000, 'resync after slow snapshot');
    fake.slowRest(0);
    await expectBookMatchesFake(fake, feed);
  });

  it('skips a malformed frame and survives an oversized one', async () => {
    fake.sendRaw('{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate"');
    await until(() => feed.health.malformed >= 1, 5000, 'malformed count');
    expect(feed.state).toBe('synced');
    fake.sendRaw(JSON.stringify({ stream: 'btcusdt@trade', data: { pad: 'x'.repeat(300 * 1024) } }));
    await until(() => feed.health.reconnects >= 1 && feed.state === 'synced', 15_000, 'reconnect after oversized frame');
    await expectBookMatchesFake(fake, feed);
  });
});

describe('Binance-family adapters: symbols subscribed while the connection is still opening', () => {
  const listener = { onBook: () => {}, onState: () => {} };

  it('fake exchange: each symbol asked for one by one right after start syncs', async () => {
    const fake = new FakeBinanceExchange({ stepMs: 15 });
    await fake.start();
    const adapter = createBinanceAdapter({ venue: 'binance-spot', market: BINANCE_SPOT, endpoints: fake.endpoints, transport: new LiveTransport(), logger: nullLogger, listener });
    try {
      for (const symbol of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) adapter.subscribe([symbol]);
      expect(fake.connections).toBe(0);
      await until(() => [...adapter.feeds()].every((f) => f.state === 'synced'), 10_000, 'every symbol synced');
      expect(fake.connections).toBe(1);
    } finally {
      adapter.close();
      await fake.stop();
    }
  });

  it('demo venue: each symbol asked for one by one right after start syncs', async () => {
    const transport = new DemoTransport({ intervalMs: 20, seed: 3 });
    const adapter = demoVenue.createAdapter({ transport, logger: nullLogger, listener, endpoints: { ws: DEMO_WS, rest: DEMO_REST } });
    try {
      for (const symbol of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) adapter.subscribe([symbol]);
      await until(() => [...adapter.feeds()].every((f) => f.state === 'synced'), 10_000, 'every symbol synced');
    } finally {
      adapter.close();
      transport.close();
    }
  });
});

describe('Binance REST snapshots slower than the timeout', () => {
  it('retry with a growing timeout (capped, with jitter) until the snapshot arrives in time', async () => {
    const fake = new FakeBinanceExchange({ stepMs: 15 });
    await fake.start();
    const logged: Array<{ event: string; fields: Record<string, unknown> }> = [];
    const logger: Logger = { log: (_level, event, fields = {}) => void logged.push({ event, fields }) };
    const adapter = createBinanceAdapter({
      venue: 'binance-spot',
      market: BINANCE_SPOT,
      endpoints: fake.endpoints,
      transport: new LiveTransport(),
      logger,
      restTimeoutMs: 150,
      listener: { onBook: () => {}, onState: () => {} },
    });
    try {
      // Every answer takes 400 ms: with the 150 ms timeout kept, no snapshot would ever arrive.
      fake.slowRest(400);
      adapter.subscribe(['BTCUSDT']);
      await until(() => adapter.feed('BTCUSDT')!.state === 'synced', 15_000, 'sync through a slow REST');
      const timeouts = logged.filter((e) => e.event === 'snapshot-request').map((e) => e.fields.timeoutMs as number);
      expect(timeouts[0]).toBe(150);
      expect(timeouts.length).toBeGreaterThanOrEqual(2);
      // Each timeout in a row lengthens the next; the one that got through outlasted the delay.
      for (let i = 1; i < timeouts.length; i++) expect(timeouts[i]).toBeGreaterThanOrEqual(150);
      expect(timeouts.at(-1)).toBeGreaterThan(400);
      expect(Math.max(...timeouts)).toBeLessThanOrEqual(6 * 150);
      expect(logged.some((e) => e.event === 'snapshot-failed' && /timeout/i.test(String(e.fields.error)))).toBe(true);
    } finally {
      adapter.close();
      await fake.stop();
    }
  });
});

describe('Binance malformed frames that name no symbol', () => {
  it('are counted in the health of every symbol on that connection, and once for the venue', async () => {
    const fake = new FakeBinanceExchange({ stepMs: 15 });
    await fake.start();
    const adapter = createBinanceAdapter({ venue: 'binance-spot', market: BINANCE_SPOT, endpoints: fake.endpoints, transport: new LiveTransport(), logger: nullLogger, listener: { onBook: () => {}, onState: () => {} } });
    try {
      adapter.subscribe(['BTCUSDT', 'ETHUSDT']);
      await until(() => [...adapter.feeds()].every((f) => f.state === 'synced'), 10_000, 'initial sync');
      fake.sendRaw('{"not a frame" ');
      await until(() => adapter.unattributedMalformed === 1, 5000, 'venue count');
      for (const row of adapter.health()) {
        expect(row.malformed).toBe(1);
        expect(row.lastError).toMatch(/malformed frame \(naming no symbol\) skipped on this connection: frame is not valid JSON/);
        expect(row.state).toBe('synced');
      }
      // The symbol's own count stays for frames that named it; replay totals add the venue count once.
      expect(adapter.feed('BTCUSDT')!.health.malformed).toBe(0);
    } finally {
      adapter.close();
      await fake.stop();
    }
  });
});
