/**
 * The paper market maker on hand-built books and trades: one test per queue rule (joining behind the
 * displayed size, trades advancing the queue, cancels under each model, a trade-through), latency,
 * the quoting rule and the accounting identity.
 */
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../../src/main/book/order-book';
import { orderBookView } from '../../../../src/main/strategy/book-view';
import { MarketMakerEngine, type EngineFill } from '../../../../src/main/strategy/engine';
import { Exact } from '../../../../src/main/strategy/exact';
import { joinQueue, levelChanged, tradeAtPrice } from '../../../../src/main/strategy/queue';
import { DEFAULT_MARKET_MAKER_SETTINGS, marketMakerSettingsProblems, type MarketMakerSettings } from '../../../../src/shared/market-maker';

/** Bid 100 × 5, ask 102 × 5 on a 1-wide step; a 2-tick spread quotes exactly at the best bid and ask. */
function setup(overrides: Partial<MarketMakerSettings> = {}) {
  const settings: MarketMakerSettings = {
    ...DEFAULT_MARKET_MAKER_SETTINGS,
    spreadTicks: 2,
    spreadBps: null,
    size: '1',
    maxInventory: '3',
    skew: '0',
    entryLatencyMs: 0,
    cancelLatencyMs: 0,
    tickSize: '1',
    ...overrides,
  };
  expect(marketMakerSettingsProblems(settings)).toEqual([]);
  const book = new OrderBook('test', 'X');
  book.applySnapshot([['100', '5']], [['102', '5']]);
  const view = orderBookView(book);
  const fills: EngineFill[] = [];
  const engine = new MarketMakerEngine(settings, (f) => fills.push(f));
  return { book, view, engine, fills, settings };
}

describe('queue position', () => {
  it('joins behind the displayed size and only fills once trades at its price have used it up', () => {
    const { view, engine, fills } = setup();
    engine.onBook(1000, view);
    expect(engine.quotes()).toEqual([
      { side: 'buy', price: '100', size: '1', state: 'live', queueAhead: '5' },
      { side: 'sell', price: '102', size: '1', state: 'live', queueAhead: '5' },
    ]);
    engine.onTrade(1001, { price: '100', size: '3', side: 'sell' });
    expect(fills).toEqual([]);
    expect(engine.quotes()[0]!.queueAhead).toBe('2');
    // 2 more clear the queue ahead; the remaining 0.5 of this print is ours.
    engine.onTrade(1002, { price: '100', size: '2.5', side: 'sell' });
    expect(fills).toEqual([{ ts: 1002, side: 'buy', price: '100', size: '0.5', quoteTs: 1000, liquidity: 'maker', fee: '0' }]);
    engine.onTrade(1003, { price: '100', size: '4', side: 'sell' });
    expect(fills.map((f) => f.size)).toEqual(['0.5', '0.5']);
  });

  it('ignores prints by a taker on our own side and prints away from our price', () => {
    const { view, engine, fills } = setup();
    engine.onBook(1000, view);
    engine.onTrade(1001, { price: '100', size: '50', side: 'buy' });
    engine.onTrade(1002, { price: '101', size: '50', side: 'sell' });
    engine.onTrade(1003, { price: '100', size: '50', side: 'unknown' });
    expect(fills).toEqual([]);
    expect(engine.quotes()[0]!.queueAhead).toBe('5');
  });

  it('fills at once, in full and at its own price, when a trade prints through its price', () => {
    const { view, engine, fills } = setup();
    engine.onBook(1000, view);
    engine.onTrade(1001, { price: '103', size: '0.01', side: 'buy' });
    expect(fills).toEqual([{ ts: 1001, side: 'sell', price: '102', size: '1', quoteTs: 1000, liquidity: 'maker', fee: '0' }]);
  });

  it('risk-averse: cancels never advance the queue beyond what is displayed', () => {
    const q = joinQueue(Exact.of('10'));
    tradeAtPrice(q, Exact.of('2')); // 8 ahead
    levelChanged('risk-averse', q, Exact.of('8')); // the trade leaves the book
    expect(q.ahead.toString()).toBe('8');
    levelChanged('risk-averse', q, Exact.of('20')); // more joins behind us
    expect(q.ahead.toString()).toBe('8');
    levelChanged('risk-averse', q, Exact.of('15')); // a cancel: somewhere, but we assume behind us
    expect(q.ahead.toString()).toBe('8');
    levelChanged('risk-averse', q, Exact.of('3')); // fewer displayed than we thought ahead
    expect(q.ahead.toString()).toBe('3');
  });

  it('prob: a cancel advances the queue by the front share f(front)/(f(front)+f(back)), f(x)=x²', () => {
    const q = joinQueue(Exact.of('4'));
    levelChanged('prob', q, Exact.of('10')); // 6 join behind: front 4, back 6
    levelChanged('prob', q, Exact.of('5.001')); // 4.999 cancelled: 4.999 × 16/52 = 1.538… from the front
    // 4 − 1.538153846153 = 2.461846153847, rounded up to the sizes' 3 decimals.
    expect(q.ahead.toString()).toBe('2.462');
    // A fall the trades explain is not a cancel.
    const r = joinQueue(Exact.of('4'));
    levelChanged('prob', r, Exact.of('10'));
    tradeAtPrice(r, Exact.of('3')); // 1 ahead
    levelChanged('prob', r, Exact.of('7'));
    expect(r.ahead.toString()).toBe('1');
    // More cancelled behind us than stood there: the excess came from the front (1 − 0.35 − 0.15).
    const s = joinQueue(Exact.of('1'));
    levelChanged('prob', s, Exact.of('4')); // back 3
    levelChanged('prob', s, Exact.of('0.5')); // 3.5 cancelled: 0.35 from the front, 3.15 from a back of 3
    expect(s.ahead.toString()).toBe('0.5');
  });
});

