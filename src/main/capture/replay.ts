/**
 * Replay a capture through the same adapters the live app uses, at full speed, and report what the
 * books ended as and what every integrity check saw.
 */
import { performance } from 'node:perf_hooks';
import { DecimalSum } from '../../shared/decimal-sum';
import type { BookEvent, SyncState, Trade } from '../../shared/market';
import { TopOfBookTracker } from '../book/top-of-book';
import { nullLogger, type Logger } from '../log';
import type { VenueAdapter } from '../venues/adapter';
import { venueModule } from '../venues/registry';
import type { FeedListener, SymbolFeed } from '../venues/symbol-feed';
import type { CaptureLine } from './format';
import { readCapture } from './reader';
import { ReplayTransport } from './replay-transport';

export interface ReplayBook {
  venue: string;
  symbol: string;
  state: string;
  bestBid: string | null;
  bestAsk: string | null;
  bidLevels: number;
  askLevels: number;
  /** Frames the adapter attributed to this book (0: the capture names it but never streams it). */
  messages: number;
  /** The book reached `synced` at least once (it may have left it later, e.g. at a recorded close). */
  everSynced: boolean;
  /** Live trade records on this symbol's trade channel (history sent on subscribe and duplicates not counted). */
  trades: number;
  /** Base volume of those trades, exact decimal text (contracts where the venue counts in contracts). */
  tradeVolume: string;
  /** Of it, taker buys and taker sells (exact decimal text). */
  buyVolume: string;
  sellVolume: string;
  /** Holes in the trade-id sequence where the venue numbers trades consecutively: lost trades. */
  tradeGaps: number;
}

export interface ReplayVerify {
  checksumOk: number;
  checksumFailed: number;
  bboOk: number;
  bboFailed: number;
  gaps: number;
  resyncs: number;
  crossed: number;
  /** Updates applied to a synced book; each was checked for a crossed book (the check every venue has). */
  updatesChecked: number;
  /** Of those, updates whose venue sequence number was checked to continue the book. */
  sequenceChecked: number;
  /** Holes in consecutive trade-id sequences, summed over every book. */
  tradeGaps: number;
}

export interface ReplayResult {
  file: string;
  messages: number;
  msgsPerSec: number;
  books: ReplayBook[];
  verify: ReplayVerify;
  malformedFrames: number;
  topOfBookChanges: number;
  corruptLines: { count: number; lines: Array<{ line: number; error: string }> };
  /** The file could not be read to its end (truncated gzip, read error): where and why. */
  endedEarly: { line: number; error: string } | null;
  unsupported: Array<{ venue: string; lines: number; message: string }>;
}

export interface ReplayOptions {
  logger?: Logger;
  /** Called for every applied book event (stores and analytics hang here). */
  onBook?: (feed: SymbolFeed, event: BookEvent) => void;
  /** Called for every print the adapters emit. */
  onTrade?: (feed: SymbolFeed, trade: Trade) => void;
  /** Called for every message attributed to a book, with its recorded receive time and exchange time. */
  onReceived?: (feed: SymbolFeed, localTs: number, exchangeTs: number | undefined) => void;
  /** Called when a feed's best bid/ask price or size changes. */
  onTopOfBook?: (feed: SymbolFeed, event: BookEvent) => void;
  /** Called when a feed changes state, with the recorded time (ms) it happened at. */
  onState?: (feed: SymbolFeed, from: SyncState, to: SyncState, at: number) => void;
  /** Called once at the end with every feed, books intact, before the adapters close. */
  onEnd?: (feeds: SymbolFeed[]) => void;
}

/** Corrupt lines listed individually in the result; the count covers them all. */
const MAX_LISTED_CORRUPT = 50;

/**
 * Feeds capture lines, one at a time, to the venues' adapters through a ReplayTransport: creates an
 * adapter per venue on first sight, subscribes what the recording subscribed, delivers frames and
 * REST responses, and counts what it could not use. The full-speed replay below and the timed player
 * in the app (player.ts) both drive it.
 */
export class ReplayDriver {
  readonly transport = new ReplayTransport();
  readonly adapters = new Map<string, VenueAdapter>();
  /** Venues whose capture named symbols in an `open` URL or `send` frame. */
  private readonly namedSymbols = new Set<string>();
  readonly unsupported = new Map<string, number>();
  readonly corrupt: Array<{ line: number; error: string }> = [];
  corruptCount = 0;
  endedEarly: { line: number; error: string } | null = null;
  messages = 0;
  /** Books that reached `synced` at least once. */
  readonly everSynced = new Set<SymbolFeed>();
  /** Per book: updates applied after a snapshot, and how many of them carried a checked sequence. */
  readonly updatesApplied = new Map<SymbolFeed, { updates: number; sequenced: number }>();
  private readonly listener: FeedListener;

