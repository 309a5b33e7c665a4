/**
 * Plays tardis.dev CSV files (a folder, or one incremental_book_L2 / trades file) in the running app,
 * like a capture: every window sees the replayed books and trades, at 1×, 10× or full speed, with
 * pause. The book rules are the CLI's (`npm run replay -- DIR --format tardis`, replay.ts): rows apply
 * in file order, a run of is_snapshot=true rows after other rows starts the book afresh, and rows of
 * one book sharing a local_timestamp are one venue message (one book event). Files are merged by
 * local time, so a book file and its trades file play side by side.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { ReplayStatus } from '../../../shared/contract';
import type { TakerSide, VenueId } from '../../../shared/market';
import { ReplayClock } from '../../capture/replay-clock';
import type { Logger } from '../../log';
import type { FeedListener, SymbolFeed as SymbolFeedType } from '../../venues/symbol-feed';
import { SymbolFeed } from '../../venues/symbol-feed';
import { splitCsvLine } from './csv';
import { venueOfTardisExchange } from './exchanges';
import { tardisFiles } from './replay';

type Level = [price: string, size: string];

/** One venue message of one book, or one trade, at its local time (µs). */
type TardisMessage =
  | { type: 'book'; venue: VenueId; symbol: string; localUs: number; exchangeUs: number; snapshot: boolean; bids: Level[]; asks: Level[] }
  | { type: 'trade'; venue: VenueId; symbol: string; localUs: number; exchangeUs: number; id: string | null; side: TakerSide; price: string; size: string };

/** Whether a path names tardis CSV input rather than a capture (a folder, or a .csv / .csv.gz file). */
export function isTardisPath(path: string, isDirectory: boolean): boolean {
  return isDirectory || /\.csv(\.gz)?$/i.test(path);
}

