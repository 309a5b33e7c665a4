/**
 * Traded volume at each price over a rolling window, split taker buy / taker sell, and the last trade,
 * per feed: what the ladder draws beside its size columns. Sums are exact (integer mantissas at a
 * scale, never floats); prints older than the window are subtracted again and dropped, so memory is
 * bounded by the prints in the window (and by MAX_PRINTS_PER_FEED).
 */
import { canonicalDecimal } from '../../shared/decimal';
import type { Trade } from '../../shared/market';
import type { SymbolFeed } from '../venues/symbol-feed';
import type { FeedReleases, TradeUpdates } from './recent-trades';

export const DEFAULT_VOLUME_WINDOW_MS = 5 * 60_000;
/** A hard cap on the prints kept per feed (a burst faster than the window prunes). */
export const MAX_PRINTS_PER_FEED = 200_000;

export interface LastTrade {
  price: string;
  size: string;
  side: Trade['side'];
  /** Local time of the print (the recorded time in a replay), ms since the epoch. */
  ts: number;
}

/** [price, taker-buy volume, taker-sell volume] as exact decimal texts. */
export type TradedRow = [string, string, string];

/** An exact decimal as mantissa / 10^scale. */
interface Scaled {
  mantissa: bigint;
  scale: number;
}

function parseScaled(text: string): Scaled {
  const c = canonicalDecimal(text);
  const dot = c.indexOf('.');
  if (dot === -1) return { mantissa: BigInt(c), scale: 0 };
  return { mantissa: BigInt(c.slice(0, dot) + c.slice(dot + 1)), scale: c.length - dot - 1 };
}

function scaledText(mantissa: bigint, scale: number): string {
  let digits = mantissa.toString();
  if (scale === 0) return digits;
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  return canonicalDecimal(`${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`);
}

/** Volumes at one price, both sides at one scale (raised when a finer size arrives). */
interface PriceVolume {
  buy: bigint;
  sell: bigint;
  scale: number;
}

interface Print {
  ts: number;
  price: string;
  side: 'buy' | 'sell';
  size: Scaled;
}

/** One feed's window: prints oldest first (a queue with a moving head) and the sums per price. */
class FeedVolume {
  private prints: Print[] = [];
  private head = 0;
  readonly byPrice = new Map<string, PriceVolume>();
  last: LastTrade | null = null;
  /** Changes whenever the sums or the last trade change. */
  version = 0;

  add(trade: Trade, windowMs: number): void {
    this.last = { price: canonicalDecimal(trade.price), size: canonicalDecimal(trade.size), side: trade.side, ts: trade.localTs };
    this.version++;
    // History prints (sent on subscribe, from before it) and prints of unknown side are not flow.
    if (!trade.history && trade.side !== 'unknown') {
      const print: Print = { ts: trade.localTs, price: this.last.price, side: trade.side, size: parseScaled(trade.size) };
      this.prints.push(print);
      this.apply(print, 1n);
      if (this.prints.length - this.head > MAX_PRINTS_PER_FEED) this.dropOldest();
    }
    this.prune(trade.localTs, windowMs);
  }

  /** Drop the prints older than the window ending at `now`. */
  prune(now: number, windowMs: number): void {
    const cutoff = now - windowMs;
    let dropped = false;
    while (this.head < this.prints.length && this.prints[this.head]!.ts <= cutoff) {
      this.dropOldest();
      dropped = true;
    }
    if (dropped) this.version++;
  }

  /** Prints still in the window (for tests and diagnostics). */
  get printCount(): number {
    return this.prints.length - this.head;
  }

  private dropOldest(): void {
    const print = this.prints[this.head]!;
    this.head++;
    this.apply(print, -1n);
    // Compact the queue once its dead head is as long as its live part.
    if (this.head > 1024 && this.head * 2 > this.prints.length) {
      this.prints = this.prints.slice(this.head);
      this.head = 0;
    }
  }

  private apply(print: Print, sign: bigint): void {
    let v = this.byPrice.get(print.price);
    if (!v) this.byPrice.set(print.price, (v = { buy: 0n, sell: 0n, scale: print.size.scale }));
    if (print.size.scale > v.scale) {
      const up = 10n ** BigInt(print.size.scale - v.scale);
      v.buy *= up;
      v.sell *= up;
      v.scale = print.size.scale;
    }
    const amount = sign * print.size.mantissa * 10n ** BigInt(v.scale - print.size.scale);
    if (print.side === 'buy') v.buy += amount;
    else v.sell += amount;
    if (v.buy === 0n && v.sell === 0n) this.byPrice.delete(print.price);
  }
}

export class TradedVolume {
  private readonly feeds = new Map<SymbolFeed, FeedVolume>();
  private readonly offs: Array<() => void>;

  constructor(
    market: TradeUpdates & FeedReleases,
    /** The feed's clock: the recorded time for a replayed book, the wall clock otherwise. */
    private readonly now: (feed: SymbolFeed) => number,
    readonly windowMs = DEFAULT_VOLUME_WINDOW_MS,
  ) {
    this.offs = [
      market.onTrade((feed, trade) => {
        let volume = this.feeds.get(feed);
        if (!volume) this.feeds.set(feed, (volume = new FeedVolume()));
        volume.add(trade, this.windowMs);
      }),
      market.onReleased((feeds) => {
        for (const feed of feeds) this.feeds.delete(feed);
      }),
    ];
  }

  /** Changes when the feed's volumes or last trade change (pruning to the feed's clock first). */
  version(feed: SymbolFeed): number {
    const volume = this.feeds.get(feed);
    if (!volume) return 0;
    volume.prune(this.now(feed), this.windowMs);
    return volume.version;
  }

  /** Volumes at prices from `low` to `high` inclusive, highest price first. */
  between(feed: SymbolFeed, low: number, high: number): TradedRow[] {
    const volume = this.feeds.get(feed);
    if (!volume) return [];
    volume.prune(this.now(feed), this.windowMs);
    const rows: Array<{ at: number; row: TradedRow }> = [];
    for (const [price, v] of volume.byPrice) {
      const at = Number(price);
      if (at < low || at > high) continue;
      rows.push({ at, row: [price, scaledText(v.buy, v.scale), scaledText(v.sell, v.scale)] });
    }
    rows.sort((a, b) => b.at - a.at);
    return rows.map((r) => r.row);
  }

  lastTrade(feed: SymbolFeed): LastTrade | null {
    return this.feeds.get(feed)?.last ?? null;
  }

  /** Prints in the feed's window (for tests and diagnostics). */
  printCount(feed: SymbolFeed): number {
    return this.feeds.get(feed)?.printCount ?? 0;
  }

  close(): void {
    for (const off of this.offs) off();
    this.feeds.clear();
  }
}