describe('latency', () => {
  it('an order is not on the book, and cannot fill, until its entry latency has passed', () => {
    const { view, engine, fills } = setup({ entryLatencyMs: 100 });
    engine.onBook(1000, view);
    expect(engine.quotes().map((q) => q.state)).toEqual(['pending', 'pending']);
    engine.onTrade(1050, { price: '99', size: '10', side: 'sell' });
    expect(fills).toEqual([]);
    engine.onTrade(1150, { price: '99', size: '10', side: 'sell' });
    expect(fills).toEqual([{ ts: 1150, side: 'buy', price: '100', size: '1', quoteTs: 1100, liquidity: 'maker', fee: '0' }]);
  });

  it('a cancelled order can still fill until its cancel latency has passed', () => {
    const { book, view, engine, fills } = setup({ cancelLatencyMs: 100 });
    engine.onBook(1000, view);
    book.applyDelta([['100', '0'], ['105', '1']], [['102', '0'], ['107', '1']]); // the market moves up 5
    engine.onBook(1010, view);
    const buys = engine.quotes().filter((q) => q.side === 'buy');
    expect(buys.map((q) => [q.price, q.state])).toEqual([
      ['100', 'cancelling'],
      ['105', 'live'],
    ]);
    engine.onTrade(1050, { price: '99', size: '1', side: 'sell' }); // through both bids
    expect(fills.map((f) => f.price)).toEqual(['100', '105']);
  });

  it('an order that arrives after the market crossed its price takes liquidity at the best opposite level', () => {
    const { book, view, engine, fills } = setup({ entryLatencyMs: 100, takerFeeBps: '5' });
    engine.onBook(1000, view);
    book.applyDelta([['100', '0'], ['97', '4']], [['102', '0'], ['99', '0.25']]); // the market falls through our bid
    engine.onBook(1050, view);
    engine.onBook(1200, view);
    const taker = fills.find((f) => f.liquidity === 'taker');
    // 99 × 0.25 × 5 bps = 0.012375
    expect(taker).toEqual({ ts: 1100, side: 'buy', price: '99', size: '0.25', quoteTs: 1100, liquidity: 'taker', fee: '0.012375' });
  });
});

