import { describe, expect, it } from 'vitest';
import { addDecimal, compareDecimal, DecimalSum } from '../../../../src/shared/decimal-sum';
import type { Trade } from '../../../../src/shared/market';
import { isTradeThrough, TradeStats } from '../../../../src/main/trades/stats';

function trade(id: string | null, side: Trade['side'] = 'buy', size = '1', price = '100', extra: Partial<Trade> = {}): Trade {
  return { venue: 'binance-spot', symbol: 'BTCUSDT', id, price, size, side, exchangeTs: 1000, localTs: 1001, ...extra };
}

function feed(stats: TradeStats, ids: number[]): void {
  for (const id of ids) stats.add(trade(String(id)), 'trade', true);
}

describe('exact decimal sums', () => {
  it('adds without float error and keeps every digit', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3');
    expect(addDecimal('1181.463', '1116.890')).toBe('2298.353');
    expect(addDecimal('-1.5', '1.5')).toBe('0');
    const sum = new DecimalSum();
    for (let i = 0; i < 10; i++) sum.add('0.1');
    sum.add('1e-8');
    expect(sum.toString()).toBe('1.00000001');
  });

  it('compares across written precision', () => {
    expect(compareDecimal('0.10', '0.1')).toBe(0);
    expect(compareDecimal('2681.62', '2681.619')).toBe(1);
    expect(compareDecimal('0.00000638', '0.0000064')).toBe(-1);
  });
});

describe('trade stats: id holes', () => {
  it('counts one hole per run of missing ids, and the ids missing', () => {
    const stats = new TradeStats();
    feed(stats, [1, 2, 5, 9, 10]);
    const s = stats.get('binance-spot', 'BTCUSDT', 'trade')!;
    expect(s.idGaps).toBe(2); // 3-4 and 6-8
    expect(s.missingIds).toBe(5);
    expect([s.firstId, s.lastId]).toEqual(['1', '10']);
  });

  it('a late id shrinks, splits or closes its hole, and counts as out of order', () => {
    const stats = new TradeStats();
    feed(stats, [1, 6]); // hole 2..5
    feed(stats, [3]); // splits: 2, 4..5
    let s = stats.get('binance-spot', 'BTCUSDT', 'trade')!;
    expect([s.idGaps, s.missingIds, s.outOfOrder]).toEqual([2, 3, 1]);
    feed(stats, [2, 4, 5]);
    s = stats.get('binance-spot', 'BTCUSDT', 'trade')!;
    expect([s.idGaps, s.missingIds, s.outOfOrder]).toEqual([0, 0, 4]);
  });

  it('an id below the first seen extends the range downwards', () => {
    const stats = new TradeStats();
    feed(stats, [10, 7]);
    const s = stats.get('binance-spot', 'BTCUSDT', 'trade')!;
    expect([s.firstId, s.lastId, s.idGaps, s.missingIds]).toEqual(['7', '10', 1, 2]);
  });

  it('keeps counting holes it can no longer fill once past the open-hole bound', () => {
    const stats = new TradeStats({ maxOpenHoles: 2 });
    feed(stats, [1, 3, 5, 7]); // holes 2, 4, 6: the first is closed
    feed(stats, [2]);
    const s = stats.get('binance-spot', 'BTCUSDT', 'trade')!;
    expect([s.idGaps, s.missingIds]).toEqual([3, 3]);
  });

  it('ids that are not integers get first/last but no gap counting', () => {
    const stats = new TradeStats();
    for (const id of ['b-1', 'a-2', 'c-3']) stats.add({ ...trade(id), venue: 'bybit-linear' }, 'publicTrade', false);
    const s = stats.get('bybit-linear', 'BTCUSDT', 'publicTrade')!;
    expect([s.firstId, s.lastId, s.idGaps, s.trades]).toEqual(['b-1', 'c-3', 0, 3]);
  });
});

