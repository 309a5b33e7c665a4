/**
 * Trades in the store: the `trades` table (migration 2, also on a database written before it), the
 * writer and its batches shared with top of book, the named query, duplicates, failures (full disk,
 * a folder that cannot be written, a full queue), retention by age and by size, and the app's wiring
 * (the market's prints recorded, a capture replayed in the app not). The venue adapters do not emit
 * prints yet, so prints are hand-made and pushed through the same listener the adapters are given.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger, type Logger } from '../../../../src/main/log';
import { Store } from '../../../../src/main/store/client/store';
import type { FromWriter, StoredTrade } from '../../../../src/main/store/protocol';
import { RetentionRun } from '../../../../src/main/store/worker/retention';
import { LATEST_VERSION, MIGRATIONS, migrate, schemaVersion } from '../../../../src/main/store/worker/schema';
import { StoreWriter } from '../../../../src/main/store/worker/writer';
import { WriterLoop } from '../../../../src/main/store/worker/writer-loop';
import type { SymbolFeed } from '../../../../src/main/venues/symbol-feed';
import type { ServerMessage } from '../../../../src/shared/contract';
import { createContractClient } from '../../../../src/shared/contract-client';
import type { Trade } from '../../../../src/shared/market';
import { capture } from '../../../support/paths';

const dir = mkdtempSync(join(tmpdir(), 'obm-trades-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_700_000_000_000;

function trade(i: number, over: Partial<Trade> = {}): Trade {
  return {
    venue: 'demo',
    symbol: 'BTCUSDT',
    id: `x-${i}`,
    price: `${100 + i}.50`,
    size: '0.00000100',
    side: (['buy', 'sell', 'unknown'] as const)[i % 3]!,
    exchangeTs: T0 + i + 0.125,
    localTs: T0 + 5 + i,
    ...over,
  };
}

/** The print as the store gives it back (the contract's TradePrint). */
function stored(t: Trade): StoredTrade {
  return { id: t.id, price: t.price, size: t.size, side: t.side, exchangeTs: t.exchangeTs, localTs: t.localTs, ...(t.fills && t.fills > 1 ? { fills: t.fills } : {}) };
}

function flatTrades(trades: Trade[]): Array<string | number | null> {
  return trades.flatMap((t) => [t.venue, t.symbol, t.exchangeTs, t.localTs, t.id, t.price, t.size, t.side, t.fills ?? null]);
}

function flatTop(i: number): Array<string | number | null> {
  return ['demo', 'BTCUSDT', T0 + i, T0 + 5 + i, `${100 + i}.25`, '1', `${101 + i}.25`, '2'];
}

function tradeIds(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT trade_id FROM trades ORDER BY id').all() as Array<{ trade_id: string }>).map((r) => r.trade_id);
  } finally {
    db.close();
  }
}

function capturingLogger(): Logger & { events: Array<{ level: string; event: string }> } {
  const events: Array<{ level: string; event: string }> = [];
  return { events, log: (level, event) => events.push({ level, event }) };
}

