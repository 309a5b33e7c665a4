import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../../src/main/log';
import { createBitfinexAdapter, type BitfinexAdapter } from '../../../../../src/main/venues/bitfinex/adapter';
import { LiveTransport } from '../../../../../src/main/venues/live-transport';
import type { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import { canonicalDecimal } from '../../../../../src/shared/decimal';
import type { Trade } from '../../../../../src/shared/market';
import { FakeBitfinexExchange } from '../../../../fakes/bitfinex-exchange';
import { canonicalSide, whilePaused } from '../../../../support/books';
import { sleep, until } from '../../../../support/wait';

const BTC = 'tBTCUSD';
const SHIB = 'tSHIB:USD';
const LEN = 25;

describe('Bitfinex adapter against a fake exchange on 127.0.0.1', () => {
  let fake: FakeBitfinexExchange;
  let adapter: BitfinexAdapter;
  let events: Array<{ event: string; fields: Record<string, unknown> }>;
  /** Every trade the feeds passed to the listener, in order. */
  let tape: Trade[];
  const logger: Logger = { log: (_level, event, fields = {}) => void events.push({ event, fields }) };
  const feed = (symbol: string): SymbolFeed => adapter.feed(symbol)!;
  const allSynced = () => [BTC, SHIB].every((s) => adapter.feed(s)?.state === 'synced');

  async function setup(options: { checksums?: boolean } = {}): Promise<void> {
    events = [];
    tape = [];
    fake = new FakeBitfinexExchange({ stepMs: 15, heartbeatMs: 100 });
    await fake.start();
    adapter = createBitfinexAdapter({
      endpoints: fake.endpoints,
      transport: new LiveTransport({ maxFrameBytes: 256 * 1024 }),
      logger,
      depth: LEN,
      staleAfterMs: 600,
      snapshotTimeoutMs: 2000,
      restTimeoutMs: 500,
      listener: { onBook: () => {}, onState: () => {}, onTrade: (_feed, trade) => void tape.push(trade) },
      ...options,
    });
    adapter.subscribe([BTC, SHIB]);
    await until(allSynced, 10_000, 'initial sync');
  }

  /** Pause the fake, let the adapter catch up, and compare every level with the fake's window (canonical decimals). */
  async function expectBooksMatchFake(): Promise<void> {
    await whilePaused(fake, async () => {
      for (const symbol of [BTC, SHIB]) {
        const same = () => {
          const truth = fake.view(symbol, LEN);
          return feed(symbol).state === 'synced' && JSON.stringify(canonicalSide(feed(symbol), 'bid')) === JSON.stringify(truth.bids) && JSON.stringify(canonicalSide(feed(symbol), 'ask')) === JSON.stringify(truth.asks);
        };
        await until(same, 10_000, `${symbol} to match the fake`).catch(() => undefined);
        expect(feed(symbol).state).toBe('synced');
        expect(canonicalSide(feed(symbol), 'bid')).toEqual(fake.view(symbol, LEN).bids);
        expect(canonicalSide(feed(symbol), 'ask')).toEqual(fake.view(symbol, LEN).asks);
      }
    });
  }

  afterEach(async () => {
    adapter.close();
    await fake.stop();
  });

  it('asks for sequence numbers and checksums first, then verifies every checksum and follows the sequence', async () => {
    await setup();
    expect(fake.confs).toEqual([65536 + 131072]);
    await until(() => feed(BTC).health.checksumOk >= 30 && feed(SHIB).health.checksumOk >= 30, 10_000, 'checksums');
    for (const s of [BTC, SHIB]) {
      expect(feed(s).health.checksumFailed).toBe(0);
      expect(feed(s).health.gaps).toBe(0);
    }
    expect(adapter.protocol.sequence.checked).toBeGreaterThan(100);
    expect(adapter.protocol.sequence.gaps).toBe(0);
    // Prices below 1e-6 arrive as exponents (8.5e-7) and are kept as plain decimals.
    expect(feed(SHIB).book.bestBid()!.price).toMatch(/^0\.000000\d+$/);
    await expectBooksMatchFake();
  });

  it('a lost message breaks the connection sequence: every live book is rebuilt by resubscribing', async () => {
    await setup();
    const before = { btc: fake.bookSubscribes.get(BTC)!, shib: fake.bookSubscribes.get(SHIB)! };
    fake.loseNextMessage();
    await until(() => adapter.protocol.sequence.gaps >= 1, 5000, 'gap detection');
    await until(allSynced, 10_000, 'resync');
    expect(feed(BTC).health.gaps).toBe(1);
    expect(feed(SHIB).health.gaps).toBe(1);
    expect(fake.bookSubscribes.get(BTC)).toBe(before.btc + 1);
    expect(fake.bookSubscribes.get(SHIB)).toBe(before.shib + 1);
    expect(feed(BTC).health.reconnects).toBe(0);
    await expectBooksMatchFake();
  });

  it('a sequence number that goes back is a break too', async () => {
    await setup();
    fake.repeatSequence();
    await until(() => adapter.protocol.sequence.backwards >= 1, 5000, 'backwards detection');
    await until(allSynced, 10_000, 'resync');
    expect(feed(BTC).health.gaps).toBe(1);
    await expectBooksMatchFake();
  });

  it('counts a wrong checksum, resubscribes that book only and rebuilds it', async () => {
    await setup();
    const before = fake.bookSubscribes.get(BTC)!;
    fake.corruptNextChecksum(SHIB);
    await until(() => feed(SHIB).health.checksumFailed >= 1, 5000, 'checksum failure');
    await until(() => feed(SHIB).state === 'synced', 10_000, 'resync');
    expect(feed(SHIB).health.checksumFailed).toBe(1);
    expect(feed(BTC).health.checksumFailed).toBe(0);
    expect(fake.bookSubscribes.get(BTC)).toBe(before);
    await expectBooksMatchFake();
  });

  it('without checksums asked for, only the sequence guards the books', async () => {
    await setup({ checksums: false });
    expect(fake.confs).toEqual([65536]);
    await sleep(300);
    expect(feed(BTC).health.checksumOk).toBe(0);
    expect(adapter.protocol.sequence.checked).toBeGreaterThan(10);
    await expectBooksMatchFake();
  });

  it('counts te trades once (tu ignored), keeps the subscribe snapshot as history, sides from the sign', async () => {
    await setup();
    await until(() => (fake.tradesSent.get(BTC)?.length ?? 0) >= 5, 10_000, 'trades');
    await whilePaused(fake, async () => {
      const live = () => tape.filter((t) => !t.history && t.symbol === BTC);
      await until(() => live().length === fake.tradesSent.get(BTC)!.length, 5000, 'tape to catch up');
      const sent = fake.tradesSent.get(BTC)!;
      expect(live().map((t) => [t.id, t.side, t.size, t.price])).toEqual(
        sent.map((t) => [String(t.id), t.amount.startsWith('-') ? 'sell' : 'buy', canonicalDecimal(t.amount.replace('-', '')), t.price]),
      );
      // The feed counts each live trade once; the subscribe snapshot is not counted.
      expect(feed(BTC).health.trades).toBe(sent.length);
      expect(feed(BTC).health.tradeDuplicates).toBe(0);
    });
    // A second subscription of the trades channel starts with the latest trades, as history.
    adapter.close();
    tape = [];
    adapter = createBitfinexAdapter({
      endpoints: fake.endpoints,
      transport: new LiveTransport(),
      logger,
      listener: { onBook: () => {}, onState: () => {}, onTrade: (_feed, trade) => void tape.push(trade) },
    });
    adapter.subscribe([BTC]);
    // The snapshot is one message: when its first trade is in, all of it is.
    await until(() => tape.length > 0, 5000, 'trade snapshot');
    const history = tape.filter((t) => t.history);
    expect(history.length).toBeGreaterThan(0);
    expect(tape.slice(0, history.length).every((t) => t.history === true)).toBe(true);
    expect(feed(BTC).health.trades).toBe(tape.length - history.length);
  });

  it('reconnects after the connection drops, with a fresh sequence', async () => {
    await setup();
    fake.dropConnections();
    await until(() => feed(BTC).health.reconnects >= 1 && allSynced(), 15_000, 'reconnect');
    expect(fake.connections).toBe(2);
    expect(fake.confs).toHaveLength(2);
    expect(adapter.protocol.sequence.gaps + adapter.protocol.sequence.backwards).toBe(0);
    await expectBooksMatchFake();
  });

  it('reconnects when Bitfinex announces a restart (info 20051)', async () => {
    await setup();
    fake.announceRestart();
    await until(() => feed(BTC).health.reconnects >= 1 && allSynced(), 15_000, 'reconnect');
    await expectBooksMatchFake();
  });

  it('treats a half-open connection as stale and reconnects', async () => {
    await setup();
    fake.goHalfOpen();
    await until(() => feed(BTC).health.reconnects >= 1 && allSynced(), 15_000, 'stale detection and reconnect');
    expect(events.some((e) => e.event === 'stale-feed')).toBe(true);
    await expectBooksMatchFake();
  });

  it('heartbeats keep a quiet connection alive', async () => {
    await setup();
    fake.pause();
    await sleep(1500);
    fake.resume();
    expect(feed(BTC).health.reconnects).toBe(0);
    await expectBooksMatchFake();
  });

  it('skips a malformed frame and survives an oversized one', async () => {
    await setup();
    // A channel id the adapter does not know: the frame names no symbol.
    fake.sendRaw('[5,[1,');
    await until(() => adapter.unattributedMalformed >= 1, 5000, 'malformed count');
    expect(allSynced()).toBe(true);
    fake.sendRaw(JSON.stringify([1, 'x'.repeat(300 * 1024)]));
    await until(() => feed(BTC).health.reconnects >= 1 && allSynced(), 15_000, 'reconnect after oversized frame');
    await expectBooksMatchFake();
  });

  it('lists the pairs from REST', async () => {
    await setup();
    const list = await adapter.listInstruments();
    expect(list.map((i) => [i.symbol, i.display])).toEqual([
      [BTC, 'BTC/USD'],
      [SHIB, 'SHIB/USD'],
    ]);
  });

  it('waits out HTTP 429 on the pair list', async () => {
    await setup();
    fake.rateLimitNext(1);
    expect(await adapter.listInstruments()).toHaveLength(2);
    expect(events.filter((e) => e.event === 'instruments-rate-limited')).toHaveLength(1);
  });

  it('marks a pair Bitfinex refuses as failed with the venue’s reason, and puts at most 12 pairs on a connection', async () => {
    await setup();
    const unknown = Array.from({ length: 11 }, (_, i) => `tFOO${i}USD`);
    adapter.subscribe(unknown);
    await until(() => unknown.every((s) => feed(s).state === 'failed'), 5000, 'refusals');
    expect(feed(unknown[0]!).health.lastError).toMatch(/bitfinex refused tFOO0USD \(book\): symbol: invalid \(code 10300\)/);
    expect(adapter.connectionCount).toBe(2);
    expect(allSynced()).toBe(true);
  });
});
