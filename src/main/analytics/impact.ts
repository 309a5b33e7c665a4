/**
 * Market-impact calculator: what a market order of a given side and size would do against the books
 * as they stand, walking the full depth (not a truncated top), best prices first. With several books
 * of the same asset (different venues), the order is split across them the way a smart router would:
 * always the best remaining price, whichever book it is in (ties go to the book listed first).
 *
 * Size in base units fills until that size is done. Size in quote notional fills until that much quote
 * is spent (a buy) or received (a sell), before fees; at the last level only the part that completes the
 * notional is taken (remaining notional / price, which may be finer than the venue's lot size: no lot
 * rounding is applied). The taker fee, in bps of the filled notional, is added to what a buy pays and
 * taken from what a sell receives. Slippage is signed so that worse is positive: a buy's VWAP above the
 * reference, a sell's below it; the reference is the best price on the side the order takes (the first
 * level it would hit) or the mid of the consolidated best bid and ask.
 */
import type { ImpactFill, ImpactResult } from '../../shared/analytics';
import type { Side, VenueId } from '../../shared/market';
import type { OrderBook, PriceLevel } from '../book/order-book';

export interface ImpactBook {
  venue: VenueId;
  symbol: string;
  book: OrderBook;
}

export interface ImpactOrder {
  side: 'buy' | 'sell';
  /** Exactly one of size (base units) and notional (quote). */
  size?: number;
  notional?: number;
  feeBps?: number;
}

/** Relative remainder below which an order counts as filled (float dust from summing levels). */
const DUST = 1e-12;

interface Cursor {
  index: number;
  source: ImpactBook;
  levels: Iterator<PriceLevel>;
  level: PriceLevel | null;
  price: number;
  filledBase: number;
  filledQuote: number;
  used: number;
}

export function simulateImpact(books: readonly ImpactBook[], order: ImpactOrder): ImpactResult {
  const byBase = order.size !== undefined;
  const requested = byBase ? order.size! : order.notional!;
  if ((order.size === undefined) === (order.notional === undefined)) throw new RangeError('give exactly one of size or notional');
  if (!(requested > 0) || !Number.isFinite(requested)) throw new RangeError('order size must be a positive number');
  const feeBps = order.feeBps ?? 0;
  if (!(feeBps >= 0) || feeBps > 1000) throw new RangeError('fee must be 0–1000 bps');
  if (books.length === 0) throw new RangeError('at least one book is needed');

  const takeSide: Side = order.side === 'buy' ? 'ask' : 'bid';
  const better = order.side === 'buy' ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;

  // Consolidated touch for the mid, and the best price on the side the order takes.
  let bestBid = Number.NaN;
  let bestAsk = Number.NaN;
  for (const { book } of books) {
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid && !(book.priceValue(bid) <= bestBid)) bestBid = book.priceValue(bid);
    if (ask && !(book.priceValue(ask) >= bestAsk)) bestAsk = book.priceValue(ask);
  }
  const mid = Number.isNaN(bestBid) || Number.isNaN(bestAsk) ? Number.NaN : (bestBid + bestAsk) / 2;

  const cursors: Cursor[] = books.map((source, index) => {
    const levels = source.book.levels(takeSide);
    const c: Cursor = { index, source, levels, level: null, price: Number.NaN, filledBase: 0, filledQuote: 0, used: 0 };
    advance(c);
    return c;
  });
  let bestPrice: string | null = null;
  let bestValue = Number.NaN;
  for (const c of cursors) {
    if (c.level && (bestPrice === null || better(c.price, bestValue))) {
      bestPrice = c.level.price;
      bestValue = c.price;
    }
  }

  const fills: ImpactFill[] = [];
  let filledBase = 0;
  let filledQuote = 0;
  let remaining = requested;
  let worstPrice: string | null = null;
  while (remaining > requested * DUST) {
    let pick: Cursor | null = null;
    for (const c of cursors) if (c.level && (pick === null || better(c.price, pick.price))) pick = c;
    if (!pick || !pick.level) break;
    const level = pick.level;
    const price = pick.price;
    let take: number;
    let cost: number;
    if (byBase) {
      take = Math.min(remaining, level.size);
      cost = take * price;
      remaining -= take;
    } else {
      const levelNotional = level.size * price;
      if (levelNotional <= remaining) {
        take = level.size;
        cost = levelNotional;
        remaining -= levelNotional;
      } else {
        // The last, partial level: exactly the notional still wanted.
        take = Math.min(level.size, remaining / price);
        cost = remaining;
        remaining = 0;
      }
    }
    filledBase += take;
    filledQuote += cost;
    pick.filledBase += take;
    pick.filledQuote += cost;
    pick.used++;
    worstPrice = level.price;
    fills.push({ venue: pick.source.venue, price: level.price, size: take, cost, cumSize: filledBase, cumCost: filledQuote });
    advance(pick);
  }
  const complete = remaining <= requested * DUST;
  if (complete) remaining = 0;

  const vwap = filledBase > 0 ? filledQuote / filledBase : Number.NaN;
  const sign = order.side === 'buy' ? 1 : -1;
  const slipBest = sign * (vwap - bestValue);
  const slipMid = sign * (vwap - mid);
  const fee = (filledQuote * feeBps) / 10_000;
  const total = order.side === 'buy' ? filledQuote + fee : filledQuote - fee;
  return {
    side: order.side,
    mode: byBase ? 'base' : 'quote',
    requested,
    filledBase,
    filledQuote,
    complete,
    remaining: Math.max(0, remaining),
    vwap: num(vwap),
    bestPrice,
    worstPrice,
    mid: num(mid),
    slippageVsBest: num(slipBest),
    slippageVsBestBps: num((slipBest / bestValue) * 10_000),
    slippageVsMid: num(slipMid),
    slippageVsMidBps: num((slipMid / mid) * 10_000),
    levelsConsumed: fills.length,
    feeBps,
    fee,
    total,
    effectivePrice: filledBase > 0 ? total / filledBase : null,
    fills,
    venues: cursors.map((c) => ({
      venue: c.source.venue,
      symbol: c.source.symbol,
      filledBase: c.filledBase,
      filledQuote: c.filledQuote,
      vwap: c.filledBase > 0 ? c.filledQuote / c.filledBase : null,
      levels: c.used,
    })),
  };

  function advance(c: Cursor): void {
    const next = c.levels.next();
    c.level = next.done ? null : next.value;
    c.price = c.level ? c.source.book.priceValue(c.level) : Number.NaN;
  }
}

function num(x: number): number | null {
  // + 0 turns −0 (a sell's zero slippage) into 0.
  return Number.isFinite(x) ? x + 0 : null;
}
