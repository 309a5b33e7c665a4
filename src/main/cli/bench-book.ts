/**
 * Book apply: level updates/s through our OrderBook and, in the same process on the same data, through
 * tardis-dev's OrderBook (the baseline). Workloads: the book events of every real capture (as our
 * adapters produce them: snapshots and deltas, per venue:symbol) and a synthetic 1,000,000-update
 * workload on a 5,000-level book (90% of updates in the top 50 levels, 40% deletions).
 *
 * Our book takes the venue's price and size text (it keys prices exactly from text); tardis-dev takes
 * numbers, converted once before timing, so the baseline does less work per level than we do.
 */
import { createRequire } from 'node:module';
import type { BookEvent } from '../../shared/market';
import { OrderBook, type LevelText } from '../book/order-book';
import { replayCapture } from '../capture/replay';
import { seededRandom } from '../venues/demo/market';
import { bestTime, capturePath, emit, round } from './bench-util';

interface TardisLevel {
  price: number;
  amount: number;
}
interface TardisBookChange {
  type: 'book_change';
  symbol: string;
  exchange: string;
  isSnapshot: boolean;
  bids: TardisLevel[];
  asks: TardisLevel[];
  timestamp: Date;
  localTimestamp: Date;
}
interface TardisOrderBook {
  update(change: TardisBookChange): void;
  bestBid(): TardisLevel | undefined;
  bestAsk(): TardisLevel | undefined;
}

/** tardis-dev's book module alone (its index pulls in the whole client, which a benchmark does not need). */
function loadTardisOrderBook(): new () => TardisOrderBook {
  const require = createRequire(import.meta.url);
  return (require('tardis-dev/dist/orderbook.js') as { OrderBook: new () => TardisOrderBook }).OrderBook;
}

/** One book message: which book it goes to, snapshot or delta, and its levels. */
interface Message {
  book: number;
  snapshot: boolean;
  bids: LevelText[];
  asks: LevelText[];
}

export interface Workload {
  name: string;
  books: number;
  messages: Message[];
  updates: number;
}

export const BOOK_CAPTURES = [
  'binance-spot_2021-10-12.capture.jsonl',
  'binance-usdm_2021-07-22.capture.jsonl',
  'coinbase_2021-04-17.capture.jsonl',
  'kraken_2021-04-17.capture.jsonl',
  'okx_2021-07-22.capture.jsonl',
  'okx_2022-05-13.capture.jsonl',
  'bybit-linear_2024-12-01.capture.jsonl',
];

/** The book events our adapters apply while replaying a capture, copied out in order. */
export async function captureWorkload(file: string): Promise<Workload> {
  const bookIds = new Map<string, number>();
  const messages: Message[] = [];
  let updates = 0;
  const copy = (levels: readonly LevelText[]): LevelText[] => levels.map((l) => [String(l[0]), String(l[1])] as LevelText);
  await replayCapture(capturePath(file), {
    onBook(feed, event: BookEvent) {
      const key = `${feed.venue}:${feed.symbol}`;
      let id = bookIds.get(key);
      if (id === undefined) bookIds.set(key, (id = bookIds.size));
      const bids = copy(event.bids);
      const asks = copy(event.asks);
      updates += bids.length + asks.length;
      messages.push({ book: id, snapshot: event.kind === 'snapshot', bids, asks });
    },
  });
  return { name: file, books: bookIds.size, messages, updates };
}

