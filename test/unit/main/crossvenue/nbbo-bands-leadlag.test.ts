/** NBBO with arbitrage, depth bands, lead/lag, instrument groups and the price grid, each against figures worked by hand. */
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../../src/main/book/order-book';
import { depthBands } from '../../../../src/main/crossvenue/depth-bands';
import { FeeTable, parseFeeOverrides } from '../../../../src/main/crossvenue/fees';
import { LeadLagTracker } from '../../../../src/main/crossvenue/lead-lag';
import type { MemberBook } from '../../../../src/main/crossvenue/member';
import { computeNbbo } from '../../../../src/main/crossvenue/nbbo';
import { coarsestTick, PriceGrid } from '../../../../src/main/crossvenue/price-grid';
import { groupKeyOf, instrumentGroups } from '../../../../src/shared/cross-venue';
import { isVenueId, type Instrument, type VenueId } from '../../../../src/shared/market';

function member(venue: VenueId, bids: Array<[string, string]>, asks: Array<[string, string]>, lastLocalTs = 1_000): MemberBook {
  const book = new OrderBook(venue, 'X');
  book.applySnapshot(bids, asks);
  return { venue, symbol: 'X', state: 'synced', message: null, book, lastLocalTs, tickSize: null };
}

describe('verified NBBO', () => {
  const a = (): MemberBook => member('demo', [['100.30', '1'], ['100.20', '2']], [['100.40', '1']], 1_000);
  const b = (): MemberBook => member('demo-b', [['100.0', '1']], [['100.1', '0.5'], ['100.2', '1'], ['100.3', '5']], 1_400);

  it('takes each side from the venue quoting best, with its age, and prices a crossed NBBO as an arbitrage', () => {
    const nbbo = computeNbbo([a(), b()], new FeeTable(), 1_500);
    expect(nbbo.bid).toEqual({ price: '100.30', size: '1', venue: 'demo', ageMs: 500 });
    expect(nbbo.ask).toEqual({ price: '100.1', size: '0.5', venue: 'demo-b', ageMs: 100 });
    expect(nbbo.crossed).toBe(true);
    // Sell demo's bids, buy demo-b's asks while bid > ask:
    //   0.5 @ 100.30 vs 100.1 → gross 0.10, fees (100.30 + 100.1) × 0.5 × 0.001 = 0.1002
    //   0.5 @ 100.30 vs 100.2 → gross 0.05, fees (100.30 + 100.2) × 0.5 × 0.001 = 0.10025
    //   100.20 vs 100.2: not above, stop. Size 1, gross 0.15, fees 0.20045, net −0.05045.
    const arb = nbbo.arbitrage!;
    expect(arb.sellVenue).toBe('demo');
    expect(arb.buyVenue).toBe('demo-b');
    expect(arb.size).toBeCloseTo(1, 12);
    expect(arb.gross).toBeCloseTo(0.15, 10);
    expect(arb.fees).toBeCloseTo(0.20045, 10);
    expect(arb.net).toBeCloseTo(-0.05045, 10);
    expect(arb.edgeBps).toBeCloseTo((0.2 / 100.1) * 10_000, 8);
  });

  it('with lower fees the same cross pays', () => {
    const arb = computeNbbo([a(), b()], new FeeTable({ demo: 1, 'demo-b': 1 }), 1_500).arbitrage!;
    expect(arb.fees).toBeCloseTo(0.020045, 10);
    expect(arb.net).toBeCloseTo(0.15 - 0.020045, 10);
  });

  it('ignores a book out of sync; an NBBO that does not cross has no arbitrage', () => {
    const venueA = a();
    venueA.state = 'resyncing';
    const nbbo = computeNbbo([venueA, b()], new FeeTable(), 1_500);
    expect(nbbo.bid?.venue).toBe('demo-b');
    expect(nbbo.crossed).toBe(false);
    expect(nbbo.arbitrage).toBeNull();
  });

  it('reads fee overrides as venue=bps and refuses nonsense', () => {
    expect(parseFeeOverrides('demo=2.5, okx=8', isVenueId)).toEqual({ demo: 2.5, okx: 8 });
    expect(new FeeTable(parseFeeOverrides('demo=2.5', isVenueId)).taker('demo')).toBeCloseTo(0.00025, 12);
    expect(() => parseFeeOverrides('nowhere=1', isVenueId)).toThrow(/known venue/);
    expect(() => parseFeeOverrides('demo=-1', isVenueId)).toThrow();
  });
});

describe('depth bands', () => {
  it('sums quote notional within ±10/25/50/100 bps of each venue’s own mid, per venue and in total', () => {
    // Mid 100: ±10 bps = ±0.10, ±25 = ±0.25, ±50 = ±0.50.
    const one = member('demo', [['99.95', '2'], ['99.80', '1']], [['100.05', '1'], ['100.30', '4']]);
    // Mid 200 (another venue may quote elsewhere; its band is around its own mid): 199.9 is 5 bps away, 199.0 50 bps.
    const two = member('demo-b', [['199.9', '1'], ['199.0', '1']], [['200.1', '1']]);
    const rows = depthBands([one, two]);
    const demo = [99.95 * 2 + 100.05, 99.95 * 2 + 100.05 + 99.8, 99.95 * 2 + 100.05 + 99.8 + 100.3 * 4, 99.95 * 2 + 100.05 + 99.8 + 100.3 * 4];
    const demoB = [199.9 + 200.1, 199.9 + 200.1, 199.9 + 200.1 + 199.0, 199.9 + 200.1 + 199.0];
    rows.forEach((row, i) => {
      expect(row.bps).toBe([10, 25, 50, 100][i]);
      expect(row.venues.demo).toBeCloseTo(demo[i]!, 9);
      expect(row.venues['demo-b']).toBeCloseTo(demoB[i]!, 9);
      expect(row.total).toBeCloseTo(demo[i]! + demoB[i]!, 9);
    });
  });
});

