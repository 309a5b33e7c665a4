/**
 * Bitget frames, checksum and trades: the documented examples, and real frames of the 2022 capture
 * (v1) next to the v2 shapes the live feed sends today.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../../../src/main/book/order-book';
import { MalformedFrameError } from '../../../../../src/main/venues/adapter';
import { bitgetChecksum, bitgetChecksumText, signedCrc32 } from '../../../../../src/main/venues/bitget/checksum';
import { instIdOf, marketOfInstType, marketOfSymbol, symbolOf, BITGET_SPOT, BITGET_USDT_FUTURES } from '../../../../../src/main/venues/bitget/markets';
import { bookSubscriptionSymbols, parseBitgetFrame, symbolOfFrame } from '../../../../../src/main/venues/bitget/messages';
import { parseBitgetTrades } from '../../../../../src/main/venues/bitget/trades';
import { capture } from '../../../../support/paths';

/** The recv frames of the Bitget capture, in order. */
function captureFrames(): string[] {
  return readFileSync(capture('bitget_2022-04-07.capture.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { kind: string; data?: string })
    .filter((l) => l.kind === 'recv')
    .map((l) => l.data!);
}

describe('Bitget markets and symbols', () => {
  it('keeps spot ids plain and marks USDT futures with _UMCBL, reading v1 and v2 instType', () => {
    expect(marketOfInstType('SPOT')).toBe(BITGET_SPOT);
    expect(marketOfInstType('sp')).toBe(BITGET_SPOT);
    expect(marketOfInstType('USDT-FUTURES')).toBe(BITGET_USDT_FUTURES);
    expect(marketOfInstType('mc')).toBe(BITGET_USDT_FUTURES);
    expect(marketOfInstType('COIN-FUTURES')).toBeUndefined();
    expect(symbolOf(BITGET_USDT_FUTURES, 'dashusdt')).toBe('DASHUSDT_UMCBL');
    expect(marketOfSymbol('DASHUSDT_UMCBL')).toBe(BITGET_USDT_FUTURES);
    expect(marketOfSymbol('DASHUSDT')).toBe(BITGET_SPOT);
    expect(instIdOf('DASHUSDT_UMCBL')).toBe('DASHUSDT');
    expect(instIdOf('eosusdt')).toBe('EOSUSDT');
  });
});

describe('Bitget checksum', () => {
  it('matches the documented check strings: interleaved, then the longer side alone', () => {
    const a = new OrderBook('bitget', 'X');
    a.applySnapshot(
      [['43231.1', '4'], ['43231', '6']],
      [['43232.8', '9'], ['43232.9', '8']],
    );
    expect(bitgetChecksumText(a)).toBe('43231.1:4:43232.8:9:43231:6:43232.9:8');
    expect(bitgetChecksum(a)).toBe(signedCrc32('43231.1:4:43232.8:9:43231:6:43232.9:8'));
    const b = new OrderBook('bitget', 'X');
    b.applySnapshot([['3366.1', '7']], [['3366.8', '9'], ['3368', '8'], ['3372', '8']]);
    expect(bitgetChecksumText(b)).toBe('3366.1:7:3366.8:9:3368:8:3372:8');
    expect(bitgetChecksum(b)).toBe(831078360);
  });

  it('takes 25 levels per side with the exchange strings, trailing zeros kept', () => {
    const book = new OrderBook('bitget', 'X');
    book.applySnapshot(
      Array.from({ length: 30 }, (_, i) => [`${100 - i}.00`, `${i + 1}.50`] as [string, string]),
      Array.from({ length: 30 }, (_, i) => [`${101 + i}.00`, '2.0000'] as [string, string]),
    );
    const parts = bitgetChecksumText(book).split(':');
    expect(parts).toHaveLength(100);
    expect(parts.slice(0, 4)).toEqual(['100.00', '1.50', '101.00', '2.0000']);
    expect(parts.slice(-4)).toEqual(['76.00', '25.50', '125.00', '2.0000']);
  });

  it('agrees with the checksum of the first real snapshot (EOSUSDT, spot v1)', () => {
    const frame = captureFrames().find((f) => f.includes('"action":"snapshot"') && f.includes('"channel":"books"') && f.includes('EOSUSDT'))!;
    const msg = parseBitgetFrame(frame);
    if (msg.kind !== 'book') throw new Error('expected a book');
    const book = new OrderBook('bitget', msg.symbol);
    book.applySnapshot(msg.data[0]!.bids, msg.data[0]!.asks);
    expect(msg.data[0]!.checksum).toBe(1706649304);
    expect(bitgetChecksum(book)).toBe(1706649304);
  });
});

describe('Bitget frames', () => {
  it('reads a v1 book snapshot of the capture (instType sp, ts as text)', () => {
    const frame = captureFrames().find((f) => f.includes('"action":"snapshot"') && f.includes('"channel":"books"') && f.includes('DASHUSDT'))!;
    const msg = parseBitgetFrame(frame);
    expect(msg).toMatchObject({ kind: 'book', market: BITGET_USDT_FUTURES, symbol: 'DASHUSDT_UMCBL', action: 'snapshot' });
    if (msg.kind !== 'book') return;
    expect(msg.data[0]!.asks[0]).toEqual(['113.42', '6.40']);
    expect(typeof msg.data[0]!.ts).toBe('number');
    expect(msg.data[0]!.seq).toBeUndefined();
  });

  it('reads a v2 update with seq, events, pong and channels it does not use', () => {
    const v2 = {
      action: 'update',
      arg: { instType: 'SPOT', channel: 'books', instId: 'BTCUSDT' },
      data: [{ asks: [['26275.0', '0.0500']], bids: [], checksum: -1367582038, seq: 123, ts: '1695710946294' }],
      ts: 1695710946294,
    };
    expect(parseBitgetFrame(JSON.stringify(v2))).toEqual({
      kind: 'book',
      market: BITGET_SPOT,
      symbol: 'BTCUSDT',
      action: 'update',
      data: [{ asks: [['26275.0', '0.0500']], bids: [], checksum: -1367582038, seq: 123, ts: 1695710946294 }],
    });
    expect(parseBitgetFrame('pong')).toEqual({ kind: 'pong' });
    expect(parseBitgetFrame('{"event":"error","arg":{"instType":"USDT-FUTURES","channel":"books","instId":"FOOUSDT"},"code":30001,"msg":"instType:USDT-FUTURES,channel:books,instId:FOOUSDT doesn\'t exist"}')).toMatchObject({
      kind: 'event',
      event: 'error',
      symbol: 'FOOUSDT_UMCBL',
      code: '30001',
    });
    expect(parseBitgetFrame('{"action":"snapshot","arg":{"instType":"sp","channel":"ticker","instId":"EOSUSDT"},"data":[{}]}')).toEqual({ kind: 'other', channel: 'ticker' });
    // Coin-margined futures are not a market this venue carries.
    expect(parseBitgetFrame('{"action":"update","arg":{"instType":"COIN-FUTURES","channel":"books","instId":"BTCUSD"},"data":[]}')).toEqual({ kind: 'other', channel: 'books' });
  });

  it('reads every frame of the capture without a malformed one', () => {
    const kinds = new Map<string, number>();
    for (const f of captureFrames()) {
      const m = parseBitgetFrame(f);
      kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
    }
    // 5 snapshots + 317 updates on `books`; 33 trade pushes (5 of them the snapshots sent on subscribe).
    expect(kinds.get('book')).toBe(322);
    expect(kinds.get('trade')).toBe(33);
  });

  it('rejects malformed book frames and names their book', () => {
    const bad = '{"action":"update","arg":{"instType":"SPOT","channel":"books","instId":"BTCUSDT"},"data":[{"asks":[["1"';
    expect(() => parseBitgetFrame(bad)).toThrow(MalformedFrameError);
    expect(symbolOfFrame(bad)).toEqual(['BTCUSDT']);
    expect(symbolOfFrame('{"arg":{"instType":"mc","channel":"books","instId":"DASHUSDT"},"data":[')).toEqual(['DASHUSDT_UMCBL']);
    const level = (asks: unknown) => JSON.stringify({ action: 'update', arg: { instType: 'SPOT', channel: 'books', instId: 'X' }, data: [{ asks, bids: [] }] });
    expect(() => parseBitgetFrame(level([[1, '2']]))).toThrow(/decimal price and size/);
    expect(() => parseBitgetFrame(level([['1', 'abc']]))).toThrow(/decimal price and size/);
    expect(() => parseBitgetFrame(JSON.stringify({ action: 'update', arg: { instType: 'SPOT', channel: 'books', instId: 'X' }, data: [{ asks: [], checksum: 2 ** 40 }] }))).toThrow(/signed 32-bit/);
    expect(() => parseBitgetFrame(JSON.stringify({ action: 'replace', arg: { instType: 'SPOT', channel: 'books', instId: 'X' }, data: [] }))).toThrow(/unknown action/);
    expect(() => parseBitgetFrame('{"data":[]}')).toThrow(/without an event or a channel/);
  });

  it('reads book subscriptions from recorded subscribe frames, v1 and v2', () => {
    const v1 = '{"op":"subscribe","args":[{"instType":"SP","channel":"books","instId":"EOSUSDT"},{"instType":"SP","channel":"trade","instId":"EOSUSDT"},{"instType":"MC","channel":"books","instId":"DASHUSDT"}]}';
    expect(bookSubscriptionSymbols(v1)).toEqual(['EOSUSDT', 'DASHUSDT_UMCBL']);
    expect(bookSubscriptionSymbols('{"op":"subscribe","args":[{"instType":"USDT-FUTURES","channel":"books","instId":"BTCUSDT"},{"instType":"SPOT","channel":"books","instId":"BTCUSDT"}]}')).toEqual(['BTCUSDT_UMCBL', 'BTCUSDT']);
    expect(bookSubscriptionSymbols('{"op":"unsubscribe","args":[{"instType":"SPOT","channel":"books","instId":"BTCUSDT"}]}')).toEqual([]);
    expect(bookSubscriptionSymbols('not json')).toEqual([]);
  });
});

describe('Bitget trades', () => {
  it('v1 rows (no id): the snapshot on subscribe is history, updates are live', () => {
    const frames = captureFrames().filter((f) => f.includes('"channel":"trade"') && f.includes('"action"'));
    const snapshot = parseBitgetTrades(JSON.parse(frames.find((f) => f.includes('"snapshot"'))!), 7)!;
    expect(snapshot.trades.length).toBe(50);
    expect(snapshot.trades.every((t) => t.history === true && t.id === null)).toBe(true);
    const update = parseBitgetTrades(JSON.parse('{"action":"update","arg":{"instType":"mc","channel":"trade","instId":"DASHUSDT"},"data":[["1649290080580","113.49","0.43","sell"]]}'), 9);
    expect(update).toEqual({
      trades: [{ venue: 'bitget', symbol: 'DASHUSDT_UMCBL', id: null, price: '113.49', size: '0.43', side: 'sell', exchangeTs: 1649290080580, localTs: 9 }],
      stream: 'trade',
      consecutiveIds: false,
    });
  });

  it('v2 objects carry tradeId', () => {
    const batch = parseBitgetTrades(
      { action: 'update', arg: { instType: 'SPOT', channel: 'trade', instId: 'BTCUSDT' }, data: [{ ts: '1701910980366', price: '43854.01', size: '0.0535', side: 'buy', tradeId: '1116461060594286593' }] },
      3,
    );
    expect(batch!.trades).toEqual([{ venue: 'bitget', symbol: 'BTCUSDT', id: '1116461060594286593', price: '43854.01', size: '0.0535', side: 'buy', exchangeTs: 1701910980366, localTs: 3 }]);
  });

  it('ignores other channels and acknowledgements, refuses a trade without its fields', () => {
    expect(parseBitgetTrades({ action: 'update', arg: { instType: 'SPOT', channel: 'books', instId: 'X' }, data: [] }, 0)).toBeNull();
    expect(parseBitgetTrades({ event: 'subscribe', arg: { instType: 'SPOT', channel: 'trade', instId: 'X' } }, 0)).toBeNull();
    const push = (data: unknown) => ({ action: 'update', arg: { instType: 'SPOT', channel: 'trade', instId: 'X' }, data });
    expect(() => parseBitgetTrades(push([['1', 'x', '1', 'buy']]), 0)).toThrow(MalformedFrameError);
    expect(() => parseBitgetTrades(push([['1', '1', '1', 'up']]), 0)).toThrow(MalformedFrameError);
    expect(() => parseBitgetTrades(push([{ price: '1', size: '1', side: 'buy' }]), 0)).toThrow(MalformedFrameError);
    expect(() => parseBitgetTrades(push('x'), 0)).toThrow(MalformedFrameError);
  });
});
