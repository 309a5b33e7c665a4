/**
 * The impact calculator against hand-computed walks (arithmetic in the comments).
 */
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../../src/main/book/order-book';
import { simulateImpact, type ImpactBook } from '../../../../src/main/analytics/impact';
import { parseSimulateQuery } from '../../../../src/main/analytics/impact-query';

function book(venue: 'binance-spot' | 'okx' | 'kraken', bids: Array<[string, string]>, asks: Array<[string, string]>): ImpactBook {
  const b = new OrderBook(venue, 'TEST');
  b.applySnapshot(bids, asks);
  return { venue, symbol: 'TEST', book: b };
}

const A = book(
  'binance-spot',
  [
    ['100.0', '2'],
    ['99.5', '3'],
    ['99.0', '5'],
  ],
  [
    ['100.5', '1'],
    ['101.0', '4'],
    ['102.0', '10'],
  ],
);

describe('impact of one book', () => {
  it('buy by base size: VWAP, worst price, slippage, per-level fills', () => {
    const r = simulateImpact([A], { side: 'buy', size: 3 });
    // 1 @ 100.5 + 2 @ 101 = 100.5 + 202 = 302.5 for 3.
    expect(r.fills).toEqual([
      { venue: 'binance-spot', price: '100.5', size: 1, cost: 100.5, cumSize: 1, cumCost: 100.5 },
      { venue: 'binance-spot', price: '101.0', size: 2, cost: 202, cumSize: 3, cumCost: 302.5 },
    ]);
    expect(r.filledBase).toBe(3);
    expect(r.filledQuote).toBe(302.5);
    expect(r.vwap).toBeCloseTo(302.5 / 3, 12);
    expect(r.complete).toBe(true);
    expect(r.remaining).toBe(0);
    expect(r.bestPrice).toBe('100.5');
    expect(r.worstPrice).toBe('101.0');
    expect(r.levelsConsumed).toBe(2);
    expect(r.mid).toBe(100.25);
    // vs best: 100.8333 − 100.5 = 0.3333 → 33.17 bps of 100.5; vs mid: 0.5833 → 58.19 bps of 100.25.
    expect(r.slippageVsBest).toBeCloseTo(1 / 3, 12);
    expect(r.slippageVsBestBps).toBeCloseTo((1 / 3 / 100.5) * 10_000, 9);
    expect(r.slippageVsMid).toBeCloseTo(302.5 / 3 - 100.25, 12);
    expect(r.slippageVsMidBps).toBeCloseTo(((302.5 / 3 - 100.25) / 100.25) * 10_000, 9);
    expect(r.fee).toBe(0);
    expect(r.total).toBe(302.5);
  });

  it('a partial fill when the side runs out', () => {
    const r = simulateImpact([A], { side: 'buy', size: 20 });
    // All 15 on offer: 100.5 + 404 + 1020 = 1524.5.
    expect(r.complete).toBe(false);
    expect(r.filledBase).toBe(15);
    expect(r.filledQuote).toBe(1524.5);
    expect(r.remaining).toBe(5);
    expect(r.levelsConsumed).toBe(3);
    expect(r.worstPrice).toBe('102.0');
  });

  it('sell by quote notional takes only what completes the notional at the last level', () => {
    const r = simulateImpact([A], { side: 'sell', notional: 400 });
    // 2 @ 100 = 200 (all of it); 200 more at 99.5 = 200 / 99.5 = 2.0100502… of the 3 there.
    expect(r.mode).toBe('quote');
    expect(r.fills).toHaveLength(2);
    expect(r.fills[1]!.size).toBeCloseTo(200 / 99.5, 12);
    expect(r.fills[1]!.cost).toBe(200);
    expect(r.filledQuote).toBe(400);
    expect(r.filledBase).toBeCloseTo(2 + 200 / 99.5, 12);
    expect(r.vwap).toBeCloseTo(400 / (2 + 200 / 99.5), 10);
    expect(r.complete).toBe(true);
    expect(r.remaining).toBe(0);
    // A sell is worse below the reference: best 100, VWAP 99.749 → +0.2506.
    expect(r.slippageVsBest).toBeCloseTo(100 - 400 / (2 + 200 / 99.5), 10);
    expect(r.slippageVsMid).toBeCloseTo(100.25 - 400 / (2 + 200 / 99.5), 10);
  });

  it('a notional that ends exactly on a level boundary, and one beyond the book', () => {
    // 100.5 + 404 = 504.5 is exactly the first two ask levels.
    const exact = simulateImpact([A], { side: 'buy', notional: 504.5 });
    expect(exact.complete).toBe(true);
    expect(exact.filledBase).toBe(5);
    expect(exact.levelsConsumed).toBe(2);
    const beyond = simulateImpact([A], { side: 'buy', notional: 2000 });
    expect(beyond.complete).toBe(false);
    expect(beyond.filledQuote).toBe(1524.5);
    expect(beyond.remaining).toBeCloseTo(475.5, 9);
  });

  it('a taker fee is added to a buy and taken from a sell', () => {
    const buy = simulateImpact([A], { side: 'buy', size: 3, feeBps: 10 });
    // 302.5 · 10 bps = 0.3025
    expect(buy.fee).toBeCloseTo(0.3025, 12);
    expect(buy.total).toBeCloseTo(302.8025, 12);
    expect(buy.effectivePrice).toBeCloseTo(302.8025 / 3, 12);
    expect(buy.vwap).toBeCloseTo(302.5 / 3, 12); // VWAP stays the book's price
    const sell = simulateImpact([A], { side: 'sell', size: 4, feeBps: 7.5 });
    // 2 @ 100 + 2 @ 99.5 = 399; fee 399 · 0.00075 = 0.29925
    expect(sell.filledQuote).toBe(399);
    expect(sell.fee).toBeCloseTo(0.29925, 12);
    expect(sell.total).toBeCloseTo(399 - 0.29925, 12);
  });

  it('an empty side fills nothing and says so', () => {
    const noAsks = book('binance-spot', [['100', '1']], []);
    const r = simulateImpact([noAsks], { side: 'buy', size: 1 });
    expect(r).toMatchObject({
      filledBase: 0,
      filledQuote: 0,
      complete: false,
      remaining: 1,
      vwap: null,
      bestPrice: null,
      worstPrice: null,
      mid: null,
      slippageVsBest: null,
      slippageVsMid: null,
      levelsConsumed: 0,
      effectivePrice: null,
      fills: [],
    });
    // The other side still works, without a mid.
    const sell = simulateImpact([noAsks], { side: 'sell', size: 0.5 });
    expect(sell.complete).toBe(true);
    expect(sell.mid).toBeNull();
    expect(sell.slippageVsBest).toBe(0);
  });

  it('agrees with OrderBook.walk in base units on a large book', () => {
    const big = new OrderBook('binance-spot', 'BIG');
    const asks: Array<[string, string]> = [];
    for (let i = 0; i < 3000; i++) asks.push([(50_000 + i * 0.5).toFixed(2), (0.001 + ((i * 7919) % 100) / 37).toFixed(5)]);
    big.applySnapshot([['49999.50', '1']], asks);
    for (const size of [0.0005, 3.3, 77.77, 1e6]) {
      const r = simulateImpact([{ venue: 'binance-spot', symbol: 'BIG', book: big }], { side: 'buy', size });
      const w = big.walk('buy', size);
      expect(r.filledBase).toBeCloseTo(w.filled, 9);
      expect(r.filledQuote).toBeCloseTo(w.cost, 6);
      expect(r.levelsConsumed).toBe(w.levelsConsumed);
      expect(r.worstPrice).toBe(w.worstPrice);
      expect(r.complete).toBe(w.complete);
    }
  });

  it('rejects bad orders', () => {
    expect(() => simulateImpact([A], { side: 'buy' })).toThrow(/exactly one/);
    expect(() => simulateImpact([A], { side: 'buy', size: 1, notional: 1 })).toThrow(/exactly one/);
    expect(() => simulateImpact([A], { side: 'buy', size: -1 })).toThrow(/positive/);
    expect(() => simulateImpact([A], { side: 'buy', size: 1, feeBps: 5000 })).toThrow(/fee/);
  });
});

