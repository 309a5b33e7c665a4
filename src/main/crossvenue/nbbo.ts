/**
 * The verified NBBO: the best bid and offer across the synced books of a group, each with its venue
 * and age. When one venue's bid is above another's ask the NBBO is crossed: an arbitrage on paper,
 * sized by walking both books while the bid is still above the ask, with the taker fees of both legs
 * that would eat it.
 */
import type { Arbitrage, NbboSide } from '../../shared/cross-venue';
import { compareDecimal } from '../../shared/decimal-sum';
import type { PriceLevel } from '../book/order-book';
import type { FeeTable } from './fees';
import { isIncluded, type MemberBook } from './member';

export interface Nbbo {
  bid: NbboSide | null;
  ask: NbboSide | null;
  /** Best bid above best ask (on different venues; a synced book is never crossed in itself). */
  crossed: boolean;
  arbitrage: Arbitrage | null;
}

/** Most levels of each book the arbitrage walk reads. */
const MAX_WALK_LEVELS = 200;

export function computeNbbo(members: readonly MemberBook[], fees: FeeTable, now: number): Nbbo {
  let bid: { member: MemberBook; level: PriceLevel } | null = null;
  let ask: { member: MemberBook; level: PriceLevel } | null = null;
  for (const member of members) {
    if (!isIncluded(member)) continue;
    const b = member.book!.bestBid();
    const a = member.book!.bestAsk();
    // Ties go to the larger size: where more can be done at the same price.
    if (b && (!bid || better(compareDecimal(b.price, bid.level.price), b.size, bid.level.size))) bid = { member, level: b };
    if (a && (!ask || better(compareDecimal(ask.level.price, a.price), a.size, ask.level.size))) ask = { member, level: a };
  }
  const side = (x: { member: MemberBook; level: PriceLevel } | null): NbboSide | null =>
    x ? { price: x.level.price, size: x.level.sizeText, venue: x.member.venue, ageMs: Math.max(0, now - x.member.lastLocalTs) } : null;
  const crossed = bid !== null && ask !== null && compareDecimal(bid.level.price, ask.level.price) > 0;
  return {
    bid: side(bid),
    ask: side(ask),
    crossed,
    arbitrage: crossed ? arbitrage(bid!.member, ask!.member, fees) : null,
  };
}

/** `order` > 0: the candidate's price is better (a higher bid, a lower ask); equal prices prefer the larger size. */
function better(order: number, size: number, currentSize: number): boolean {
  return order > 0 || (order === 0 && size > currentSize);
}

/**
 * Sell into `seller`'s bids and buy `buyer`'s asks while the bid is above the ask: the size that
 * crosses, its gross profit, and both legs' taker fees on their notional.
 */
export function arbitrage(seller: MemberBook, buyer: MemberBook, fees: FeeTable): Arbitrage {
  const bids = seller.book!.top('bid', MAX_WALK_LEVELS);
  const asks = buyer.book!.top('ask', MAX_WALK_LEVELS);
  const sellFee = fees.taker(seller.venue);
  const buyFee = fees.taker(buyer.venue);
  let i = 0;
  let j = 0;
  let bidLeft = bids[0]?.size ?? 0;
  let askLeft = asks[0]?.size ?? 0;
  let size = 0;
  let gross = 0;
  let feeTotal = 0;
  while (i < bids.length && j < asks.length) {
    const bidPrice = seller.book!.priceValue(bids[i]!);
    const askPrice = buyer.book!.priceValue(asks[j]!);
    if (compareDecimal(bids[i]!.price, asks[j]!.price) <= 0) break;
    const q = Math.min(bidLeft, askLeft);
    size += q;
    gross += (bidPrice - askPrice) * q;
    feeTotal += bidPrice * q * sellFee + askPrice * q * buyFee;
    bidLeft -= q;
    askLeft -= q;
    if (bidLeft <= 1e-12) bidLeft = bids[++i]?.size ?? 0;
    if (askLeft <= 1e-12) askLeft = asks[++j]?.size ?? 0;
  }
  const bestBid = seller.book!.priceValue(bids[0]!);
  const bestAsk = buyer.book!.priceValue(asks[0]!);
  return {
    buyVenue: buyer.venue,
    sellVenue: seller.venue,
    size,
    gross,
    fees: feeTotal,
    net: gross - feeTotal,
    edgeBps: ((bestBid - bestAsk) / bestAsk) * 10_000,
  };
}
