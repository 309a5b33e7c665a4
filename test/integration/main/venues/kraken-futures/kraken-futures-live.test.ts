import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalDecimal } from '../../../../../src/shared/decimal';
import type { Trade } from '../../../../../src/shared/market';
import { createServices, type Services } from '../../../../../src/main/app/compose';
import { Recorder } from '../../../../../src/main/capture/recorder';
import { replayCapture } from '../../../../../src/main/capture/replay';
import { nullLogger, type Logger } from '../../../../../src/main/log';
import { createKrakenFuturesAdapter, type KrakenFuturesAdapter } from '../../../../../src/main/venues/kraken-futures/adapter';
import { LiveTransport } from '../../../../../src/main/venues/live-transport';
import type { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import { FakeKrakenFuturesExchange, type FakeKrakenFuturesOptions } from '../../../../fakes/kraken-futures-exchange';
import { expectBookMatchesTrueBook } from '../../../../support/books';
import { sleep, until } from '../../../../support/wait';

const XBT = 'PI_XBTUSD';
const ETH = 'PF_ETHUSD';

describe('Kraken Futures adapter against a fake exchange on 127.0.0.1', () => {
  let fake: FakeKrakenFuturesExchange;
  let adapter: KrakenFuturesAdapter;
  let events: Array<{ event: string; fields: Record<string, unknown> }>;
  let trades: Trade[];
  const logger: Logger = { log: (_level, event, fields = {}) => void events.push({ event, fields }) };
  const feed = (product: string): SymbolFeed => adapter.feed(product)!;
  const allSynced = () => [XBT, ETH].every((s) => adapter.feed(s)?.state === 'synced');

  async function setup(options: FakeKrakenFuturesOptions = {}, adapterOptions: { pingEveryMs?: number } = {}): Promise<void> {
    events = [];
    trades = [];
    fake = new FakeKrakenFuturesExchange({ stepMs: 15, ...options });
    await fake.start();
    adapter = createKrakenFuturesAdapter({
      endpoints: fake.endpoints,
      transport: new LiveTransport({ maxFrameBytes: 256 * 1024 }),
      logger,
      staleAfterMs: 600,
      snapshotTimeoutMs: 2000,
      restTimeoutMs: 500,
      pingEveryMs: adapterOptions.pingEveryMs ?? 100,
      listener: { onBook: () => {}, onState: () => {}, onTrade: (_feed, trade) => void trades.push(trade) },
    });
    // Lower case as a user might type it: the venue's data is upper case.
    adapter.subscribe(['pi_xbtusd', ETH]);
    await until(allSynced, 10_000, 'initial sync');
  }

  async function expectBooksMatchFake(): Promise<void> {
    for (const product of [XBT, ETH]) await expectBookMatchesTrueBook(fake, feed(product));
  }

  afterEach(async () => {
    adapter.close();
    await fake.stop();
  });

  it('syncs both books, follows every seq, and holds exactly the fake’s book', async () => {
    await setup();
    await until(() => feed(XBT).health.messages > 200 && feed(ETH).health.messages > 200, 10_000, 'deltas');
    for (const product of [XBT, ETH]) {
      expect(feed(product).health.gaps).toBe(0);
      expect(feed(product).health.resyncs).toBe(0);
    }
    // Quantities keep the venue's digits ("20000.0"), not a float's.
    expect(feed(XBT).book.bestBid()!.sizeText).toMatch(/\.0$/);
    await expectBooksMatchFake();
  });

  it('passes on the trade snapshot as history and live prints with the taker side; only live prints are counted', async () => {
    await setup();
    await until(() => trades.filter((t) => !t.history).length >= 4, 10_000, 'live trades');
    const history = trades.filter((t) => t.history);
    const live = trades.filter((t) => !t.history);
    for (const product of [XBT, ETH]) {
      // The snapshot holds what happened before the subscription, oldest first, below every live id.
      const ids = history.filter((t) => t.symbol === product).map((t) => Number(t.id));
      expect(ids.length, product).toBeGreaterThanOrEqual(3);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      for (const t of live.filter((x) => x.symbol === product)) expect(Number(t.id)).toBeGreaterThan(Math.max(...ids));
      expect(feed(product).health.trades, product).toBe(live.filter((t) => t.symbol === product).length);
      expect(feed(product).health.tradeDuplicates, product).toBe(0);
    }
    for (const t of live) {
      expect(t.venue).toBe('kraken-futures');
      expect(['buy', 'sell']).toContain(t.side);
      expect(Number(t.id)).toBeGreaterThan(5000);
      expect(t.localTs).toBeGreaterThan(0);
    }
    expect(live.some((t) => t.symbol === XBT && t.size.endsWith('.0'))).toBe(true);
  });

  it('detects a lost book message by seq, resubscribes that product and rebuilds', async () => {
    await setup();
    const before = fake.bookSubscribes.get(XBT)!;
    fake.dropNextDelta(XBT);
    await until(() => feed(XBT).health.gaps >= 1, 5000, 'gap detection');
    await until(() => feed(XBT).state === 'synced', 10_000, 'resync');
    expect(feed(XBT).health.gaps).toBe(1);
    expect(fake.bookSubscribes.get(XBT)).toBe(before + 1);
    expect(feed(XBT).health.reconnects).toBe(0);
    expect(feed(ETH).health.gaps).toBe(0);
    expect(fake.bookSubscribes.get(ETH)).toBe(1);
    await expectBooksMatchFake();
  });

  it('reconnects after the connection drops and subscribes everything again', async () => {
    await setup();
    fake.dropConnections();
    await until(() => feed(XBT).health.reconnects >= 1 && allSynced(), 15_000, 'reconnect');
    expect(fake.connections).toBeGreaterThanOrEqual(2);
    await expectBooksMatchFake();
  });

  it('treats a half-open connection as stale and reconnects', async () => {
    await setup();
    fake.goHalfOpen();
    await until(() => feed(XBT).health.reconnects >= 1 && allSynced(), 15_000, 'stale detection and reconnect');
    expect(events.some((e) => e.event === 'stale-feed')).toBe(true);
    await expectBooksMatchFake();
  });

  it('sends a protocol ping on schedule even while data flows', async () => {
    await setup({}, { pingEveryMs: 100 });
    await sleep(700);
    expect(adapter.protocol.pingsSent).toBeGreaterThanOrEqual(4);
    expect(fake.pings).toBeGreaterThanOrEqual(4);
    expect(feed(XBT).health.reconnects).toBe(0);
  });

  it('keeps a quiet connection alive on heartbeats', async () => {
    await setup({ heartbeatMs: 100 }, { pingEveryMs: 60_000 });
    // No book changes and no pongs: only the heartbeat feed speaks on this connection.
    fake.ignoreProtocolPings();
    fake.pause();
    await sleep(1500);
    fake.resume();
    expect(feed(XBT).health.reconnects).toBe(0);
    await expectBooksMatchFake();
  });

  it('skips a malformed frame (counted on its product) and survives an oversized one', async () => {
    await setup();
    fake.sendRaw('{"feed":"book","product_id":"PI_XBTUSD","side":"buy","seq":1,"price":321');
    await until(() => feed(XBT).health.malformed >= 1, 5000, 'malformed count');
    expect(feed(XBT).state).toBe('synced');
    expect(feed(ETH).health.malformed).toBe(0);
    await expectBooksMatchFake();
    fake.sendRaw(JSON.stringify({ feed: 'ticker', product_id: XBT, pad: 'x'.repeat(300 * 1024) }));
    await until(() => feed(XBT).health.reconnects >= 1 && allSynced(), 15_000, 'reconnect after oversized frame');
    await expectBooksMatchFake();
  });

  it('marks a product the venue refuses as failed, with the venue’s words, and keeps the others', async () => {
    await setup();
    adapter.subscribe(['PI_NOPEUSD']);
    await until(() => feed('PI_NOPEUSD').state === 'failed', 5000, 'refusal');
    expect(feed('PI_NOPEUSD').health.lastError).toBe('kraken-futures refused PI_NOPEUSD: Invalid product id');
    expect(allSynced()).toBe(true);
    // A later gap still resubscribes the right product.
    fake.dropNextDelta(ETH);
    await until(() => feed(ETH).health.gaps >= 1 && feed(ETH).state === 'synced', 10_000, 'resync after refusal');
    await expectBooksMatchFake();
  });

  it('lists instruments from REST (2021 and today’s shapes), and waits out HTTP 429', async () => {
    await setup();
    fake.rateLimitNext(1);
    const list = await adapter.listInstruments();
    expect(list.map((i) => i.symbol)).toEqual([XBT, ETH]);
    expect(list[0]).toMatchObject({ base: 'XBT', quote: 'USD', tickSize: '0.1', pricePrecision: 1, status: 'trading' });
    expect(list[1]).toMatchObject({ base: 'ETH', quote: 'USD', tickSize: '0.01', lotSize: '0.001' });
    expect(events.filter((e) => e.event === 'instruments-rate-limited')).toHaveLength(1);
  });
});

describe('Kraken Futures recording, replay and the offline instrument list', () => {
  let fake: FakeKrakenFuturesExchange | null = null;
  let services: Services | null = null;
  afterEach(async () => {
    await services?.close();
    await fake?.stop();
    services = null;
    fake = null;
  });

  it('records live traffic that replays to the same books, through a gap and a reconnect', async () => {
    fake = new FakeKrakenFuturesExchange({ stepMs: 15 });
    await fake.start();
    const f = fake;
    const path = join(mkdtempSync(join(tmpdir(), 'obm-krf-')), 'fake.capture.jsonl');
    const recorder = new Recorder({ venue: 'kraken-futures', symbols: [XBT, ETH], path, transport: new LiveTransport(), logger: nullLogger, endpoints: f.endpoints });
    const feeds = () => [...recorder.feeds()];
    const synced = () => feeds().length === 2 && feeds().every((x) => x.state === 'synced');
    await until(synced);
    f.dropNextDelta(XBT);
    await until(() => feeds().some((x) => x.health.gaps > 0) && synced(), 10_000, 'gap and resync');
    f.dropConnections();
    await until(() => feeds().some((x) => x.health.reconnects > 0) && synced(), 15_000, 'reconnect');
    await sleep(300);
    f.pause();
    await sleep(300);
    const levels = (x: SymbolFeed) => ({
      symbol: x.symbol,
      bids: [...x.book.levels('bid')].map((l) => [canonicalDecimal(l.price), l.sizeText]),
      asks: [...x.book.levels('ask')].map((l) => [canonicalDecimal(l.price), l.sizeText]),
    });
    const live = feeds().map(levels);
    const status = await recorder.stop();
    expect(status.error).toBeNull();

    const replayed: typeof live = [];
    const result = await replayCapture(path, { onEnd: (fs) => void replayed.push(...fs.map(levels)) });
    expect(result.corruptLines.count).toBe(0);
    expect(result.verify.gaps).toBe(1);
    expect(result.verify.sequenceChecked).toBe(result.verify.updatesChecked);
    expect(result.verify.sequenceChecked).toBeGreaterThan(100);
    for (const b of result.books) expect(b.state).toBe('synced');
    const bySymbol = (a: { symbol: string }, b: { symbol: string }) => a.symbol.localeCompare(b.symbol);
    expect(replayed.sort(bySymbol)).toEqual(live.sort(bySymbol));
    for (const l of live) expect(l.bids.map((x) => x[0])).toEqual(f.market.trueBook(l.symbol)!.bids.map((x) => canonicalDecimal(x[0])));
  });

  it('saves the instrument list and serves it when the venue is unreachable', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'obm-data-'));
    fake = new FakeKrakenFuturesExchange();
    await fake.start();
    const host = { name: 't', version: '1', host: 'web' as const };
    services = createServices({ venues: ['kraken-futures'], logger: nullLogger, host, dataDir, endpoints: { 'kraken-futures': fake.endpoints } });
    const online = (await services.contract.invoke('instruments.list', { venue: 'kraken-futures' })) as Array<{ symbol: string }>;
    expect(online.map((i) => i.symbol)).toEqual([XBT, ETH]);
    expect(existsSync(join(dataDir, 'instruments', 'kraken-futures.json'))).toBe(true);
    await services.close();
    const dead = { ws: `ws://127.0.0.1:${fake.port}/ws/v1`, rest: `http://127.0.0.1:${fake.port}` };
    await fake.stop();
    fake = null;
    services = createServices({ venues: ['kraken-futures'], logger: nullLogger, host, dataDir, endpoints: { 'kraken-futures': dead } });
    const offline = (await services.contract.invoke('instruments.list', { venue: 'kraken-futures' })) as Array<{ symbol: string }>;
    expect(offline.map((i) => i.symbol)).toEqual([XBT, ETH]);
  });
});
