import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BookEvent } from '../../../../../src/shared/market';
import { MalformedFrameError } from '../../../../../src/main/venues/adapter';
import { parseInstruments } from '../../../../../src/main/venues/deribit/instruments';
import { bookSubscriptionInstruments, instrumentOfFrame, numberText, parseDeribitFrame, type BookData, type DeribitMessage } from '../../../../../src/main/venues/deribit/messages';
import { DeribitBookSync } from '../../../../../src/main/venues/deribit/sync';
import { parseDeribitTrades } from '../../../../../src/main/venues/deribit/trades';
import { SymbolFeed } from '../../../../../src/main/venues/symbol-feed';
import { capture } from '../../../../support/paths';

/** The received frames of the shared 2021 capture, in order. */
const frames: string[] = readFileSync(capture('deribit_2021-04-05+17.capture.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { kind: string; data?: string })
  .filter((l) => l.kind === 'recv')
  .map((l) => l.data!);

function book(msg: DeribitMessage): Extract<DeribitMessage, { kind: 'book' }> {
  if (msg.kind !== 'book') throw new Error(`not a book message: ${msg.kind}`);
  return msg;
}

describe('Deribit messages', () => {
  it('reads a recorded raw snapshot: [action, price, amount] numbers as decimal text', () => {
    const frame = frames.find((f) => f.includes('"channel":"book.ETH-30APR21-2240-P.raw"') && f.includes('"type":"snapshot"'))!;
    const msg = book(parseDeribitFrame(frame));
    expect(msg.instrument).toBe('ETH-30APR21-2240-P');
    expect(msg.interval).toBe('raw');
    expect(msg.data.type).toBe('snapshot');
    expect(msg.data.changeId).toBe(8973367653);
    expect(msg.data.prevChangeId).toBeUndefined();
    expect(msg.data.timestamp).toBe(1617644856684);
    expect(msg.data.bids[0]).toEqual(['0.093', '12']);
    expect(msg.data.asks).toEqual([['0.098', '329'], ['0.157', '210']]);
  });

  it('reads a recorded change: delete becomes size 0, prev_change_id kept', () => {
    const frame = frames.find((f) => f.includes('"prev_change_id":8973367653'))!;
    const msg = book(parseDeribitFrame(frame));
    expect(msg.data).toMatchObject({ type: 'change', prevChangeId: 8973367653, changeId: 8973367846 });
    expect(msg.data.bids).toEqual([['0.0255', '0'], ['0.026', '299']]);
  });

  it('reads today\'s 100ms channel the same way, and leaves the grouped book channel alone', () => {
    const change = '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.BTC-PERPETUAL.100ms","data":{"type":"change","timestamp":1,"prev_change_id":5,"instrument_name":"BTC-PERPETUAL","change_id":7,"bids":[["change",64250.5,1200.0]],"asks":[["new",64251.0,10.0]]}}}';
    expect(book(parseDeribitFrame(change))).toMatchObject({ instrument: 'BTC-PERPETUAL', interval: '100ms', data: { bids: [['64250.5', '1200']], asks: [['64251', '10']] } });
    const grouped = '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.BTC-PERPETUAL.none.10.100ms","data":{"bids":[[64250.5,1200]],"asks":[],"change_id":1,"timestamp":1}}}';
    expect(parseDeribitFrame(grouped)).toEqual({ kind: 'other', channel: 'book.BTC-PERPETUAL.none.10.100ms' });
  });

  it('keeps lower-case letters of instrument names (option strikes such as 0d048)', () => {
    const frame = '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.DOGE_USDC-4OCT24-0d048-C.100ms","data":{"type":"snapshot","timestamp":1,"change_id":3,"bids":[],"asks":[["new",0.0005,100]]}}}';
    expect(book(parseDeribitFrame(frame)).instrument).toBe('DOGE_USDC-4OCT24-0d048-C');
  });

  it('writes numbers as plain decimals, never exponents', () => {
    expect(numberText(1e-7)).toBe('0.0000001');
    expect(numberText(2.5e-5)).toBe('0.000025');
    expect(numberText(1.0)).toBe('1');
    expect(numberText(-12.25)).toBe('-12.25');
    expect(numberText('0.50')).toBe('0.50');
    expect(numberText(null)).toBeNull();
    expect(numberText('1,5')).toBeNull();
  });

  it('reads heartbeats, test requests and responses', () => {
    expect(parseDeribitFrame('{"jsonrpc":"2.0","method":"heartbeat","params":{"type":"test_request"}}')).toEqual({ kind: 'heartbeat', type: 'test_request' });
    expect(parseDeribitFrame(frames[0]!)).toMatchObject({ kind: 'response', id: 0, error: null });
    expect(parseDeribitFrame('{"jsonrpc":"2.0","id":4,"error":{"message":"Invalid params","data":{"reason":"wrong format","param":"channels"},"code":-32602}}')).toEqual({
      kind: 'response',
      id: 4,
      result: undefined,
      error: { code: -32602, message: 'Invalid params (reason: wrong format, param: channels)' },
    });
  });

  it('refuses frames that are not what the protocol says', () => {
    const bad = [
      'not json',
      '{"jsonrpc":"2.0","method":"subscription","params":{}}',
      '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.X.raw","data":{"type":"change","change_id":2,"bids":[],"asks":[]}}}',
      '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.X.raw","data":{"type":"snapshot","change_id":2,"bids":[["new","abc",1]],"asks":[]}}}',
      '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.X.raw","data":{"type":"snapshot","change_id":2,"bids":[["move",1,1]],"asks":[]}}}',
      '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.X.raw","data":{"type":"delta","change_id":2,"bids":[],"asks":[]}}}',
    ];
    for (const text of bad) expect(() => parseDeribitFrame(text), text).toThrow(MalformedFrameError);
  });

  it('names the instrument of a frame it could not read, and the books a recorded subscribe asks for', () => {
    expect(instrumentOfFrame('{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.BTC-PERPETUAL.100ms","data":{"bids":[[')).toEqual(['BTC-PERPETUAL']);
    const send = JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'public/subscribe', params: { channels: ['trades.A-1.raw', 'ticker.A-1.raw', 'book.A-1.raw', 'book.B-2.100ms', 'book.C-3.none.10.100ms'] } });
    expect(bookSubscriptionInstruments(send)).toEqual(['A-1', 'B-2']);
    expect(bookSubscriptionInstruments('{"method":"public/unsubscribe","params":{"channels":["book.A-1.raw"]}}')).toEqual([]);
  });
});