describe('impact across venues', () => {
  const B = book(
    'okx',
    [['100.1', '1']],
    [
      ['100.7', '2'],
      ['101.0', '1'],
      ['103.0', '5'],
    ],
  );

  it('splits the order best price first, ties to the book listed first', () => {
    // Consolidated asks: 100.5 A×1, 100.7 B×2, 101 A×4, 101 B×1, 102 A×10, 103 B×5.
    const r = simulateImpact([A, B], { side: 'buy', size: 8 });
    expect(r.fills.map((f) => [f.venue, f.price, f.size])).toEqual([
      ['binance-spot', '100.5', 1],
      ['okx', '100.7', 2],
      ['binance-spot', '101.0', 4],
      ['okx', '101.0', 1],
    ]);
    // 100.5 + 201.4 + 404 + 101 = 806.9
    expect(r.filledQuote).toBeCloseTo(806.9, 10);
    expect(r.vwap).toBeCloseTo(806.9 / 8, 12);
    expect(r.venues).toEqual([
      { venue: 'binance-spot', symbol: 'TEST', filledBase: 5, filledQuote: 504.5, vwap: 100.9, levels: 2 },
      { venue: 'okx', symbol: 'TEST', filledBase: 3, filledQuote: expect.closeTo(302.4, 10), vwap: expect.closeTo(100.8, 10), levels: 2 },
    ]);
    // Consolidated mid: best bid 100.1 (okx), best ask 100.5 (binance) → 100.3.
    expect(r.mid).toBeCloseTo(100.3, 12);
    expect(r.bestPrice).toBe('100.5');
  });

  it('a cross-venue sell by notional', () => {
    // Consolidated bids: 100.1 B×1, 100 A×2, 99.5 A×3 …; 250 quote = 100.1 + 149.9 at 100 (1.499).
    const r = simulateImpact([A, B], { side: 'sell', notional: 250 });
    expect(r.fills.map((f) => [f.venue, f.price])).toEqual([
      ['okx', '100.1'],
      ['binance-spot', '100.0'],
    ]);
    expect(r.fills[1]!.size).toBeCloseTo(149.9 / 100, 12);
    expect(r.filledBase).toBeCloseTo(1 + 1.499, 12);
    expect(r.complete).toBe(true);
  });

  it('the same order on one venue only is no better than the split', () => {
    const split = simulateImpact([A, B], { side: 'buy', size: 8 });
    const alone = simulateImpact([A], { side: 'buy', size: 8 });
    expect(split.vwap!).toBeLessThan(alone.vwap!);
  });
});