async function until<T>(get: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out; last: ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** What a venue adapter will do for each print: call onTrade on the listener its feeds were given. */
function emitTrade(feed: SymbolFeed, t: Trade): void {
  (feed as unknown as { listener: { onTrade(f: SymbolFeed, t: Trade): void } }).listener.onTrade(feed, t);
}

describe('trades table', () => {
  it('a database from before trades is upgraded step by step, its rows kept', () => {
    const path = join(dir, 'v1.db');
    const old = new Database(path);
    migrate(old, MIGRATIONS.slice(0, 1));
    old.prepare("INSERT INTO instruments (venue, symbol, first_seen_ts) VALUES ('demo', 'BTCUSDT', 1)").run();
    old.prepare("INSERT INTO top_of_book (instrument_id, local_ts, exchange_ts, bid, bid_size, ask, ask_size) VALUES (1, 10, 9, '1.5', '1', '1.6', '2')").run();
    expect(schemaVersion(old)).toBe(1);
    old.close();

    const writer = new StoreWriter(path);
    writer.open();
    expect(LATEST_VERSION).toBe(2);
    expect(schemaVersion(writer.db!)).toBe(2);
    expect(writer.counts).toMatchObject({ topOfBook: 1, trades: 0, instruments: 1 });
    const written = writer.write([{ tob: [], trades: flatTrades([trade(1), trade(2)]), alerts: [], feed: [], instruments: [] }], T0);
    expect(written).toBe(2);
    // The instrument from before is reused, not added again.
    expect(writer.counts).toMatchObject({ topOfBook: 1, trades: 2, instruments: 1 });
    expect(writer.trades({ venue: 'demo', symbol: 'BTCUSDT', from: 0, to: T0 * 2, limit: 10 }).rows).toEqual([stored(trade(1)), stored(trade(2))]);
    writer.close();
  });

  it('keeps every field exactly, answers the named query oldest first (or the newest N), and stores a resent print once', () => {
    const writer = new StoreWriter(join(dir, 'fields.db'));
    writer.open();
    const awkward = [
      trade(0, { id: '18446744073709551615', price: '0.00000100', size: '123456789.123456789', side: 'buy', fills: 4 }),
      trade(1, { id: null, price: '65000', size: '0.00000001', side: 'unknown' }),
      trade(2, { id: null, side: 'sell' }),
      trade(3, { id: 'f3c1d2a4-5b6e-4f70-8a91-b2c3d4e5f607', exchangeTs: T0 + 3.000999 }),
      trade(4, { venue: 'demo', symbol: 'ETHUSDT', id: '18446744073709551615' }),
    ];
    writer.write([{ tob: flatTop(0), trades: flatTrades(awkward), alerts: [], feed: [], instruments: [] }], T0);
    // Sent again after a reconnect (same ids): skipped; the id-less one is a new print.
    const again = writer.write([{ tob: [], trades: flatTrades([awkward[0]!, awkward[3]!, trade(9, { id: null })]), alerts: [], feed: [], instruments: [] }], T0);
    expect(again).toBe(1);
    expect(writer.counts.trades).toBe(6);

    const all = writer.trades({ venue: 'demo', symbol: 'BTCUSDT', from: 0, to: T0 * 2, limit: 100 });
    expect(all).toEqual({ venue: 'demo', symbol: 'BTCUSDT', truncated: false, rows: [...awkward.slice(0, 4), trade(9, { id: null })].map(stored) });
    // The same id on another symbol is another print.
    expect(writer.trades({ venue: 'demo', symbol: 'ETHUSDT', from: 0, to: T0 * 2, limit: 100 }).rows).toEqual([stored(awkward[4]!)]);
    // [from, to) by local time, a limit, and the newest instead of the oldest.
    const window = { venue: 'demo', symbol: 'BTCUSDT', from: T0 + 6, to: T0 + 15 };
    expect(writer.trades({ ...window, limit: 2 })).toMatchObject({ truncated: true, rows: [stored(awkward[1]!), stored(awkward[2]!)] });
    expect(writer.trades({ ...window, limit: 2, newest: true })).toMatchObject({ truncated: true, rows: [stored(awkward[3]!), stored(trade(9, { id: null }))] });
    expect(writer.trades({ venue: 'demo', symbol: 'NOPE', from: 0, to: 1, limit: 1 })).toEqual({ venue: 'demo', symbol: 'NOPE', rows: [], truncated: false });
    writer.close();
  });

  it('through the worker: trades travel in the same batches as top of book and count toward the same status', async () => {
    const store = new Store({ path: join(dir, 'worker.db'), exportsDir: join(dir, 'wx'), logger: nullLogger, flushRows: 1_000_000, flushMs: 1_000_000 });
    for (let i = 0; i < 50; i++) {
      store.recordTopOfBook({ venue: 'demo', symbol: 'BTCUSDT', exchangeTs: T0 + i, localTs: T0 + i, bid: '1', bidSize: '1', ask: '2', askSize: '1' });
      store.recordTrade(trade(i));
    }
    // Nothing posted yet (one batch for both, at flush).
    expect(store.status().queuedRows).toBe(100);
    await store.flush();
    const status = await store.fetchStatus();
    expect(status.rows).toMatchObject({ topOfBook: 50, trades: 50 });
    expect(status.committedRows).toBe(100);
    const range = await store.trades({ venue: 'demo', symbol: 'BTCUSDT', from: 0, to: T0 * 2, limit: 20_000 });
    expect(range.rows).toEqual(Array.from({ length: 50 }, (_, i) => stored(trade(i))));
    await store.close();
  });
});

describe('trades when the store fails', () => {
  it('a full disk: a batch of trades and top of book is kept, the failure reported, and both written once space is back', async () => {
    const path = join(dir, 'full.db');
    const posted: FromWriter[] = [];
    const loop = new WriterLoop({ path, retention: { days: null, maxBytes: null }, post: (m) => posted.push(m) });
    loop.start();
    const trades = (from: number, n: number) => flatTrades(Array.from({ length: n }, (_, k) => trade(from + k)));
    loop.onMessage({ t: 'write', seq: 1, tob: flatTop(0), trades: trades(0, 100), alerts: [], feed: [], instruments: [] });
    await until(() => posted.some((m) => m.t === 'committed' && m.seq === 1), Boolean);
    const pages = loop.writer.db!.pragma('page_count', { simple: true }) as number;
    loop.writer.db!.pragma(`max_page_count = ${pages}`);
    loop.onMessage({ t: 'write', seq: 2, tob: flatTop(1), trades: trades(100, 5000), alerts: [], feed: [], instruments: [] });
    const failure = await until(() => posted.find((m) => m.t === 'status' && m.status.state === 'failed'), Boolean);
    expect(failure?.t === 'status' && failure.status.message).toMatch(/disk full: cannot write .*full\.db; recording is paused/);
    expect(failure?.t === 'status' && failure.status.queuedRowsInWorker).toBe(5001);
    await until(() => posted.some((m) => m.t === 'committed' && m.seq === 2), Boolean);
    expect(loop.status()).toMatchObject({ state: 'ok', rows: { topOfBook: 2, trades: 5100 } });
    loop.close();
    expect(tradeIds(path)).toEqual(Array.from({ length: 5100 }, (_, i) => `x-${i}`));
  });

  it('a folder that cannot be written: trades wait in the queue, the overflow is dropped and counted, the rest written when it can', async () => {
    const parent = join(dir, 'blocked');
    writeFileSync(parent, 'a file where the folder should be');
    const logger = capturingLogger();
    const store = new Store({ path: join(parent, 'store.db'), exportsDir: join(dir, 'bx'), logger, maxQueuedRows: 50 });
    for (let i = 0; i < 30; i++) store.recordTopOfBook({ venue: 'demo', symbol: 'BTCUSDT', exchangeTs: null, localTs: T0 + i, bid: '1', bidSize: '1', ask: '2', askSize: '1' });
    for (let i = 0; i < 40; i++) store.recordTrade(trade(i));
    const failed = await until(() => store.status(), (s) => s.state === 'failed');
    expect(failed.queuedRows).toBe(50);
    expect(failed.droppedRows).toBe(20);
    expect(logger.events.some((e) => e.event === 'store-queue-full')).toBe(true);
    rmSync(parent);
    mkdirSync(parent);
    await store.flush();
    const after = await store.fetchStatus();
    expect(after.rows).toMatchObject({ topOfBook: 30, trades: 20 });
    expect(after.state).toBe('degraded');
    expect(after.message).toMatch(/^20 top-of-book and trade rows were dropped/);
    await store.close();
    expect(tradeIds(join(parent, 'store.db'))).toEqual(Array.from({ length: 20 }, (_, i) => `x-${i}`));
  });
});

describe('trades retention', () => {
  it('by age: trades older than the setting go, per instrument, newer ones stay', () => {
    const writer = new StoreWriter(join(dir, 'age.db'));
    writer.open();
    const now = T0 + 40 * 86_400_000;
    const old = Array.from({ length: 3000 }, (_, i) => trade(i, { symbol: i % 2 ? 'BTCUSDT' : 'ETHUSDT' }));
    const fresh = Array.from({ length: 10 }, (_, i) => trade(5000 + i, { localTs: now - 1000 + i }));
    writer.write([{ tob: [], trades: flatTrades([...old, ...fresh]), alerts: [], feed: [], instruments: [] }], now);
    const run = new RetentionRun(writer.db!, { days: 30, maxBytes: null }, now, 500);
    while (run.step());
    expect(run.deleted).toMatchObject({ trades: 3000, topOfBook: 0 });
    expect(tradeIds(join(dir, 'age.db'))).toEqual(fresh.map((t) => t.id));
    writer.close();
  });

  it('by size: the oldest rows of top of book and trades go first, whichever table holds them', () => {
    const path = join(dir, 'size.db');
    const writer = new StoreWriter(path);
    writer.open();
    // Interleaved in time: trades at even ms, top of book at odd ms.
    const n = 20_000;
    const trades: Trade[] = [];
    const tob: Array<string | number | null> = [];
    for (let i = 0; i < n; i++) {
      trades.push(trade(i, { localTs: T0 + 2 * i }));
      tob.push('demo', 'BTCUSDT', null, T0 + 2 * i + 1, `${100 + i}.25`, '1', `${101 + i}.25`, '2');
    }
    writer.write([{ tob, trades: flatTrades(trades), alerts: [], feed: [], instruments: [] }], T0);
    const db = writer.db!;
    const used = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
    const run = new RetentionRun(db, { days: null, maxBytes: Math.floor(used / 2) }, T0, 1000);
    while (run.step());
    expect(run.deleted.trades).toBeGreaterThan(n / 4);
    expect(run.deleted.topOfBook).toBeGreaterThan(n / 4);
    const oldest = (table: string) => (db.prepare(`SELECT min(local_ts) AS ts FROM ${table}`).get() as { ts: number }).ts;
    // Both tables were cut at about the same time (within one chunk of rows of each other).
    expect(Math.abs(oldest('trades') - oldest('top_of_book'))).toBeLessThanOrEqual(2 * 1000 + 1);
    writer.close();
  });
});

describe('the app records the market\'s prints', () => {
  let services: Services | undefined;
  afterEach(async () => {
    await services?.close();
    services = undefined;
  });

  it('live prints are recorded and queried through the contract; a capture replayed in the app reaches onTrade but is not recorded', async () => {
    const dataDir = join(dir, 'app');
    mkdirSync(join(dataDir, 'recordings'), { recursive: true });
    copyFileSync(capture('binance-spot_2021-10-12.capture.jsonl'), join(dataDir, 'recordings', 'spot.capture.jsonl'));
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, dataDir, tickMs: 50 });
    const s = services;
    const client = createContractClient({ send: (m) => conn.handle(JSON.parse(JSON.stringify(m))) });
    const conn = s.contract.connect({ send: (m) => client.receive(JSON.parse(JSON.stringify(m)) as ServerMessage) });
    const api = client.api;
    const seen: Array<{ feed: SymbolFeed; trade: Trade }> = [];
    s.market.onTrade((feed, t) => seen.push({ feed, trade: t }));

    const live = await s.market.ensure('demo', 'ETHUSDT');
    const mine = Array.from({ length: 5 }, (_, i) => trade(i, { symbol: 'ETHUSDT', id: `mine-${i}`, localTs: Date.now() }));
    for (const t of mine) emitTrade(live, t);
    expect(seen.filter((e) => e.trade.id?.startsWith('mine-'))).toHaveLength(5);
    const recorded = await until(
      () => api.invoke('store.trades', { venue: 'demo', symbol: 'ETHUSDT', from: 0, to: Date.now() + 60_000 }),
      (r) => r.rows.filter((t) => t.id?.startsWith('mine-')).length === 5,
    );
    expect(recorded.rows.filter((t) => t.id?.startsWith('mine-'))).toEqual(mine.map(stored));
    await expect(api.invoke('store.trades', { venue: 'demo', symbol: 'ETHUSDT', from: 5, to: 1 })).rejects.toThrow(/from must be before to/);

    // A replayed book's prints go through the replay's adapters to the same onTrade, not to the store.
    await api.invoke('replay.open', { name: 'spot.capture.jsonl', speed: 0 });
    await until(() => s.market.replayStatus().done, Boolean);
    const replayed = s.market.feed('binance-spot', 'NKNUSDT')!;
    expect(s.market.isReplayFeed(replayed)).toBe(true);
    emitTrade(replayed, trade(1, { venue: 'binance-spot', symbol: 'NKNUSDT', id: 'replayed-1' }));
    expect(seen.at(-1)).toEqual({ feed: replayed, trade: expect.objectContaining({ id: 'replayed-1' }) });
    emitTrade(live, trade(6, { symbol: 'ETHUSDT', id: 'mine-after', localTs: Date.now() }));
    await until(
      () => api.invoke('store.trades', { venue: 'demo', symbol: 'ETHUSDT', from: 0, to: Date.now() + 60_000 }),
      (r) => r.rows.some((t) => t.id === 'mine-after'),
    );
    const nkn = await api.invoke('store.trades', { venue: 'binance-spot', symbol: 'NKNUSDT', from: 0, to: Date.now() + 60_000 });
    expect(nkn.rows).toEqual([]);
  });
});

