import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../../../src/main/book/order-book';
import { checksumDigits, checksumText, KrakenChecksumTracker, krakenChecksum, type Precision } from '../../../../../src/main/venues/kraken/checksum';
import type { BookEntry } from '../../../../../src/main/venues/kraken/messages';
import { KrakenBookSync } from '../../../../../src/main/venues/kraken/sync';
import { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import { seededRandom } from '../../../../../src/main/venues/demo/market';

// Kraken's "Book checksum (WebSocket v2)" worked example (PROTOCOLS.md §5.5).
const DOC_ASKS: [string, string][] = [
  ['45285.2', '0.00100000'],
  ['45286.4', '1.54571953'],
  ['45286.6', '1.54571109'],
  ['45289.6', '1.54560911'],
  ['45290.2', '0.15890660'],
  ['45291.8', '1.54553491'],
  ['45294.7', '0.04454749'],
  ['45296.1', '0.35380000'],
  ['45297.5', '0.09945542'],
  ['45299.5', '0.18772827'],
];
const DOC_BIDS: [string, string][] = [
  ['45283.5', '0.10000000'],
  ['45283.4', '1.54582015'],
  ['45282.1', '0.10000000'],
  ['45281.0', '0.10000000'],
  ['45280.3', '1.54592586'],
  ['45279.0', '0.07990000'],
  ['45277.6', '0.03310103'],
  ['45277.5', '0.30000000'],
  ['45277.3', '1.54602737'],
  ['45276.6', '0.15445238'],
];
const DOC_ASK_TEXT =
  '45285210000045286415457195345286615457110945289615456091145290215890660452918154553491452947445474945296135380000452975994554245299518772827';
const DOC_BID_TEXT =
  '452835100000004528341545820154528211000000045281010000000452803154592586452790799000045277633101034527753000000045277315460273745276615445238';
const BTC_USD = { price: 1, qty: 8 };

describe('Kraken book checksum', () => {
  it('reproduces the documentation example: 3310070434', () => {
    const book = new OrderBook('kraken', 'BTC/USD');
    book.applySnapshot(DOC_BIDS, DOC_ASKS);
    expect(checksumText(book, BTC_USD)).toBe(DOC_ASK_TEXT + DOC_BID_TEXT);
    expect(krakenChecksum(book, BTC_USD)).toBe(3310070434);
    // The venue's own text is enough when it carries full precision.
    expect(krakenChecksum(book, { price: null, qty: null })).toBe(3310070434);
  });

  it('formats to the instrument precision when the text lost its trailing zeros', () => {
    const trimmed = (levels: [string, string][]): [string, string][] => levels.map(([p, q]) => [String(Number(p)), String(Number(q))]);
    const book = new OrderBook('kraken', 'BTC/USD');
    book.applySnapshot(trimmed(DOC_BIDS), trimmed(DOC_ASKS));
    expect(book.bestBid()!.price).toBe('45283.5');
    expect(book.top('bid', 4)[3]!.price).toBe('45281');
    expect(krakenChecksum(book, BTC_USD)).toBe(3310070434);
    // Without the precision the digits are wrong, and so is the checksum.
    expect(krakenChecksum(book, { price: null, qty: null })).not.toBe(3310070434);
  });

  it('removes the point and strips leading zeros only', () => {
    expect(checksumDigits('0.00100000', 8)).toBe('100000');
    expect(checksumDigits('45281.0', 1)).toBe('452810');
    expect(checksumDigits('45281', 1)).toBe('452810');
    expect(checksumDigits('0.000022890', 9)).toBe('22890');
    expect(checksumDigits('100', 0)).toBe('100');
    expect(checksumDigits('0.0799', 8)).toBe('7990000');
    // More digits than the precision: the venue's text is used as it is, never rounded.
    expect(checksumDigits('1.23456', 2)).toBe('123456');
  });

  it('computes from the levels the same CRC as zlib over the checksum text, for every text form and precision', () => {
    const rand = seededRandom(5);
    const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(rand() * 10))).join('');
    // Plain decimals with and without trailing zeros, a bare point at either end, leading zeros,
    // zeros only, and forms the character path hands to checksumDigits (exponent, sign).
    const text = (): string => {
      const r = rand();
      if (r < 0.03) return `${1 + Math.floor(rand() * 9)}e-${1 + Math.floor(rand() * 3)}`;
      if (r < 0.05) return `+${digits(2)}.${digits(2)}`;
      if (r < 0.08) return `${digits(1 + Math.floor(rand() * 3))}.`;
      if (r < 0.11) return `.${digits(1 + Math.floor(rand() * 4))}`;
      if (r < 0.14) return `0.${'0'.repeat(Math.floor(rand() * 6))}`;
      const int = rand() < 0.3 ? '0' : digits(1 + Math.floor(rand() * 5));
      const frac = digits(Math.floor(rand() * 9)) + '0'.repeat(Math.floor(rand() * 4));
      return frac === '' && rand() < 0.5 ? int : `${int}.${frac}`;
    };
    const pick = (): number | null => (rand() < 0.2 ? null : Math.floor(rand() * 10));
    for (let round = 0; round < 60; round++) {
      const book = new OrderBook('kraken', 'X');
      let precision: Precision = { price: pick(), qty: pick() };
      // Few prices, so that most changes hit a level already in the book (its size text replaced).
      const prices = Array.from({ length: 30 }, text);
      // The same book checked after every few changes (the checksum resumes after unchanged levels),
      // now and then with another precision.
      for (let check = 0; check < 25; check++) {
        for (let i = 0, n = 1 + Math.floor(rand() * 8); i < n; i++) {
          // A size that is invalid or zero leaves the level out (or deletes it).
          try {
            book.setLevel(rand() < 0.5 ? 'bid' : 'ask', prices[Math.floor(rand() * prices.length)]!, rand() < 0.2 ? '0' : text());
          } catch {
            // not a level the book takes
          }
        }
        if (rand() < 0.1) book.truncate(Math.floor(rand() * 12));
        if (rand() < 0.1) precision = { price: pick(), qty: pick() };
        expect(krakenChecksum(book, precision)).toBe(crc32(checksumText(book, precision)) >>> 0);
      }
    }
  });
});