describe('/api/simulate parameters', () => {
  const q = (s: string) => parseSimulateQuery(new URLSearchParams(s));

  it('reads one book or several', () => {
    expect(q('venue=binance-spot&symbol=BTCUSDT&side=buy&size=1.5')).toEqual({
      books: [{ venue: 'binance-spot', symbol: 'BTCUSDT' }],
      side: 'buy',
      size: 1.5,
      feeBps: 0,
    });
    expect(q('venue=binance-spot,okx&symbol=BTCUSDT,BTC-USDT&side=sell&notional=1e4&fee=7.5')).toEqual({
      books: [
        { venue: 'binance-spot', symbol: 'BTCUSDT' },
        { venue: 'okx', symbol: 'BTC-USDT' },
      ],
      side: 'sell',
      notional: 10_000,
      feeBps: 7.5,
    });
    // token= (web host auth) is not an order parameter and is ignored.
    expect(q('venue=demo&symbol=X&side=buy&size=1&token=abc').books).toHaveLength(1);
  });

  it('says what is wrong with bad parameters', () => {
    expect(() => q('symbol=X&side=buy&size=1')).toThrow(/venue is required/);
    expect(() => q('venue=demo&side=buy&size=1')).toThrow(/symbol is required/);
    expect(() => q('venue=demo&symbol=X&side=hold&size=1')).toThrow(/side must be buy or sell/);
    expect(() => q('venue=demo&symbol=X&side=buy')).toThrow(/exactly one of size or notional/);
    expect(() => q('venue=demo&symbol=X&side=buy&size=1&notional=5')).toThrow(/exactly one of size or notional/);
    expect(() => q('venue=demo&symbol=X&side=buy&size=abc')).toThrow(/size must be a positive number/);
    expect(() => q('venue=demo&symbol=X&side=buy&size=-2')).toThrow(/size must be a positive number/);
    expect(() => q('venue=demo&symbol=X&side=buy&size=0')).toThrow(/size/);
    expect(() => q('venue=demo&symbol=X&side=buy&size=1&fee=2000')).toThrow(/fee/);
    expect(() => q('venue=mars&symbol=X&side=buy&size=1')).toThrow(/venue/);
    expect(() => q('venue=demo&symbol=X%20Y&side=buy&size=1')).toThrow(/symbol/);
    expect(() => q('venue=demo,okx&symbol=A,B,C&side=buy&size=1')).toThrow(/one symbol per venue/);
    expect(() => q('venue=demo&venue=okx&symbol=X&side=buy&size=1')).toThrow(/venue once/);
  });
});