describe('lead/lag', () => {
  it('finds that the venue whose mid moves first leads, by how much', () => {
    const tracker = new LeadLagTracker(['demo', 'demo-b'], 100, 60, 20);
    // A random walk on demo; demo-b shows the same mid 3 bins (300 ms) later.
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const mids: number[] = [];
    let mid = 100;
    for (let i = 0; i < 700; i++) {
      mid *= 1 + (rand() - 0.5) * 0.002;
      mids.push(mid);
    }
    const t0 = 1_700_000_000_000;
    for (let i = 0; i < 700; i++) {
      tracker.record('demo', t0 + i * 100 + 10, mids[i]!);
      if (i >= 3) tracker.record('demo-b', t0 + i * 100 + 50, mids[i - 3]!);
    }
    const [pair] = tracker.pairs(t0 + 699 * 100 + 60);
    expect(pair).toMatchObject({ a: 'demo', b: 'demo-b', lagMs: 300, leader: 'demo' });
    expect(pair!.correlation).toBeGreaterThan(0.99);
  });

  it('answers at once before any mid and long after the last one (no walk from bin 0 to now)', () => {
    const tracker = new LeadLagTracker(['demo', 'demo-b'], 100, 60, 20);
    const now = 1_765_000_000_000;
    expect(tracker.pairs(now)).toEqual([{ a: 'demo', b: 'demo-b', lagMs: null, correlation: null, leader: null, samples: 0 }]);
    tracker.record('demo', now, 100);
    tracker.record('demo-b', now, 100);
    expect(tracker.pairs(now + 86_400_000)[0]!.samples).toBe(0);
    // A mid at time 0 (a book without data) then one now: a fresh series, not 17 billion bins.
    const early = new LeadLagTracker(['demo', 'demo-b'], 100, 60, 20);
    early.record('demo', 0, null);
    early.record('demo', now, 100);
    expect(early.pairs(now)[0]!.samples).toBe(0);
  });

  it('says nothing until both venues have moved enough, and does not bridge a venue out of sync', () => {
    const tracker = new LeadLagTracker(['demo', 'demo-b'], 100, 60, 5);
    for (let i = 0; i < 100; i++) {
      tracker.record('demo', i * 100, 100 + (i % 7));
      tracker.record('demo-b', i * 100, i < 95 ? null : 100 + (i % 7));
    }
    expect(tracker.pairs(100 * 100)[0]).toMatchObject({ lagMs: null, correlation: null, leader: null });
  });
});

describe('instrument groups', () => {
  const inst = (venue: VenueId, symbol: string, base: string, quote: string): Instrument => ({
    venue,
    symbol,
    display: `${base}/${quote}`,
    base,
    quote,
    tickSize: null,
    lotSize: null,
    pricePrecision: null,
    sizePrecision: null,
    status: 'TRADING',
  });
  const list = [
    inst('demo', 'BTCUSDT', 'BTC', 'USDT'),
    inst('demo-b', 'BTCUSDT', 'BTC', 'USDT'),
    inst('demo-b', 'BTCUSD', 'BTC', 'USD'),
    inst('kraken', 'XBT/USD', 'XBT', 'USD'),
    inst('demo', 'ETHBTC', 'ETH', 'BTC'),
  ];

  it('groups by base and exact quote by default, with venue aliases (XBT is BTC)', () => {
    expect(instrumentGroups(list, false)).toEqual([
      { key: 'BTC/USD', members: [{ venue: 'demo-b', symbol: 'BTCUSD' }, { venue: 'kraken', symbol: 'XBT/USD' }] },
      { key: 'BTC/USDT', members: [{ venue: 'demo', symbol: 'BTCUSDT' }, { venue: 'demo-b', symbol: 'BTCUSDT' }] },
    ]);
  });

  it('joins USD, USDT and USDC only when asked, one instrument per venue', () => {
    expect(groupKeyOf({ base: 'BTC', quote: 'USDC' }, true)).toBe('BTC/USD(T)');
    expect(groupKeyOf({ base: 'BTC', quote: 'USDC' }, false)).toBe('BTC/USDC');
    expect(instrumentGroups(list, true)).toEqual([
      {
        key: 'BTC/USD(T)',
        members: [
          { venue: 'demo', symbol: 'BTCUSDT' },
          { venue: 'demo-b', symbol: 'BTCUSDT' },
          { venue: 'kraken', symbol: 'XBT/USD' },
        ],
      },
    ]);
  });
});

describe('price grid', () => {
  it('rounds bids down and asks up to the common tick, exactly, at the tick’s decimals', () => {
    const grid = new PriceGrid('0.5');
    expect(grid.row('100.49999999', 'bid')).toBe('100.0');
    expect(grid.row('100.49999999', 'ask')).toBe('100.5');
    expect(grid.row('100.5', 'ask')).toBe('100.5');
    expect(grid.row('1E+2', 'bid')).toBe('100.0');
    expect(new PriceGrid('0.00001').row('0.000012345', 'bid')).toBe('0.00001');
    expect(new PriceGrid('10').row('64251.23', 'ask')).toBe('64260');
    expect(grid.row('-1', 'bid')).toBeNull();
  });

  it('picks the coarsest tick', () => {
    expect(coarsestTick(['0.01', null, '0.1', '0.05'])).toBe('0.1');
    expect(coarsestTick([null])).toBeNull();
  });
});
