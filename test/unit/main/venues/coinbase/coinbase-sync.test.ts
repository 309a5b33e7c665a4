import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nullLogger } from '../../../../../src/main/log';
import { createCoinbaseAdapter } from '../../../../../src/main/venues/coinbase/adapter';
import { parseExchangeProducts } from '../../../../../src/main/venues/coinbase/instruments';
import { authFields, parseFeedFrame, parseTimeMicros, productsFromSubscribe } from '../../../../../src/main/venues/coinbase/messages';
import { createCoinbaseAdvancedAdapter } from '../../../../../src/main/venues/coinbase-advanced/adapter';
import { parseAdvancedProducts } from '../../../../../src/main/venues/coinbase-advanced/instruments';
import { parseEnvelope } from '../../../../../src/main/venues/coinbase-advanced/messages';
import { MalformedFrameError } from '../../../../../src/main/venues/adapter';
import { venueModule } from '../../../../../src/main/venues/registry';
import { VirtualClock, type SocketHandlers, type Transport } from '../../../../../src/main/venues/transport';

/** A transport whose sockets open at once and record what was sent, on a virtual clock. */
/** `socket`: which connection the script talks to: the newest, or the first (Advanced's book connection). */
function scriptedTransport(socket: 'newest' | 'first' = 'newest') {
  const clock = new VirtualClock();
  clock.advanceTo(1_700_000_000_000);
  const sockets: Array<{ handlers: SocketHandlers; sent: string[]; closed: boolean }> = [];
  const transport: Transport = {
    clock,
    connect(_url, handlers) {
      const s = { handlers, sent: [] as string[], closed: false };
      sockets.push(s);
      clock.setTimeout(() => handlers.onOpen(), 1);
      return { send: (t) => void s.sent.push(t), close: () => void (s.closed = true) };
    },
    get: () => Promise.reject(new Error('no http')),
  };
  const last = () => (socket === 'first' ? sockets[0]! : sockets[sockets.length - 1]!);
  /** Deliver a frame at virtual time `at` (ms after now when `after` is given). */
  const deliver = (msg: unknown, after = 1) => {
    clock.advanceTo(clock.now() + after);
    last().handlers.onMessage(typeof msg === 'string' ? msg : JSON.stringify(msg), clock.now());
  };
  const sentSince = (n: number) => last().sent.slice(n).map((t) => JSON.parse(t) as Record<string, unknown>);
  return { clock, sockets, transport, last, deliver, sentSince };
}

const T = (us: number) => `2024-05-01T12:00:00.${String(us).padStart(6, '0')}Z`;