interface Harness {
  feed: SymbolFeed;
  sync: DeribitBookSync;
  resubscribes: string[];
  events: BookEvent[];
}

function harness(): Harness {
  const events: BookEvent[] = [];
  const feed = new SymbolFeed('deribit', 'BTC-PERPETUAL', { onBook: (_f, e) => events.push(e), onState: () => {} });
  const resubscribes: string[] = [];
  const sync = new DeribitBookSync(feed, { resubscribe: (r) => resubscribes.push(r), note: () => {} });
  feed.connecting('subscribed');
  sync.start();
  return { feed, sync, resubscribes, events };
}

function snapshot(changeId: number, bids: [string, string][], asks: [string, string][]): BookData {
  return { type: 'snapshot', changeId, bids, asks, timestamp: 1000 };
}

function change(prevChangeId: number, changeId: number, bids: [string, string][] = [], asks: [string, string][] = []): BookData {
  return { type: 'change', prevChangeId, changeId, bids, asks, timestamp: 1001 };
}

describe('Deribit book sync (change_id / prev_change_id)', () => {
  it('applies a snapshot, then changes that chain, and marks each as sequence-checked', () => {
    const h = harness();
    h.sync.onSnapshot(snapshot(100, [['10', '1']], [['11', '2']]), 1);
    h.sync.onChange(change(100, 105, [['10', '0'], ['9.5', '3']]), 2);
    h.sync.onChange(change(105, 230, [], [['10.5', '1']]), 3);
    expect(h.feed.state).toBe('synced');
    expect(h.feed.book.bestBid()?.price).toBe('9.5');
    expect(h.feed.book.bestAsk()?.price).toBe('10.5');
    expect(h.sync.changeId).toBe(230);
    expect(h.events.map((e) => [e.kind, e.seq, e.prevSeq])).toEqual([
      ['snapshot', 100, undefined],
      ['delta', 105, 100],
      ['delta', 230, 105],
    ]);
    expect(h.feed.health.gaps).toBe(0);
  });

  it('a change whose prev_change_id is not the change_id held is a gap: the book is thrown away and resubscribed', () => {
    const h = harness();
    h.sync.onSnapshot(snapshot(100, [['10', '1']], [['11', '2']]), 1);
    h.sync.onChange(change(101, 102, [['10.5', '1']]), 2);
    expect(h.feed.health.gaps).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.feed.book.bestBid()).toBeUndefined();
    expect(h.resubscribes).toHaveLength(1);
    // Changes in flight from before the resubscribe are dropped; the next snapshot rebuilds.
    h.sync.onChange(change(102, 103, [['10.6', '1']]), 3);
    expect(h.feed.health.staleDropped).toBe(1);
    h.sync.onSnapshot(snapshot(500, [['10', '4']], [['11', '1']]), 4);
    expect(h.feed.state).toBe('synced');
    h.sync.onChange(change(500, 501, [['10', '5']]), 5);
    expect(h.feed.book.bestBid()).toMatchObject({ price: '10', sizeText: '5' });
    expect(h.feed.health.gaps).toBe(1);
  });

  it('a change that goes back (an old change_id repeated) is a gap too', () => {
    const h = harness();
    h.sync.onSnapshot(snapshot(100, [], []), 1);
    h.sync.onChange(change(100, 101), 2);
    h.sync.onChange(change(100, 101), 3);
    expect(h.feed.health.gaps).toBe(1);
  });

  it('drops changes before the snapshot', () => {
    const h = harness();
    h.sync.onChange(change(99, 100, [['10', '1']]), 1);
    expect(h.feed.state).toBe('buffering');
    expect(h.feed.health.staleDropped).toBe(1);
    expect(h.feed.health.gaps).toBe(0);
  });

  it('a crossed book resubscribes', () => {
    const h = harness();
    h.sync.onSnapshot(snapshot(1, [['10', '1']], [['11', '1']]), 1);
    h.sync.onChange(change(1, 2, [['11.5', '1']]), 2);
    expect(h.feed.health.crossed).toBe(1);
    expect(h.feed.state).toBe('resyncing');
    expect(h.resubscribes).toEqual(['crossed book']);
  });

  it('an empty book (change_id 0, as Deribit sends for an option without orders) is a valid snapshot', () => {
    const h = harness();
    h.sync.onSnapshot(snapshot(0, [], []), 1);
    expect(h.feed.state).toBe('synced');
    h.sync.onChange(change(0, 7, [['0.1', '2']]), 2);
    expect(h.feed.book.bestBid()?.price).toBe('0.1');
  });
});

