import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../../../src/main/book/order-book';
import { MalformedFrameError } from '../../../../../src/main/venues/adapter';
import { okxChecksum, okxChecksumText, okxCrc } from '../../../../../src/main/venues/okx/checksum';
import { parseInstruments, parseUnderlyings } from '../../../../../src/main/venues/okx/instruments';
import { bookSubscriptionIds, parseOkxFrame, type BookData } from '../../../../../src/main/venues/okx/messages';
import { OkxBookSync } from '../../../../../src/main/venues/okx/sync';
import { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';

describe('OKX legacy checksum (PROTOCOLS.md §10 vectors)', () => {
  it('matches the documented check strings and signed CRC32 values', () => {
    expect(okxCrc('3366.1:7:3366.8:9:3366:6:3368:8')).toBe(-1881014294);
    expect(okxCrc('3366.1:7:3366.8:9:3368:8:3372:8')).toBe(831078360);
  });

  it('builds the check string from a book: interleaved, then the longer side alone', () => {
    const a = new OrderBook('okx', 'X');
    a.applySnapshot(
      [['3366.1', '7'], ['3366', '6']],
      [['3366.8', '9'], ['3368', '8']],
    );
    expect(okxChecksumText(a)).toBe('3366.1:7:3366.8:9:3366:6:3368:8');
    expect(okxChecksum(a)).toBe(-1881014294);
    const b = new OrderBook('okx', 'X');
    b.applySnapshot([['3366.1', '7']], [['3366.8', '9'], ['3368', '8'], ['3372', '8']]);
    expect(okxChecksumText(b)).toBe('3366.1:7:3366.8:9:3368:8:3372:8');
    expect(okxChecksum(b)).toBe(831078360);
  });

  it('uses 25 levels per side and the venue strings as sent', () => {
    const book = new OrderBook('okx', 'X');
    const bids = Array.from({ length: 30 }, (_, i) => [`${100 - i}.0`, `${i + 1}.50`] as [string, string]);
    const asks = Array.from({ length: 30 }, (_, i) => [`${101 + i}.0`, '2'] as [string, string]);
    book.applySnapshot(bids, asks);
    const parts = okxChecksumText(book).split(':');
    expect(parts).toHaveLength(100);
    expect(parts.slice(0, 4)).toEqual(['100.0', '1.50', '101.0', '2']);
    expect(parts.slice(-4)).toEqual(['76.0', '25.50', '125.0', '2']);
  });
});

interface Harness {
  feed: SymbolFeed;
  sync: OkxBookSync;
  resubscribes: string[];
}

function harness(): Harness {
  const feed = new SymbolFeed('okx', 'BTC-USDT', { onBook: () => {}, onState: () => {} });
  const resubscribes: string[] = [];
  const sync = new OkxBookSync(feed, { resubscribe: (r) => resubscribes.push(r), note: () => {} });
  feed.connecting('subscribed');
  sync.start();
  return { feed, sync, resubscribes };
}

function data(prevSeqId: number | undefined, seqId: number | undefined, bids: [string, string][] = [], asks: [string, string][] = [], checksum?: number): BookData {
  const d: BookData = { bids, asks };
  if (prevSeqId !== undefined) d.prevSeqId = prevSeqId;
  if (seqId !== undefined) d.seqId = seqId;
  if (checksum !== undefined) d.checksum = checksum;
  return d;
}

describe('OkxBookSync sequence rules', () => {
  it('accepts the documented example −1→10, 10→15, 15→15, 15→3, 3→5', () => {
    const h = harness();
    h.sync.onSnapshot(data(-1, 10, [['100', '1']], [['101', '1']]), 1);
    h.sync.onUpdate(data(10, 15, [['100', '2']]), 2); // normal update
    h.sync.onUpdate(data(15, 15), 3); // no-change keep-alive, empty sides
    h.sync.onUpdate(data(15, 3, [], [['101', '3']]), 4); // sequence reset after maintenance
    h.sync.onUpdate(data(3, 5, [['99', '4']]), 5); // sequencing resumes from the reset
    expect(h.feed.health.gaps).toBe(0);
    expect(h.feed.state).toBe('synced');
    expect(h.sync.lastSeqId).toBe(5);
    expect(h.resubscribes).toEqual([]);
    expect([...h.feed.book.levels('bid')].map((l) => [l.price, l.sizeText])).toEqual([['100', '2'], ['99', '4']]);
    expect(h.feed.book.bestAsk()!.sizeText).toBe('3');
  });

  it('resyncs on a real gap and rebuilds from the next snapshot', () => {
    const h = harness();
    h.sync.onSnapshot(data(-1, 10, [['100', '1']], [['101', '1']]), 1);
    h.sync.onUpdate(data(10, 15, [['100', '2']]), 2);
    h.sync.onUpdate(data(16, 20, [['100', '9']]), 3);
    expect(h.feed.health.gaps).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.resubscribes[0]).toMatch(/prevSeqId 16, expected 15/);
    expect(h.feed.book.levelCount('bid')).toBe(0);
    h.sync.onUpdate(data(20, 21, [['100', '5']]), 4); // still the old subscription: not applied
    expect(h.feed.book.levelCount('bid')).toBe(0);
    h.sync.onSnapshot(data(-1, 30, [['100', '7']], [['101', '1']]), 5);
    h.sync.onUpdate(data(30, 31, [['100', '8']]), 6);
    expect(h.feed.state).toBe('synced');
    expect(h.feed.book.bestBid()!.sizeText).toBe('8');
    expect(h.feed.health.gaps).toBe(1);
  });

  it('without seqId (2021-era feeds) relies on the checksum alone', () => {
    const h = harness();
    const book = new OrderBook('okx', 'ref');
    book.applySnapshot([['100', '1']], [['101', '1']]);
    h.sync.onSnapshot(data(undefined, undefined, [['100', '1']], [['101', '1']], okxChecksum(book)), 1);
    book.applyDelta([['100', '2']], []);
    h.sync.onUpdate(data(undefined, undefined, [['100', '2']], [], okxChecksum(book)), 2);
    expect(h.feed.health.checksumOk).toBe(2);
    h.sync.onUpdate(data(undefined, undefined, [['100', '3']], [], okxChecksum(book)), 3);
    expect(h.feed.health.checksumFailed).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.resubscribes[0]).toMatch(/checksum mismatch/);
  });

  it('does not check a checksum of 0 (deprecated field)', () => {
    const h = harness();
    h.sync.onSnapshot(data(-1, 1, [['100', '1']], [['101', '1']], 0), 1);
    h.sync.onUpdate(data(1, 2, [['100', '2']], [], 0), 2);
    expect(h.feed.health.checksumOk).toBe(0);
    expect(h.feed.health.checksumFailed).toBe(0);
    expect(h.feed.state).toBe('synced');
  });

  it('verifies the checksum carried by a keep-alive', () => {
    const h = harness();
    h.sync.onSnapshot(data(-1, 1, [['100', '1']], [['101', '1']]), 1);
    h.sync.onUpdate(data(1, 1, [], [], okxCrc('100:1:101:1')), 2);
    expect(h.feed.health.checksumOk).toBe(1);
  });

  it('ignores updates before the first snapshot', () => {
    const h = harness();
    h.sync.onUpdate(data(4, 5, [['100', '1']]), 1);
    expect(h.feed.book.levelCount('bid')).toBe(0);
    expect(h.feed.health.staleDropped).toBe(1);
    expect(h.feed.state).toBe('buffering');
  });
});

