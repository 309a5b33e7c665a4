import { describe, expect, it } from 'vitest';
import { MalformedFrameError } from '../../../../../src/main/venues/adapter';
import { parseInstruments } from '../../../../../src/main/venues/kraken-futures/instruments';
import { bookSubscriptionIds, parseKrakenFuturesFrame, productOfFrame } from '../../../../../src/main/venues/kraken-futures/messages';
import { parseKrakenFuturesTradeFrame } from '../../../../../src/main/venues/kraken-futures/trades';

// Frames as the 2021 capture recorded them (shortened lists); today's documentation shows the same shapes.
const SNAPSHOT =
  '{"feed":"book_snapshot","product_id":"PI_XRPUSD","timestamp":1626994927035,"seq":3456139,"tickSize":null,' +
  '"bids":[{"price":0.5881,"qty":320.0},{"price":0.5880,"qty":17745.0}],"asks":[{"price":0.5888,"qty":1000.0}]}';
const DELTA = '{"feed":"book","product_id":"PI_LTCUSD","side":"sell","seq":3423036,"price":119.46,"qty":21884.0,"timestamp":1626994927748}';
const TRADE =
  '{"feed":"trade","product_id":"PI_LTCUSD","uid":"e2429e31-8b9d-4195-900e-fd42be2dec89","side":"buy","type":"fill","seq":5956,"time":1626994929946,"qty":320.0,"price":119.44}';
const TRADE_SNAPSHOT =
  '{"feed":"trade_snapshot","product_id":"PI_XRPUSD","trades":[' +
  '{"feed":"trade","product_id":"PI_XRPUSD","uid":"f0df","side":"buy","type":"fill","seq":9597,"time":1626994648927,"qty":320.0,"price":0.5909},' +
  '{"feed":"trade","product_id":"PI_XRPUSD","uid":"33a3","side":"sell","type":"liquidation","seq":9594,"time":1626994542890,"qty":2000.0,"price":0.5907}]}';

describe('Kraken Futures v1 frames', () => {
  it('reads a book_snapshot keeping the digits the venue sent', () => {
    const msg = parseKrakenFuturesFrame(SNAPSHOT);
    expect(msg).toEqual({
      kind: 'book_snapshot',
      snapshot: {
        productId: 'PI_XRPUSD',
        seq: 3456139,
        timestamp: 1626994927035,
        bids: [['0.5881', '320.0'], ['0.5880', '17745.0']],
        asks: [['0.5888', '1000.0']],
      },
    });
  });

  it('reads a book delta: one level, its side and seq', () => {
    expect(parseKrakenFuturesFrame(DELTA)).toEqual({
      kind: 'book',
      delta: { productId: 'PI_LTCUSD', seq: 3423036, side: 'sell', price: '119.46', qty: '21884.0', timestamp: 1626994927748 },
    });
  });

  it('reads events, heartbeats and other feeds', () => {
    expect(parseKrakenFuturesFrame('{"event":"info","version":1}')).toEqual({ kind: 'event', event: 'info', feed: null, productIds: [], message: null });
    expect(parseKrakenFuturesFrame('{"event":"subscribed","feed":"book","product_ids":["fi_ethusd_211231"]}')).toMatchObject({ event: 'subscribed', feed: 'book', productIds: ['FI_ETHUSD_211231'] });
    expect(parseKrakenFuturesFrame('{"event":"error","message":"Invalid product id"}')).toMatchObject({ kind: 'event', event: 'error', message: 'Invalid product id' });
    expect(parseKrakenFuturesFrame('{"feed":"heartbeat","time":1534262350627}')).toEqual({ kind: 'heartbeat', time: 1534262350627 });
    expect(parseKrakenFuturesFrame('{"feed":"ticker_lite","product_id":"PI_XRPUSD","bid":0.5881,"ask":0.5888}')).toEqual({ kind: 'other', feed: 'ticker_lite' });
  });

  it('refuses frames that are not what the protocol says', () => {
    const bad = [
      '{"feed":"book","product_id":"PI_LTCUSD","side":"sell","seq":1,"price":119.46', // cut short
      '{"feed":"book","product_id":"PI_LTCUSD","side":"up","seq":1,"price":1,"qty":1}',
      '{"feed":"book","product_id":"PI_LTCUSD","side":"buy","price":1,"qty":1}', // no seq
      '{"feed":"book","product_id":"PI_LTCUSD","side":"buy","seq":1,"price":"abc","qty":1}',
      '{"feed":"book","product_id":"PI_LTCUSD","side":"buy","seq":1,"price":1,"qty":-5}',
      '{"feed":"book_snapshot","product_id":"PI_LTCUSD","seq":1,"bids":{},"asks":[]}',
      '{"feed":"book_snapshot","seq":1,"bids":[],"asks":[]}',
      '{"product_id":"PI_LTCUSD"}',
      '[1,2]',
    ];
    for (const text of bad) expect(() => parseKrakenFuturesFrame(text), text).toThrow(MalformedFrameError);
  });

  it('names the product of a frame it could not read, upper case', () => {
    expect(productOfFrame('{"feed":"book","product_id":"pi_ltcusd","side":"sell","seq":3423036,"price":1')).toBe('PI_LTCUSD');
    expect(productOfFrame('garbage')).toBe('');
  });

  it('reads the products of a recorded book subscribe frame, not those of other feeds', () => {
    expect(bookSubscriptionIds('{"event":"subscribe","feed":"book","product_ids":["fi_ethusd_211231","pi_xrpusd"]}')).toEqual(['FI_ETHUSD_211231', 'PI_XRPUSD']);
    expect(bookSubscriptionIds('{"event":"subscribe","feed":"trade","product_ids":["pi_xrpusd"]}')).toEqual([]);
    expect(bookSubscriptionIds('not json')).toEqual([]);
  });
});