/** The messages of one file in order; rows that cannot be read are counted in `bad`. */
async function* fileMessages(file: string, bad: { count: number; last: string | null }): AsyncGenerator<TardisMessage> {
  const input = createReadStream(file);
  const lines = createInterface({ input: file.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  let header: string[] | null = null;
  let kind: 'book' | 'trades' | null = null;
  let pending: Extract<TardisMessage, { type: 'book' }> | null = null;
  let pendingStamp = '';
  /** Per book: whether the last row was a snapshot row (a snapshot run continues across messages). */
  const inSnapshot = new Map<string, boolean>();
  try {
    for await (const line of lines) {
      if (line === '') continue;
      const fields = splitCsvLine(line);
      if (!header) {
        header = fields;
        kind = header.includes('is_snapshot') ? 'book' : header.includes('id') && header.includes('side') ? 'trades' : null;
        if (!kind) throw new Error(`${basename(file)}: not a tardis incremental_book_L2 or trades file`);
        continue;
      }
      const row = Object.fromEntries(header.map((name, i) => [name, fields[i] ?? ''])) as Record<string, string>;
      const venue = venueOfTardisExchange(row.exchange ?? '');
      const localUs = Number(row.local_timestamp);
      if (!venue || !row.symbol || !Number.isFinite(localUs)) {
        bad.count++;
        bad.last = `${basename(file)}: a row without a known exchange, a symbol or a local_timestamp`;
        continue;
      }
      const exchangeUs = Number(row.timestamp) || localUs;
      if (kind === 'trades') {
        const side: TakerSide = row.side === 'buy' ? 'buy' : row.side === 'sell' ? 'sell' : 'unknown';
        yield { type: 'trade', venue, symbol: row.symbol, localUs, exchangeUs, id: row.id || null, side, price: row.price!, size: row.amount! };
        continue;
      }
      if (row.side !== 'bid' && row.side !== 'ask') {
        bad.count++;
        bad.last = `${basename(file)}: side must be bid or ask`;
        continue;
      }
      const book = `${venue}\u0000${row.symbol}`;
      const snapshotRow = row.is_snapshot === 'true';
      const startsSnapshot = snapshotRow && !inSnapshot.get(book);
      inSnapshot.set(book, snapshotRow);
      if (pending && (startsSnapshot || pendingStamp !== row.local_timestamp || pending.venue !== venue || pending.symbol !== row.symbol)) {
        yield pending;
        pending = null;
      }
      pending ??= { type: 'book', venue, symbol: row.symbol, localUs, exchangeUs, snapshot: startsSnapshot, bids: [], asks: [] };
      pendingStamp = row.local_timestamp!;
      (row.side === 'bid' ? pending.bids : pending.asks).push([row.price!, row.amount!]);
    }
    if (pending) yield pending;
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Several files' messages merged by local time (each file is in time order already). */
async function* mergedMessages(files: string[], bad: { count: number; last: string | null }): AsyncGenerator<TardisMessage> {
  const sources = files.map((file) => fileMessages(file, bad));
  const heads: Array<TardisMessage | null> = [];
  for (const source of sources) heads.push((await source.next()).value ?? null);
  for (;;) {
    let next = -1;
    for (let i = 0; i < heads.length; i++) if (heads[i] && (next === -1 || heads[i]!.localUs < heads[next]!.localUs)) next = i;
    if (next === -1) return;
    yield heads[next]!;
    heads[next] = (await sources[next]!.next()).value ?? null;
  }
}

export class TardisPlayer {
  private readonly feedsByKey = new Map<string, SymbolFeed>();
  private readonly venueSet = new Set<string>();
  private readonly bad = { count: 0, last: null as string | null };
  /** Paces the messages by their local time; pause, resume and speed changes act on it. */
  readonly clock: ReplayClock;
  private done = false;
  private error: string | null = null;
  private messages = 0;

  constructor(
    readonly path: string,
    private readonly listener: FeedListener,
    private readonly logger: Logger,
    speed = 1,
  ) {
    this.clock = new ReplayClock(speed);
  }

  async play(): Promise<void> {
    try {
      const files = tardisFiles(this.path);
      if (files.length === 0) throw new Error(`no tardis incremental_book_L2 or trades CSV in ${basename(this.path)}`);
      for await (const message of mergedMessages(files, this.bad)) {
        if (this.clock.stopped) return;
        const ts = message.localUs / 1000;
        await this.clock.waitFor(ts);
        if (this.clock.stopped) return;
        this.clock.played(ts);
        this.apply(message);
        await this.clock.yieldIfBusy();
      }
      this.done = true;
      this.logger.log('info', 'replay-finished', { path: this.path, messages: this.messages, format: 'tardis' });
    } catch (error) {
      this.error = `replay stopped: ${(error as Error).message}`;
      this.logger.log('error', 'replay-failed', { path: this.path, error: (error as Error).message });
    }
  }

  private feedFor(venue: VenueId, symbol: string): SymbolFeed {
    const key = `${venue}\u0000${symbol}`;
    let feed = this.feedsByKey.get(key);
    if (!feed) {
      feed = new SymbolFeed(venue, symbol, this.listener, this.logger);
      feed.connecting('tardis replay');
      feed.awaitSnapshot('tardis replay: waiting for a snapshot');
      this.feedsByKey.set(key, feed);
      this.venueSet.add(venue);
    }
    return feed;
  }

  private apply(message: TardisMessage): void {
    this.messages++;
    const feed = this.feedFor(message.venue, message.symbol);
    const localTs = message.localUs / 1000;
    const exchangeTs = message.exchangeUs / 1000;
    if (message.type === 'trade') {
      feed.trade(
        { venue: message.venue, symbol: message.symbol, id: message.id, price: message.price, size: message.size, side: message.side, exchangeTs, localTs },
        'tardis-trades',
        false,
      );
      return;
    }
    feed.received(localTs, message.bids.length + message.asks.length, exchangeTs);
    const result = feed.apply(feed.event(message.snapshot ? 'snapshot' : 'delta', { bids: message.bids, asks: message.asks, exchangeTs, localTs }));
    // As in the CLI, a crossed message is counted (the feed's health) and the book kept as the file says.
    if (message.snapshot && result !== 'invalid' && feed.state !== 'synced') feed.synced('tardis snapshot');
  }

  stop(): void {
    this.clock.stop();
  }

  hasVenue(venue: string): boolean {
    return this.venueSet.has(venue);
  }

  feed(venue: string, symbol: string): SymbolFeedType | undefined {
    return this.feedsByKey.get(`${venue}\u0000${symbol}`);
  }

  venues(): string[] {
    return [...this.venueSet];
  }

  feeds(): SymbolFeedType[] {
    return [...this.feedsByKey.values()];
  }

  ownsFeed(feed: SymbolFeedType): boolean {
    return this.feed(feed.venue, feed.symbol) === feed;
  }

  health(): ReturnType<SymbolFeedType['healthSnapshot']>[] {
    const now = Date.now();
    const snapshots = this.feeds().map((f) => f.healthSnapshot(now));
    if (!this.done && !this.error) return snapshots;
    return snapshots.map((h) => ({ ...h, msgsPerSec: 0, levelUpdatesPerSec: 0, latencyMs: null, rateAnomaly: 'none' as const, ended: true }));
  }

  status(): ReplayStatus {
    return {
      active: !this.clock.stopped,
      path: this.path,
      name: basename(this.path),
      paused: this.clock.paused,
      speed: this.clock.speed,
      // Tardis files carry no end time up front: progress is known only at the end.
      progress: this.done ? 1 : 0,
      captureTime: this.clock.position,
      done: this.done,
      error: this.error ?? (this.bad.count > 0 ? `${this.bad.count} rows could not be read (${this.bad.last})` : null),
      messages: this.messages,
      corruptLines: this.bad.count,
      symbols: this.feeds().map((f) => ({ venue: f.venue, symbol: f.symbol })),
    };
  }
}
