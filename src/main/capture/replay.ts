/**
 * Replay a capture through the same adapters the live app uses, at full speed, and report what the
 * books ended as and what every integrity check saw.
 */
import { performance } from 'node:perf_hooks';
import type { BookEvent } from '../../shared/market';
import { TopOfBookTracker } from '../book/top-of-book';
import { nullLogger, type Logger } from '../log';
import type { VenueAdapter } from '../venues/adapter';
import { venueModule } from '../venues/registry';
import type { FeedListener, SymbolFeed } from '../venues/symbol-feed';
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
}

export interface ReplayVerify {
  checksumOk: number;
  checksumFailed: number;
  bboOk: number;
  bboFailed: number;
  gaps: number;
  resyncs: number;
  crossed: number;
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
  unsupported: Array<{ venue: string; lines: number; message: string }>;
}

export interface ReplayOptions {
  logger?: Logger;
  /** Called for every applied book event (stores and analytics hang here). */
  onBook?: (feed: SymbolFeed, event: BookEvent) => void;
  /** Called when a feed's best bid/ask price or size changes. */
  onTopOfBook?: (feed: SymbolFeed, event: BookEvent) => void;
  /** Called once at the end with every feed, books intact, before the adapters close. */
  onEnd?: (feeds: SymbolFeed[]) => void;
}

/** Corrupt lines listed individually in the result; the count covers them all. */
const MAX_LISTED_CORRUPT = 50;

export async function replayCapture(path: string, options: ReplayOptions = {}): Promise<ReplayResult> {
  const logger = options.logger ?? nullLogger;
  const transport = new ReplayTransport();
  const adapters = new Map<string, VenueAdapter>();
  /** Venues whose capture named symbols in an `open` URL or `send` frame. */
  const namedSymbols = new Set<string>();
  const unsupported = new Map<string, number>();
  const trackers = new Map<SymbolFeed, TopOfBookTracker>();
  let topOfBookChanges = 0;
  const listener: FeedListener = {
    onBook(feed, event) {
      options.onBook?.(feed, event);
      let tracker = trackers.get(feed);
      if (!tracker) {
        tracker = new TopOfBookTracker();
        trackers.set(feed, tracker);
      }
      if (tracker.update(feed.book)) {
        topOfBookChanges++;
        options.onTopOfBook?.(feed, event);
      }
    },
    onState() {},
  };
  const corrupt: Array<{ line: number; error: string }> = [];
  let corruptCount = 0;
  let messages = 0;
  const started = performance.now();

  const adapterFor = (venue: string): VenueAdapter | undefined => {
    const existing = adapters.get(venue);
    if (existing) return existing;
    const mod = venueModule(venue);
    if (!mod) return undefined;
    const adapter = mod.createAdapter({ transport, listener, logger });
    adapters.set(venue, adapter);
    return adapter;
  };

  for await (const entry of readCapture(path)) {
    if ('error' in entry) {
      corruptCount++;
      if (corrupt.length < MAX_LISTED_CORRUPT) corrupt.push({ line: entry.lineNo, error: entry.error });
      logger.log('warn', 'corrupt-capture-line', { line: entry.lineNo, error: entry.error });
      continue;
    }
    const line = entry.line;
    const mod = venueModule(line.venue);
    if (!mod) {
      unsupported.set(line.venue, (unsupported.get(line.venue) ?? 0) + 1);
      continue;
    }
    switch (line.kind) {
      case 'open': {
        transport.advance(line.ts);
        transport.open(line.conn);
        const symbols = mod.captureSymbols('open', line.url ?? '');
        if (symbols.length > 0) namedSymbols.add(line.venue);
        if (symbols.length > 0) adapterFor(line.venue)!.subscribe(symbols, mod.captureOptions?.('open', line.url ?? ''));
        transport.flushOpens();
        break;
      }
      case 'send': {
        transport.advance(line.ts);
        const symbols = mod.captureSymbols('send', line.data ?? '');
        if (symbols.length > 0) namedSymbols.add(line.venue);
        if (symbols.length > 0) adapterFor(line.venue)!.subscribe(symbols, mod.captureOptions?.('send', line.data ?? ''));
        transport.flushOpens();
        break;
      }
      case 'recv': {
        const adapter = adapterFor(line.venue)!;
        // No subscription recorded for this venue: subscribe what its frames stream (optional hook).
        const fresh = mod.frameSymbols && !namedSymbols.has(line.venue) ? mod.frameSymbols(line.data ?? '').filter((s) => !adapter.feed(s)) : [];
        if (fresh.length > 0) {
          transport.advance(line.ts);
          adapter.subscribe(fresh);
          transport.flushOpens();
        }
        if (transport.recv(line.conn, line.data ?? '', line.ts)) messages++;
        break;
      }
      case 'rest':
        transport.rest(line.url ?? '', line.data ?? '', line.ts, line.status ?? 200);
        // Let the adapter take the response (a promise continuation) before the next frame.
        await new Promise<void>((resolve) => setImmediate(resolve));
        break;
      case 'close':
        transport.close(line.conn, line.ts);
        break;
    }
  }
  transport.end();
  await new Promise<void>((resolve) => setImmediate(resolve));
  const elapsedSec = Math.max(1e-6, (performance.now() - started) / 1000);

  options.onEnd?.([...adapters.values()].flatMap((a) => [...a.feeds()]));
  const books: ReplayBook[] = [];
  const verify: ReplayVerify = { checksumOk: 0, checksumFailed: 0, bboOk: 0, bboFailed: 0, gaps: 0, resyncs: 0, crossed: 0 };
  let malformedFrames = 0;
  for (const adapter of adapters.values()) {
    for (const feed of adapter.feeds()) {
      const top = feed.book.topOfBook();
      books.push({
        venue: feed.venue,
        symbol: feed.symbol,
        state: feed.state,
        bestBid: top.bid,
        bestAsk: top.ask,
        bidLevels: feed.book.levelCount('bid'),
        askLevels: feed.book.levelCount('ask'),
      });
      const h = feed.health;
      verify.checksumOk += h.checksumOk;
      verify.checksumFailed += h.checksumFailed;
      verify.bboOk += h.bboOk;
      verify.bboFailed += h.bboFailed;
      verify.gaps += h.gaps;
      verify.resyncs += h.resyncs;
      verify.crossed += h.crossed;
      malformedFrames += h.malformed;
    }
    malformedFrames += adapter.unattributedMalformed;
    adapter.close();
  }

  return {
    file: path,
    messages,
    msgsPerSec: Math.round(messages / elapsedSec),
    books,
    verify,
    malformedFrames,
    topOfBookChanges,
    corruptLines: { count: corruptCount, lines: corrupt },
    unsupported: [...unsupported].map(([venue, lines]) => ({
      venue,
      lines,
      message: `replay does not support venue "${venue}" yet; its ${lines} lines were skipped`,
    })),
  };
}