describe('Kraken checksum kept across updates', () => {
  /** A price `ticks` tenths away from 45000.0, with Kraken's one decimal. */
  const price = (ticks: number): string => (45000 + ticks / 10).toFixed(1);

  it('equals zlib over the checksum text after every update, deep or at the top, checked or not', () => {
    const rand = seededRandom(11);
    const size = (): string => (rand() < 0.25 ? '0' : (rand() * 5).toFixed(8));
    for (let round = 0; round < 40; round++) {
      const book = new OrderBook('kraken', 'X');
      const tracker = new KrakenChecksumTracker();
      const bids: [string, string][] = [];
      const asks: [string, string][] = [];
      for (let i = 0; i < 40; i++) {
        bids.push([price(-1 - 2 * i), size()]);
        asks.push([price(1 + 2 * i), size()]);
      }
      book.applySnapshot(bids.filter((l) => l[1] !== '0'), asks.filter((l) => l[1] !== '0'));
      tracker.reset();
      const depth = 10 + Math.floor(rand() * 20);
      book.truncate(depth);
      for (let step = 0; step < 200; step++) {
        // Mostly deep changes, now and then one at or near the top (an insert, a delete, a new size).
        const changes = (side: 'bid' | 'ask'): [string, string][] => {
          const out: [string, string][] = [];
          for (let i = 0, n = Math.floor(rand() * 3); i < n; i++) {
            const away = rand() < 0.3 ? 1 + Math.floor(rand() * 24) : 25 + Math.floor(rand() * 60);
            out.push([price(side === 'bid' ? -away : away), size()]);
          }
          return out;
        };
        const update = { bids: changes('bid'), asks: changes('ask') };
        book.applyDelta(update.bids, update.asks);
        book.truncate(depth);
        tracker.applied(update.bids, update.asks);
        if (rand() < 0.7) expect(tracker.checksum(book, BTC_USD)).toBe(crc32(checksumText(book, BTC_USD)) >>> 0);
      }
    }
  });

  it('does not visit the book for an update below the top ten levels', () => {
    const book = new OrderBook('kraken', 'X');
    const levels = (sign: number): [string, string][] => Array.from({ length: 30 }, (_, i) => [price(sign * (1 + i)), '1.00000000']);
    book.applySnapshot(levels(-1), levels(1));
    const tracker = new KrakenChecksumTracker();
    const before = tracker.checksum(book, BTC_USD);
    let scans = 0;
    const scan = book.scan.bind(book);
    book.scan = (side, visit) => {
      scans++;
      return scan(side, visit);
    };
    // The 11th bid and a new 15th ask: the top ten of both sides are as they were.
    const deep = { bids: [[price(-11), '2.00000000']] as [string, string][], asks: [['45001.45', '3.00000000']] as [string, string][] };
    book.applyDelta(deep.bids, deep.asks);
    tracker.applied(deep.bids, deep.asks);
    expect(tracker.checksum(book, BTC_USD)).toBe(before);
    expect(scans).toBe(0);
    // A new size at the tenth ask changes the asks only: one side visited, the right checksum.
    const top = { bids: [] as [string, string][], asks: [[price(10), '4.00000000']] as [string, string][] };
    book.applyDelta(top.bids, top.asks);
    tracker.applied(top.bids, top.asks);
    expect(tracker.checksum(book, BTC_USD)).toBe(crc32(checksumText(book, BTC_USD)) >>> 0);
    expect(scans).toBe(1);
  });
});

