/**
 * Trade integrity and totals per venue:symbol and trade stream: how many prints, exact base volume
 * split by the taker's side, holes in the id sequence, duplicates dropped after a reconnect, and
 * prints that went through a price the book still shows on the other side.
 *
 * Definitions (the same as the captures README's Trades table):
 * - trades: live trade records; `fills` the venue trades they stand for (a Binance aggTrade is one
 *   record of l - f + 1 fills). History sent on subscribe (Coinbase `last_match`, Kraken snapshots)
 *   is counted apart and never in the totals, ids or gaps.
 * - volume: exact decimal sum of the size text; taker buy / sell / unknown split it by side.
 * - first id / last id: the lowest and highest numeric id seen (for ids that are not integers, such
 *   as Bybit's UUIDs: the first and the latest seen, and no gap counting).
 * - id gaps: holes in the integer id sequence between the lowest and highest id, one per run of
 *   missing ids however long (ids 1, 2, 5, 9 → 2 holes, 5 missing ids). A late id that fills a hole
 *   shrinks it, splits it in two, or closes it. Holes mean lost trades only where the venue numbers
 *   consecutively per symbol (`consecutiveIds`); elsewhere they are reported but not loss.
 * - duplicates: a record whose id is among the last `recentIds` ids seen on that stream: dropped
 *   (not counted), as after a reconnect a venue may resend trades the client already had.
 * - anomalies: a taker buy printed above the best ask, or a taker sell below the best bid, of a
 *   book that already reflects the trade (book time not before the trade time): the print went
 *   through a price the book still shows on the other side. For an unknown side: a print outside
 *   the spread. Judged only when the caller passes the book's top.
 */
import { compareDecimal, DecimalSum } from '../../shared/decimal-sum';
import type { Trade, VenueId } from '../../shared/market';
import type { TradeBatch } from './batch';

/** The book's top at the moment a trade is judged; exchangeTs null when the caller does not know it. */
export interface BookTop {
  bestBid: string | null;
  bestAsk: string | null;
  exchangeTs: number | null;
}

export type TradeVerdict = 'counted' | 'history' | 'duplicate';

export interface TradeStatsSnapshot {
  venue: VenueId;
  symbol: string;
  stream: string;
  consecutiveIds: boolean;
  trades: number;
  fills: number;
  volume: string;
  takerBuy: string;
  takerSell: string;
  takerUnknown: string;
  firstId: string | null;
  lastId: string | null;
  idGaps: number;
  missingIds: number;
  /** Live trades that arrived below the highest id already seen (late, not duplicates). */
  outOfOrder: number;
  duplicates: number;
  anomalies: number;
  history: { trades: number; volume: string };
}

const DEFAULT_RECENT_IDS = 10_000;
/** Open holes kept for late fills; older ones stay counted but can no longer be filled. */
const DEFAULT_OPEN_HOLES = 1_000;

/** Holes in an integer id sequence, tracked from the lowest to the highest id seen. */
class IdSequence {
  low: number | null = null;
  high: number | null = null;
  /** Open holes [from, to] inclusive, ascending. */
  private readonly holes: Array<[number, number]> = [];
  private closedHoles = 0;
  private closedMissing = 0;
  private openMissing = 0;

  constructor(private readonly maxOpenHoles: number) {}

  get holeCount(): number {
    return this.closedHoles + this.holes.length;
  }

  get missing(): number {
    return this.closedMissing + this.openMissing;
  }

  /** Record an id; returns true when it arrived below the highest id seen. */
  add(id: number): boolean {
    if (this.low === null || this.high === null) {
      this.low = this.high = id;
      return false;
    }
    if (id > this.high) {
      if (id > this.high + 1) this.openHole(this.holes.length, this.high + 1, id - 1);
      this.high = id;
      return false;
    }
    if (id < this.low) {
      if (id < this.low - 1) this.openHole(0, id + 1, this.low - 1);
      this.low = id;
      return true;
    }
    this.fill(id);
    return true;
  }

  private openHole(at: number, from: number, to: number): void {
    this.holes.splice(at, 0, [from, to]);
    this.openMissing += to - from + 1;
    if (this.holes.length > this.maxOpenHoles) {
      const [oldFrom, oldTo] = this.holes.shift()!;
      this.openMissing -= oldTo - oldFrom + 1;
      this.closedHoles++;
      this.closedMissing += oldTo - oldFrom + 1;
    }
  }

  /** A late id inside the range: fill its hole, if it is in one still open. */
  private fill(id: number): void {
    let lo = 0;
    let hi = this.holes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [from, to] = this.holes[mid]!;
      if (id < from) hi = mid - 1;
      else if (id > to) lo = mid + 1;
      else {
        this.openMissing--;
        if (from === to) this.holes.splice(mid, 1);
        else if (id === from) this.holes[mid] = [from + 1, to];
        else if (id === to) this.holes[mid] = [from, to - 1];
        else this.holes.splice(mid, 1, [from, id - 1], [id + 1, to]);
        return;
      }
    }
  }
}

/** Ids seen recently, first in first out, for dropping resent trades. */
class RecentIds {
  private readonly seen = new Set<string>();
  private readonly order: string[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  /** True when `id` was already seen; otherwise remembers it. */
  checkAndAdd(id: string): boolean {
    if (this.seen.has(id)) return true;
    if (this.order.length < this.capacity) this.order.push(id);
    else {
      this.seen.delete(this.order[this.next]!);
      this.order[this.next] = id;
      this.next = (this.next + 1) % this.capacity;
    }
    this.seen.add(id);
    return false;
  }
}

class StreamStats {
  trades = 0;
  fills = 0;
  readonly volume = new DecimalSum();
  readonly takerBuy = new DecimalSum();
  readonly takerSell = new DecimalSum();
  readonly takerUnknown = new DecimalSum();
  readonly sequence: IdSequence;
  readonly recent: RecentIds;
  /** For ids that are not integers: the first and latest seen. */
  firstTextId: string | null = null;
  lastTextId: string | null = null;
  outOfOrder = 0;
  duplicates = 0;
  anomalies = 0;
  historyTrades = 0;
  readonly historyVolume = new DecimalSum();