describe('Coinbase Exchange messages', () => {
  it('reads times to the microsecond (nanosecond digits cut), and rejects what is not a time', () => {
    expect(parseTimeMicros('2021-04-17T16:44:07.859760Z')).toBe(Date.UTC(2021, 3, 17, 16, 44, 7) * 1000 + 859760);
    expect(parseTimeMicros('2023-02-09T20:32:50.714964855Z')).toBe(Date.UTC(2023, 1, 9, 20, 32, 50) * 1000 + 714964);
    expect(parseTimeMicros('2021-04-17T16:44:07Z')).toBe(Date.UTC(2021, 3, 17, 16, 44, 7) * 1000);
    expect(parseTimeMicros('2021-04-17T18:44:07.5+02:00')).toBe(Date.UTC(2021, 3, 17, 16, 44, 7) * 1000 + 500000);
    expect(parseTimeMicros('yesterday')).toBeNull();
    expect(parseTimeMicros(12)).toBeNull();
  });

  it('parses l2update changes by side in order and refuses malformed ones', () => {
    const m = parseFeedFrame('{"type":"l2update","product_id":"BTC-USD","time":"2024-05-01T12:00:00.000001Z","changes":[["buy","10.5","1"],["sell","11","0.000"],["buy","10.4","2"]]}');
    expect(m).toEqual({ kind: 'l2update', data: { productId: 'BTC-USD', timeUs: parseTimeMicros(T(1)), bids: [['10.5', '1'], ['10.4', '2']], asks: [['11', '0.000']] } });
    expect(() => parseFeedFrame('{"type":"l2update","product_id":"BTC-USD","changes":[["hold","1","1"]]}')).toThrow(MalformedFrameError);
    expect(() => parseFeedFrame('{"type":"l2update","product_id":"BTC-USD","changes":[["buy",1,"1"]]}')).toThrow(MalformedFrameError);
    expect(() => parseFeedFrame('{"type":"snapshot","product_id":"BTC-USD","bids":[]}')).toThrow(MalformedFrameError);
    expect(() => parseFeedFrame('[1,2]')).toThrow(MalformedFrameError);
    expect(() => parseFeedFrame('{"type":')).toThrow(MalformedFrameError);
    // A match is a trade: one without its maker side is malformed, not ignored.
    expect(() => parseFeedFrame('{"type":"match","product_id":"BTC-USD"}')).toThrow(/without a maker side/);
    expect(parseFeedFrame('{"type":"received","product_id":"BTC-USD"}')).toEqual({ kind: 'other', type: 'received', productId: 'BTC-USD' });
  });

  it('signs a subscribe as base64(HMAC-SHA256(base64-decoded secret, timestamp + GET + /users/self/verify))', () => {
    const secret = Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
    const fields = authFields({ key: 'k', secret, passphrase: 'p' }, '1700000000');
    const expected = createHmac('sha256', Buffer.from('0123456789abcdef0123456789abcdef')).update('1700000000GET/users/self/verify').digest('base64');
    expect(fields).toEqual({ key: 'k', passphrase: 'p', timestamp: '1700000000', signature: expected });
  });

  it('reads the products a recorded subscribe frame asks a book channel for', () => {
    expect(productsFromSubscribe('{"type":"subscribe","product_ids":["A-USD","B-USD"],"channels":["level2"]}')).toEqual(['A-USD', 'B-USD']);
    expect(productsFromSubscribe('{"type":"subscribe","product_ids":["A-USD"],"channels":["ticker","matches"]}')).toEqual([]);
    expect(productsFromSubscribe('{"type":"subscribe","channels":[{"name":"level2_batch","product_ids":["C-EUR"]},"heartbeat"]}')).toEqual(['C-EUR']);
    expect(productsFromSubscribe('{"type":"unsubscribe","product_ids":["A-USD"],"channels":["level2"]}')).toEqual([]);
    expect(productsFromSubscribe('not json')).toEqual([]);
    expect(venueModule('coinbase')!.captureSymbols('send', '{"type":"subscribe","product_ids":["A-USD"],"channels":["level2_batch"]}')).toEqual(['A-USD']);
    expect(venueModule('coinbase-advanced')!.captureSymbols('send', '{"type":"subscribe","product_ids":["A-USD"],"channel":"level2"}')).toEqual(['A-USD']);
  });

  it('lists products with tick = quote_increment, lot = base_increment and a readable status', () => {
    const list = parseExchangeProducts(
      'coinbase',
      JSON.stringify([
        { id: 'BTC-USD', base_currency: 'BTC', quote_currency: 'USD', quote_increment: '0.01000000', base_increment: '0.00000001', status: 'online' },
        { id: 'X-EUR', base_currency: 'X', quote_currency: 'EUR', quote_increment: '0.0001', base_increment: '1', status: 'delisted' },
        { nonsense: true },
      ]),
    );
    expect(list).toEqual([
      { venue: 'coinbase', symbol: 'BTC-USD', display: 'BTC/USD', base: 'BTC', quote: 'USD', tickSize: '0.01000000', lotSize: '0.00000001', pricePrecision: 2, sizePrecision: 8, status: 'trading' },
      { venue: 'coinbase', symbol: 'X-EUR', display: 'X/EUR', base: 'X', quote: 'EUR', tickSize: '0.0001', lotSize: '1', pricePrecision: 4, sizePrecision: 0, status: 'delisted' },
    ]);
    expect(() => parseExchangeProducts('coinbase', '{"message":"oops"}')).toThrow(/not an array/);
  });
});

