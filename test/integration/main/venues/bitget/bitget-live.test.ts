import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Recorder } from '../../../../../src/main/capture/recorder';
import { replayCapture } from '../../../../../src/main/capture/replay';
import { nullLogger, type Logger } from '../../../../../src/main/log';
import { createBitgetAdapter, type BitgetAdapter } from '../../../../../src/main/venues/bitget';
import { LiveTransport } from '../../../../../src/main/venues/live-transport';
import type { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import type { Trade } from '../../../../../src/shared/market';
import { FakeBitgetExchange, type FakeBitgetOptions } from '../../../../fakes/bitget-exchange';
import { expectHeldLevels, whilePaused } from '../../../../support/books';
import { sleep, until } from '../../../../support/wait';

/** The same instrument id on both markets: our symbols tell them apart. */
const SPOT = 'BTCUSDT';
const PERP = 'BTCUSDT_UMCBL';
const KEYS: Record<string, string> = { [SPOT]: 'SPOT/BTCUSDT', [PERP]: 'USDT-FUTURES/BTCUSDT' };

describe('Bitget adapter against a fake exchange on 127.0.0.1', () => {
  let fake: FakeBitgetExchange;
  let adapter: BitgetAdapter;
  let events: Array<{ event: string; fields: Record<string, unknown> }>;
  let trades: Array<{ feed: SymbolFeed; trade: Trade }>;
  const logger: Logger = { log: (_level, event, fields = {}) => void events.push({ event, fields }) };
  const feed = (symbol: string): SymbolFeed => adapter.feed(symbol)!;
  const allSynced = () => [SPOT, PERP].every((s) => adapter.feed(s)?.state === 'synced');

  async function setup(options: FakeBitgetOptions = {}): Promise<void> {
    events = [];
    trades = [];
    fake = new FakeBitgetExchange({ stepMs: 15, ...options });
    await fake.start();
    adapter = createBitgetAdapter({
      endpoints: fake.endpoints,
      transport: new LiveTransport({ maxFrameBytes: 256 * 1024 }),
      logger,
      staleAfterMs: 600,
      pingEveryMs: 150,
      snapshotTimeoutMs: 2000,
      restTimeoutMs: 500,
      listener: { onBook: () => {}, onState: () => {}, onTrade: (f, trade) => void trades.push({ feed: f, trade }) },
    });
    adapter.subscribe([SPOT, PERP]);
    await until(allSynced, 10_000, 'initial sync');
  }

  /** Pause the fake, let the adapter catch up, and compare every level of both books with the true books. */
  async function expectBooksMatchFake(): Promise<void> {
    await whilePaused(fake, async () => {
      for (const symbol of [SPOT, PERP]) await expectHeldLevels(feed(symbol), () => fake.book(KEYS[symbol]!), `${symbol} to match the fake`);
    });
  }

  afterEach(async () => {
    adapter.close();
    await fake.stop();
  });

  it('keeps the spot and the perpetual book apart, on two connections, verifying every checksum', async () => {
    await setup();
    await until(() => feed(SPOT).health.checksumOk >= 30 && feed(PERP).health.checksumOk >= 30, 10_000, 'checksums');
    for (const symbol of [SPOT, PERP]) {
      expect(feed(symbol).health.checksumFailed).toBe(0);
      expect(feed(symbol).health.gaps).toBe(0);
    }
    expect(fake.connections).toBe(2);
    // Two different books under one instrument id.
    expect(feed(SPOT).book.bestBid()!.price).not.toBe(feed(PERP).book.bestBid()!.price);
    await expectBooksMatchFake();
  });

  it('passes live trades to the feed listener and marks the subscribe snapshot as history, kept out of the counts', async () => {
    await setup({ tradeEverySteps: 3 });
    await until(() => (fake.liveTrades.get(KEYS[PERP]!)?.length ?? 0) >= 5, 5000, 'live trades');
    await sleep(100);
    for (const symbol of [SPOT, PERP]) {
      const mine = trades.filter((t) => t.feed.symbol === symbol).map((t) => t.trade);
      expect(mine.filter((t) => t.history).length).toBe(3);
      const live = mine.filter((t) => !t.history);
      const sent = fake.liveTrades.get(KEYS[symbol]!)!;
      // Every live trade the fake pushed so far, in order (the last may still be in flight).
      expect(live.map((t) => t.id)).toEqual(sent.slice(0, live.length).map((t) => t.tradeId));
      expect(live.length).toBeGreaterThanOrEqual(sent.length - 1);
      expect(live[0]).toMatchObject({ venue: 'bitget', symbol, price: sent[0]!.price, size: sent[0]!.size, side: sent[0]!.side });
      // The feed counts the live trades only, once each.
      expect(feed(symbol).health.trades).toBe(live.length);
      expect(feed(symbol).health.tradeDuplicates).toBe(0);
    }
  });

  it('a lost update is caught by the next message (its checksum, or the crossed book it leaves): that book alone is rebuilt', async () => {
    await setup();
    const before = fake.bookSubscribes.get(KEYS[SPOT]!)!;
    fake.dropNextTopUpdate(KEYS[SPOT]!);
    await until(() => feed(SPOT).health.resyncs >= 1, 5000, 'detection');
    // Which check fires first depends on the lost levels: a moved touch crosses the book before the checksum is read.
    expect(feed(SPOT).health.checksumFailed + feed(SPOT).health.crossed).toBe(1);
    await until(() => feed(SPOT).state === 'synced', 10_000, 'resync');
    expect(fake.bookSubscribes.get(KEYS[SPOT]!)).toBe(before + 1);
    expect(feed(SPOT).health.reconnects).toBe(0);
    expect(feed(PERP).health.resyncs).toBe(0);
    await expectBooksMatchFake();
  });

  it('counts a corrupted checksum, resubscribes and rebuilds', async () => {
    await setup();
    fake.corruptNextChecksum(KEYS[PERP]!);
    await until(() => feed(PERP).health.checksumFailed >= 1, 5000, 'checksum failure');
    await until(() => feed(PERP).state === 'synced', 10_000, 'resync');
    expect(feed(PERP).health.checksumFailed).toBe(1);
    expect(feed(SPOT).health.checksumFailed).toBe(0);
    await expectBooksMatchFake();
  });

  it('a seq that does not increase is a break: counted as a gap, then rebuilt', async () => {
    await setup();
    fake.repeatNextSeq(KEYS[SPOT]!);
    await until(() => feed(SPOT).health.gaps >= 1, 5000, 'gap detection');
    await until(() => feed(SPOT).state === 'synced', 10_000, 'resync');
    expect(feed(SPOT).health.gaps).toBe(1);
    await expectBooksMatchFake();
  });

  it('reconnects both connections after they drop', async () => {
    await setup();
    fake.dropConnections();
    await until(() => feed(SPOT).health.reconnects >= 1 && feed(PERP).health.reconnects >= 1 && allSynced(), 15_000, 'reconnect');
    expect(fake.connections).toBeGreaterThanOrEqual(4);
    await expectBooksMatchFake();
  });

  it('treats a half-open connection as stale and reconnects', async () => {
    await setup();
    fake.goHalfOpen();
    await until(() => feed(SPOT).health.reconnects >= 1 && allSynced(), 15_000, 'stale detection and reconnect');
    expect(events.some((e) => e.event === 'stale-feed')).toBe(true);
    await expectBooksMatchFake();
  });

  it('keeps a quiet connection alive with text ping/pong, and goes stale without the pongs', async () => {
    await setup();
    // Only the text ping can keep these connections: no data, no protocol pongs.
    fake.ignoreProtocolPings();
    fake.pause();
    await sleep(1500);
    expect(fake.pings).toBeGreaterThanOrEqual(10);
    expect(feed(SPOT).health.reconnects).toBe(0);
    expect(feed(PERP).health.reconnects).toBe(0);
    fake.ignoreTextPings();
    await until(() => feed(SPOT).health.reconnects >= 1 && feed(PERP).health.reconnects >= 1, 5000, 'stale without pongs');
    fake.ignoreTextPings(false);
    fake.resume();
    await until(allSynced, 10_000, 'resync after reconnect');
    await expectBooksMatchFake();
  });

  it('skips a malformed frame and survives an oversized one', async () => {
    await setup();
    fake.sendRaw('{"action":"update","arg":{"instType":"SPOT","channel":"books","instId":"BTCUSDT"},"data":[{"asks":[["1"');
    await until(() => feed(SPOT).health.malformed >= 1, 5000, 'malformed count');
    expect(feed(SPOT).state).toBe('synced');
    fake.sendRaw(JSON.stringify({ action: 'update', arg: { instType: 'SPOT', channel: 'ticker', instId: 'BTCUSDT' }, data: [{ pad: 'x'.repeat(300 * 1024) }] }));
    await until(() => feed(SPOT).health.reconnects >= 1 && allSynced(), 15_000, 'reconnect after oversized frame');
    await expectBooksMatchFake();
  });

  it('lists spot pairs and USDT futures from REST v2', async () => {
    await setup();
    const list = await adapter.listInstruments();
    expect(list.map((i) => i.symbol).sort()).toEqual([SPOT, PERP, 'OLDUSDT']);
    expect(list.find((i) => i.symbol === SPOT)).toMatchObject({ display: 'BTC/USDT', tickSize: '0.01', lotSize: '0.0001', pricePrecision: 2, sizePrecision: 4, status: 'trading' });
    expect(list.find((i) => i.symbol === PERP)).toMatchObject({ display: 'BTC/USDT perpetual', tickSize: '0.1', lotSize: '0.001', status: 'trading' });
    expect(list.find((i) => i.symbol === 'OLDUSDT')!.status).toBe('offline');
  });

  it('waits out HTTP 429 on the instrument list', async () => {
    await setup();
    fake.rateLimitNext(1);
    const list = await adapter.listInstruments();
    expect(list).toHaveLength(3);
    expect(events.filter((e) => e.event === 'instruments-rate-limited')).toHaveLength(1);
  });

  it('reports a slow REST endpoint clearly and keeps streaming', async () => {
    await setup();
    fake.slowRest(1500);
    await expect(adapter.listInstruments()).rejects.toThrow(/bitget: cannot reach http:\/\/127\.0\.0\.1:\d+/);
    fake.slowRest(0);
    const okBefore = feed(SPOT).health.checksumOk;
    await until(() => feed(SPOT).health.checksumOk > okBefore + 5, 5000, 'more checksums');
  });

  it('marks an instrument the venue refuses as failed, with the venue’s reason', async () => {
    await setup();
    adapter.subscribe(['FOOUSDT_UMCBL']);
    await until(() => feed('FOOUSDT_UMCBL').state === 'failed', 5000, 'refusal');
    expect(feed('FOOUSDT_UMCBL').health.lastError).toMatch(/FOOUSDT doesn't exist.*30001/);
    expect(allSynced()).toBe(true);
  });

  it('records both markets and replays the recording to the same books, through a checksum failure', async () => {
    fake = new FakeBitgetExchange({ stepMs: 15 });
    await fake.start();
    const path = join(mkdtempSync(join(tmpdir(), 'obm-bitget-rec-')), 'fake.capture.jsonl');
    const recorder = new Recorder({ venue: 'bitget', symbols: [SPOT, PERP], path, transport: new LiveTransport(), logger: nullLogger, endpoints: fake.endpoints });
    // The adapter for afterEach: nothing subscribed, nothing to close but itself.
    adapter = createBitgetAdapter({ transport: new LiveTransport(), logger: nullLogger, listener: { onBook: () => {}, onState: () => {} } });
    const synced = () => [...recorder.feeds()].length === 2 && [...recorder.feeds()].every((f) => f.state === 'synced');
    await until(synced, 10_000, 'recorder sync');
    fake.corruptNextChecksum(KEYS[PERP]!);
    await until(() => [...recorder.feeds()].some((f) => f.health.checksumFailed > 0), 5000, 'checksum failure');
    await until(synced, 10_000, 'resync');
    await sleep(200);
    fake.pause();
    await sleep(300);
    const held = (f: SymbolFeed) => ({ symbol: f.symbol, bids: [...f.book.levels('bid')].map((l) => [l.price, l.sizeText]), asks: [...f.book.levels('ask')].map((l) => [l.price, l.sizeText]) });
    const live = [...recorder.feeds()].map(held);
    expect((await recorder.stop()).error).toBeNull();

    let replayed: Array<ReturnType<typeof held>> = [];
    const result = await replayCapture(path, { onEnd: (feeds) => void (replayed = feeds.map(held)) });
    expect(result.corruptLines.count).toBe(0);
    expect(result.malformedFrames).toBe(0);
    expect(result.verify.checksumFailed).toBe(1);
    expect(result.verify.resyncs).toBe(1);
    expect(result.verify.checksumOk).toBeGreaterThan(20);
    for (const b of result.books) expect(b.state).toBe('synced');
    expect(replayed.sort((a, b) => a.symbol.localeCompare(b.symbol))).toEqual(live.sort((a, b) => a.symbol.localeCompare(b.symbol)));
  });
});