describe('Deribit instruments', () => {
  it('reads futures, perpetuals, options and spot; tick and minimum amount as decimals', () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      result: [
        { instrument_name: 'BTC-PERPETUAL', kind: 'future', base_currency: 'BTC', quote_currency: 'USD', counter_currency: 'USD', tick_size: 0.5, min_trade_amount: 10, is_active: true, state: 'open' },
        { instrument_name: 'ETH-27JUN25-4000-C', kind: 'option', base_currency: 'ETH', quote_currency: 'ETH', counter_currency: 'USD', tick_size: 0.0001, min_trade_amount: 1, is_active: true },
        { instrument_name: 'SHIB_USDC', kind: 'spot', base_currency: 'SHIB', quote_currency: 'USDC', tick_size: 1e-8, min_trade_amount: 100000, is_active: false, state: 'closed' },
        { kind: 'future' },
      ],
    });
    const list = parseInstruments(body);
    expect(list.map((i) => i.symbol)).toEqual(['BTC-PERPETUAL', 'ETH-27JUN25-4000-C', 'SHIB_USDC']);
    expect(list[0]).toMatchObject({ venue: 'deribit', display: 'BTC-PERPETUAL', base: 'BTC', quote: 'USD', tickSize: '0.5', lotSize: '10', pricePrecision: 1, sizePrecision: 0, status: 'trading' });
    expect(list[1]).toMatchObject({ tickSize: '0.0001', pricePrecision: 4, quote: 'ETH' });
    expect(list[2]).toMatchObject({ tickSize: '0.00000001', pricePrecision: 8, status: 'closed' });
  });

  it('reports Deribit\'s error', () => {
    expect(() => parseInstruments('{"jsonrpc":"2.0","error":{"message":"Invalid params","code":-32602}}')).toThrow(/Invalid params \(code -32602\)/);
  });
});