describe('Coinbase Exchange book sync (virtual clock)', () => {
  function start(options: { credentials?: boolean } = {}) {
    const s = scriptedTransport();
    const adapter = createCoinbaseAdapter({
      transport: s.transport,
      logger: nullLogger,
      listener: { onBook: () => {}, onState: () => {} },
      credentials: options.credentials ? { key: 'k', secret: 'c2VjcmV0', passphrase: 'p' } : undefined,
    });
    adapter.subscribe(['BTC-USD', 'ETH-USD']);
    s.clock.advanceTo(s.clock.now() + 1);
    const channel = options.credentials ? 'level2' : 'level2_batch';
    s.deliver({ type: 'subscriptions', channels: [{ name: channel, product_ids: ['BTC-USD', 'ETH-USD'] }, { name: 'heartbeat', product_ids: ['BTC-USD', 'ETH-USD'] }] });
    const feed = adapter.feed('BTC-USD')!;
    const snapshot = () =>
      s.deliver({ type: 'snapshot', product_id: 'BTC-USD', bids: [['100.00', '1'], ['99.00', '2']], asks: [['101.00', '1'], ['102.00', '3']] });
    const update = (us: number, changes: [string, string, string][], after = 1) => s.deliver({ type: 'l2update', product_id: 'BTC-USD', time: T(us), changes }, after);
    const ticker = (us: number, bid: string, ask: string, after = 1) =>
      s.deliver({ type: 'ticker', product_id: 'BTC-USD', time: T(us), best_bid: bid, best_ask: ask }, after);
    const heartbeat = (product: string, after = 1) => s.deliver({ type: 'heartbeat', product_id: product, time: T(0) }, after);
    return { ...s, adapter, feed, snapshot, update, ticker, heartbeat };
  }

  it('subscribes on open, several products in one message, and drops updates that come before the snapshot', () => {
    const h = start();
    expect(h.sentSince(0)).toEqual([{ type: 'subscribe', product_ids: ['BTC-USD', 'ETH-USD'], channels: ['level2_batch', 'heartbeat', 'ticker', 'matches'] }]);
    h.update(1, [['buy', '100.50', '5']]);
    expect(h.feed.state).toBe('buffering');
    expect(h.feed.health.staleDropped).toBe(1);
    expect(h.feed.book.levelCount('bid')).toBe(0);
    h.snapshot();
    expect(h.feed.state).toBe('synced');
    // Absolute sizes; every zero form deletes.
    h.update(2, [['buy', '100.00', '4'], ['sell', '101.00', '0.00000000'], ['buy', '99.00', '0']]);
    expect([...h.feed.book.levels('bid')].map((l) => [l.price, l.sizeText])).toEqual([['100.00', '4']]);
    expect([...h.feed.book.levels('ask')].map((l) => [l.price, l.sizeText])).toEqual([['102.00', '3']]);
  });

  it('level2: compares a ticker only when it carries the time of the last applied update; resyncs on two failures in a row', () => {
    const h = start({ credentials: true });
    expect(h.sentSince(0)[0]).toMatchObject({ channels: ['level2', 'heartbeat', 'ticker', 'matches'], key: 'k', passphrase: 'p', timestamp: String(Math.floor(h.clock.now() / 1000)) });
    h.snapshot();
    // Before any update since the snapshot (the replayed last-trade ticker): not compared.
    h.ticker(0, '50', '60');
    h.update(10, [['buy', '100.50', '1']]);
    h.ticker(9, '1', '2'); // older than the book
    h.ticker(11, '1', '2'); // ahead of the book
    expect([h.feed.health.bboOk, h.feed.health.bboFailed]).toEqual([0, 0]);
    h.ticker(10, '100.5', '101');
    expect([h.feed.health.bboOk, h.feed.health.bboFailed]).toEqual([1, 0]);
    // One mismatch is counted but is not yet divergence; an agreeing ticker resets the run.
    h.update(20, [['sell', '101.00', '2']]);
    h.ticker(20, '100.50', '100.90');
    expect([h.feed.health.bboOk, h.feed.health.bboFailed, h.feed.health.resyncs]).toEqual([1, 1, 0]);
    h.update(30, [['sell', '101.00', '3']]);
    h.ticker(30, '100.50', '101.00');
    expect([h.feed.health.bboOk, h.feed.health.bboFailed, h.feed.health.resyncs]).toEqual([2, 1, 0]);
    const before = h.last().sent.length;
    h.update(40, [['buy', '100.60', '1']]);
    h.ticker(40, '100.50', '101');
    h.update(50, [['buy', '100.70', '1']]);
    h.ticker(50, '100.50', '101');
    expect([h.feed.health.bboFailed, h.feed.health.resyncs, h.feed.state]).toEqual([3, 1, 'resyncing']);
    h.clock.advanceTo(h.clock.now() + 1000);
    expect(h.sentSince(before).map((m) => [m.type, m.product_ids])).toEqual([
      ['unsubscribe', ['BTC-USD']],
      ['subscribe', ['BTC-USD']],
    ]);
  });

  it('level2_batch: a ticker passes when the book shows its prices within a second; misses alone never resync', () => {
    const h = start();
    h.snapshot();
    h.update(10, [['buy', '100.00', '2']]);
    h.ticker(12, '100.00', '101.00');
    expect(h.feed.health.bboOk).toBe(1);
    // The batch that carries the trade arrives after the ticker: still a pass.
    h.ticker(20, '100.00', '101.50');
    h.update(25, [['sell', '101.50', '1'], ['sell', '101.00', '0']], 50);
    expect(h.feed.health.bboOk).toBe(2);
    // A ticker the book never shows (the top moved twice inside one batch): a miss, not a failure.
    h.ticker(30, '100.10', '101.50');
    h.update(35, [['buy', '100.20', '1']], 50);
    for (let i = 0; i < 8; i++) h.heartbeat(i % 2 ? 'BTC-USD' : 'ETH-USD', 200);
    expect([h.feed.health.bboOk, h.feed.health.bboFailed, h.feed.health.resyncs, h.feed.state]).toEqual([2, 0, 0, 'synced']);
    h.ticker(40, '100.20', '101.50');
    expect(h.feed.health.bboOk).toBe(3);
  });

  it('level2_batch: three missed tickers and no pass for 3 s is divergence: one bboFailed and a resync', () => {
    const h = start();
    h.snapshot();
    h.update(10, [['buy', '100.50', '1']]); // the book now shows a bid the venue does not have
    const keepAlive = (ms: number) => {
      for (let t = 0; t < ms; t += 250) {
        h.heartbeat('BTC-USD', 125);
        h.heartbeat('ETH-USD', 125);
      }
    };
    h.ticker(11, '100.00', '101.00');
    keepAlive(1000);
    h.ticker(12, '100.00', '101.00');
    keepAlive(1000);
    expect(h.feed.health.resyncs).toBe(0);
    h.ticker(13, '100.00', '101.00');
    keepAlive(1500);
    expect([h.feed.health.bboFailed, h.feed.health.resyncs, h.feed.state]).toEqual([1, 1, 'resyncing']);
    expect(h.feed.health.lastError).toMatch(/disagreed with every ticker for 3 s \(book 100.50 \/ 101.00\)/);
  });

  it('level2_batch: a diverged book on a busy product (50 tickers a second) is rebuilt after 3 s, not sooner', () => {
    // More tickers a second than probes are held: the ones pushed out by newer ones are misses too.
    const h = start();
    h.snapshot();
    h.update(10, [['buy', '100.50', '1']]); // the book now shows a bid the venue does not have
    let us = 11;
    const tickers = (ms: number) => {
      for (let t = 0; t < ms; t += 20) {
        h.ticker(us++, '100.00', '101.00', 10);
        h.heartbeat('BTC-USD', 5);
        h.heartbeat('ETH-USD', 5);
      }
    };
    tickers(2900);
    expect([h.feed.health.bboFailed, h.feed.health.resyncs, h.feed.state]).toEqual([0, 0, 'synced']);
    tickers(200);
    expect([h.feed.health.bboFailed, h.feed.health.resyncs, h.feed.state]).toEqual([1, 1, 'resyncing']);
  });

  it('watches heartbeats only for products the venue confirmed, resubscribes a silent one, and resyncs a crossed book', () => {
    const h = start();
    h.snapshot();
    h.deliver({ type: 'snapshot', product_id: 'ETH-USD', bids: [['10', '1']], asks: [['11', '1']] });
    const eth = h.adapter.feed('ETH-USD')!;
    const before = h.last().sent.length;
    for (let i = 0; i < 30; i++) h.heartbeat('ETH-USD', 250);
    expect(h.feed.state).toBe('resyncing');
    expect(h.feed.health.lastError).toMatch(/^no heartbeat for 5\.\d s$/);
    expect(eth.state).toBe('synced');
    h.clock.advanceTo(h.clock.now() + 1000);
    expect(h.sentSince(before).map((m) => [m.type, m.product_ids])).toEqual([
      ['unsubscribe', ['BTC-USD']],
      ['subscribe', ['BTC-USD']],
    ]);
    h.snapshot();
    expect(h.feed.state).toBe('synced');
    h.update(5, [['buy', '101.00', '1']]);
    expect([h.feed.health.crossed, h.feed.state]).toEqual([1, 'resyncing']);
  });

  it('a product that is never confirmed on the heartbeat channel is not resubscribed for missing heartbeats', () => {
    const s = scriptedTransport();
    const adapter = createCoinbaseAdapter({ transport: s.transport, logger: nullLogger, listener: { onBook: () => {}, onState: () => {} } });
    adapter.subscribe(['BTC-USD']);
    s.clock.advanceTo(s.clock.now() + 1);
    s.deliver({ type: 'subscriptions', channels: [{ name: 'level2', product_ids: ['BTC-USD'] }] });
    s.deliver({ type: 'snapshot', product_id: 'BTC-USD', bids: [['1', '1']], asks: [['2', '1']] });
    for (let i = 0; i < 40; i++) s.deliver({ type: 'l2update', product_id: 'BTC-USD', time: T(i), changes: [['buy', '1', String(i + 1)]] }, 250);
    expect(adapter.feed('BTC-USD')!.health.resyncs).toBe(0);
    expect(s.last().sent).toHaveLength(1);
  });

  it('resubscribes a product whose snapshot never comes', () => {
    const h = start();
    for (let i = 0; i < 64; i++) h.heartbeat(i % 2 ? 'BTC-USD' : 'ETH-USD', 250);
    expect(h.feed.health.resyncs).toBe(1);
    expect(h.feed.health.lastError).toBe('no snapshot within 15 s of subscribing');
  });

  it('a rejected key falls back to level2_batch; a refused product fails alone; other errors are shown', () => {
    const h = start({ credentials: true });
    h.snapshot();
    const before = h.last().sent.length;
    h.deliver({ type: 'error', message: 'Authentication Failed' });
    expect(h.adapter.protocol.bookChannel).toBe('level2_batch');
    expect(h.feed.state).toBe('resyncing');
    expect(h.feed.health.lastError).toBe('Coinbase rejected the API key (Authentication Failed); using the public level2_batch feed instead');
    h.clock.advanceTo(h.clock.now() + 500);
    expect(h.sentSince(before)).toEqual([{ type: 'subscribe', product_ids: ['BTC-USD', 'ETH-USD'], channels: ['level2_batch', 'heartbeat', 'ticker', 'matches'] }]);
    h.deliver({ type: 'error', message: 'Failed to subscribe', reason: 'ETH-USD is not a valid product' });
    expect(h.adapter.feed('ETH-USD')!.state).toBe('failed');
    expect(h.feed.state).toBe('resyncing');
    h.deliver({ type: 'error', message: 'Something else' });
    expect(h.feed.health.lastError).toBe('Coinbase error: Something else');
  });

  it('counts a malformed frame against its product and never applies it', () => {
    const h = start();
    h.snapshot();
    h.deliver('{"type":"l2update","product_id":"BTC-USD","changes":[["buy","100.00"]]}');
    h.deliver('{"type":"l2update","product_id":"BTC-USD","time":"x","changes":[["buy","abc","1"]]}');
    h.deliver('garbage');
    expect(h.feed.health.malformed).toBe(2);
    expect(h.adapter.unattributedMalformed).toBe(1);
    // The unreadable price was caught by the book: the product is rebuilt rather than trusted.
    expect(h.feed.state).toBe('resyncing');
  });
});