interface Harness {
  feed: SymbolFeed;
  sync: KrakenBookSync;
  resubscribes: string[];
}

function harness(depth: number): Harness {
  const feed = new SymbolFeed('kraken', 'BTC/USD', { onBook: () => {}, onState: () => {} });
  const resubscribes: string[] = [];
  const sync = new KrakenBookSync(feed, { resubscribe: (r) => resubscribes.push(r), precision: () => BTC_USD, note: () => {} }, depth);
  feed.connecting('subscribed');
  sync.start();
  return { feed, sync, resubscribes };
}

/** The checksum Kraken would send for a book holding exactly these levels. */
function checksumOf(bids: [string, string][], asks: [string, string][]): number {
  const book = new OrderBook('kraken', 'ref');
  book.applySnapshot(bids, asks);
  return krakenChecksum(book, BTC_USD);
}

function entry(bids: [string, string][], asks: [string, string][], checksum?: number): BookEntry {
  const e: BookEntry = { symbol: 'BTC/USD', bids, asks };
  if (checksum !== undefined) e.checksum = checksum;
  return e;
}

describe('KrakenBookSync', () => {
  it('applies a snapshot, verifies it and goes live', () => {
    const h = harness(10);
    expect(h.feed.state).toBe('buffering');
    h.sync.onSnapshot(entry(DOC_BIDS, DOC_ASKS, 3310070434), 1);
    expect(h.feed.state).toBe('synced');
    expect(h.feed.health.checksumOk).toBe(1);
  });

  it('truncates each side to the subscribed depth after every message, before the checksum', () => {
    const h = harness(10);
    h.sync.onSnapshot(entry(DOC_BIDS, DOC_ASKS), 1);
    // A better bid and a better ask push the worst level of each side out of the top 10. Kraken
    // does not delete the pushed-out levels: the client must truncate.
    const bids: [string, string][] = [['45284.0', '0.50000000']];
    const asks: [string, string][] = [['45285.0', '0.25000000']];
    const expected = checksumOf([...bids, ...DOC_BIDS.slice(0, 9)], [...asks, ...DOC_ASKS.slice(0, 9)]);
    h.sync.onUpdate(entry(bids, asks, expected), 2);
    expect(h.feed.book.levelCount('bid')).toBe(10);
    expect(h.feed.book.levelCount('ask')).toBe(10);
    expect(h.feed.book.top('bid', 10).at(-1)!.price).toBe('45277.3');
    expect(h.feed.health.checksumOk).toBe(1);
    expect(h.feed.health.checksumFailed).toBe(0);
    // Then a deletion inside the window: the venue sends the level that moves up into range.
    const del: [string, string][] = [['45284.0', '0'], ['45276.6', '0.15445238']];
    h.sync.onUpdate(entry(del, [], checksumOf(DOC_BIDS, [...asks, ...DOC_ASKS.slice(0, 9)])), 3);
    expect(h.feed.health.checksumOk).toBe(2);
    expect(h.feed.state).toBe('synced');
  });

  it('counts a failed checksum, throws the book away and resubscribes', () => {
    const h = harness(25);
    h.sync.onSnapshot(entry(DOC_BIDS, DOC_ASKS, 3310070434), 1);
    h.sync.onUpdate(entry([['45283.5', '0.20000000']], [], 3310070434), 2);
    expect(h.feed.health.checksumFailed).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.feed.book.levelCount('bid')).toBe(0);
    expect(h.resubscribes).toHaveLength(1);
    expect(h.resubscribes[0]).toMatch(/checksum mismatch/);
    // Updates before the new snapshot are not applied to anything.
    h.sync.onUpdate(entry([['45283.5', '0.30000000']], [], 1), 3);
    expect(h.feed.book.levelCount('bid')).toBe(0);
    expect(h.feed.health.checksumFailed).toBe(1);
    h.sync.onSnapshot(entry(DOC_BIDS, DOC_ASKS, 3310070434), 4);
    expect(h.feed.state).toBe('synced');
    expect(h.feed.health.checksumOk).toBe(2);
  });

  it('treats a crossed book as a failed check', () => {
    const h = harness(10);
    h.sync.onSnapshot(entry(DOC_BIDS, DOC_ASKS), 1);
    h.sync.onUpdate(entry([['45290.0', '1.00000000']], []), 2);
    expect(h.feed.health.crossed).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.resubscribes).toEqual(['crossed book']);
  });

  it('marks a refused subscription as failed and ignores its data', () => {
    const h = harness(10);
    h.feed.fail('kraken refused BTC/USD: Currency pair not supported');
    h.sync.onSnapshot(entry(DOC_BIDS, DOC_ASKS, 3310070434), 1);
    expect(h.feed.state).toBe('failed');
    expect(h.feed.book.levelCount('bid')).toBe(0);
  });
});