describe('OKX frames and instruments', () => {
  it('parses books, tbt channels, events and pong', () => {
    const snap = parseOkxFrame(
      '{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["8476.98","415","0","13"]],"bids":[["8476.97","256","0","12"]],"ts":"1597026383085","checksum":-855196043,"prevSeqId":-1,"seqId":123456}]}',
    );
    expect(snap).toEqual({
      kind: 'book',
      channel: 'books',
      instId: 'BTC-USDT',
      action: 'snapshot',
      data: [{ asks: [['8476.98', '415']], bids: [['8476.97', '256']], ts: 1597026383085, checksum: -855196043, prevSeqId: -1, seqId: 123456 }],
    });
    expect(parseOkxFrame('{"arg":{"channel":"books-l2-tbt","instId":"FUN-BTC"},"action":"update","data":[{"asks":[],"bids":[],"ts":"1","checksum":5}]}')).toMatchObject({
      kind: 'book',
      channel: 'books-l2-tbt',
    });
    expect(parseOkxFrame('pong')).toEqual({ kind: 'pong' });
    expect(parseOkxFrame('{"event":"error","code":"60018","msg":"Wrong URL or channel:books,instId:FOO-BAR doesn\'t exist."}')).toMatchObject({
      kind: 'event',
      event: 'error',
      code: '60018',
    });
    expect(parseOkxFrame('{"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{}]}')).toEqual({ kind: 'other', channel: 'tickers' });
  });

  it('rejects malformed book frames', () => {
    const bad = [
      '{"arg":{"channel":"books","instId":"X"},"action":"update","data":[{"asks":[[1,"2"]],"bids":[]}]}',
      '{"arg":{"channel":"books","instId":"X"},"action":"update","data":[{"asks":[["1","x"]],"bids":[]}]}',
      '{"arg":{"channel":"books","instId":"X"},"action":"partial","data":[]}',
      '{"arg":{"channel":"books","instId":"X"},"action":"update","data":[{"asks":[],"bids":[],"seqId":"abc"}]}',
      '{"arg":{"channel":"books"},"action":"update","data":[]}',
      '{"data":[]}',
      'ping',
    ];
    for (const text of bad) expect(() => parseOkxFrame(text), text).toThrow(MalformedFrameError);
  });

  it('reads book subscriptions from recorded frames, any book channel', () => {
    expect(
      bookSubscriptionIds('{"op":"subscribe","args":[{"channel":"books-l2-tbt","instId":"FUN-BTC"},{"channel":"trades","instId":"FUN-BTC"},{"channel":"books","instId":"BTC-USDT"}]}'),
    ).toEqual(['FUN-BTC', 'BTC-USDT']);
    expect(bookSubscriptionIds('{"op":"subscribe","args":[{"channel":"tickers","instId":"BTC-USDT"}]}')).toEqual([]);
    expect(bookSubscriptionIds('ping')).toEqual([]);
  });

  it('reads instruments defensively', () => {
    const spot = parseInstruments('{"code":"0","msg":"","data":[{"instType":"SPOT","instId":"BTC-USDT","baseCcy":"BTC","quoteCcy":"USDT","tickSz":"0.1","lotSz":"0.00000001","state":"live"},{"instType":"SPOT"}]}', 'SPOT');
    expect(spot).toEqual([
      { venue: 'okx', symbol: 'BTC-USDT', display: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.1', lotSize: '0.00000001', pricePrecision: 1, sizePrecision: 8, status: 'trading' },
    ]);
    const swap = parseInstruments('{"code":"0","data":[{"instId":"BTC-USD-SWAP","uly":"BTC-USD","tickSz":"0.1","lotSz":"1","state":"suspend"}]}', 'SWAP');
    expect(swap[0]).toMatchObject({ symbol: 'BTC-USD-SWAP', base: 'BTC', quote: 'USD', status: 'suspend', sizePrecision: 0 });
    expect(() => parseInstruments('{"code":"50011","msg":"Too Many Requests","data":[]}', 'SPOT')).toThrow(/Too Many Requests/);
    expect(parseUnderlyings('{"code":"0","data":[["BTC-USD","ETH-USD"]]}')).toEqual(['BTC-USD', 'ETH-USD']);
  });
});
