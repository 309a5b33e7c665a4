/**
 * `replay --latency`: the exchange → receipt hop of every message in a capture, per book, from the
 * capture's own clocks (the line's recorded receive time minus the exchange time the message
 * carries). A replay is finite, so every sample is kept and the figures are exact over the whole
 * file (no sliding window). Recorded clocks are not synchronised: negative latencies are reported as
 * they are, not clipped.
 */
import type { SymbolFeed } from '../venues/symbol-feed';
import { nearestRank } from './sliding-window';

export interface BookLatency {
  venue: string;
  symbol: string;
  /** Messages attributed to the book, and of them those that carried an exchange time. */
  messages: number;
  timed: number;
  /** Exchange → receipt, ms (null when no message carried an exchange time). */
  p50: number | null;
  p99: number | null;
  max: number | null;
  min: number | null;
  /** Messages per second of recorded time, first to last message of the book. */
  msgsPerSec: number;
}

export class CaptureLatency {
  private readonly books = new Map<SymbolFeed, { samples: number[]; messages: number; first: number; last: number }>();

  /** Hook for ReplayOptions.onReceived. */
  readonly onReceived = (feed: SymbolFeed, localTs: number, exchangeTs: number | undefined): void => {
    let book = this.books.get(feed);
    if (!book) {
      book = { samples: [], messages: 0, first: localTs, last: localTs };
      this.books.set(feed, book);
    }
    book.messages++;
    book.last = localTs;
    if (exchangeTs !== undefined && Number.isFinite(exchangeTs)) book.samples.push(localTs - exchangeTs);
  };

  summary(): BookLatency[] {
    return [...this.books].map(([feed, b]) => {
      const sorted = Float64Array.from(b.samples).sort();
      const n = sorted.length;
      const spanSec = (b.last - b.first) / 1000;
      return {
        venue: feed.venue,
        symbol: feed.symbol,
        messages: b.messages,
        timed: n,
        p50: n ? round3(nearestRank(sorted, 50)) : null,
        p99: n ? round3(nearestRank(sorted, 99)) : null,
        max: n ? round3(sorted[n - 1] ?? Number.NaN) : null,
        min: n ? round3(sorted[0] ?? Number.NaN) : null,
        msgsPerSec: spanSec > 0 ? round3(b.messages / spanSec) : 0,
      };
    });
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