describe('trade stats: duplicates, history, volume', () => {
  it('drops a trade resent after a reconnect, by id, within the recent window', () => {
    const stats = new TradeStats({ recentIds: 3 });
    expect(stats.add(trade('1'), 'trade', true)).toBe('counted');
    expect(stats.add(trade('2'), 'trade', true)).toBe('counted');
    expect(stats.add(trade('1'), 'trade', true)).toBe('duplicate');
    feed(stats, [3, 4, 5]); // 1 leaves the window
    expect(stats.add(trade('1'), 'trade', true)).toBe('counted');
    const s = stats.get('binance-spot', 'BTCUSDT', 'trade')!;
    expect([s.trades, s.duplicates, s.volume]).toEqual([6, 1, '6']);
  });

  it('keeps history out of the totals and ids', () => {
    const stats = new TradeStats();
    expect(stats.add(trade('9', 'sell', '0.07', '1', { history: true }), 'matches', true)).toBe('history');
    stats.add(trade('10', 'sell', '0.5'), 'matches', true);
    const s = stats.get('binance-spot', 'BTCUSDT', 'matches')!;
    expect(s.history).toEqual({ trades: 1, volume: '0.07' });
    expect([s.trades, s.volume, s.firstId, s.idGaps]).toEqual([1, '0.5', '10', 0]);
  });

  it('splits exact volume by taker side and sums aggregate fills', () => {
    const stats = new TradeStats();
    stats.add(trade('1', 'buy', '0.1', '100', { fills: 3 }), 'aggTrade', true);
    stats.add(trade('2', 'sell', '0.2'), 'aggTrade', true);
    stats.add(trade(null, 'unknown', '0.3'), 'aggTrade', true);
    const s = stats.get('binance-spot', 'BTCUSDT', 'aggTrade')!;
    expect([s.trades, s.fills, s.volume, s.takerBuy, s.takerSell, s.takerUnknown]).toEqual([3, 5, '0.6', '0.1', '0.2', '0.3']);
  });

  it('keeps streams of one symbol apart (trade ids and aggTrade ids are two sequences)', () => {
    const stats = new TradeStats();
    stats.add(trade('100'), 'trade', true);
    stats.add(trade('7'), 'aggTrade', true);
    expect(stats.all().map((s) => [s.stream, s.firstId])).toEqual([
      ['trade', '100'],
      ['aggTrade', '7'],
    ]);
  });
});

describe('trade stats: prints through the book', () => {
  const book = { bestBid: '99.5', bestAsk: '100.5', exchangeTs: 1000 };

  it('flags a taker buy above the best ask and a taker sell below the best bid', () => {
    expect(isTradeThrough(trade('1', 'buy', '1', '100.6'), book)).toBe(true);
    expect(isTradeThrough(trade('1', 'buy', '1', '100.50'), book)).toBe(false);
    expect(isTradeThrough(trade('1', 'sell', '1', '99.4'), book)).toBe(true);
    expect(isTradeThrough(trade('1', 'sell', '1', '100.6'), book)).toBe(false);
    expect(isTradeThrough(trade('1', 'unknown', '1', '99.4'), book)).toBe(true);
    expect(isTradeThrough(trade('1', 'unknown', '1', '100'), book)).toBe(false);
  });

  it('does not judge against a book older than the print (a sweep prints beyond the old best ask)', () => {
    expect(isTradeThrough(trade('1', 'buy', '1', '101', { exchangeTs: 1001 }), book)).toBe(false);
    expect(isTradeThrough(trade('1', 'buy', '1', '101'), { ...book, exchangeTs: null })).toBe(true);
  });

  it('counts anomalies per stream', () => {
    const stats = new TradeStats();
    stats.add(trade('1', 'buy', '1', '101'), 'trade', true, book);
    stats.add(trade('2', 'buy', '1', '100.5'), 'trade', true, book);
    expect(stats.get('binance-spot', 'BTCUSDT', 'trade')!.anomalies).toBe(1);
  });
});
