/**
 * The candles a chart is sent: recorded trades read from the store, then the trade log, then live
 * trades, must add up to exactly the candles `npm run export -- --candles` writes for the same trades
 * (the real Binance ETHUSDT capture). The split between the three is made awkward on purpose: the log
 * has forgotten its oldest trades (one sharing a receive time with kept ones) and the store is read
 * in small pages that cut through trades of one receive time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CandleBuilder, tradeTime, type CandleInterval } from '../../../../src/main/analytics/candles';
import { candleCsvLine } from '../../../../src/main/analytics/candles-csv';
import { replayCapture } from '../../../../src/main/capture/replay';
import { exportCandles } from '../../../../src/main/cli/export-candles';
import { nullLogger } from '../../../../src/main/log';
import { CandleTradeLog } from '../../../../src/main/market/candle-trade-log';
import { candlesSource, readHistory } from '../../../../src/main/publish/views/candles';
import { Store } from '../../../../src/main/store/client/store';
import type { SymbolFeed } from '../../../../src/main/venues/symbol-feed';
import { parseCommandRequest, parseStreamParams, type CandleBar, type CandlesFrame } from '../../../../src/shared/contract';
import type { Trade } from '../../../../src/shared/market';
import { capture } from '../../../support/paths';
import { until } from '../../../support/wait';

const ETH = capture('binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl');
const dir = mkdtempSync(join(tmpdir(), 'obm-live-candles-'));

/** A market that emits the trades a test hands it, for one feed. */
class FakeMarket {
  private listeners = new Set<(feed: SymbolFeed, trade: Trade) => void>();
  onTrade(listener: (feed: SymbolFeed, trade: Trade) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  onReleased(): () => void {
    return () => {};
  }
  emit(feed: SymbolFeed, trade: Trade): void {
    for (const l of this.listeners) l(feed, trade);
  }
}

const feed = { venue: 'binance-usdm', symbol: 'ETHUSDT' } as unknown as SymbolFeed;
let trades: Trade[] = [];
let store: Store;
/** Trades 0..RECORDED-1 are in the store; the feed of this session starts at SESSION_START. */
const SESSION_START = 1500;
const RECORDED = 3000;

beforeAll(async () => {
  await replayCapture(ETH, { onTrade: (_f, t) => void trades.push(t) });
  // Receive times on a 10 ms clock: the capture's are all distinct, and several trades of one receive
  // time are what the store's pages and the log's edge must not split wrongly. Candles go by the
  // venue's trade time, so the expected candles stay those of the capture.
  trades = trades.filter((t) => !t.history).map((t) => ({ ...t, localTs: Math.floor(t.localTs / 10) * 10 }));
  store = new Store({ path: join(dir, 'eth.db'), exportsDir: join(dir, 'exports'), logger: nullLogger, retention: { days: null, maxBytes: null } });
  for (const t of trades.slice(0, RECORDED)) store.recordTrade(t);
  await store.flush();
}, 60_000);

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** CSV lines of the candles a chart holds after applying the frames. */
function chartLines(frames: CandlesFrame[]): string[] {
  const bars = new Map<number, CandleBar>();
  for (const f of frames) {
    if (f.reset) bars.clear();
    for (const c of f.candles) bars.set(c.t, c);
  }
  return [...bars.values()]
    .sort((a, b) => a.t - b.t)
    .map((c) => candleCsvLine({ start: c.t, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, buyVolume: c.buyVolume, sellVolume: c.sellVolume, trades: c.trades, vwap: c.vwap }));
}

async function exported(interval: CandleInterval): Promise<string[]> {
  const out = join(dir, `eth-${interval}.csv`);
  await exportCandles({ interval, capture: ETH, venue: 'binance-usdm', symbol: 'ETHUSDT', from: null, to: null, out });
  return readFileSync(out, 'utf8').split('\n').slice(1, -1).map((l) => `${l}\n`);
}

describe('live candles on the ETHUSDT capture', () => {
  it('has the README’s 4,029 trades to split', () => {
    expect(trades).toHaveLength(4029);
  });

  for (const interval of ['1s', '1m'] as const) {
    it(`store history + trade log + live trades give the export's ${interval} candles exactly`, async () => {
      const market = new FakeMarket();
      // A log size whose oldest kept trade shares its receive time with the newest forgotten one.
      let capacity = 700;
      while (trades[RECORDED - capacity - 1]!.localTs !== trades[RECORDED - capacity]!.localTs) capacity++;
      const log = new CandleTradeLog(market, capacity);
      // This session's feed so far: more trades than the log keeps, so it has forgotten the oldest.
      for (const t of trades.slice(SESSION_START, RECORDED)) market.emit(feed, t);
      const snapshot = log.snapshot(feed);
      // The kept trades of the forgotten one's receive time are left to the store.
      expect(snapshot.trades.length).toBeLessThan(capacity);
      expect(snapshot.trades.length).toBeGreaterThan(capacity - 50);

      const source = candlesSource({ feed, interval, updates: market, log, history: store, instrument: () => null, historyPageRows: 250 });
      const frames: CandlesFrame[] = [];
      const take = () => frames.push(source.build() as CandlesFrame);
      take();
      expect(frames[0]!.reset).toBe(true);
      expect(frames[0]!.history.state).toBe('loading');
      // Live trades arrive while the store is read.
      for (const t of trades.slice(RECORDED, RECORDED + 300)) market.emit(feed, t);
      take();
      await until(() => (take(), frames.at(-1)!.history.state === 'done'), 20_000, 'the store history');
      const done = frames.at(-1)!;
      expect(done.reset).toBe(true);
      // Every recorded trade received before the log's first kept one.
      const before = trades.slice(0, RECORDED).filter((t) => t.localTs < snapshot.storeBefore!);
      expect(done.history).toEqual({ state: 'done', trades: before.length, truncated: false, message: null });
      expect(before.length + snapshot.trades.length).toBe(RECORDED);
      // The rest live, a frame every 37 trades (a frame often holds a candle that changes again later).
      trades.slice(RECORDED + 300).forEach((t, i) => {
        market.emit(feed, t);
        if (i % 37 === 0) take();
      });
      take();
      const last = frames.at(-1)!;
      expect(last.reset).toBe(false);
      expect(chartLines(frames)).toEqual(await exported(interval));
      source.dispose?.();
      log.close();
    }, 60_000);
  }

  it('reads the newest pages first, and says when it left older trades out', async () => {
    const all = await readHistory(store, feed, 0, Number.MAX_SAFE_INTEGER, 100, 128);
    expect(all.truncated).toBe(false);
    expect(all.trades.map((t) => t.localTs)).toEqual(trades.slice(0, RECORDED).map((t) => t.localTs));
    const capped = await readHistory(store, feed, 0, Number.MAX_SAFE_INTEGER, 3, 128);
    expect(capped.truncated).toBe(true);
    const newest = trades.slice(0, RECORDED).slice(-capped.trades.length);
    expect(capped.trades.map((t) => [t.localTs, t.price, t.size])).toEqual(newest.map((t) => [t.localTs, t.price, t.size]));
    expect(capped.trades.length).toBeLessThanOrEqual(3 * 128);
  });

  it('sends only the candles that changed after the first frame, each with its variance and delta range', () => {
    const market = new FakeMarket();
    const log = new CandleTradeLog(market);
    const source = candlesSource({ feed, interval: '1m', updates: market, log, history: null, instrument: () => null });
    const first = source.build() as CandlesFrame;
    expect(first).toMatchObject({ reset: true, candles: [], history: { state: 'none' } });
    const minute = trades.filter((t) => Math.floor(tradeTime(t) / 60_000) === Math.floor(tradeTime(trades[0]!) / 60_000));
    for (const t of minute) market.emit(feed, t);
    const second = source.build() as CandlesFrame;
    expect(second.reset).toBe(false);
    expect(second.candles).toHaveLength(1);
    const bar = second.candles[0]!;
    // Independent figures from the minute's trades.
    const builder = new CandleBuilder('1m');
    for (const t of minute) builder.add(t);
    const expected = builder.candles()[0]!;
    expect(bar).toMatchObject({ open: expected.open, close: expected.close, volume: expected.volume, vwap: expected.vwap, trades: minute.length });
    const w = minute.reduce((s, t) => s + Number(t.size), 0);
    const mean = minute.reduce((s, t) => s + Number(t.price) * Number(t.size), 0) / w;
    const m2 = minute.reduce((s, t) => s + Number(t.size) * (Number(t.price) - mean) ** 2, 0);
    expect(bar.m2).toBeGreaterThan(0);
    expect(bar.m2).toBeCloseTo(m2, 6);
    let running = 0;
    let high = 0;
    let low = 0;
    for (const t of minute) {
      running += t.side === 'buy' ? Number(t.size) : t.side === 'sell' ? -Number(t.size) : 0;
      high = Math.max(high, running);
      low = Math.min(low, running);
    }
    expect(bar.deltaHigh).toBeCloseTo(high, 9);
    expect(bar.deltaLow).toBeCloseTo(low, 9);
    expect(low).toBeLessThan(0);
    expect(high).toBeGreaterThan(0);
    // Nothing new: the next frame carries no candle.
    expect((source.build() as CandlesFrame).candles).toEqual([]);
    source.dispose?.();
    log.close();
  });
});

describe('Export Candles CSV (the store worker)', () => {
  it('the contract takes a candle interval for the export and the stream, and refuses one it does not know', () => {
    const book = { venue: 'binance-usdm', symbol: 'ETHUSDT' } as const;
    expect(parseCommandRequest('export.csv.start', { ...book, table: 'candles', interval: '4h' })).toMatchObject({ table: 'candles', interval: '4h' });
    expect(() => parseCommandRequest('export.csv.start', { ...book, table: 'candles', interval: '2m' } as never)).toThrow(/interval/);
    expect(parseStreamParams('candles', book)).toMatchObject({ interval: '1m' });
    expect(() => parseStreamParams('candles', { ...book, interval: '3s' } as never)).toThrow(/interval/);
  });

  it('writes exactly what the CLI writes for the recorded trades', async () => {
    const job = store.startCsvExport({ table: 'candles', interval: '1s', venue: 'binance-usdm', symbol: 'ETHUSDT', from: null, to: null });
    expect(job.name).toMatch(/^binance-usdm_ETHUSDT_candles-1s_/);
    await until(() => store.exportJob(job.id)?.state !== 'running', 30_000, 'the export');
    const done = store.exportJob(job.id)!;
    expect(done.state, done.error ?? '').toBe('done');
    const fromStore = readFileSync(done.file, 'utf8');
    const cli = join(dir, 'cli-db-1s.csv');
    await exportCandles({ interval: '1s', db: join(dir, 'eth.db'), venue: 'binance-usdm', symbol: 'ETHUSDT', from: null, to: null, out: cli });
    expect(fromStore).toBe(readFileSync(cli, 'utf8'));
    const lines = fromStore.split('\n');
    expect(lines[0]).toBe('ts_iso,open,high,low,close,volume,buy_volume,sell_volume,trades,vwap');
    // The recorded 3,000 trades, candle by candle.
    expect(lines.slice(1, -1).reduce((n, l) => n + Number(l.split(',')[8]), 0)).toBe(RECORDED);
    expect(done.rows).toBe(lines.length - 2);
  }, 60_000);
});
