import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../../../src/main/book/order-book';
import { MalformedFrameError } from '../../../../../src/main/venues/adapter';
import { bitfinexChecksum, checksumText } from '../../../../../src/main/venues/bitfinex/checksum';
import { pairCurrencies, parsePairs } from '../../../../../src/main/venues/bitfinex/instruments';
import { bookLevels, bookSubscription, checksumOf, parseBitfinexFrame, symbolKey, type ChannelMessage } from '../../../../../src/main/venues/bitfinex/messages';
import { quoteNumbers } from '../../../../../src/main/venues/bitfinex/number-text';
import { BitfinexBookSync } from '../../../../../src/main/venues/bitfinex/sync';
import { parseBitfinexTrades } from '../../../../../src/main/venues/bitfinex/trades';
import { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';

/**
 * Vectors from Bitfinex's own client tests (bitfinexcom/bfx-api-node-models test/lib/models/order_book.js,
 * "checksum: returns expected value for normal OB" and "converts exp prices to fixed"): the check
 * strings are theirs; the signed CRC32 values were computed independently (Python zlib.crc32).
 */
describe('Bitfinex book checksum (the vectors of Bitfinex client tests)', () => {
  function book(bids: [string, string][], asks: [string, string][]): OrderBook {
    const b = new OrderBook('bitfinex', 'tBTCUSD');
    b.applySnapshot(bids, asks);
    return b;
  }

  it('interleaves bid and ask, asks negative: 6000:1:6100:-3:5900:2:6200:-4 → 1756193398', () => {
    const b = book([['6000', '1'], ['5900', '2']], [['6100', '3'], ['6200', '4']]);
    expect(checksumText(b)).toBe('6000:1:6100:-3:5900:2:6200:-4');
    expect(bitfinexChecksum(b)).toBe(1756193398);
  });

  it('writes an exponent price as a plain decimal: 0.000000017 → -931816132', () => {
    // The frame reader already expands 1.7e-8; the checksum must not depend on it.
    for (const price of ['1.7e-8', '0.000000017']) {
      const b = book([['6000', '1'], [price, '2']], [['6100', '3'], ['6200', '4']]);
      expect(checksumText(b)).toBe('6000:1:6100:-3:0.000000017:2:6200:-4');
      expect(bitfinexChecksum(b)).toBe(-931816132);
    }
  });

  it('covers 25 levels per side, and the longer side alone once the other runs out', () => {
    const bids = Array.from({ length: 30 }, (_, i) => [String(100 - i), '1.5'] as [string, string]);
    const asks = Array.from({ length: 3 }, (_, i) => [String(101 + i), '0.25'] as [string, string]);
    const parts = checksumText(book(bids, asks)).split(':');
    expect(parts).toHaveLength(2 * 25 + 2 * 3);
    expect(parts.slice(0, 6)).toEqual(['100', '1.5', '101', '-0.25', '99', '1.5']);
    expect(parts.slice(-2)).toEqual(['76', '1.5']);
  });

  it('writes amounts as JavaScript prints them (5e-7), as Bitfinex’s client does', () => {
    expect(checksumText(book([['1', '0.0000005']], [['2', '0.50']]))).toBe('1:5e-7:2:-0.5');
  });
});

describe('Bitfinex frames', () => {
  it('keeps every number literal’s digits, and nothing inside strings', () => {
    expect(quoteNumbers('[1,[0.10,-2,1.1e-7],"a 5"]')).toBe('["1",["0.10","-2","1.1e-7"],"a 5"]');
    expect(quoteNumbers('{"event":"x"}')).toBe('{"event":"x"}');
  });

  it('reads a book snapshot with SEQ_ALL: sides by sign, exponents expanded, sequence at the end', () => {
    const msg = parseBitfinexFrame('[232956,[[0.00002505,1,504.35],[1.1e-7,10,1000000],[0.0000253,1,-66.58783643]],12]') as ChannelMessage;
    expect(msg).toMatchObject({ kind: 'channel', chanId: 232956, body: 'data', seq: 12 });
    expect(bookLevels(msg.payload)).toEqual({
      bids: [['0.00002505', '504.35'], ['0.00000011', '1000000']],
      asks: [['0.0000253', '66.58783643']],
    });
  });

  it('reads updates: count 0 deletes on the side AMOUNT names (1 bids, -1 asks)', () => {
    const del = parseBitfinexFrame('[232955,[0.0010262,0,1],1670]') as ChannelMessage;
    expect(del.seq).toBe(1670);
    expect(bookLevels(del.payload)).toEqual({ bids: [['0.0010262', '0']], asks: [] });
    expect(bookLevels((parseBitfinexFrame('[1,[60423,0,-1]]') as ChannelMessage).payload)).toEqual({ bids: [], asks: [['60423', '0']] });
    expect(bookLevels((parseBitfinexFrame('[1,[60423,2,-0.5]]') as ChannelMessage).payload)).toEqual({ bids: [], asks: [['60423', '0.5']] });
  });

  it('reads heartbeats, checksums and trade tags with and without a sequence number', () => {
    expect(parseBitfinexFrame('[204928,"hb",127]')).toMatchObject({ chanId: 204928, body: 'hb', seq: 127 });
    expect(parseBitfinexFrame('[204928,"hb"]')).toMatchObject({ body: 'hb', seq: null });
    const cs = parseBitfinexFrame('[7,"cs",-931816132,44]') as ChannelMessage;
    expect(cs).toMatchObject({ body: 'cs', seq: 44 });
    expect(checksumOf(cs.payload)).toBe(-931816132);
    expect(parseBitfinexFrame('[9,"te",[1,1618677535660,-76.7682617,0.00002516],45]')).toMatchObject({ body: 'te', seq: 45 });
  });

  it('reads events: subscribed, info, conf, error', () => {
    expect(parseBitfinexFrame('{"event":"subscribed","channel":"book","chanId":232957,"symbol":"tTESTBTC:TESTUSD","prec":"P0","freq":"F0","len":"100","pair":"TESTBTC:TESTUSD"}')).toEqual({
      kind: 'subscribed',
      channel: 'book',
      chanId: 232957,
      symbol: 'tTESTBTC:TESTUSD',
    });
    expect(parseBitfinexFrame('{"event":"info","version":2,"serverId":"x","platform":{"status":1}}')).toMatchObject({ kind: 'info', version: 2, code: null });
    expect(parseBitfinexFrame('{"event":"info","code":20051,"msg":"Stopping"}')).toMatchObject({ kind: 'info', code: 20051 });
    expect(parseBitfinexFrame('{"event":"conf","status":"OK","flags":65536}')).toEqual({ kind: 'conf', ok: true, flags: 65536 });
    expect(parseBitfinexFrame('{"event":"error","msg":"symbol: invalid","code":10300,"channel":"book","symbol":"tFOOBAR"}')).toMatchObject({
      kind: 'error',
      code: 10300,
      symbol: 'tFOOBAR',
    });
  });

  it('refuses what the protocol does not say', () => {
    for (const bad of ['[1,[60423,1', '[1]', '["x",[1,1,1]]', '[1,{}]', '[1,[1,1,1],"seq"]', '{"no":"event"}']) {
      expect(() => parseBitfinexFrame(bad), bad).toThrow(MalformedFrameError);
    }
    for (const payload of [[], ['1', '1'], ['1', 'x', '1'], ['abc', '1', '1'], ['1', '2', '0']]) {
      // `[]` is an empty snapshot, which is fine; the others are bad entries.
      if (payload.length === 0) expect(bookLevels(payload)).toEqual({ bids: [], asks: [] });
      else expect(() => bookLevels(payload), JSON.stringify(payload)).toThrow(MalformedFrameError);
    }
    expect(() => checksumOf('4294967295')).toThrow(MalformedFrameError);
  });

  it('names symbols the Bitfinex way and reads recorded subscribe frames', () => {
    expect(symbolKey('tBTCUSD')).toBe('tBTCUSD');
    expect(symbolKey('btcusd')).toBe('tBTCUSD');
    expect(symbolKey('tTESTBTC:TESTUSD')).toBe('tTESTBTC:TESTUSD');
    expect(bookSubscription('{"event":"subscribe","channel":"book","symbol":"tBFTUSD","prec":"P0","freq":"F0","len":"100"}')).toEqual({ symbols: ['tBFTUSD'], depth: 100 });
    expect(bookSubscription('{"event":"subscribe","channel":"trades","symbol":"tBFTUSD"}').symbols).toEqual([]);
    expect(bookSubscription('{"event":"conf","flags":65536}').symbols).toEqual([]);
  });
});

describe('Bitfinex trades', () => {
  const msg = (text: string) => parseBitfinexFrame(text) as ChannelMessage;

  it('counts te: amount > 0 is a taker buy, < 0 a taker sell, size |amount|', () => {
    const buy = parseBitfinexTrades(msg('[9,"te",[670155031,1618677442819,0.00023553,60360],3]'), 'tTESTBTC:TESTUSD', 5)!;
    expect(buy).toEqual({
      stream: 'trades',
      consecutiveIds: false,
      trades: [{ venue: 'bitfinex', symbol: 'tTESTBTC:TESTUSD', id: '670155031', price: '60360', size: '0.00023553', side: 'buy', exchangeTs: 1618677442819, localTs: 5 }],
    });
    const sell = parseBitfinexTrades(msg('[9,"te",[1,1618677442819,-2e-7,1.1e-7]]'), 'tX', 5)!;
    expect(sell.trades[0]).toMatchObject({ side: 'sell', size: '0.0000002', price: '0.00000011' });
  });

  it('ignores tu (the same trade again, once stored) and heartbeats', () => {
    expect(parseBitfinexTrades(msg('[9,"tu",[670155031,1618677442819,0.00023553,60360],4]'), 'tX', 5)).toBeNull();
    expect(parseBitfinexTrades(msg('[9,"hb",5]'), 'tX', 5)).toBeNull();
  });

  it('marks the snapshot sent on subscribe as history', () => {
    const batch = parseBitfinexTrades(msg('[9,[[2,1618665870435,166.391496,0.076989],[1,1618661110078,-2272.50116833,0.068961]],7]'), 'tBFTUSD', 5)!;
    expect(batch.trades.map((t) => [t.id, t.side, t.size, t.history])).toEqual([
      ['2', 'buy', '166.391496', true],
      ['1', 'sell', '2272.50116833', true],
    ]);
  });

  it('refuses a trade that is not [id, mts, amount, price]', () => {
    expect(() => parseBitfinexTrades(msg('[9,"te",[1,2,3]]'), 'tX', 5)).toThrow(MalformedFrameError);
    expect(() => parseBitfinexTrades(msg('[9,"te",[1,2,0,3]]'), 'tX', 5)).toThrow(MalformedFrameError);
    expect(() => parseBitfinexTrades(msg('[9,[1,2,3,4]]'), 'tX', 5)).toThrow(MalformedFrameError);
  });
});

describe('Bitfinex pair list', () => {
  it('reads pub:list:pair:exchange: six-letter pairs and colon pairs', () => {
    expect(pairCurrencies('BTCUSD')).toEqual({ base: 'BTC', quote: 'USD' });
    expect(pairCurrencies('TESTBTC:TESTUSD')).toEqual({ base: 'TESTBTC', quote: 'TESTUSD' });
    const list = parsePairs('[["BTCUSD","AAVE:USD","odd",7]]');
    expect(list.map((i) => [i.symbol, i.display])).toEqual([
      ['tBTCUSD', 'BTC/USD'],
      ['tAAVE:USD', 'AAVE/USD'],
    ]);
    expect(list[0]).toMatchObject({ venue: 'bitfinex', tickSize: null, status: 'trading' });
    expect(() => parsePairs('{"error":"x"}')).toThrow(MalformedFrameError);
  });
});

describe('Bitfinex book sync', () => {
  function harness(depth = 25) {
    const events: Array<{ kind: string; seq?: number; prevSeq?: number }> = [];
    const feed = new SymbolFeed('bitfinex', 'tBTCUSD', { onBook: (_f, e) => void events.push({ kind: e.kind, seq: e.seq, prevSeq: e.prevSeq }), onState: () => {} });
    const resubscribes: string[] = [];
    const notes: string[] = [];
    const sync = new BitfinexBookSync(feed, { resubscribe: (r) => resubscribes.push(r), note: (e) => notes.push(e) }, depth);
    feed.connecting('subscribed');
    sync.start();
    return { feed, sync, resubscribes, notes, events };
  }
  const levels = (text: string) => bookLevels((parseBitfinexFrame(text) as ChannelMessage).payload);

  it('drops updates before the snapshot, then applies each with its checked sequence', () => {
    const h = harness();
    h.sync.onUpdate(levels('[1,[100,1,1]]'), 3, 1);
    expect(h.feed.health.staleDropped).toBe(1);
    h.sync.onSnapshot(levels('[1,[[100,1,2],[99,2,3],[101,1,-4]]]'), 4, 2);
    h.sync.onUpdate(levels('[1,[99,0,1]]'), 5, 3);
    h.sync.onUpdate(levels('[1,[101,3,-6]]'), 6, 4);
    expect(h.feed.state).toBe('synced');
    expect(h.events).toEqual([
      { kind: 'snapshot', seq: 4, prevSeq: undefined },
      { kind: 'delta', seq: 5, prevSeq: 4 },
      { kind: 'delta', seq: 6, prevSeq: 5 },
    ]);
    expect([...h.feed.book.levels('bid')].map((l) => [l.price, l.sizeText])).toEqual([['100', '2']]);
    expect([...h.feed.book.levels('ask')].map((l) => [l.price, l.sizeText])).toEqual([['101', '6']]);
  });

  it('verifies cs against the top 25 levels; a mismatch resyncs and resubscribes', () => {
    const h = harness();
    h.sync.onSnapshot(levels('[1,[[6000,1,1],[5900,1,2],[6100,1,-3],[6200,1,-4]]]'), 1, 1);
    h.sync.onChecksum(1756193398, 2);
    expect(h.feed.health.checksumOk).toBe(1);
    h.sync.onChecksum(1756193399, 3);
    expect(h.feed.health.checksumFailed).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.resubscribes).toHaveLength(1);
    expect(h.notes).toContain('checksum-failed');
    // While waiting for the new snapshot a checksum has nothing to be compared with.
    h.sync.onChecksum(1, 4);
    expect(h.feed.health.checksumFailed).toBe(1);
  });

  it('a break in the connection sequence counts a gap and rebuilds a live book only', () => {
    const h = harness();
    h.sync.onSequenceBreak(10, 12);
    expect(h.feed.health.gaps).toBe(0);
    h.sync.onSnapshot(levels('[1,[[100,1,2],[101,1,-4]]]'), 13, 1);
    h.sync.onSequenceBreak(14, 16);
    expect(h.feed.health.gaps).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.resubscribes).toEqual(['sequence gap on the connection: expected 14, got 16']);
  });

  it('keeps each side to the subscribed length and resyncs on a crossed book', () => {
    const h = harness(2);
    h.sync.onSnapshot(levels('[1,[[100,1,1],[99,1,1],[101,1,-1]]]'), null, 1);
    h.sync.onUpdate(levels('[1,[100.5,1,1]]'), null, 2);
    expect([...h.feed.book.levels('bid')].map((l) => l.price)).toEqual(['100.5', '100']);
    h.sync.onUpdate(levels('[1,[101,1,1]]'), null, 3);
    expect(h.feed.health.crossed).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.resubscribes).toEqual(['crossed book']);
  });
});