function tick2text(tick: number): string {
  const s = String(tick);
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

/**
 * A 5,000-level book (snapshot), then `count` updates in messages of 10 levels: 90% within the top
 * 50 levels of either side, 10% anywhere in the 5,000, 40% of them deletions. Seeded, reproducible.
 */
export function syntheticWorkload(count = 1_000_000, levels = 5000): Workload {
  const rand = seededRandom(99);
  const mid = 3_000_000; // ticks of 0.01
  const size = (): string => (0.0001 + rand() * 10).toFixed(4);
  const snapshot: Message = { book: 0, snapshot: true, bids: [], asks: [] };
  for (let i = 0; i < levels; i++) {
    snapshot.bids.push([tick2text(mid - 1 - i), size()]);
    snapshot.asks.push([tick2text(mid + i), size()]);
  }
  const messages: Message[] = [snapshot];
  let current: Message = { book: 0, snapshot: false, bids: [], asks: [] };
  for (let i = 0; i < count; i++) {
    const bid = rand() < 0.5;
    const depth = rand() < 0.9 ? Math.floor(rand() * 50) : Math.floor(rand() * levels);
    const level: LevelText = [tick2text(bid ? mid - 1 - depth : mid + depth), rand() < 0.4 ? '0.0000' : size()];
    (bid ? current.bids : current.asks).push(level);
    if (current.bids.length + current.asks.length === 10) {
      messages.push(current);
      current = { book: 0, snapshot: false, bids: [], asks: [] };
    }
  }
  if (current.bids.length + current.asks.length > 0) messages.push(current);
  return { name: `synthetic-${count}-updates-on-${levels}-levels`, books: 1, messages, updates: count + 2 * levels };
}

function toTardis(w: Workload): TardisBookChange[] {
  const at = new Date(0);
  const conv = (levels: LevelText[]): TardisLevel[] => levels.map((l) => ({ price: Number(l[0]), amount: Number(l[1]) }));
  return w.messages.map((m) => ({
    type: 'book_change',
    symbol: String(m.book),
    exchange: 'bench',
    isSnapshot: m.snapshot,
    bids: conv(m.bids),
    asks: conv(m.asks),
    timestamp: at,
    localTimestamp: at,
  }));
}

function applyOurs(w: Workload): OrderBook[] {
  const books = Array.from({ length: w.books }, (_, i) => new OrderBook('demo', `B${i}`));
  for (const m of w.messages) {
    const book = books[m.book]!;
    if (m.snapshot) book.applySnapshot(m.bids, m.asks);
    else book.applyDelta(m.bids, m.asks);
  }
  return books;
}

function applyTardis(w: Workload, changes: TardisBookChange[], Book: new () => TardisOrderBook): TardisOrderBook[] {
  const books = Array.from({ length: w.books }, () => new Book());
  for (let i = 0; i < changes.length; i++) books[w.messages[i]!.book]!.update(changes[i]!);
  return books;
}

export function benchBookWorkload(w: Workload, Book = loadTardisOrderBook()): Record<string, unknown> {
  const changes = toTardis(w);
  // Both books must end the same (best bid/ask of every book), or the comparison means nothing.
  const ours = applyOurs(w);
  const theirs = applyTardis(w, changes, Book);
  for (let i = 0; i < w.books; i++) {
    const ob = ours[i]!.bestBid();
    const tb = theirs[i]!.bestBid();
    const oa = ours[i]!.bestAsk();
    const ta = theirs[i]!.bestAsk();
    const same = (o: { price: string } | undefined, t: TardisLevel | undefined): boolean => (o ? Number(o.price) === t?.price : t === undefined);
    if (!same(ob, tb) || !same(oa, ta)) throw new Error(`${w.name}: book ${i} ends differently in tardis-dev (${tb?.price}/${ta?.price}) and ours (${ob?.price}/${oa?.price})`);
  }
  // Small captures are applied several times per timed run (each time into fresh books), so that a
  // run lasts long enough to time; best of `runs`, interleaved so that machine noise hits both alike.
  const reps = Math.max(1, Math.ceil(300_000 / w.updates));
  // Best of 5 even for the million-update workload: with 3, one lucky baseline run on a loaded machine swung its ratio by 1.5×.
  const runs = w.updates > 200_000 ? 5 : 7;
  let oursSec = Infinity;
  let tardisSec = Infinity;
  for (let r = 0; r < runs; r++) {
    oursSec = Math.min(oursSec, bestTime(1, () => {
      for (let i = 0; i < reps; i++) applyOurs(w);
    }) / reps);
    tardisSec = Math.min(tardisSec, bestTime(1, () => {
      for (let i = 0; i < reps; i++) applyTardis(w, changes, Book);
    }) / reps);
  }
  return {
    bench: 'book-apply',
    workload: w.name,
    books: w.books,
    messages: w.messages.length,
    updates: w.updates,
    updatesPerSec: Math.round(w.updates / oursSec),
    baseline: 'tardis-dev OrderBook (numeric prices, converted before timing)',
    baselineUpdatesPerSec: Math.round(w.updates / tardisSec),
    ratio: round(tardisSec / oursSec),
    target: 'ratio >= 2',
    met: tardisSec / oursSec >= 2,
  };
}

export async function runBookBench(): Promise<void> {
  const Book = loadTardisOrderBook();
  let totalUpdates = 0;
  let oursSec = 0;
  let tardisSec = 0;
  for (const file of BOOK_CAPTURES) {
    const w = await captureWorkload(file);
    const r = benchBookWorkload(w, Book);
    emit(r);
    totalUpdates += w.updates;
    oursSec += w.updates / (r.updatesPerSec as number);
    tardisSec += w.updates / (r.baselineUpdatesPerSec as number);
  }
  emit({
    bench: 'book-apply',
    workload: 'all-captures',
    updates: totalUpdates,
    updatesPerSec: Math.round(totalUpdates / oursSec),
    baseline: 'tardis-dev OrderBook',
    baselineUpdatesPerSec: Math.round(totalUpdates / tardisSec),
    ratio: round(tardisSec / oursSec),
    target: 'ratio >= 2',
    met: tardisSec / oursSec >= 2,
  });
  emit(benchBookWorkload(syntheticWorkload(), Book));
}
