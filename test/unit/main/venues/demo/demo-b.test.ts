/** demo-b's market follows demo's: each step its mid is demo's mid of `lagMs` earlier, on its own (coarser) tick. */
import { describe, expect, it } from 'vitest';
import { DEMO_B_SYMBOLS, SyntheticMarket } from '../../../../../src/main/venues/demo/market';

function mid(market: SyntheticMarket, symbol: string): number {
  const book = market.trueBook(symbol)!;
  return (Number(book.bids[0]![0]) + Number(book.asks[0]![0])) / 2;
}

describe('demo-b', () => {
  it('quotes BTCUSDT on a 0.1 tick at demo’s mid of 400 ms before, and walks alone without a leader', () => {
    const demo = new SyntheticMarket(undefined, 3);
    const demoB = new SyntheticMarket(DEMO_B_SYMBOLS, 5, { midAt: (s, ts) => demo.midAt(s, ts), lagMs: 400 });
    const demoMids = new Map<number, number>();
    for (let t = 1_000; t <= 30_000; t += 100) {
      demo.step(t);
      demoMids.set(t, demo.midAt('BTCUSDT', t)!);
      demoB.step(t);
      if (t < 2_000) continue;
      // The follower's touch sits around the leader's mid of 400 ms ago (within its 0.1 tick and spread).
      expect(Math.abs(mid(demoB, 'BTCUSDT') - demoMids.get(t - 400)!)).toBeLessThanOrEqual(0.2);
    }
    for (const [price] of demoB.trueBook('BTCUSDT')!.bids.slice(0, 20)) expect(price).toMatch(/^\d+\.\d$/);
    expect(demoB.exchangeInfo()).toContain('"symbol":"BTCUSD"');

    const alone = new SyntheticMarket(DEMO_B_SYMBOLS, 5);
    const start = mid(alone, 'ETHUSDT');
    for (let t = 1_000; t <= 20_000; t += 100) alone.step(t);
    expect(mid(alone, 'ETHUSDT')).not.toBe(start);
  });
});
