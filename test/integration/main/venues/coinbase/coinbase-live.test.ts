import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../../src/main/capture/replay';
import { Recorder } from '../../../../../src/main/capture/recorder';
import { nullLogger } from '../../../../../src/main/log';
import { canonicalDecimal } from '../../../../../src/shared/decimal';
import type { Trade } from '../../../../../src/shared/market';
import type { Logger } from '../../../../../src/main/log';
import { createCoinbaseAdapter, type CoinbaseAdapter, type CoinbaseAdapterOptions } from '../../../../../src/main/venues/coinbase/adapter';
import { LiveTransport } from '../../../../../src/main/venues/live-transport';
import type { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import { FakeCoinbaseExchange, type FakeCoinbaseOptions } from '../../../../fakes/coinbase-exchange';
import { canonicalSide, expectBookMatchesTrueBook } from '../../../../support/books';
import { until } from '../../../../support/wait';

const CREDENTIALS = { key: 'test-key', secret: Buffer.from('fake exchange secret').toString('base64'), passphrase: 'pass phrase' };

describe('Coinbase Exchange adapter against a fake exchange on 127.0.0.1', () => {
  let fake: FakeCoinbaseExchange;
  let adapter: CoinbaseAdapter;
  let trades: Trade[] = [];
  let events: Array<{ event: string; fields: Record<string, unknown> }>;
  const logger: Logger = { log: (_level, event, fields = {}) => void events.push({ event, fields }) };

  async function setup(fakeOptions: FakeCoinbaseOptions = {}, adapterOptions: Partial<CoinbaseAdapterOptions> = {}, transport = new LiveTransport({ maxFrameBytes: 256 * 1024 })) {
    events = [];
    trades = [];
    fake = new FakeCoinbaseExchange({ stepMs: 20, heartbeatMs: 200, credentials: CREDENTIALS, ...fakeOptions });
    await fake.start();
    adapter = createCoinbaseAdapter({
      endpoints: fake.endpoints,
      transport,
      logger,
      staleAfterMs: 1500,
      heartbeatTimeoutMs: 1000,
      listener: { onBook: () => {}, onState: () => {}, onTrade: (_f, t) => void trades.push(t) },
      ...adapterOptions,
    });
    adapter.subscribe(['BTC-USD', 'ETH-USD']);
    await until(() => [...adapter.feeds()].every((f) => f.state === 'synced'), 10_000, 'initial sync');
    return adapter.feed('BTC-USD')!;
  }

  afterEach(async () => {
    adapter?.close();
    await fake?.stop();
  });

  it('subscribes at once to level2_batch, heartbeat, ticker and matches for both products in one message, and matches the true book', async () => {
    // A venue that drops clients not subscribed within 300 ms (Coinbase: 5 s) keeps this one.
    const feed = await setup({ subscribeDeadlineMs: 300 });
    const first = fake.received[0]!;
    expect(first).toEqual({ type: 'subscribe', product_ids: ['BTC-USD', 'ETH-USD'], channels: ['level2_batch', 'heartbeat', 'ticker', 'matches'] });
    expect(fake.channelsOf('BTC-USD')).toEqual(['level2_batch']);
    // level2_batch: tickers are probes that pass when the book shows their best bid and ask.
    await until(() => feed.health.bboOk >= 3, 10_000, 'ticker probes');
    expect(feed.health.bboFailed).toBe(0);
    expect(feed.health.resyncs).toBe(0);
    await expectBookMatchesTrueBook(fake, feed);
    await expectBookMatchesTrueBook(fake, adapter.feed('ETH-USD')!);
    expect(fake.connections).toBe(1);
  });

  it('streams matches as taker-side trades, counts lost trade ids, keeps last_match as history and drops matches resent after a reconnect', async () => {
    const feed = await setup();
    await until(() => feed.health.trades >= 5, 10_000, 'matches');
    const mine = (): Trade[] => trades.filter((t) => t.symbol === 'BTC-USD' && !t.history);
    const ids = mine().map((t) => Number(t.id));
    expect(ids.slice(1).every((id, i) => id === ids[i]! + 1)).toBe(true);
    expect(feed.health.tradeGaps).toBe(0);
    // The maker's side turned into the taker's: each print took size at the touch, none went through the book.
    expect(feed.health.tradeAnomalies).toBe(0);

    fake.injectTradeGap(4);
    await until(() => feed.health.tradeGaps === 1, 5000, 'trade gap');

    fake.resendMatchesOnSubscribe(5);
    fake.pause();
    const counted = feed.health.trades;
    fake.dropConnections();
    // After the reconnect: a last_match (seen already) and five matches sent again, all dropped.
    await until(() => feed.health.tradeDuplicates >= 6, 10_000, 'resent matches dropped');
    expect(feed.health.trades).toBe(counted);
    fake.resume();
    await until(() => feed.health.trades >= counted + 3, 10_000, 'matches again');
    expect(feed.health.tradeGaps).toBe(1);
    const seen = mine().map((t) => t.id);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('with an Exchange API key uses level2 (signed) and compares tickers exactly', async () => {
    const feed = await setup({}, { credentials: CREDENTIALS });
    expect(fake.channelsOf('BTC-USD')).toEqual(['level2']);
    const sub = fake.received.find((m) => m.type === 'subscribe')!;
    expect(sub).toMatchObject({ key: CREDENTIALS.key, passphrase: CREDENTIALS.passphrase, channels: ['level2', 'heartbeat', 'ticker', 'matches'] });
    await until(() => feed.health.bboOk >= 5, 10_000, 'exact ticker checks');
    expect(feed.health.bboFailed).toBe(0);
    await expectBookMatchesTrueBook(fake, feed);
  });

  it('falls back to level2_batch with a clear message when the key is rejected', async () => {
    const feed = await setup({}, { credentials: { ...CREDENTIALS, secret: Buffer.from('wrong').toString('base64') } });
    expect(fake.channelsOf('BTC-USD')).toEqual(['level2_batch']);
    expect(adapter.protocol.bookChannel).toBe('level2_batch');
    expect(feed.health.lastError).toMatch(/rejected the API key \(Authentication Failed\); using the public level2_batch feed/);
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
    // Heartbeats judged over a longer window than the connection's, so the stale watchdog acts first.
    const feed = await setup({}, { heartbeatTimeoutMs: 3000 });
    fake.goHalfOpen();
    await until(() => feed.health.reconnects >= 1 && feed.state === 'synced', 15_000, 'stale detection and reconnect');
    expect(events.some((e) => e.event === 'stale-feed')).toBe(true);
    await expectBookMatchesTrueBook(fake, feed);
  });

  it('resubscribes a product whose heartbeats stop, leaving the others alone', async () => {
    const feed = await setup();
    const eth = adapter.feed('ETH-USD')!;
    fake.withholdHeartbeats('BTC-USD');
    await until(() => events.some((e) => e.event === 'heartbeat-missing' && e.fields.symbol === 'BTC-USD'), 5000, 'missing heartbeat');
    await until(() => feed.state === 'synced' && feed.health.resyncs >= 1, 10_000, 'resubscribe and fresh snapshot');
    expect(fake.received.some((m) => m.type === 'unsubscribe' && JSON.stringify(m.product_ids) === '["BTC-USD"]')).toBe(true);
    expect(feed.health.reconnects).toBe(0);
    expect(eth.health.resyncs).toBe(0);
    await expectBookMatchesTrueBook(fake, feed);
  });

  it('reconnects when every product stops sending heartbeats at once', async () => {
    const feed = await setup();
    fake.withholdHeartbeats('BTC-USD');
    fake.withholdHeartbeats('ETH-USD');
    await until(() => feed.health.reconnects >= 1 && feed.state === 'synced', 15_000, 'reconnect');
    expect(events.some((e) => e.event === 'heartbeat-missing' && e.fields.action === 'reconnect')).toBe(true);
    expect(fake.connections).toBe(2);
    await expectBookMatchesTrueBook(fake, feed);
  });

  it('counts and skips a malformed frame, and survives an oversized one', async () => {
    const feed = await setup();
    fake.sendRaw('{"type":"l2update","product_id":"BTC-USD","changes":[["buy","1.00"');
    fake.sendRaw('{"type":"l2update","product_id":"BTC-USD","changes":[["hold","1.00","2"]],"time":"2024-01-01T00:00:00Z"}');
    await until(() => feed.health.malformed >= 2, 5000, 'malformed count');
    expect(feed.state).toBe('synced');
    expect(feed.health.resyncs).toBe(0);
    await expectBookMatchesTrueBook(fake, feed);
    fake.sendRaw(JSON.stringify({ type: 'status', products: 'x'.repeat(300 * 1024) }));
    await until(() => feed.health.reconnects >= 1 && feed.state === 'synced', 15_000, 'reconnect after oversized frame');
    await expectBookMatchesTrueBook(fake, feed);
  });

  it('surfaces an error message, and marks a product the venue refuses as failed while the others stream', async () => {
    const feed = await setup();
    fake.sendError('Failed to subscribe', 'rate limit exceeded');
    await until(() => feed.health.lastError === 'Coinbase error: Failed to subscribe: rate limit exceeded', 5000, 'error surfaced');
    expect(feed.state).toBe('synced');
    adapter.subscribe(['NOPE-USD']);
    const nope = adapter.feed('NOPE-USD')!;
    await until(() => nope.state === 'failed', 5000, 'refused product');
    expect(nope.health.lastError).toBe('NOPE-USD cannot be streamed from Coinbase: Failed to subscribe: NOPE-USD is not a valid product');
    expect(feed.state).toBe('synced');
    await expectBookMatchesTrueBook(fake, feed);
  });

  it('level2: a book that disagrees with two tickers in a row is rebuilt', async () => {
    const feed = await setup({}, { credentials: CREDENTIALS });
    const phantom = fake.plantPhantomBid('BTC-USD');
    await until(() => feed.health.resyncs >= 1, 10_000, 'divergence detected');
    expect(feed.health.bboFailed).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => e.event === 'bbo-mismatch' && String(e.fields.detail).includes(phantom))).toBe(true);
    await until(() => feed.state === 'synced', 10_000, 'rebuilt');
    await expectBookMatchesTrueBook(fake, feed);
    expect(canonicalSide(feed, 'bid').some(([p]) => p === canonicalDecimal(phantom))).toBe(false);
  });

  it('level2_batch: a book that has stopped agreeing with the tickers for 3 s is rebuilt, not sooner', async () => {
    const feed = await setup();
    const phantoms = [fake.plantPhantomBid('BTC-USD')];
    const planted = Date.now();
    // A phantom sits half a tick above the true best bid; once the fake market's bid moves past it the
    // book agrees with the tickers again and the 3 s start over. So every 200 ms a new phantom goes above
    // the current best bid, with a ticker of the true top, until the book is rebuilt: the book disagrees
    // with every ticker from the first phantom on, and detection is due at 3 s.
    const replant = setInterval(() => {
      if (feed.health.resyncs > 0) return;
      phantoms.push(fake.plantPhantomBid('BTC-USD'));
      fake.sendCurrentTicker('BTC-USD');
    }, 200);
    try {
      await until(() => feed.health.resyncs >= 1, 15_000, 'persistent divergence detected');
    } finally {
      clearInterval(replant);
    }
    expect(Date.now() - planted).toBeGreaterThanOrEqual(2800);
    expect(feed.health.bboFailed).toBe(1);
    expect(feed.health.lastError).toMatch(/best bid\/offer has disagreed with every ticker/);
    await until(() => feed.state === 'synced', 10_000, 'rebuilt');
    await expectBookMatchesTrueBook(fake, feed);
    const rebuiltBids = new Set(canonicalSide(feed, 'bid').map(([p]) => p));
    expect(phantoms.some((p) => rebuiltBids.has(canonicalDecimal(p)))).toBe(false);
  });

  it('lists instruments, waits out a slow REST answer, and reports HTTP 429 clearly', async () => {
    await setup();
    const list = await adapter.listInstruments();
    expect(list.find((i) => i.symbol === 'BTC-USD')).toMatchObject({ tickSize: '0.01', lotSize: '0.00000001', pricePrecision: 2, sizePrecision: 8, status: 'trading', display: 'BTC/USD' });
    expect(list.find((i) => i.symbol === 'OLD-USD')!.status).toBe('disabled');
    fake.slowRest(1200);
    const started = Date.now();
    const slow = await adapter.listInstruments();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1100);
    expect(slow).toHaveLength(3);
    // The feed kept streaming while REST was slow.
    expect(adapter.feed('BTC-USD')!.state).toBe('synced');
    fake.slowRest(0);
    fake.rateLimitNext(1);
    await expect(adapter.listInstruments()).rejects.toThrow(/rate limited \(HTTP 429\)/);
    expect(await adapter.listInstruments()).toHaveLength(3);
  });

  it('a recording through a heartbeat resubscribe replays to the same books', async () => {
    events = [];
    fake = new FakeCoinbaseExchange({ stepMs: 20, heartbeatMs: 200 });
    await fake.start();
    const path = join(mkdtempSync(join(tmpdir(), 'obm-cb-rec-')), 'coinbase.capture.jsonl');
    const recorder = new Recorder({ venue: 'coinbase', symbols: ['BTC-USD', 'ETH-USD'], path, transport: new LiveTransport(), logger: nullLogger, endpoints: fake.endpoints });
    const synced = () => [...recorder.feeds()].every((f) => f.state === 'synced');
    await until(synced, 10_000, 'recorder sync');
    await new Promise((r) => setTimeout(r, 300));
    fake.withholdHeartbeats('BTC-USD');
    await until(() => [...recorder.feeds()].some((f) => f.health.resyncs > 0) && synced(), 15_000, 'resubscribe');
    await new Promise((r) => setTimeout(r, 300));
    fake.pause();
    await new Promise((r) => setTimeout(r, 300));
    const levels = (f: SymbolFeed) => ({ symbol: f.symbol, bids: canonicalSide(f, 'bid'), asks: canonicalSide(f, 'ask') });
    const live = [...recorder.feeds()].map(levels);
    const status = await recorder.stop();
    expect(status.error).toBeNull();
    const replayed: typeof live = [];
    const result = await replayCapture(path, { onEnd: (feeds) => void replayed.push(...[...feeds].map(levels)) });
    expect(result.corruptLines.count).toBe(0);
    expect(result.unsupported).toEqual([]);
    expect(result.verify.bboFailed).toBe(0);
    expect(result.verify.crossed).toBe(0);
    expect(result.verify.bboOk).toBeGreaterThan(0);
    for (const b of result.books) expect(b.state).toBe('synced');
    const bySymbol = (a: { symbol: string }, b: { symbol: string }) => a.symbol.localeCompare(b.symbol);
    expect(replayed.sort(bySymbol)).toEqual(live.sort(bySymbol));
    for (const l of live) {
      const truth = fake.market.trueBook(l.symbol)!;
      expect(l.bids).toEqual(truth.bids.map(([p, q]) => [canonicalDecimal(p), canonicalDecimal(q)]));
    }
  });
});
