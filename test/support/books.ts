/** Comparing an adapter's book with what a fake exchange says it should hold. */
import { expect } from 'vitest';
import { canonicalDecimal } from '../../src/shared/decimal';
import type { SyntheticMarket } from '../../src/main/venues/demo/market';
import type { SymbolFeed } from '../../src/main/venues/symbol-feed';
import { until } from './wait';

type Levels = Array<[string, string]>;

/** A feed's levels in the venue's own text (exact digits, trailing zeros kept), best first. */
export function heldLevels(feed: SymbolFeed): { bids: string[][]; asks: string[][] } {
  const side = (s: 'bid' | 'ask') => [...feed.book.levels(s)].map((l) => [l.price, l.sizeText]);
  return { bids: side('bid'), asks: side('ask') };
}

/** One side of a feed's book as canonical decimals ("1.50" and "1.5" are the same level). */
export function canonicalSide(feed: SymbolFeed, side: 'bid' | 'ask'): string[][] {
  return [...feed.book.levels(side)].map((l) => [canonicalDecimal(l.price), canonicalDecimal(l.sizeText)]);
}

export function canonicalLevels(levels: Levels): string[][] {
  return levels.map(([p, q]) => [canonicalDecimal(p), canonicalDecimal(q)]);
}

/** Run `check` with the fake's market still (so an adapter can catch up), and set it moving again after. */
export async function whilePaused(fake: { pause(): void; resume(): void }, check: () => Promise<void>): Promise<void> {
  fake.pause();
  try {
    await check();
  } finally {
    fake.resume();
  }
}

/** Wait until `feed` is synced and holds exactly `expected()` in the venue's text, then assert it. */
export async function expectHeldLevels(feed: SymbolFeed, expected: () => { bids: Levels; asks: Levels }, what: string): Promise<void> {
  await until(() => feed.state === 'synced' && JSON.stringify(heldLevels(feed)) === JSON.stringify(expected()), 10_000, what);
  expect(heldLevels(feed)).toEqual(expected());
}

/**
 * Pause the fake, let the feed catch up, and compare every level with the true book of `marketSymbol`
 * in the fake's market, as canonical decimals; when it does not catch up, the assertions show the difference.
 */
export async function expectBookMatchesTrueBook(
  fake: { readonly market: SyntheticMarket; pause(): void; resume(): void },
  feed: SymbolFeed,
  marketSymbol = feed.symbol,
): Promise<void> {
  await whilePaused(fake, async () => {
    const truth = fake.market.trueBook(marketSymbol)!;
    const same = () =>
      feed.state === 'synced' &&
      JSON.stringify(canonicalSide(feed, 'bid')) === JSON.stringify(canonicalLevels(truth.bids)) &&
      JSON.stringify(canonicalSide(feed, 'ask')) === JSON.stringify(canonicalLevels(truth.asks));
    try {
      await until(same, 5000, `${feed.symbol} book to equal the fake's`);
    } catch {
      // Show the difference rather than only the timeout.
      expect(feed.state).toBe('synced');
      expect(canonicalSide(feed, 'bid')).toEqual(canonicalLevels(truth.bids));
      expect(canonicalSide(feed, 'ask')).toEqual(canonicalLevels(truth.asks));
    }
  });
}