describe('quoting rule', () => {
  it('quotes a spread in bps around mid, rounded away from it to the step', () => {
    const { book, view, engine } = setup({ spreadTicks: null, spreadBps: '100', tickSize: '0.01' });
    book.applySnapshot([['100', '5']], [['100.5', '5']]);
    engine.onBook(1000, view); // mid 100.25, half spread 0.50125
    expect(engine.quotes().map((q) => q.price)).toEqual(['99.74', '100.76']);
  });

  it('skews both quotes against the position and stops buying at the inventory limit', () => {
    const { book, view, engine } = setup({ spreadTicks: 10, skew: '1', maxInventory: '2', size: '1' });
    book.applySnapshot([['90', '5']], [['110', '5']]);
    engine.onBook(1000, view); // mid 100, half 5: 95 / 105
    expect(engine.quotes().map((q) => q.price)).toEqual(['95', '105']);
    engine.onTrade(1001, { price: '94', size: '1', side: 'sell' }); // long 1
    engine.onBook(1002, view); // centre 100 − 1 × 5 × 1/2 = 97.5: 92 / 103
    expect(engine.quotes().map((q) => [q.side, q.price])).toEqual([
      ['buy', '92'],
      ['sell', '103'],
    ]);
    engine.onTrade(1003, { price: '91', size: '1', side: 'sell' }); // long 2 = the limit
    engine.onBook(1004, view);
    expect(engine.quotes().map((q) => q.side)).toEqual(['sell']);
  });

  it('never crosses the market at decision time', () => {
    const { book, view, engine } = setup({ spreadTicks: 1, skew: '1', maxInventory: '1' });
    book.applySnapshot([['100', '5']], [['101', '5']]);
    engine.onBook(1000, view);
    engine.onTrade(1001, { price: '99', size: '1', side: 'sell' }); // long 1 = max: centre 100.5 − 0.5
    engine.onBook(1002, view);
    expect(engine.quotes().map((q) => [q.side, q.price])).toEqual([['sell', '101']]);
  });
});

describe('accounting', () => {
  it('keeps cash, fees, realized and unrealized PnL exact, and pnl = cash + inventory × mark − fees', () => {
    const { engine } = setup();
    const a = engine.account;
    a.fill('buy', Exact.of('0.1'), Exact.of('0.3'), Exact.of('-0.000003'));
    a.fill('buy', Exact.of('0.2'), Exact.of('0.3'), Exact.ZERO);
    a.fill('sell', Exact.of('0.3'), Exact.of('0.4'), Exact.ZERO);
    a.markAt(Exact.of('0.25'));
    const s = a.summary();
    expect(s.inventory).toBe('0.2');
    expect(s.cash).toBe('0.03'); // −0.03 − 0.06 + 0.12
    expect(s.realizedPnl).toBe('0.07'); // 0.3 × (0.3 − 0.1) + 0.1 × (0.3 − 0.2)
    expect(s.unrealizedPnl).toBe('0.01'); // 0.2 × (0.25 − 0.2)
    expect(s.pnl).toBe('0.080003');
    expect(Exact.of(s.cash).add(Exact.of(s.inventory).mul(Exact.of(s.mark))).sub(Exact.of(s.fees)).toString()).toBe(s.pnl);
    expect(Exact.of(s.realizedPnl).add(Exact.of(s.unrealizedPnl)).sub(Exact.of(s.fees)).toString()).toBe(s.pnl);
    expect(s.turnover).toBe('0.21');
    expect(s.maxInventory).toBe('0.6');
  });

  it('tracks the deepest fall of PnL from its peak', () => {
    const { engine } = setup();
    const a = engine.account;
    a.markAt(Exact.of('100'));
    a.fill('buy', Exact.of('100'), Exact.of('2'), Exact.ZERO);
    a.markAt(Exact.of('103')); // +6
    a.markAt(Exact.of('98')); // −4: 10 below the peak
    a.markAt(Exact.of('104'));
    expect(a.summary().maxDrawdown).toBe('10');
  });
});

describe('settings', () => {
  it('names every bad setting', () => {
    const problems = marketMakerSettingsProblems({
      ...DEFAULT_MARKET_MAKER_SETTINGS,
      size: '-1',
      spreadTicks: null,
      spreadBps: '0',
      queue: 'fifo' as never,
    });
    expect(problems).toEqual([
      'spread-bps must be greater than zero, got 0',
      'size must be greater than zero, got -1',
      'unknown queue model "fifo" (use risk-averse or prob)',
    ]);
  });
});
