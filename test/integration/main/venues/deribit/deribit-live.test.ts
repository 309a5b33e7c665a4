import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../../src/main/log';
import { createDeribitAdapter, type DeribitAdapter } from '../../../../../src/main/venues/deribit/adapter';
import { LiveTransport } from '../../../../../src/main/venues/live-transport';
import type { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import type { Trade } from '../../../../../src/shared/market';
import { FakeDeribitExchange } from '../../../../fakes/deribit-exchange';
import { expectBookMatchesTrueBook } from '../../../../support/books';
import { sleep, until } from '../../../../support/wait';

const PERP = 'BTC-PERPETUAL';
const OPTION = 'ETH-27JUN25-4000-C';

describe('Deribit adapter against a fake exchange on 127.0.0.1', () => {
  let fake: FakeDeribitExchange;
  let adapter: DeribitAdapter;
  let events: Array<{ event: string; fields: Record<string, unknown> }>;
  /** Every trade the feeds passed to the listener, with the feed that passed it. */
  let trades: Array<{ feed: SymbolFeed; trade: Trade }>;
  const logger: Logger = { log: (_level, event, fields = {}) => void events.push({ event, fields }) };
  const feed = (instrument: string): SymbolFeed => adapter.feed(instrument)!;
  const allSynced = () => [PERP, OPTION].every((s) => adapter.feed(s)?.state === 'synced');

  async function setup(symbols: string[] = [PERP, OPTION]): Promise<void> {
    events = [];
    trades = [];
    fake = new FakeDeribitExchange({ stepMs: 15 });
    await fake.start();
    adapter = createDeribitAdapter({
      endpoints: fake.endpoints,
      transport: new LiveTransport({ maxFrameBytes: 256 * 1024 }),
      logger,
      staleAfterMs: 600,
      // The fake takes any interval; Deribit's least is 10 s.
      heartbeatSeconds: 0.15,
      snapshotTimeoutMs: 2000,
      restTimeoutMs: 500,
      listener: { onBook: () => {}, onState: () => {}, onTrade: (f, trade) => void trades.push({ feed: f, trade }) },
    });
    adapter.subscribe(symbols);
    await until(allSynced, 10_000, 'initial sync');
  }

  async function expectBooksMatchFake(): Promise<void> {
    for (const instrument of [PERP, OPTION]) await expectBookMatchesTrueBook(fake, feed(instrument));
  }

  afterEach(async () => {
    adapter.close();
    await fake.stop();
  });

  it('syncs a perpetual and an option, follows prev_change_id on every change, and matches the true book', async () => {
    await setup();
    const changes = (s: string) => feed(s).health.messages;
    await until(() => changes(PERP) > 40 && changes(OPTION) > 40, 10_000, 'changes');
    for (const instrument of [PERP, OPTION]) {
      expect(feed(instrument).health.gaps).toBe(0);
      expect(feed(instrument).health.resyncs).toBe(0);
      expect(feed(instrument).health.crossed).toBe(0);
    }
    await expectBooksMatchFake();
  });

  it('detects a lost change by prev_change_id, resubscribes that book only and rebuilds', async () => {
    await setup();
    const before = fake.bookSubscribes.get(PERP)!;
    fake.dropNextChange(PERP);
    await until(() => feed(PERP).health.gaps >= 1, 5000, 'gap detection');
    await until(() => feed(PERP).state === 'synced', 10_000, 'resync');
    expect(feed(PERP).health.gaps).toBe(1);
    expect(fake.bookSubscribes.get(PERP)).toBe(before + 1);
    expect(feed(PERP).health.reconnects).toBe(0);
    expect(feed(OPTION).health.gaps).toBe(0);
    await expectBooksMatchFake();
  });

  it('answers every test_request, so a quiet connection stays up', async () => {
    await setup();
    fake.pause();
    await sleep(1500);
    fake.resume();
    expect(fake.testRequestsSent).toBeGreaterThanOrEqual(5);
    // The last one may still be on its way.
    expect(fake.testsAnswered).toBeGreaterThanOrEqual(fake.testRequestsSent - 1);
    expect(fake.closedForSilence).toBe(0);
    expect(feed(PERP).health.reconnects).toBe(0);
    await expectBooksMatchFake();
  });

  it('reconnects after the connection drops and rebuilds both books', async () => {
    await setup();
    fake.dropConnections();
    await until(() => feed(PERP).health.reconnects >= 1 && allSynced(), 15_000, 'reconnect');
    expect(fake.connections).toBeGreaterThanOrEqual(2);
    await expectBooksMatchFake();
  });

  it('treats a half-open connection as stale and reconnects', async () => {
    await setup();
    fake.goHalfOpen();
    await until(() => feed(PERP).health.reconnects >= 1 && allSynced(), 15_000, 'stale detection and reconnect');
    expect(events.some((e) => e.event === 'stale-feed')).toBe(true);
    await expectBooksMatchFake();
  });

  it('skips a malformed frame, counts it on its book, and survives an oversized one', async () => {
    await setup();
    fake.sendRaw('{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.BTC-PERPETUAL.100ms","data":{"type":"change","bids":[["new"');
    await until(() => feed(PERP).health.malformed >= 1, 5000, 'malformed count');
    expect(feed(PERP).state).toBe('synced');
    expect(feed(OPTION).health.malformed).toBe(0);
    fake.sendRaw(JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel: 'ticker.BTC-PERPETUAL.100ms', data: { pad: 'x'.repeat(300 * 1024) } } }));
    await until(() => feed(PERP).health.reconnects >= 1 && allSynced(), 15_000, 'reconnect after oversized frame');
    await expectBooksMatchFake();
  });

  it('passes trades to the feed listener with the taker side and exact prices, each counted on its instrument', async () => {
    await setup();
    await until(() => trades.length >= 5, 10_000, 'trades');
    for (const { feed: f, trade } of trades) {
      expect([PERP, OPTION]).toContain(trade.symbol);
      expect(f.symbol).toBe(trade.symbol);
      expect(['buy', 'sell']).toContain(trade.side);
      expect(trade.price).toMatch(/^\d+(\.\d+)?$/);
      expect(trade.history).toBeFalsy();
    }
    // Deribit sends no history on subscribe: every trade passed on is a counted live trade.
    const count = (s: string) => trades.filter((t) => t.trade.symbol === s).length;
    for (const instrument of [PERP, OPTION]) {
      expect(feed(instrument).health.trades).toBe(count(instrument));
      expect(feed(instrument).health.tradeDuplicates).toBe(0);
      if (count(instrument) > 0) expect(feed(instrument).tradeTotals().map((t) => t.stream)).toEqual(['trades']);
    }
  });

  it('marks an instrument Deribit leaves out of its subscribe answer as failed', async () => {
    await setup();
    adapter.subscribe(['BTC-1JAN99']);
    await until(() => feed('BTC-1JAN99').state === 'failed', 5000, 'refusal');
    expect(feed('BTC-1JAN99').health.lastError).toMatch(/did not subscribe book\.BTC-1JAN99\.100ms/);
    expect(allSynced()).toBe(true);
  });

  it('a malformed name fails the whole request: each book is asked for alone, and only the bad one fails', async () => {
    await setup([PERP, OPTION, 'BAD NAME']);
    await until(() => feed('BAD NAME').state === 'failed', 5000, 'refusal');
    expect(feed('BAD NAME').health.lastError).toMatch(/Invalid params.*-32602/);
    expect(allSynced()).toBe(true);
    await expectBooksMatchFake();
  });

  it('lists the perpetual and the option from REST', async () => {
    await setup();
    const list = await adapter.listInstruments();
    expect(list.map((i) => i.symbol)).toEqual([PERP, OPTION]);
    expect(list[0]).toMatchObject({ tickSize: '0.1', lotSize: '10', quote: 'USD', status: 'trading' });
    expect(list[1]).toMatchObject({ tickSize: '0.0001', pricePrecision: 4, quote: 'ETH' });
  });

  it('waits out HTTP 429 on the instrument list while the books stay in sync', async () => {
    await setup();
    fake.rateLimitNext(1);
    const list = await adapter.listInstruments();
    expect(list).toHaveLength(2);
    expect(events.filter((e) => e.event === 'instruments-rate-limited')).toHaveLength(1);
    await expectBooksMatchFake();
  });

  it('reports a slow REST endpoint clearly and keeps streaming', async () => {
    await setup();
    fake.slowRest(1500);
    await expect(adapter.listInstruments()).rejects.toThrow(/deribit: cannot reach http:\/\/127\.0\.0\.1:\d+/);
    fake.slowRest(0);
    await expectBooksMatchFake();
  });
});