  constructor(
    listener: FeedListener,
    private readonly logger: Logger = nullLogger,
  ) {
    // Watch what the adapters did to every book, for the verdict of `replay --verify`.
    this.listener = {
      onBook: (feed, event) => {
        if (event.kind === 'delta') {
          let counts = this.updatesApplied.get(feed);
          if (!counts) {
            counts = { updates: 0, sequenced: 0 };
            this.updatesApplied.set(feed, counts);
          }
          counts.updates++;
          // Sync code applies a numbered update only after checking it continues the book.
          if (event.seq !== undefined || event.prevSeq !== undefined) counts.sequenced++;
        }
        listener.onBook(feed, event);
      },
      onState: (feed, from, to, reason) => {
        if (to === 'synced') this.everSynced.add(feed);
        listener.onState(feed, from, to, reason);
      },
      // Prints pass straight through.
      onTrade: (feed: SymbolFeed, trade: Trade) => listener.onTrade?.(feed, trade),
      onReceived: (feed, localTs, exchangeTs) => listener.onReceived?.(feed, localTs, exchangeTs),
    };
  }

  adapterFor(venue: string): VenueAdapter | undefined {
    const existing = this.adapters.get(venue);
    if (existing) return existing;
    const adapter = venueModule(venue)?.createAdapter({ transport: this.transport, listener: this.listener, logger: this.logger });
    if (adapter) this.adapters.set(venue, adapter);
    return adapter;
  }

  /** A line that could not be used, or (endsEarly) the point where the file could not be read further. */
  corruptLine(lineNo: number, error: string, endsEarly = false): void {
    if (endsEarly) {
      this.endedEarly = { line: lineNo, error };
      this.logger.log('warn', 'capture-ends-early', { line: lineNo, error });
      return;
    }
    this.corruptCount++;
    if (this.corrupt.length < MAX_LISTED_CORRUPT) this.corrupt.push({ line: lineNo, error });
    this.logger.log('warn', 'corrupt-capture-line', { line: lineNo, error });
  }

  /**
   * Handle one line. Returns true after a REST response: the caller must then let promise
   * continuations run (await a macrotask) so the adapter takes it before the next frame.
   */
  handle(line: CaptureLine): boolean {
    const mod = venueModule(line.venue);
    if (!mod) {
      this.unsupported.set(line.venue, (this.unsupported.get(line.venue) ?? 0) + 1);
      return false;
    }
    const transport = this.transport;
    switch (line.kind) {
      case 'open': {
        transport.advance(line.ts);
        transport.open(line.conn);
        const symbols = mod.captureSymbols('open', line.url ?? '');
        if (symbols.length > 0) {
          this.namedSymbols.add(line.venue);
          this.adapterFor(line.venue)?.subscribe(symbols, mod.captureOptions?.('open', line.url ?? ''));
        }
        transport.flushOpens();
        return false;
      }
      case 'send': {
        transport.advance(line.ts);
        const symbols = mod.captureSymbols('send', line.data ?? '');
        if (symbols.length > 0) {
          this.namedSymbols.add(line.venue);
          this.adapterFor(line.venue)?.subscribe(symbols, mod.captureOptions?.('send', line.data ?? ''));
        }
        transport.flushOpens();
        return false;
      }
      case 'recv': {
        const adapter = this.adapterFor(line.venue);
        if (!adapter) return false;
        // No subscription recorded for this venue: subscribe what its frames stream (optional hook).
        const fresh =
          mod.frameSymbols && !this.namedSymbols.has(line.venue) ? mod.frameSymbols(line.data ?? '').filter((s) => !adapter.feed(s)) : [];
        if (fresh.length > 0) {
          transport.advance(line.ts);
          adapter.subscribe(fresh);
          transport.flushOpens();
        }
        if (transport.recv(line.conn, line.data ?? '', line.ts)) this.messages++;
        return false;
      }
      case 'rest':
        transport.rest(line.url ?? '', line.data ?? '', line.ts, line.status ?? 200);
        return true;
      case 'close':
        transport.close(line.conn, line.ts);
        return false;
    }
    return false;
  }

  /** No more lines: requests still waiting for a response will not get one. */
  end(): void {
    this.transport.end();
  }

  feeds(): SymbolFeed[] {
    return [...this.adapters.values()].flatMap((a) => [...a.feeds()]);
  }

  close(): void {
    for (const adapter of this.adapters.values()) adapter.close();
  }

  unsupportedReport(): ReplayResult['unsupported'] {
    return [...this.unsupported].map(([venue, lines]) => ({
      venue,
      lines,
      message: `replay does not support venue "${venue}" yet; its ${lines} lines were skipped`,
    }));
  }
}

export const nextMacrotask = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A feed listener that counts top-of-book changes (what the store records: every change of best price
 * or size) and forwards book events to the caller's hooks.
 */
