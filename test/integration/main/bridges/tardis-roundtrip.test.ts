import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { convertCaptureToTardis } from '../../../../src/main/bridges/tardis/convert';
import { replayTardis } from '../../../../src/main/bridges/tardis/replay';
import type { OrderBook } from '../../../../src/main/book/order-book';
import { replayCapture } from '../../../../src/main/capture/replay';
import { canonicalDecimal } from '../../../../src/shared/decimal';
import { capture, capturesDir } from '../../../support/paths';

/** Every level of a side, best first, as canonical [price, size] text. */
function levels(book: OrderBook, side: 'bid' | 'ask'): Array<[string, string]> {
  return [...book.levels(side)].map((l) => [canonicalDecimal(l.price), canonicalDecimal(l.sizeText)]);
}

type TopSeries = Map<string, Array<{ ts: string; top: string }>>;

/** Best bid and ask (price × size) of a book, as canonical text. */
function touch(book: OrderBook): string {
  const bid = book.bestBid();
  const ask = book.bestAsk();
  const side = (l: typeof bid) => (l ? `${canonicalDecimal(l.price)}x${canonicalDecimal(l.sizeText)}` : '-');
  return `${side(bid)} / ${side(ask)}`;
}

/** Note the touch after a message at `ts`: the last one per timestamp, consecutive repeats dropped. */
function noteTouch(series: TopSeries, key: string, ts: string, top: string): void {
  let list = series.get(key);
  if (!list) series.set(key, (list = []));
  if (list.at(-1)?.ts === ts) list.pop();
  if (list.at(-1)?.top !== top) list.push({ ts, top });
}

/** Consecutive repeats dropped; a book that never held a level has no rows, so no series either. */
const collapse = (list: Array<{ ts: string; top: string }> = []) =>
  list.every((e) => e.top === '- / -') ? [] : list.filter((e, i) => i === 0 || e.top !== list[i - 1]!.top);

const CAPTURES = readdirSync(capturesDir)
  .filter((name) => name.endsWith('.capture.jsonl') || name.endsWith('.capture.jsonl.gz'))
  .sort();

describe('capture → tardis.dev CSV → replay', () => {
  it('finds the shared captures', () => {
    // The 13 captures of the captures README.
    expect(CAPTURES.length).toBeGreaterThanOrEqual(13);
  });

  it.each(CAPTURES)('%s: every book replayed from the converted files equals the book replayed from the capture', async (name) => {
    const file = capture(name);
    // The reference: the capture replayed on its own, books kept as they end.
    const reference = new Map<string, OrderBook>();
    const referenceTouch: TopSeries = new Map();
    const referenceReplay = await replayCapture(file, {
      onBook: (feed, event) => noteTouch(referenceTouch, `${feed.venue} ${feed.symbol}`, String(Math.round(event.localTs * 1000)), touch(feed.book)),
      // A dropped connection empties a book without a book event (before its first event there is nothing to note).
      onState: (feed, _from, _to, at) =>
        referenceTouch.has(`${feed.venue} ${feed.symbol}`) &&
        noteTouch(referenceTouch, `${feed.venue} ${feed.symbol}`, String(Math.round(Math.max(at, feed.lastLocalTs) * 1000)), touch(feed.book)),
      onEnd: (feeds) => {
        for (const feed of feeds) reference.set(`${feed.venue} ${feed.symbol}`, feed.book);
      },
    });
    const outDir = mkdtempSync(join(tmpdir(), 'tardis-'));
    const converted = await convertCaptureToTardis(file, outDir);
    const tardisTouch: TopSeries = new Map();
    const replayed = await replayTardis(outDir, { onMessage: (b, ts) => noteTouch(tardisTouch, `${b.venue} ${b.symbol}`, ts, touch(b.book)) });
    expect(replayed.badRows.count).toBe(0);
    // The event rows alone rebuild each book: the closing comparison had nothing to add.
    expect(converted.books.map((b) => [b.symbol, b.endRows]).filter(([, n]) => n !== 0)).toEqual([]);

    // Every book that received data has a file, and each replays to the capture's final book, level by level.
    const withData = referenceReplay.books.filter((b) => b.messages > 0 && b.everSynced);
    expect(withData.length).toBeGreaterThan(0);
    for (const ref of withData) {
      const key = `${ref.venue} ${ref.symbol}`;
      const book = reference.get(key)!;
      expect(converted.books.some((b) => `${b.venue} ${b.symbol}` === key), `${key} converted`).toBe(true);
      // A book that ends empty (an option nobody quoted) has a file with no rows: nothing to replay.
      const tardis = replayed.books.find((b) => `${b.venue} ${b.symbol}` === key);
      if (!tardis) expect(book.levelCount('bid') + book.levelCount('ask'), `${key} has levels but no rows`).toBe(0);
      expect(tardis ? levels(tardis.book, 'bid') : [], `${key} bids`).toEqual(levels(book, 'bid'));
      expect(tardis ? levels(tardis.book, 'ask') : [], `${key} asks`).toEqual(levels(book, 'ask'));
      // The touch moved the same way at the same times all along, not only at the end.
      expect(collapse(tardisTouch.get(key)), `${key} touch over time`).toEqual(collapse(referenceTouch.get(key)));
      // Prints: the live trades the capture replay counted, with the same volume and taker split.
      expect({ trades: tardis?.trades ?? 0, volume: tardis?.tradeVolume ?? '0', buy: tardis?.buyVolume ?? '0', sell: tardis?.sellVolume ?? '0' }, `${key} trades`).toEqual({
        trades: ref.trades,
        volume: ref.tradeVolume,
        buy: ref.buyVolume,
        sell: ref.sellVolume,
      });
    }
    expect(replayed.books.length).toBeLessThanOrEqual(converted.books.length);
  }, 120_000);

  it('writes tardis.dev columns, microsecond times and exchange ids', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tardis-'));
    await convertCaptureToTardis(capture('binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl'), outDir);
    const names = readdirSync(outDir).sort();
    expect(names).toEqual(['binance-futures_incremental_book_L2_2024-08-08_ETHUSDT.csv.gz', 'binance-futures_trades_2024-08-08_ETHUSDT.csv.gz']);
    const book = gunzipSync(readFileSync(join(outDir, names[0]!))).toString('utf8').split('\n');
    expect(book[0]).toBe('exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount');
    expect(book[1]).toMatch(/^binance-futures,ETHUSDT,\d{16},\d{16},true,bid,\d+\.\d+,\d+\.\d+$/);
    const trades = gunzipSync(readFileSync(join(outDir, names[1]!))).toString('utf8').split('\n');
    expect(trades[0]).toBe('exchange,symbol,timestamp,local_timestamp,id,side,price,amount');
    // The captures README: 4,029 trades on this capture.
    expect(trades.filter((l) => l.startsWith('binance-futures,')).length).toBe(4029);
    expect(trades[1]).toMatch(/^binance-futures,ETHUSDT,\d{16},\d{16},\d+,(buy|sell),\d+\.\d+,\d+\.\d+$/);
  }, 60_000);
});
