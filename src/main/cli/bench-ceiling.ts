/**
 * One process's ceiling: messages per second that one core takes from text to book (parse, sync,
 * apply, top-of-book diff, health counters and their latency windows) with 10, 100 and 500 live books,
 * and how the cost per message grows with the number of books (where the one-process design
 * saturates). The workload is the demo market speaking Binance spot: N symbols cloned from the demo
 * specs, one combined stream, a REST snapshot per book, then rounds of one depth diff per book.
 * Baseline: the same measure at 10 books, in the same run.
 */
import { performance } from 'node:perf_hooks';
import type { CaptureLine } from '../capture/format';
import { replayLines } from '../capture/replay-lines';
import { SYMBOLS_PER_CONNECTION } from '../venues/binance/adapter';
import { DEMO_SYMBOLS, SyntheticMarket, type DemoSymbolSpec } from '../venues/demo/market';
import { emit, round } from './bench-util';

export const CEILING_BOOKS = [10, 100, 500] as const;
/** Depth messages per run, whatever the book count (rounds = this / books). */
const MESSAGES_PER_RUN = 40_000;
const BOOKS_PER_MINUTE = 50;

/** `books` demo symbols (distinct names, prices of every demo magnitude) as one Binance spot recording. */
export function manyBookLines(books: number, messages = MESSAGES_PER_RUN): { lines: CaptureLine[]; warmUp: number } {
  const specs: DemoSymbolSpec[] = Array.from({ length: books }, (_, i) => {
    const spec = DEMO_SYMBOLS[i % DEMO_SYMBOLS.length] as DemoSymbolSpec;
    return { ...spec, symbol: `B${i}${spec.symbol}` };
  });
  const market = new SyntheticMarket(specs, 5);
  let ts = 1_700_000_000_000;
  const lines: CaptureLine[] = [];
  const open = new Set<string>();
  const connOf = new Map<string, string>();
  const round = (): void => {
    for (const f of market.step(ts, 1, open)) {
      lines.push({ ts, conn: connOf.get(f.symbol) ?? 'c0', venue: 'binance-spot', kind: 'recv', data: JSON.stringify({ stream: `${f.symbol.toLowerCase()}@depth@100ms`, data: { ...f.depth, E: ts - 3 } }) });
    }
  };
  // Binance allows 6,000 request weight a minute and a 1,000-level snapshot weighs 50, so the adapter
  // (keeping 20% headroom) syncs at most 96 books a minute: open them in batches of 50 two minutes apart, with a
  // round every 5 s meanwhile (two minutes: a request that just missed the budget waits for it) so the open books are not judged stale.
  for (let first = 0; first < books; first += BOOKS_PER_MINUTE) {
    const batch = specs.slice(first, first + BOOKS_PER_MINUTE);
    // The adapter puts 100 symbols on a connection (SYMBOLS_PER_CONNECTION): a new recorded connection
    // every 100 books, a SUBSCRIBE on the open one otherwise, as a recording of the app would show.
    const conn = `c${Math.floor(first / SYMBOLS_PER_CONNECTION)}`;
    const streams = batch.map((s) => `${s.symbol.toLowerCase()}@depth@100ms`);
    if (first % SYMBOLS_PER_CONNECTION === 0) {
      lines.push({ ts, conn, venue: 'binance-spot', kind: 'open', url: `wss://stream.binance.com:9443/stream?streams=${streams.join('/')}` });
    } else {
      lines.push({ ts, conn, venue: 'binance-spot', kind: 'send', data: JSON.stringify({ method: 'SUBSCRIBE', params: streams, id: first }) });
    }
    for (const s of batch) {
      open.add(s.symbol);
      connOf.set(s.symbol, conn);
    }
    ts += 100;
    round();
    for (const s of batch) {
      lines.push({ ts, conn: 'rest', venue: 'binance-spot', kind: 'rest', url: `https://api.binance.com/api/v3/depth?symbol=${s.symbol}&limit=1000`, data: JSON.stringify(market.snapshot(s.symbol, 1000)) });
    }
    if (first + BOOKS_PER_MINUTE < books) {
      for (let k = 0; k < 25; k++) {
        ts += 5_000;
        round();
      }
    }
  }
  const warmUp = lines.length;
  const rounds = Math.ceil(messages / books);
  for (let r = 0; r < rounds; r++) {
    ts += 100;
    round();
  }
  return { lines, warmUp };
}

/** Best of three runs, seconds. */
async function timeReplay(lines: CaptureLine[], onBook?: Parameters<typeof replayLines>[1]): Promise<{ sec: number; messages: number; gaps: number }> {
  let best = Infinity;
  let result = await replayLines(lines, onBook);
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    result = await replayLines(lines, onBook);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { sec: best, messages: result.messages, gaps: result.gaps };
}

/**
 * Steady state only: the whole recording's time minus its warm-up's (subscriptions, snapshots and the
 * rounds before the last book went live), over the messages after the warm-up.
 */
export async function measureCeiling(books: number): Promise<{ messages: number; msgsPerSec: number; synced: number; gaps: number; heapMb: number }> {
  const { lines, warmUp } = manyBookLines(books);
  // Books that had diffs applied after their snapshot: every one of them must be live for the figure to count.
  const live = new Set<string>();
  const all = await timeReplay(lines, { onBook: (feed, event) => event.kind === 'delta' && live.add(feed.symbol) });
  const prefix = await timeReplay(lines.slice(0, warmUp));
  const messages = all.messages - prefix.messages;
  return {
    messages,
    msgsPerSec: messages / Math.max(1e-6, all.sec - prefix.sec),
    synced: live.size,
    gaps: all.gaps,
    heapMb: round(process.memoryUsage().heapUsed / 1e6, 0),
  };
}

export async function runCeilingBench(): Promise<void> {
  let base: number | null = null;
  for (const books of CEILING_BOOKS) {
    const m = await measureCeiling(books);
    base ??= m.msgsPerSec;
    emit({
      bench: 'ceiling',
      books,
      messages: m.messages,
      msgsPerSecPerCore: Math.round(m.msgsPerSec),
      /** At this rate the one thread that reads sockets is saturated: the ceiling per book. */
      msgsPerSecPerBookAtCeiling: round(m.msgsPerSec / books, 1),
      booksLive: m.synced,
      gaps: m.gaps,
      heapUsedMb: m.heapMb,
      baseline: '10 books, same run',
      ratioToBaseline: round(m.msgsPerSec / base, 2),
    });
  }
}