describe('Kraken Futures trades', () => {
  it('a live trade: seq is the id, side is the taker, digits kept', () => {
    const batch = parseKrakenFuturesTradeFrame(TRADE, 42)!;
    expect(batch.stream).toBe('trade');
    expect(batch.consecutiveIds).toBe(false);
    expect(batch.trades).toEqual([
      { venue: 'kraken-futures', symbol: 'PI_LTCUSD', id: '5956', price: '119.44', size: '320.0', side: 'buy', exchangeTs: 1626994929946, localTs: 42 },
    ]);
  });

  it('the snapshot on subscribe is history, oldest first, every type a print', () => {
    const batch = parseKrakenFuturesTradeFrame(TRADE_SNAPSHOT, 7)!;
    expect(batch.trades.map((t) => [t.id, t.side, t.size, t.history])).toEqual([
      ['9594', 'sell', '2000.0', true],
      ['9597', 'buy', '320.0', true],
    ]);
  });

  it('the frame parser hands trades on with their receive time', () => {
    const msg = parseKrakenFuturesFrame(TRADE, 1234);
    expect(msg.kind).toBe('trades');
    if (msg.kind === 'trades') expect(msg.batch.trades[0]).toMatchObject({ id: '5956', price: '119.44', localTs: 1234 });
  });

  it('refuses a trade without seq, time or a known side, and ignores other messages', () => {
    expect(() => parseKrakenFuturesTradeFrame(TRADE.replace('"seq":5956,', ''), 0)).toThrow(MalformedFrameError);
    expect(() => parseKrakenFuturesTradeFrame(TRADE.replace('"time":1626994929946,', ''), 0)).toThrow(MalformedFrameError);
    expect(() => parseKrakenFuturesTradeFrame(TRADE.replace('"side":"buy"', '"side":"long"'), 0)).toThrow(MalformedFrameError);
    expect(() => parseKrakenFuturesTradeFrame('{"feed":"trade_snapshot","product_id":"PI_XRPUSD"}', 0)).toThrow(MalformedFrameError);
    expect(parseKrakenFuturesTradeFrame(DELTA, 0)).toBeNull();
    expect(parseKrakenFuturesTradeFrame('{"event":"subscribed","feed":"trade","product_ids":["PI_XRPUSD"]}', 0)).toBeNull();
  });
});

describe('Kraken Futures instruments', () => {
  it('reads the 2021 list (lower-case symbols, no currencies) and skips indexes', () => {
    const body = JSON.stringify({
      result: 'success',
      instruments: [
        { symbol: 'pi_xbtusd', type: 'futures_inverse', underlying: 'rr_xbtusd', tickSize: 0.5, contractSize: 1, tradeable: true },
        { symbol: 'fi_xrpusd_210924', type: 'futures_inverse', underlying: 'rr_xrpusd', tickSize: 0.0001, contractSize: 1, tradeable: true },
        { symbol: 'in_xbtusd', type: 'spot index', tradeable: false },
      ],
    });
    expect(parseInstruments(body)).toEqual([
      { venue: 'kraken-futures', symbol: 'PI_XBTUSD', display: 'PI_XBTUSD', base: 'XBT', quote: 'USD', tickSize: '0.5', lotSize: null, pricePrecision: 1, sizePrecision: null, status: 'trading' },
      { venue: 'kraken-futures', symbol: 'FI_XRPUSD_210924', display: 'FI_XRPUSD_210924', base: 'XRP', quote: 'USD', tickSize: '0.0001', lotSize: null, pricePrecision: 4, sizePrecision: null, status: 'trading' },
    ]);
  });

  it("reads today's list (base, quote, trade precision) with the tick size's own digits", () => {
    const body =
      '{"result":"success","instruments":[{"symbol":"PF_XBTUSD","pair":"XBT:USD","base":"XBT","quote":"USD","type":"flexible_futures",' +
      '"tickSize":1,"contractSize":1,"tradeable":true,"contractValueTradePrecision":4},' +
      '{"symbol":"PF_SHIBUSD","pair":"SHIB:USD","type":"flexible_futures","tickSize":1e-8,"tradeable":false,"contractValueTradePrecision":0}]}';
    expect(parseInstruments(body)).toEqual([
      { venue: 'kraken-futures', symbol: 'PF_XBTUSD', display: 'PF_XBTUSD', base: 'XBT', quote: 'USD', tickSize: '1', lotSize: '0.0001', pricePrecision: 0, sizePrecision: 4, status: 'trading' },
      { venue: 'kraken-futures', symbol: 'PF_SHIBUSD', display: 'PF_SHIBUSD', base: 'SHIB', quote: 'USD', tickSize: '0.00000001', lotSize: '1', pricePrecision: 8, sizePrecision: 0, status: 'not tradeable' },
    ]);
  });

  it('reports an error answer in words', () => {
    expect(() => parseInstruments('{"result":"error","error":"apiLimitExceeded"}')).toThrow(/apiLimitExceeded/);
    expect(() => parseInstruments('<html>')).toThrow(MalformedFrameError);
  });
});