  constructor(
    readonly venue: VenueId,
    readonly symbol: string,
    readonly stream: string,
    public consecutiveIds: boolean,
    recentIds: number,
    maxOpenHoles: number,
  ) {
    this.sequence = new IdSequence(maxOpenHoles);
    this.recent = new RecentIds(recentIds);
  }

  snapshot(): TradeStatsSnapshot {
    const numeric = this.sequence.low !== null;
    return {
      venue: this.venue,
      symbol: this.symbol,
      stream: this.stream,
      consecutiveIds: this.consecutiveIds,
      trades: this.trades,
      fills: this.fills,
      volume: this.volume.toString(),
      takerBuy: this.takerBuy.toString(),
      takerSell: this.takerSell.toString(),
      takerUnknown: this.takerUnknown.toString(),
      firstId: numeric ? String(this.sequence.low) : this.firstTextId,
      lastId: numeric ? String(this.sequence.high) : this.lastTextId,
      idGaps: this.sequence.holeCount,
      missingIds: this.sequence.missing,
      outOfOrder: this.outOfOrder,
      duplicates: this.duplicates,
      anomalies: this.anomalies,
      history: { trades: this.historyTrades, volume: this.historyVolume.toString() },
    };
  }
}

const INTEGER_ID = /^\d{1,15}$/;

/** True when the print went through a price the book (already reflecting it) shows on the other side. */
export function isTradeThrough(trade: Trade, book: BookTop): boolean {
  if (book.exchangeTs !== null && book.exchangeTs < trade.exchangeTs) return false;
  const aboveAsk = book.bestAsk !== null && compareDecimal(trade.price, book.bestAsk) > 0;
  const belowBid = book.bestBid !== null && compareDecimal(trade.price, book.bestBid) < 0;
  if (trade.side === 'buy') return aboveAsk;
  if (trade.side === 'sell') return belowBid;
  return aboveAsk || belowBid;
}

export class TradeStats {
  private readonly streams = new Map<string, StreamStats>();
  private readonly recentIds: number;
  private readonly maxOpenHoles: number;

  constructor(options: { recentIds?: number; maxOpenHoles?: number } = {}) {
    this.recentIds = options.recentIds ?? DEFAULT_RECENT_IDS;
    this.maxOpenHoles = options.maxOpenHoles ?? DEFAULT_OPEN_HOLES;
  }

  /** Record every trade of a parsed batch; `book` gives the top of a symbol's book, if known. */
  addBatch(batch: TradeBatch, book?: (symbol: string) => BookTop | null): TradeVerdict[] {
    return batch.trades.map((t) => this.add(t, batch.stream, batch.consecutiveIds, book?.(t.symbol) ?? null));
  }

  /** Record one trade; a 'duplicate' should be dropped by the caller (not shown, not stored). */
  add(trade: Trade, stream: string, consecutiveIds: boolean, book: BookTop | null = null): TradeVerdict {
    const s = this.streamFor(trade.venue, trade.symbol, stream, consecutiveIds);
    if (trade.id !== null && s.recent.checkAndAdd(trade.id)) {
      s.duplicates++;
      return 'duplicate';
    }
    if (trade.history) {
      s.historyTrades++;
      s.historyVolume.add(trade.size);
      return 'history';
    }
    s.trades++;
    s.fills += trade.fills ?? 1;
    s.volume.add(trade.size);
    (trade.side === 'buy' ? s.takerBuy : trade.side === 'sell' ? s.takerSell : s.takerUnknown).add(trade.size);
    if (trade.id !== null) {
      if (INTEGER_ID.test(trade.id)) {
        if (s.sequence.add(Number(trade.id))) s.outOfOrder++;
      } else {
        s.firstTextId ??= trade.id;
        s.lastTextId = trade.id;
      }
    }
    if (book && isTradeThrough(trade, book)) s.anomalies++;
    return 'counted';
  }

  get(venue: VenueId, symbol: string, stream: string): TradeStatsSnapshot | null {
    return this.streams.get(`${venue}:${symbol}@${stream}`)?.snapshot() ?? null;
  }

  /** Holes in one stream's id sequence, without building a snapshot (cheap enough to ask per trade). */
  idGaps(venue: VenueId, symbol: string, stream: string): number {
    return this.streams.get(`${venue}:${symbol}@${stream}`)?.sequence.holeCount ?? 0;
  }

  /** Every stream seen, in first-seen order. */
  all(): TradeStatsSnapshot[] {
    return [...this.streams.values()].map((s) => s.snapshot());
  }

  /** Forget a symbol (unsubscribed): its next trades start a fresh sequence. */
  forget(venue: VenueId, symbol: string): void {
    for (const [key, s] of this.streams) if (s.venue === venue && s.symbol === symbol) this.streams.delete(key);
  }

  private streamFor(venue: VenueId, symbol: string, stream: string, consecutiveIds: boolean): StreamStats {
    const key = `${venue}:${symbol}@${stream}`;
    let s = this.streams.get(key);
    if (!s) {
      s = new StreamStats(venue, symbol, stream, consecutiveIds, this.recentIds, this.maxOpenHoles);
      this.streams.set(key, s);
    }
    return s;
  }
}