describe('Deribit trades', () => {
  it('trades.*: direction is the taker side, trade_id the id, numbers as decimal text', () => {
    const message = {
      jsonrpc: '2.0',
      method: 'subscription',
      params: {
        channel: 'trades.BTC-PERPETUAL.100ms',
        data: [
          { trade_seq: 30289432, trade_id: '48079254', timestamp: 1590484156350, tick_direction: 0, price: 8954.0, mark_price: 8952.86, instrument_name: 'BTC-PERPETUAL', index_price: 8956.73, direction: 'sell', amount: 10.0 },
          { trade_seq: 30289433, trade_id: '48079255', timestamp: 1590484156350, tick_direction: 1, price: 8954.5, mark_price: 8952.86, instrument_name: 'BTC-PERPETUAL', index_price: 8956.73, direction: 'buy', amount: 2.5e-5 },
        ],
      },
    };
    const batch = parseDeribitTrades(message, 42)!;
    expect(batch.stream).toBe('trades');
    expect(batch.consecutiveIds).toBe(false);
    expect(batch.trades).toEqual([
      { venue: 'deribit', symbol: 'BTC-PERPETUAL', id: '48079254', price: '8954', size: '10', side: 'sell', exchangeTs: 1590484156350, localTs: 42 },
      { venue: 'deribit', symbol: 'BTC-PERPETUAL', id: '48079255', price: '8954.5', size: '0.000025', side: 'buy', exchangeTs: 1590484156350, localTs: 42 },
    ]);
  });

  it('ignores every other message, and refuses a trade without its fields', () => {
    for (const f of frames) expect(parseDeribitTrades(JSON.parse(f), 0)).toBeNull();
    const broken = { jsonrpc: '2.0', method: 'subscription', params: { channel: 'trades.X.raw', data: [{ trade_id: '1', price: 'x', amount: 1, direction: 'buy', timestamp: 1 }] } };
    expect(() => parseDeribitTrades(broken, 0)).toThrow(MalformedFrameError);
    const noList = { jsonrpc: '2.0', method: 'subscription', params: { channel: 'trades.X.raw', data: {} } };
    expect(() => parseDeribitTrades(noList, 0)).toThrow(MalformedFrameError);
  });
});

describe('docs/venues.md', () => {
  it('has the deribit and deribit-trades anchors the code cites', () => {
    const text = readFileSync(new URL('../../../../../docs/venues.md', import.meta.url), 'utf8');
    expect(text).toContain('<a id="deribit"></a>');
    expect(text).toContain('<a id="deribit-trades"></a>');
  });
});
