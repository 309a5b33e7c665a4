import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../../src/main/capture/replay';
import { Recorder } from '../../../../../src/main/capture/recorder';
import { nullLogger, type Logger } from '../../../../../src/main/log';
import { createHyperliquidAdapter, type HyperliquidAdapter } from '../../../../../src/main/venues/hyperliquid/adapter';
import { LiveTransport } from '../../../../../src/main/venues/live-transport';
import type { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import type { Trade } from '../../../../../src/shared/market';
import { FakeHyperliquidExchange, type FakeHyperliquidOptions } from '../../../../fakes/hyperliquid-exchange';
import { expectHeldLevels, heldLevels, whilePaused } from '../../../../support/books';
import { sleep, until } from '../../../../support/wait';

const COINS = ['BTC', 'ETH'];

describe('Hyperliquid adapter against a fake exchange on 127.0.0.1', () => {
  let fake: FakeHyperliquidExchange;
  let adapter: HyperliquidAdapter;
  let events: Array<{ event: string; fields: Record<string, unknown> }>;
  /** Every trade the feeds passed to the listener, with the feed that passed it. */
  let trades: Array<{ feed: SymbolFeed; trade: Trade }>;
  const logger: Logger = { log: (_level, event, fields = {}) => void events.push({ event, fields }) };
  const feed = (coin: string): SymbolFeed => adapter.feed(coin)!;
  const allSynced = () => COINS.every((c) => adapter.feed(c)?.state === 'synced');

  async function setup(options: FakeHyperliquidOptions = {}, pingEveryMs = 150): Promise<void> {
    events = [];
    trades = [];
    fake = new FakeHyperliquidExchange({ stepMs: 15, idleCloseMs: 400, ...options });
    await fake.start();
    adapter = createHyperliquidAdapter({
      endpoints: fake.endpoints,
      transport: new LiveTransport({ maxFrameBytes: 256 * 1024 }),
      logger,
      staleAfterMs: 600,
      pingEveryMs,
      restTimeoutMs: 500,
      listener: { onBook: () => {}, onState: () => {}, onTrade: (f, trade) => void trades.push({ feed: f, trade }) },
    });
    adapter.subscribe(COINS);
    await until(allSynced, 10_000, 'initial sync');
  }

  /** Pause the fake, let the adapter take its last frames, and compare every level with the true book. */
  async function expectBooksMatchFake(): Promise<void> {
    await whilePaused(fake, async () => {
      for (const coin of COINS) await expectHeldLevels(feed(coin), () => fake.book(coin), `${coin} to match the fake`);
    });
  }

  afterEach(async () => {
    adapter.close();
    await fake.stop();
  });

  it('keeps both books equal to the fake’s, checking every frame, and routes trades to their coin', async () => {
    await setup();
    await until(() => COINS.every((c) => feed(c).health.messages >= 30), 10_000, 'frames');
    for (const coin of COINS) {
      expect(feed(coin).health.gaps).toBe(0);
      expect(feed(coin).health.crossed).toBe(0);
      expect(feed(coin).health.malformed).toBe(0);
      expect(feed(coin).book.levelCount('bid')).toBe(20);
    }
    await until(() => trades.length >= 4, 5000, 'trades');
    for (const { feed: f, trade } of trades) expect(f.symbol).toBe(trade.symbol);
    // Hyperliquid marks no history: every trade is counted, on its own coin.
    for (const coin of COINS) expect(feed(coin).health.trades).toBe(trades.filter((t) => t.trade.symbol === coin).length);
    await expectBooksMatchFake();
  });

  it('counts a book whose time goes back as a gap, and the next frame rebuilds it', async () => {
    await setup();
    fake.sendTimeBackwards('BTC');
    await until(() => feed('BTC').health.gaps === 1, 5000, 'gap');
    await until(() => feed('BTC').state === 'synced', 5000, 'rebuilt');
    expect(feed('BTC').health.resyncs).toBe(1);
    expect(feed('ETH').health.gaps).toBe(0);
    expect(events.some((e) => e.event === 'gap' && e.fields.symbol === 'BTC')).toBe(true);
    await expectBooksMatchFake();
  });

  it('counts a crossed book, throws it away, and the next frame rebuilds it', async () => {
    await setup();
    fake.sendCrossedBook('ETH');
    await until(() => feed('ETH').health.crossed === 1, 5000, 'crossed');
    await until(() => feed('ETH').state === 'synced', 5000, 'rebuilt');
    expect(feed('ETH').health.resyncs).toBe(1);
    await expectBooksMatchFake();
  });

  it('skips a frame with bids out of order as malformed, keeping the book it held', async () => {
    await setup();
    fake.sendBidsOutOfOrder('BTC');
    await until(() => feed('BTC').health.malformed === 1, 5000, 'malformed');
    expect(feed('BTC').health.lastError).toMatch(/bids not strictly falling/);
    expect(feed('BTC').health.resyncs).toBe(0);
    // Until the next frame the book is the one before the bad frame; the next one is the truth again.
    const framesAfter = feed('BTC').health.messages;
    await until(() => feed('BTC').health.messages > framesAfter, 5000, 'the next frame');
    expect(feed('BTC').state).toBe('synced');
    await expectBooksMatchFake();
  });

  it('needs nothing after a lost frame: the next whole book is the truth', async () => {
    await setup();
    const before = feed('BTC').health.messages;
    fake.dropNextFrame('BTC');
    // Two frames received after asking: at least one came after the lost one.
    await until(() => feed('BTC').health.messages >= before + 2, 5000, 'frames after the lost one');
    expect(feed('BTC').health.gaps).toBe(0);
    await expectBooksMatchFake();
  });

  it('skips a malformed frame and survives an oversized one', async () => {
    await setup();
    fake.sendRaw('{"channel":"l2Book","data":{"coin":"ETH","time":1,"levels":[[{"px":"1"');
    await until(() => feed('ETH').health.malformed >= 1, 5000, 'malformed count');
    expect(feed('ETH').state).toBe('synced');
    fake.sendRaw(JSON.stringify({ channel: 'trades', data: [{ pad: 'x'.repeat(300 * 1024) }] }));
    await until(() => feed('BTC').health.reconnects >= 1 && allSynced(), 15_000, 'reconnect after oversized frame');
    await expectBooksMatchFake();
  });

  it('reconnects after the connection drops', async () => {
    await setup();
    fake.dropConnections();
    await until(() => feed('BTC').health.reconnects >= 1 && allSynced(), 15_000, 'reconnect');
    expect(fake.connections).toBeGreaterThanOrEqual(2);
    await expectBooksMatchFake();
  });

  it('treats a half-open connection as stale and reconnects', async () => {
    await setup();
    fake.goHalfOpen();
    await until(() => feed('BTC').health.reconnects >= 1 && allSynced(), 15_000, 'stale detection and reconnect');
    expect(events.some((e) => e.event === 'stale-feed')).toBe(true);
    await expectBooksMatchFake();
  });

  it('keeps a quiet connection alive with {"method":"ping"} (the venue closes one it hears nothing from)', async () => {
    await setup();
    fake.pause();
    await sleep(1500);
    fake.resume();
    expect(fake.pings).toBeGreaterThanOrEqual(5);
    expect(adapter.protocol.pongs).toBeGreaterThanOrEqual(5);
    expect(fake.idleClosed).toBe(0);
    expect(feed('BTC').health.reconnects).toBe(0);
    await expectBooksMatchFake();
  });

  it('without its pings the fake closes the connection as idle: the adapter reconnects', async () => {
    await setup({}, 60_000);
    await until(() => fake.idleClosed >= 1 && feed('BTC').health.reconnects >= 1 && allSynced(), 10_000, 'idle close and reconnect');
    await expectBooksMatchFake();
  });

  it('lists perpetuals with POST /info {"type":"meta"}', async () => {
    await setup();
    const list = await adapter.listInstruments();
    expect(fake.infoRequests).toEqual(['{"type":"meta"}']);
    expect(list.map((i) => i.symbol)).toEqual(['BTC', 'ETH', 'OLD']);
    expect(list[0]).toMatchObject({ display: 'BTC-PERP', quote: 'USDC', lotSize: '0.00001', pricePrecision: 1, status: 'trading' });
    expect(list[2]!.status).toBe('delisted');
  });

  it('waits out HTTP 429 on the instrument list while the books stay in sync', async () => {
    await setup();
    fake.rateLimitNext(1);
    const list = await adapter.listInstruments();
    expect(list).toHaveLength(3);
    expect(events.filter((e) => e.event === 'instruments-rate-limited').map((e) => e.fields.retryMs)).toEqual([1000]);
    await expectBooksMatchFake();
  });

  it('reports a slow REST endpoint clearly and keeps streaming', async () => {
    await setup();
    fake.slowRest(1500);
    await expect(adapter.listInstruments()).rejects.toThrow(/hyperliquid: cannot reach http:\/\/127\.0\.0\.1:\d+/);
    fake.slowRest(0);
    await expectBooksMatchFake();
  });

  it('marks a coin the venue refuses as failed, with the venue’s reason', async () => {
    await setup();
    adapter.subscribe(['NOPE']);
    await until(() => feed('NOPE').state === 'failed', 5000, 'refusal');
    expect(feed('NOPE').health.lastError).toMatch(/hyperliquid refused NOPE: Invalid subscription/);
    expect(allSynced()).toBe(true);
  });
});

describe('Hyperliquid recording', () => {
  it('records the fake’s traffic, through a time fault and a reconnect, and replays it to the same books', async () => {
    const fake = new FakeHyperliquidExchange({ stepMs: 15 });
    await fake.start();
    try {
      const path = join(mkdtempSync(join(tmpdir(), 'obm-hl-rec-')), 'hyperliquid.capture.jsonl');
      const recorder = new Recorder({ venue: 'hyperliquid', symbols: COINS, path, transport: new LiveTransport(), logger: nullLogger, endpoints: fake.endpoints });
      const feeds = () => [...recorder.feeds()];
      const synced = () => feeds().length === 2 && feeds().every((f) => f.state === 'synced');
      await until(synced, 10_000, 'recorder synced');
      fake.sendTimeBackwards('ETH');
      await until(() => feeds().some((f) => f.health.gaps === 1) && synced(), 5000, 'gap recorded');
      fake.dropConnections();
      await until(() => feeds().every((f) => f.health.reconnects >= 1) && synced(), 15_000, 'reconnect recorded');
      // Record on for longer than the first reconnect back-off (at most 1 s): a replay reconnects on
      // its own back-off in recorded time, and needs recorded lines after it to get there.
      await sleep(1200);
      await whilePaused(fake, async () => {
        for (const f of feeds()) await expectHeldLevels(f, () => fake.book(f.symbol), `${f.symbol} recorded to the end`);
        const live = feeds().map((f) => ({ symbol: f.symbol, frames: f.health.messages, ...heldLevels(f) }));
        const status = await recorder.stop();
        expect(status.error).toBeNull();
        const replayed: typeof live = [];
        const r = await replayCapture(path, { onEnd: (fs) => fs.forEach((f) => replayed.push({ symbol: f.symbol, frames: f.health.messages, ...heldLevels(f) })) });
        // The same frames, the same books, the same fault.
        expect(replayed).toEqual(live);
        expect(r.verify.gaps).toBe(1);
        expect(r.verify.crossed).toBe(0);
        expect(r.verify.updatesChecked).toBeGreaterThan(0);
        expect(r.malformedFrames).toBe(0);
      });
    } finally {
      await fake.stop();
    }
  });
});