describe('Coinbase Advanced Trade messages and sequence (virtual clock)', () => {
  it('parses envelopes: l2_data snapshot/update with bid/offer, heartbeats counter as number or string', () => {
    const l2 = parseEnvelope(
      '{"channel":"l2_data","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":4,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"2023-02-09T20:32:50.7Z","price_level":"21921.73","new_quantity":"0"},{"side":"offer","event_time":"2023-02-09T20:32:50.8Z","price_level":"21921.3","new_quantity":"0.02"}]}]}',
    );
    expect(l2).toMatchObject({ kind: 'l2', seq: 4, events: [{ type: 'update', productId: 'BTC-USD', bids: [['21921.73', '0']], asks: [['21921.3', '0.02']], timeUs: parseTimeMicros('2023-02-09T20:32:50.8Z') }] });
    expect(parseEnvelope('{"channel":"heartbeats","sequence_num":5,"events":[{"current_time":"x","heartbeat_counter":"3049"}]}')).toEqual({ kind: 'heartbeats', seq: 5, counter: 3049 });
    expect(parseEnvelope('{"type":"error","message":"failure"}')).toEqual({ kind: 'error', seq: null, message: 'failure' });
    expect(() => parseEnvelope('{"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"X","updates":[{"side":"ask?","price_level":"1","new_quantity":"1"}]}]}')).toThrow(MalformedFrameError);
    expect(() => parseEnvelope('{"channel":"l2_data","sequence_num":1.5,"events":[]}')).toThrow(MalformedFrameError);
  });

  it('lists products with tick = price_increment and lot = base_increment', () => {
    const list = parseAdvancedProducts(
      'coinbase-advanced',
      '{"products":[{"product_id":"BTC-USD","base_increment":"0.00000001","quote_increment":"0.01","price_increment":"0.01","status":"online","base_display_symbol":"BTC","quote_display_symbol":"USD"},{"product_id":"OLD-USD","price_increment":"1","base_increment":"1","status":"offline","is_disabled":true}]}',
    );
    expect(list.map((i) => [i.symbol, i.display, i.tickSize, i.lotSize, i.pricePrecision, i.status])).toEqual([
      ['BTC-USD', 'BTC/USD', '0.01', '0.00000001', 2, 'trading'],
      ['OLD-USD', 'OLD/USD', '1', '1', 0, 'disabled'],
    ]);
  });

  it('checks sequence_num across every channel of the connection; a gap rebuilds every book', () => {
    // The book connection opens first; market_trades runs on a connection of its own.
    const s = scriptedTransport('first');
    const adapter = createCoinbaseAdvancedAdapter({ transport: s.transport, logger: nullLogger, listener: { onBook: () => {}, onState: () => {} } });
    adapter.subscribe(['BTC-USD', 'ETH-USD']);
    s.clock.advanceTo(s.clock.now() + 1000);
    expect(s.sentSince(0)).toEqual([
      { type: 'subscribe', channel: 'heartbeats' },
      { type: 'subscribe', product_ids: ['BTC-USD', 'ETH-USD'], channel: 'level2' },
    ]);
    let seq = 0;
    const env = (channel: string, events: unknown[]) => s.deliver({ channel, client_id: '', timestamp: T(seq), sequence_num: seq++, events });
    const snap = (p: string) => ({ type: 'snapshot', product_id: p, updates: [{ side: 'bid', event_time: T(0), price_level: '10', new_quantity: '1' }, { side: 'offer', event_time: T(0), price_level: '11', new_quantity: '1' }] });
    env('subscriptions', [{ subscriptions: { heartbeats: ['heartbeats'], level2: ['BTC-USD', 'ETH-USD'] } }]);
    env('l2_data', [snap('BTC-USD')]);
    env('heartbeats', [{ current_time: T(1), heartbeat_counter: 1 }]);
    env('l2_data', [snap('ETH-USD')]);
    env('l2_data', [{ type: 'update', product_id: 'BTC-USD', updates: [{ side: 'bid', event_time: T(2), price_level: '10', new_quantity: '0' }] }]);
    const btc = adapter.feed('BTC-USD')!;
    const eth = adapter.feed('ETH-USD')!;
    expect([btc.state, eth.state, btc.book.levelCount('bid')]).toEqual(['synced', 'synced', 0]);
    const before = s.last().sent.length;
    seq += 2;
    env('l2_data', [{ type: 'update', product_id: 'ETH-USD', updates: [{ side: 'bid', event_time: T(3), price_level: '9', new_quantity: '5' }] }]);
    // The message after the gap is not applied; both books wait for fresh snapshots.
    expect([btc.state, eth.state, eth.book.levelCount('bid'), btc.health.gaps, eth.health.gaps]).toEqual(['resyncing', 'resyncing', 0, 1, 1]);
    expect(btc.health.lastError).toBe('sequence gap: expected sequence_num 5, got 7');
    s.clock.advanceTo(s.clock.now() + 1000);
    expect(s.sentSince(before)).toEqual([
      { type: 'unsubscribe', product_ids: ['BTC-USD', 'ETH-USD'], channel: 'level2' },
      { type: 'subscribe', product_ids: ['BTC-USD', 'ETH-USD'], channel: 'level2' },
    ]);
    // The counter continues from the message after the gap.
    env('l2_data', [snap('BTC-USD'), snap('ETH-USD')]);
    expect([btc.state, eth.state, btc.health.gaps]).toEqual(['synced', 'synced', 1]);
  });
});
