/**
 * The trade parsers on messages shaped as each venue documents them (Kraken, Coinbase Advanced and
 * Bybit have no trades in the shared captures; Binance, Coinbase and OKX are also proven on real
 * captures in trades-captures.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { MalformedFrameError } from '../../../../src/main/venues/adapter';
import { parseBinanceTrades } from '../../../../src/main/venues/binance/trades';
import { parseBybitTrades } from '../../../../src/main/venues/bybit/trades';
import { parseCoinbaseAdvancedTrades } from '../../../../src/main/venues/coinbase-advanced/trades';
import { parseCoinbaseTrades } from '../../../../src/main/venues/coinbase/trades';
import { parseKrakenTradeFrame, parseKrakenTrades } from '../../../../src/main/venues/kraken/trades';
import { parseOkxTrades } from '../../../../src/main/venues/okx/trades';

describe('Binance', () => {
  it('spot @trade on a raw stream: m true is a taker sell', () => {
    const batch = parseBinanceTrades('binance-spot', { e: 'trade', E: 2, s: 'BNBBTC', t: 12345, p: '0.001', q: '100', T: 1, m: true, M: true }, 5);
    expect(batch).toEqual({
      trades: [{ venue: 'binance-spot', symbol: 'BNBBTC', id: '12345', price: '0.001', size: '100', side: 'sell', exchangeTs: 1, localTs: 5 }],
      stream: 'trade',
      consecutiveIds: true,
    });
  });

  it('aggTrade in a combined envelope carries its fill count', () => {
    const batch = parseBinanceTrades('binance-usdm', { stream: 'btcusdt@aggTrade', data: { e: 'aggTrade', s: 'BTCUSDT', a: 7, p: '1', q: '2', f: 100, l: 104, T: 9, m: false } }, 10);
    expect(batch!.trades[0]).toMatchObject({ id: '7', side: 'buy', fills: 5, exchangeTs: 9 });
    expect(batch!.stream).toBe('aggTrade');
  });

  it('ignores other streams and refuses a trade without its fields', () => {
    expect(parseBinanceTrades('binance-spot', { stream: 'x@depth', data: { e: 'depthUpdate' } }, 0)).toBeNull();
    expect(() => parseBinanceTrades('binance-spot', { e: 'trade', s: 'X', t: 1, p: '1', q: '1', T: 1 }, 0)).toThrow(MalformedFrameError);
    expect(() => parseBinanceTrades('binance-spot', { e: 'aggTrade', s: 'X', a: 1, p: '1', q: '1', T: 1, m: true, f: 5, l: 4 }, 0)).toThrow(MalformedFrameError);
    expect(() => parseBinanceTrades('binance-spot', { e: 'trade', s: 'X', t: 1, p: 'NaN', q: '1', T: 1, m: true }, 0)).toThrow(MalformedFrameError);
  });
});

describe('Coinbase Exchange', () => {
  const match = { type: 'match', trade_id: 10, side: 'buy', size: '5.23512', price: '400.23', product_id: 'BTC-USD', sequence: 50, time: '2014-11-07T08:19:27.028459Z' };

  it('side is the maker side: a buy maker means a taker sell; µs kept', () => {
    const t = parseCoinbaseTrades(match, 1)!.trades[0]!;
    expect(t).toMatchObject({ side: 'sell', id: '10', size: '5.23512' });
    expect(t.exchangeTs).toBeCloseTo(Date.parse('2014-11-07T08:19:27.028Z') + 0.459, 6);
    expect(t.history).toBeUndefined();
  });

  it('last_match is history', () => {
    expect(parseCoinbaseTrades({ ...match, type: 'last_match' }, 1)!.trades[0]!.history).toBe(true);
    expect(parseCoinbaseTrades({ type: 'ticker', product_id: 'BTC-USD' }, 1)).toBeNull();
    expect(() => parseCoinbaseTrades({ ...match, time: 'yesterday' }, 1)).toThrow(MalformedFrameError);
  });
});

describe('Coinbase Advanced Trade', () => {
  it('market_trades: snapshot trades are history, update trades are live; side is the taker side', () => {
    const trade = (id: string, side: string) => ({ trade_id: id, product_id: 'ETH-USD', price: '1260.01', size: '0.3', side, time: '2019-08-14T20:42:27.265Z' });
    const batch = parseCoinbaseAdvancedTrades(
      {
        channel: 'market_trades',
        timestamp: '2023-02-09T20:19:35.39625135Z',
        sequence_num: 0,
        events: [
          { type: 'snapshot', trades: [trade('1', 'BUY')] },
          { type: 'update', trades: [trade('2', 'SELL')] },
        ],
      },
      3,
    )!;
    expect(batch.trades.map((t) => [t.id, t.side, t.history ?? false])).toEqual([
      ['1', 'buy', true],
      ['2', 'sell', false],
    ]);
    expect(batch.consecutiveIds).toBe(false);
    expect(parseCoinbaseAdvancedTrades({ channel: 'l2_data', events: [] }, 0)).toBeNull();
  });
});

describe('Kraken v2', () => {
  const frame =
    '{"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"sell","price":0.5150,"qty":6423.46326000,"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"}]}';

  it('keeps the exact digits of price and qty from the frame text', () => {
    const t = parseKrakenTradeFrame(frame, 1)!.trades[0]!;
    expect(t).toMatchObject({ symbol: 'MATIC/USD', side: 'sell', price: '0.5150', size: '6423.46326000', id: '4665906' });
  });

  it('a snapshot is history; ids are sequential per pair', () => {
    const batch = parseKrakenTrades({ ...JSON.parse(frame), type: 'snapshot' }, 1)!;
    expect(batch.trades[0]!.history).toBe(true);
    expect(batch.consecutiveIds).toBe(true);
    expect(parseKrakenTrades({ channel: 'book', type: 'update', data: [] }, 1)).toBeNull();
  });
});

describe('OKX', () => {
  it('trades: taker side, ids as text, aggregated count as fills; acknowledgements ignored', () => {
    const batch = parseOkxTrades(
      { arg: { channel: 'trades', instId: 'BTC-USDT' }, data: [{ instId: 'BTC-USDT', tradeId: '130639474', px: '42219.9', sz: '0.12060306', side: 'buy', ts: '1630048897897', count: '3' }] },
      1,
    )!;
    expect(batch.trades[0]).toMatchObject({ id: '130639474', side: 'buy', exchangeTs: 1630048897897, fills: 3 });
    expect(parseOkxTrades({ event: 'subscribe', arg: { channel: 'trades', instId: 'BTC-USDT' } }, 1)).toBeNull();
    expect(parseOkxTrades({ arg: { channel: 'books', instId: 'BTC-USDT' }, data: [] }, 1)).toBeNull();
    expect(() => parseOkxTrades({ arg: { channel: 'trades', instId: 'X' }, data: [{ tradeId: '1', px: '1', sz: '1', side: 'up', ts: '1' }] }, 1)).toThrow(MalformedFrameError);
  });
});

describe('Bybit v5', () => {
  it('publicTrade: S is the taker side, i the id (a UUID on linear), no history', () => {
    const batch = parseBybitTrades(
      'bybit-linear',
      {
        topic: 'publicTrade.BTCUSDT',
        type: 'snapshot',
        ts: 1672304486868,
        data: [{ T: 1672304486865, s: 'BTCUSDT', S: 'Buy', v: '0.001', p: '16578.50', L: 'PlusTick', i: '20f43950-d8dd-5b31-9112-a178eb6023af', BT: false }],
      },
      2,
    )!;
    expect(batch.trades).toEqual([
      { venue: 'bybit-linear', symbol: 'BTCUSDT', id: '20f43950-d8dd-5b31-9112-a178eb6023af', price: '16578.50', size: '0.001', side: 'buy', exchangeTs: 1672304486865, localTs: 2 },
    ]);
    expect(batch.consecutiveIds).toBe(false);
    expect(parseBybitTrades('bybit-spot', { topic: 'orderbook.50.BTCUSDT', data: {} }, 0)).toBeNull();
  });
});
