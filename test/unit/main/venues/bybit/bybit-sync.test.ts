import { describe, expect, it } from 'vitest';
import { MalformedFrameError } from '../../../../../src/main/venues/adapter';
import { parseInstrumentsPage, BybitApiError } from '../../../../../src/main/venues/bybit/instruments';
import {
  parseStreamFrame,
  symbolsFromFrame,
  symbolsFromSubscribe,
  topicsInMessage,
  type BookMessage,
  type LevelPair,
} from '../../../../../src/main/venues/bybit/messages';
import { BybitBookSync } from '../../../../../src/main/venues/bybit/sync';
import { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';

function setup(depth = 50) {
  const resubscribes: string[] = [];
  const notes: string[] = [];
  const states: string[] = [];
  const feed = new SymbolFeed('bybit-spot', 'BTCUSDT', { onBook: () => {}, onState: (_f, _from, to) => void states.push(to) });
  const sync = new BybitBookSync(feed, { resubscribe: (reason) => void resubscribes.push(reason), note: (event) => void notes.push(event) }, depth);
  feed.connecting('subscribed');
  sync.start();
  return { feed, sync, resubscribes, notes, states };
}

const msg = (type: 'snapshot' | 'delta', u: number, b: LevelPair[] = [], a: LevelPair[] = [], depth = 50): BookMessage => ({
  kind: 'book',
  topic: `orderbook.${depth}.BTCUSDT`,
  depth,
  symbol: 'BTCUSDT',
  type,
  u,
  seq: 1000 + u,
  ts: 1,
  cts: 1,
  bids: b,
  asks: a,
});

const side = (feed: SymbolFeed, s: 'bid' | 'ask') => [...feed.book.levels(s)].map((l) => [l.price, l.sizeText]);

describe('Bybit orderbook sync', () => {
  it('waits for the snapshot, then applies contiguous deltas (size 0 deletes, new price inserts, known price overwrites)', () => {
    const { feed, sync, resubscribes } = setup();
    expect(feed.state).toBe('buffering');
    sync.onMessage(msg('delta', 99, [['1', '1']]), 1);
    expect(feed.state).toBe('buffering');
    expect(feed.health.staleDropped).toBe(1);
    sync.onMessage(msg('snapshot', 100, [['100.0', '1'], ['99.5', '2']], [['100.5', '3'], ['101.0', '4']]), 2);
    expect(feed.state).toBe('synced');
    expect(sync.localU).toBe(100);
    sync.onMessage(msg('delta', 101, [['100.0', '0'], ['99.0', '5']], [['100.5', '7']]), 3);
    expect(side(feed, 'bid')).toEqual([['99.5', '2'], ['99.0', '5']]);
    expect(side(feed, 'ask')).toEqual([['100.5', '7'], ['101.0', '4']]);
    // Deleting a level we do not have is normal.
    sync.onMessage(msg('delta', 102, [['42', '0']]), 4);
    expect(feed.state).toBe('synced');
    expect(sync.localU).toBe(102);
    expect(resubscribes).toEqual([]);
    expect(feed.health.gaps).toBe(0);
  });

  it('a u that skips ahead is a gap: book dropped, topic resubscribed, deltas ignored until the new snapshot', () => {
    const { feed, sync, resubscribes, notes } = setup();
    sync.onMessage(msg('snapshot', 10, [['1', '1']], [['2', '1']]), 1);
    sync.onMessage(msg('delta', 12, [['1.5', '1']]), 2);
    expect(feed.health.gaps).toBe(1);
    expect(feed.state).toBe('resyncing');
    expect(feed.health.resyncs).toBe(1);
    expect(feed.book.levelCount('bid')).toBe(0);
    expect(resubscribes).toEqual(['sequence gap: expected u=11, got u=12']);
    expect(notes).toContain('gap');
    sync.onMessage(msg('delta', 13, [['1.6', '1']]), 3);
    expect(feed.state).toBe('resyncing');
    sync.onMessage(msg('snapshot', 20, [['1.7', '1']], [['2', '1']]), 4);
    expect(feed.state).toBe('synced');
    expect(side(feed, 'bid')).toEqual([['1.7', '1']]);
    sync.onMessage(msg('delta', 21, [['1.8', '1']]), 5);
    expect(sync.localU).toBe(21);
    expect(resubscribes).toHaveLength(1);
  });

  it('a repeated or older u is a gap too (never applied twice)', () => {
    const { feed, sync, resubscribes } = setup();
    sync.onMessage(msg('snapshot', 10, [['1', '1']], [['2', '1']]), 1);
    sync.onMessage(msg('delta', 11, [['1', '3']]), 2);
    sync.onMessage(msg('delta', 11, [['1', '4']]), 3);
    expect(feed.health.gaps).toBe(1);
    expect(resubscribes).toHaveLength(1);
  });

  it('a new snapshot mid-stream replaces the book (levels it does not hold are gone)', () => {
    const { feed, sync, resubscribes, notes } = setup();
    sync.onMessage(msg('snapshot', 10, [['1', '1'], ['0.9', '1']], [['2', '1'], ['2.1', '1']]), 1);
    sync.onMessage(msg('snapshot', 500, [['1.2', '3']], [['1.3', '4']]), 2);
    expect(side(feed, 'bid')).toEqual([['1.2', '3']]);
    expect(side(feed, 'ask')).toEqual([['1.3', '4']]);
    expect(sync.localU).toBe(500);
    expect(feed.state).toBe('synced');
    expect(feed.health.gaps).toBe(0);
    expect(resubscribes).toEqual([]);
    expect(notes).toContain('venue-snapshot');
  });

  it('u == 1 after a service restart is snapshot data even when typed delta: it overwrites the book', () => {
    const { feed, sync, resubscribes, notes } = setup();
    sync.onMessage(msg('snapshot', 7_000_000, [['1', '1'], ['0.9', '1']], [['2', '1']]), 1);
    sync.onMessage(msg('delta', 7_000_001, [['0.8', '1']]), 2);
    sync.onMessage(msg('delta', 1, [['1.1', '5']], [['1.9', '6']]), 3);
    expect(side(feed, 'bid')).toEqual([['1.1', '5']]);
    expect(side(feed, 'ask')).toEqual([['1.9', '6']]);
    expect(feed.health.gaps).toBe(0);
    expect(resubscribes).toEqual([]);
    expect(notes).toContain('service-restart');
    sync.onMessage(msg('delta', 2, [['1.0', '1']]), 4);
    expect(sync.localU).toBe(2);
    expect(side(feed, 'bid')).toEqual([['1.1', '5'], ['1.0', '1']]);
  });

  it('a delta that crosses the book, or carries an unreadable level, resubscribes', () => {
    const crossed = setup();
    crossed.sync.onMessage(msg('snapshot', 10, [['1', '1']], [['2', '1']]), 1);
    crossed.sync.onMessage(msg('delta', 11, [['2.5', '1']]), 2);
    expect(crossed.feed.health.crossed).toBe(1);
    expect(crossed.feed.state).toBe('resyncing');
    expect(crossed.resubscribes).toEqual(['crossed book']);
    const bad = setup();
    bad.sync.onMessage(msg('snapshot', 10, [['1', '1']], [['2', '1']]), 1);
    bad.sync.onMessage(msg('delta', 11, [['abc', '1']]), 2);
    expect(bad.feed.health.malformed).toBe(1);
    expect(bad.feed.state).toBe('resyncing');
    expect(bad.resubscribes).toEqual(['malformed level']);
  });

  it('keeps the book to the subscribed depth', () => {
    const { feed, sync } = setup(2);
    sync.onMessage(msg('snapshot', 10, [['10', '1'], ['9', '1']], [['11', '1'], ['12', '1']], 2), 1);
    sync.onMessage(msg('delta', 11, [['9.5', '1']], [['11.5', '1']], 2), 2);
    expect(side(feed, 'bid')).toEqual([['10', '1'], ['9.5', '1']]);
    expect(side(feed, 'ask')).toEqual([['11', '1'], ['11.5', '1']]);
  });

  it('follows the depth the venue streams until the first snapshot, then only that topic', () => {
    const { feed, sync, notes } = setup(200);
    expect(sync.accepts(msg('delta', 5, [], [], 500))).toBe(false);
    expect(sync.accepts(msg('snapshot', 5, [], [], 500))).toBe(true);
    expect(notes).toContain('depth-followed');
    sync.onMessage(msg('snapshot', 5, [['1', '1']], [['2', '1']], 500), 1);
    expect(sync.depth).toBe(500);
    expect(feed.state).toBe('synced');
    expect(sync.accepts(msg('snapshot', 9, [], [], 1))).toBe(false);
  });

  it('a refused subscription leaves the feed failed with the reason; a disconnect resets it', () => {
    const { feed, sync } = setup();
    sync.onMessage(msg('snapshot', 10, [['1', '1']], [['2', '1']]), 1);
    feed.connectionLost('socket closed (1006)');
    expect(feed.state).toBe('connecting');
    expect(feed.book.levelCount('bid')).toBe(0);
    sync.start();
    feed.fail('bybit-spot refused the subscription to orderbook.50.BTCUSDT: Invalid symbol');
    expect(feed.state).toBe('failed');
    expect(feed.health.lastError).toContain('Invalid symbol');
    sync.onMessage(msg('snapshot', 11, [['1', '1']], [['2', '1']]), 2);
    expect(feed.state).toBe('failed');
  });
});

describe('Bybit message parsing', () => {
  it('reads book frames whatever the key order, pongs of every shape, and acks', () => {
    const spot = parseStreamFrame(
      '{"topic":"orderbook.50.BTCUSDT","ts":1672304484978,"type":"snapshot","data":{"s":"BTCUSDT","b":[["16493.50","0.006"]],"a":[["16611.00","0.029"]],"u":18521288,"seq":7961638724},"cts":1672304484976}',
    );
    expect(spot).toMatchObject({ kind: 'book', depth: 50, symbol: 'BTCUSDT', type: 'snapshot', u: 18521288, seq: 7961638724, ts: 1672304484978 });
    expect(parseStreamFrame('{"success":true,"ret_msg":"pong","conn_id":"x","op":"ping"}')).toEqual({ kind: 'pong' });
    expect(parseStreamFrame('{"success":true,"ret_msg":"pong","conn_id":"x","req_id":"","op":"ping"}')).toEqual({ kind: 'pong' });
    expect(parseStreamFrame('{"args":["1672916271846"],"op":"pong"}')).toEqual({ kind: 'pong' });
    expect(parseStreamFrame('{"success":true,"ret_msg":"subscribe","conn_id":"x","req_id":"sub-1","op":"subscribe"}')).toEqual({
      kind: 'ack',
      op: 'subscribe',
      success: true,
      message: 'subscribe',
      reqId: 'sub-1',
    });
    // Trade topics are trades now (read for the adapter's venue); other topics stay 'other'.
    expect(parseStreamFrame('{"topic":"publicTrade.BTCUSDT","data":[]}')).toEqual({ kind: 'trades', batch: { trades: [], stream: 'publicTrade', consecutiveIds: false } });
    expect(parseStreamFrame('{"topic":"tickers.BTCUSDT","data":{}}')).toEqual({ kind: 'other', what: 'tickers.BTCUSDT' });
  });

  it('rejects malformed frames with a reason', () => {
    const bad = [
      '{"topic":"orderbook.50.BTCUSDT","type":"delta"',
      '[1,2]',
      '{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[["1",2]],"a":[],"u":5}}',
      '{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[],"a":[]}}',
      '{"topic":"orderbook.50.BTCUSDT","type":"partial","data":{"s":"BTCUSDT","b":[],"a":[],"u":5}}',
      '{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"ETHUSDT","b":[],"a":[],"u":5}}',
    ];
    for (const text of bad) expect(() => parseStreamFrame(text), text).toThrow(MalformedFrameError);
  });

  it('finds subscribed symbols in send frames, frame topics and refusal messages', () => {
    expect(symbolsFromSubscribe('{"req_id":"t","op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT","orderbook.50.ETHUSDT"]}')).toEqual([
      'BTCUSDT',
      'ETHUSDT',
    ]);
    expect(symbolsFromSubscribe('{"op":"ping"}')).toEqual([]);
    expect(symbolsFromFrame('{"topic":"orderbook.500.XRPUSDT","type":"snapshot"}')).toEqual(['XRPUSDT']);
    expect(symbolsFromFrame('{"success":true,"op":"ping"}')).toEqual([]);
    expect(topicsInMessage('error:handler not found,topic:orderbook.50.FOOUSDT')).toEqual(['orderbook.50.FOOUSDT']);
  });
});

describe('Bybit instruments-info', () => {
  it('spot: tick size and base precision; linear: qtyStep, cursor, dated futures named by symbol', () => {
    const spot = parseInstrumentsPage(
      'bybit-spot',
      JSON.stringify({
        retCode: 0,
        retMsg: 'OK',
        result: {
          category: 'spot',
          list: [
            { symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT', status: 'Trading', lotSizeFilter: { basePrecision: '0.000001' }, priceFilter: { tickSize: '0.01' } },
          ],
        },
      }),
    );
    expect(spot.nextCursor).toBeNull();
    expect(spot.instruments).toEqual([
      {
        venue: 'bybit-spot',
        symbol: 'BTCUSDT',
        display: 'BTC/USDT',
        base: 'BTC',
        quote: 'USDT',
        tickSize: '0.01',
        lotSize: '0.000001',
        pricePrecision: 2,
        sizePrecision: 6,
        status: 'trading',
      },
    ]);
    const linear = parseInstrumentsPage(
      'bybit-linear',
      JSON.stringify({
        retCode: 0,
        result: {
          category: 'linear',
          nextPageCursor: 'abc%3D',
          list: [
            { symbol: 'XRPUSDT', contractType: 'LinearPerpetual', baseCoin: 'XRP', quoteCoin: 'USDT', status: 'Trading', priceFilter: { tickSize: '0.0001' }, lotSizeFilter: { qtyStep: '1' } },
            { symbol: 'BTC-27DEC24', contractType: 'LinearFutures', baseCoin: 'BTC', quoteCoin: 'USDT', status: 'Delivering', priceFilter: { tickSize: '0.50' }, lotSizeFilter: { qtyStep: '0.001' } },
          ],
        },
      }),
    );
    expect(linear.nextCursor).toBe('abc%3D');
    expect(linear.instruments.map((i) => [i.symbol, i.display, i.pricePrecision, i.sizePrecision, i.status])).toEqual([
      ['XRPUSDT', 'XRP/USDT', 4, 0, 'trading'],
      ['BTC-27DEC24', 'BTC/USDT BTC-27DEC24', 1, 3, 'delivering'],
    ]);
  });

  it('a retCode other than 0 is an error that says so; rate limits are recognised', () => {
    try {
      parseInstrumentsPage('bybit-linear', '{"retCode":10018,"retMsg":"Exceeded the IP Rate Limit","result":{}}');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BybitApiError);
      expect((error as BybitApiError).rateLimited).toBe(true);
      expect((error as Error).message).toContain('10018');
    }
    expect(() => parseInstrumentsPage('bybit-spot', 'not json')).toThrow(MalformedFrameError);
  });
});