export function topOfBookCounter(
  hooks: Pick<ReplayOptions, 'onBook' | 'onTopOfBook' | 'onTrade' | 'onState' | 'onReceived'> = {},
  now: () => number = () => 0,
): { listener: FeedListener; changes(): number } {
  const trackers = new Map<SymbolFeed, TopOfBookTracker>();
  let changes = 0;
  const listener: FeedListener = {
    onBook(feed, event) {
      hooks.onBook?.(feed, event);
      let tracker = trackers.get(feed);
      if (!tracker) {
        tracker = new TopOfBookTracker();
        trackers.set(feed, tracker);
      }
      if (tracker.update(feed.book)) {
        changes++;
        hooks.onTopOfBook?.(feed, event);
      }
    },
    onState: (feed: SymbolFeed, from: SyncState, to: SyncState) => hooks.onState?.(feed, from, to, now()),
    onTrade: (feed: SymbolFeed, trade: Trade) => hooks.onTrade?.(feed, trade),
    onReceived: (feed: SymbolFeed, localTs: number, exchangeTs: number | undefined) => hooks.onReceived?.(feed, localTs, exchangeTs),
  } as FeedListener;
  return { listener, changes: () => changes };
}

/** Every integrity counter summed over the driver's books, and the malformed frames it skipped. */
export function verifyTotals(driver: ReplayDriver): { verify: ReplayVerify; malformedFrames: number } {
  const verify: ReplayVerify = {
    checksumOk: 0,
    checksumFailed: 0,
    bboOk: 0,
    bboFailed: 0,
    gaps: 0,
    resyncs: 0,
    crossed: 0,
    updatesChecked: 0,
    sequenceChecked: 0,
    tradeGaps: 0,
  };
  let malformedFrames = 0;
  for (const feed of driver.feeds()) {
    const h = feed.health;
    verify.checksumOk += h.checksumOk;
    verify.checksumFailed += h.checksumFailed;
    verify.bboOk += h.bboOk;
    verify.bboFailed += h.bboFailed;
    verify.gaps += h.gaps;
    verify.resyncs += h.resyncs;
    verify.crossed += h.crossed;
    // A crossed update was checked too; it never reached the listener.
    verify.updatesChecked += (driver.updatesApplied.get(feed)?.updates ?? 0) + h.crossed;
    verify.sequenceChecked += driver.updatesApplied.get(feed)?.sequenced ?? 0;
    verify.tradeGaps += h.tradeGaps;
    malformedFrames += h.malformed;
  }
  for (const adapter of driver.adapters.values()) malformedFrames += adapter.unattributedMalformed;
  return { verify, malformedFrames };
}

/** A book's trade figures, over every trade stream of its symbol (a capture may hold `@trade` and `@aggTrade`). */
export function tradeFigures(feed: SymbolFeed): Pick<ReplayBook, 'trades' | 'tradeVolume' | 'buyVolume' | 'sellVolume' | 'tradeGaps'> {
  const volume = new DecimalSum();
  const buy = new DecimalSum();
  const sell = new DecimalSum();
  let trades = 0;
  for (const s of feed.tradeTotals()) {
    trades += s.trades;
    volume.add(s.volume);
    buy.add(s.takerBuy);
    sell.add(s.takerSell);
  }
  return { trades, tradeVolume: volume.toString(), buyVolume: buy.toString(), sellVolume: sell.toString(), tradeGaps: feed.health.tradeGaps };
}

export async function replayCapture(path: string, options: ReplayOptions = {}): Promise<ReplayResult> {
  // State changes are stamped with the replay's clock (the recorded time of the line being played).
  let driver: ReplayDriver | null = null;
  const counter = topOfBookCounter(options, () => driver?.transport.clock.now() ?? 0);
  driver = new ReplayDriver(counter.listener, options.logger ?? nullLogger);
  const started = performance.now();
  for await (const entry of readCapture(path)) {
    if ('error' in entry) driver.corruptLine(entry.lineNo, entry.error, entry.endsEarly);
    else if (driver.handle(entry.line)) await nextMacrotask();
  }
  driver.end();
  await nextMacrotask();
  const elapsedSec = Math.max(1e-6, (performance.now() - started) / 1000);

  const feeds = driver.feeds();
  options.onEnd?.(feeds);
  const books: ReplayBook[] = feeds.map((feed) => {
    const top = feed.book.topOfBook();
    return {
      venue: feed.venue,
      symbol: feed.symbol,
      state: feed.state,
      bestBid: top.bid,
      bestAsk: top.ask,
      bidLevels: feed.book.levelCount('bid'),
      askLevels: feed.book.levelCount('ask'),
      messages: feed.health.messages,
      everSynced: driver.everSynced.has(feed),
      ...tradeFigures(feed),
    };
  });
  const { verify, malformedFrames } = verifyTotals(driver);
  const topOfBookChanges = counter.changes();
  driver.close();

  return {
    file: path,
    messages: driver.messages,
    msgsPerSec: Math.round(driver.messages / elapsedSec),
    books,
    verify,
    malformedFrames,
    topOfBookChanges,
    corruptLines: { count: driver.corruptCount, lines: driver.corrupt },
    endedEarly: driver.endedEarly,
    unsupported: driver.unsupportedReport(),
  };
}
