import { describe, expect, it } from 'vitest';
import type { BookTicker, DepthUpdate } from '../../../../../src/main/venues/binance/messages';
import { parseStreamFrame } from '../../../../../src/main/venues/binance/messages';
import { BinanceDepthSync, type DepthRules } from '../../../../../src/main/venues/binance/sync';
import { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import { MalformedFrameError } from '../../../../../src/main/venues/adapter';

function setup(rules: DepthRules = 'spot') {
  const requests: string[] = [];
  const notes: string[] = [];
  const states: string[] = [];
  let books = 0;
  const feed = new SymbolFeed('binance-spot', 'BNBBTC', {
    onBook: () => void books++,
    onState: (_f, _from, to) => void states.push(to),
  });
  const sync = new BinanceDepthSync(
    feed,
    { requestSnapshot: (reason) => void requests.push(reason), note: (event) => void notes.push(event) },
    rules,
  );
  feed.connecting('subscribed');
  sync.start();
  return { feed, sync, requests, notes, states, books: () => books };
}

const ev = (U: number, u: number, b: [string, string][] = [], a: [string, string][] = [], pu?: number): DepthUpdate => ({
  e: 'depthUpdate',
  E: 1,
  s: 'BNBBTC',
  U,
  u,
  b,
  a,
  ...(pu !== undefined ? { pu } : {}),
});

describe('Binance spot depth sync', () => {
  it('follows the documented example: drop u <= lastUpdateId, apply U = lastUpdateId + 1', () => {
    const { feed, sync, requests } = setup();
    sync.onDepth(ev(157, 160, [['0.0024', '10']]), 1);
    expect(requests).toEqual(['initial']);
    expect(feed.state).toBe('buffering');
    sync.onDepth(ev(161, 165, [['0.0025', '3']], [['0.0026', '100']]), 2);
    sync.onSnapshot({ lastUpdateId: 160, bids: [['0.0024', '10']], asks: [['0.0027', '5']] }, 3);
    expect(feed.state).toBe('synced');
    expect(sync.localId).toBe(165);
    expect(feed.book.bestBid()?.price).toBe('0.0025');
    expect(feed.book.bestAsk()?.price).toBe('0.0026');
    expect(feed.health.staleDropped).toBe(1);
    expect(feed.health.gaps).toBe(0);
  });

  it('re-requests a snapshot that is older than the first buffered diff', () => {
    const { feed, sync, requests, notes } = setup();
    sync.onDepth(ev(200, 205), 1);
    sync.onSnapshot({ lastUpdateId: 150, bids: [], asks: [] }, 2);
    expect(feed.state).toBe('buffering');
    expect(requests).toHaveLength(2);
    expect(notes).toContain('snapshot-too-old');
    sync.onSnapshot({ lastUpdateId: 204, bids: [['1', '1']], asks: [['2', '1']] }, 3);
    expect(feed.state).toBe('synced');
    expect(sync.localId).toBe(205);
  });

  it('detects a gap, throws the book away and rebuilds from a fresh snapshot', () => {
    const { feed, sync, requests } = setup();
    sync.onDepth(ev(10, 12), 1);
    sync.onSnapshot({ lastUpdateId: 11, bids: [['1.0', '1']], asks: [['2.0', '1']] }, 2);
    sync.onDepth(ev(13, 14, [['1.5', '2']]), 3);
    expect(feed.book.bestBid()?.price).toBe('1.5');
    sync.onDepth(ev(16, 18, [['1.6', '2']]), 4); // 15 is missing
    expect(feed.health.gaps).toBe(1);
    expect(feed.health.resyncs).toBe(1);
    expect(feed.state).toBe('resyncing');
    expect(feed.book.levelCount('bid')).toBe(0);
    expect(requests).toEqual(['initial', 'resync']);
    sync.onDepth(ev(19, 19, [['1.7', '1']]), 5);
    sync.onSnapshot({ lastUpdateId: 18, bids: [['1.6', '2']], asks: [['2.0', '1']] }, 6);
    expect(feed.state).toBe('synced');
    expect(feed.book.bestBid()?.price).toBe('1.7');
    expect(sync.localId).toBe(19);
  });

  it('resyncs when an applied diff crosses the book', () => {
    const { feed, sync } = setup();
    sync.onDepth(ev(1, 1), 1);
    sync.onSnapshot({ lastUpdateId: 1, bids: [['10', '1']], asks: [['11', '1']] }, 2);
    sync.onDepth(ev(2, 2, [['12', '1']]), 3);
    expect(feed.health.crossed).toBe(1);
    expect(feed.state).toBe('resyncing');
  });

  it('cross-checks bookTicker against the book at the same update id, whichever arrives first', () => {
    const { feed, sync } = setup();
    sync.onDepth(ev(1, 1), 1);
    sync.onSnapshot({ lastUpdateId: 1, bids: [['10.0', '1.5']], asks: [['11.0', '2']] }, 2);
    const ticker = (u: number, b: string, B: string, a: string, A: string): BookTicker => ({ u, s: 'BNBBTC', b, B, a, A });
    // Ticker first, then the depth event with u = 3.
    sync.onTicker(ticker(3, '10.50000000', '1.00000000', '11.00000000', '2.00000000'), 3);
    sync.onDepth(ev(2, 3, [['10.5', '1']]), 4);
    expect(feed.health.bboOk).toBe(1);
    // Depth first, then the ticker.
    sync.onDepth(ev(4, 4, [], [['10.9', '4']]), 5);
    sync.onTicker(ticker(4, '10.5', '1', '10.9', '4'), 6);
    expect(feed.health.bboOk).toBe(2);
    // A ticker inside a batched event's range has no comparable book state: not counted.
    sync.onDepth(ev(5, 7, [['10.6', '1']]), 7);
    sync.onTicker(ticker(6, '10.6', '1', '10.9', '4'), 8);
    expect(feed.health.bboOk + feed.health.bboFailed).toBe(2);
    // A mismatch at the current id means the book is wrong: counted and rebuilt.
    sync.onTicker(ticker(7, '10.6', '9', '10.9', '4'), 9);
    expect(feed.health.bboFailed).toBe(1);
    expect(feed.state).toBe('resyncing');
  });

  it('compares a bookTicker at the snapshot’s own lastUpdateId with the snapshot’s best bid/ask', () => {
    const { feed, sync } = setup();
    const ticker = (u: number, b: string, B: string, a: string, A: string): BookTicker => ({ u, s: 'BNBBTC', b, B, a, A });
    sync.onDepth(ev(5, 7), 1);
    sync.onSnapshot({ lastUpdateId: 7, bids: [['10.0', '1.5']], asks: [['11.0', '2']] }, 2);
    expect(feed.state).toBe('synced');
    sync.onTicker(ticker(7, '10.00000000', '1.50000000', '11.00000000', '2.00000000'), 3);
    expect(feed.health.bboOk).toBe(1);
    // A disagreeing ticker at that id is a mismatch with the book as it stands: counted and rebuilt.
    sync.onTicker(ticker(7, '10.0', '1.5', '11.0', '3'), 4);
    expect(feed.health.bboFailed).toBe(1);
    expect(feed.state).toBe('resyncing');
  });

  it('USD-M rules: drop u < lastUpdateId, bridge U <= id <= u, then pu == previous u', () => {
    const { feed, sync, notes } = setup('usdm');
    sync.onDepth(ev(90, 95, [], [], 80), 1);
    sync.onDepth(ev(96, 110, [['5', '1']], [], 95), 2);
    sync.onSnapshot({ lastUpdateId: 100, bids: [['4', '1']], asks: [['6', '1']] }, 3);
    expect(feed.state).toBe('synced');
    expect(sync.localId).toBe(110);
    sync.onDepth(ev(111, 120, [['5', '0']], [], 110), 4);
    expect(feed.book.bestBid()?.price).toBe('4');
    sync.onDepth(ev(125, 130, [], [], 121), 5);
    expect(feed.health.gaps).toBe(1);
    expect(notes).toContain('gap');
  });

  it('skips malformed frames with a clear error instead of throwing anything else', () => {
    expect(() => parseStreamFrame('{not json')).toThrow(MalformedFrameError);
    expect(() => parseStreamFrame('{"stream":"x@depth","data":{"e":"depthUpdate","s":"X","U":"a","u":2,"b":[],"a":[]}}')).toThrow(
      MalformedFrameError,
    );
    expect(() => parseStreamFrame('{"stream":"x@depth","data":{"e":"depthUpdate","s":"X","U":1,"u":2,"b":[[1,2]],"a":[]}}')).toThrow(
      MalformedFrameError,
    );
    expect(parseStreamFrame('{"result":null,"id":1}').kind).toBe('response');
    expect(parseStreamFrame('{"stream":"x@kline_1m","data":{"e":"kline"}}').kind).toBe('other');
  });
});
