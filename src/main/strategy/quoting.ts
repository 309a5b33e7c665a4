/**
 * The quoting rule: centre on mid or microprice, shift the centre against the position (skew), put the
 * bid half a spread below and the ask half a spread above, round each away from the centre to the price
 * step, and never cross the market (a quote is meant to rest, not take).
 */
import type { MarketMakerSettings } from '../../shared/market-maker';
import type { BookView } from './book-view';
import { Exact } from './exact';

/** Digits kept in the one division the rule needs (microprice, skew); the result is rounded to the step anyway. */
const RULE_SCALE = 18;
const HALF = Exact.of('0.5');
const HALF_BPS = Exact.of('0.00005'); // half of one basis point, as a fraction

/** Settings parsed once into exact numbers. */
export interface QuotingParams {
  reference: MarketMakerSettings['reference'];
  spreadBps: Exact | null;
  spreadTicks: Exact | null;
  size: Exact;
  maxInventory: Exact;
  skew: Exact;
  requoteTicks: Exact;
  tickSize: Exact | null;
}

export function quotingParams(s: MarketMakerSettings): QuotingParams {
  return {
    reference: s.reference,
    spreadBps: s.spreadBps === null ? null : Exact.of(s.spreadBps),
    spreadTicks: s.spreadTicks === null ? null : Exact.int(s.spreadTicks),
    size: Exact.of(s.size),
    maxInventory: Exact.of(s.maxInventory),
    skew: Exact.of(s.skew),
    requoteTicks: Exact.int(s.requoteTicks),
    tickSize: s.tickSize === null ? null : Exact.of(s.tickSize),
  };
}

export interface WantedQuote {
  price: Exact;
}

export interface WantedQuotes {
  reference: Exact;
  tick: Exact;
  bid: WantedQuote | null;
  ask: WantedQuote | null;
}

export function priceStep(p: QuotingParams, book: BookView): Exact {
  return p.tickSize ?? Exact.step(book.priceDecimals());
}

/** Where the rule wants a bid and an ask now, or null when the book lacks a side. */
export function wantedQuotes(p: QuotingParams, book: BookView, inventory: Exact): WantedQuotes | null {
  const bestBid = book.best('bid');
  const bestAsk = book.best('ask');
  if (!bestBid || !bestAsk) return null;
  const tick = priceStep(p, book);
  let reference: Exact;
  if (p.reference === 'micro' && !bestBid.size.add(bestAsk.size).isZero) {
    // Microprice leans toward the side with less size: that side is more likely to be taken next.
    const weighted = bestBid.price.mul(bestAsk.size).add(bestAsk.price.mul(bestBid.size));
    reference = weighted.div(bestBid.size.add(bestAsk.size), RULE_SCALE, 'floor');
  } else {
    reference = bestBid.price.add(bestAsk.price).mul(HALF);
  }
  const half = p.spreadBps !== null ? reference.mul(p.spreadBps).mul(HALF_BPS) : tick.mul(p.spreadTicks ?? Exact.ONE).mul(HALF);
  // Long: lower both quotes (sell more readily, buy less readily); short: raise them.
  const shift = p.skew.mul(half).mul(inventory).div(p.maxInventory, RULE_SCALE, 'floor');
  const centre = reference.sub(shift);
  let bid: Exact | null = centre.sub(half).toStep(tick, 'floor');
  let ask: Exact | null = centre.add(half).toStep(tick, 'ceil');
  if (bid.gte(bestAsk.price)) bid = bestAsk.price.sub(tick);
  if (ask.lte(bestBid.price)) ask = bestBid.price.add(tick);
  if (bid.sign <= 0) bid = null;
  return { reference, tick, bid: bid ? { price: bid } : null, ask: ask ? { price: ask } : null };
}
