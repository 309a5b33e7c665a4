/**
 * The per-symbol trade path (SymbolFeed.trade) and where each venue's trades travel: duplicates
 * dropped, history forwarded but not counted, id holes counted as trade gaps only where ids are
 * consecutive, trade-throughs judged against a synced book, and Binance USD-M trades on a `/market`
 * connection of their own.
 */
import { describe, expect, it } from 'vitest';
import type { BookEvent, SyncState, Trade } from '../../../../src/shared/market';
import { nullLogger } from '../../../../src/main/log';
import { BINANCE_SPOT, BINANCE_USDM, createBinanceAdapter } from '../../../../src/main/venues/binance';
import { SymbolFeed, type FeedListener } from '../../../../src/main/venues/symbol-feed';
import type { SocketHandlers, Transport, TransportSocket } from '../../../../src/main/venues/transport';
import { VirtualClock } from '../../../../src/main/venues/transport';

function print(id: string, price: string, side: Trade['side'], extra: Partial<Trade> = {}): Trade {
  return { venue: 'binance-spot', symbol: 'BTCUSDT', id, price, size: '1', side, exchangeTs: 1000, localTs: 1000, ...extra };
}

function feedWithListener(): { feed: SymbolFeed; forwarded: Trade[] } {
  const forwarded: Trade[] = [];
  const listener: FeedListener = { onBook: () => {}, onState: () => {}, onTrade: (_f, t) => void forwarded.push(t) };
  return { feed: new SymbolFeed('binance-spot', 'BTCUSDT', listener), forwarded };
}

function syncBook(feed: SymbolFeed, exchangeTs: number): void {
  feed.connecting('subscribed');
  feed.awaitSnapshot('subscribed');
  feed.synced('snapshot');
  feed.apply(feed.event('snapshot', { bids: [['99', '1']], asks: [['101', '1']], localTs: 1 }));
  // A delta carries the book's exchange time.
  feed.apply(feed.event('delta', { bids: [['98', '1']], asks: [], exchangeTs, localTs: 2 }) as BookEvent);
}

describe('SymbolFeed trade path', () => {
  it('counts trades before the book exists, drops duplicates, forwards history flagged and uncounted', () => {
    const { feed, forwarded } = feedWithListener();
    expect(feed.state as SyncState).toBe('idle');
    feed.trade(print('1', '100', 'buy', { history: true }), 'trade', true);
    feed.trade(print('2', '100', 'buy'), 'trade', true);
    feed.trade(print('3', '100', 'sell'), 'trade', true);
    feed.trade(print('3', '100', 'sell'), 'trade', true);
    feed.trade(print('1', '100', 'buy', { history: true }), 'trade', true);
    expect(forwarded.map((t) => [t.id, t.history ?? false])).toEqual([
      ['1', true],
      ['2', false],
      ['3', false],
    ]);
    expect(feed.health.trades).toBe(2);
    expect(feed.health.tradeDuplicates).toBe(2);
    expect(feed.health.tradeGaps).toBe(0);
  });

  it('counts a hole in consecutive ids as a trade gap, closes it when the late trade arrives, and ignores holes where ids are not consecutive', () => {
    const { feed } = feedWithListener();
    for (const id of ['10', '11', '14']) feed.trade(print(id, '100', 'buy'), 'trade', true);
    expect(feed.health.tradeGaps).toBe(1);
    expect(feed.healthSnapshot(0)).toMatchObject({ trades: 3, tradeGaps: 1, tradeAnomalies: 0 });
    expect(feed.health.lastError).toMatch(/trade id gap before trade 14/);
    feed.trade(print('12', '100', 'buy'), 'trade', true);
    feed.trade(print('13', '100', 'buy'), 'trade', true);
    expect(feed.health.tradeGaps).toBe(0);
    const other = feedWithListener().feed;
    for (const id of ['10', '20']) other.trade(print(id, '100', 'buy'), 'publicTrade', false);
    expect(other.health.tradeGaps).toBe(0);
  });

  it('counts a print through the book only against a synced book as recent as the trade', () => {
    const { feed } = feedWithListener();
    // Not synced: not judged.
    feed.trade(print('1', '105', 'buy'), 'trade', true);
    expect(feed.health.tradeAnomalies).toBe(0);
    syncBook(feed, 2000);
    feed.trade(print('2', '105', 'buy', { exchangeTs: 1500 }), 'trade', true); // above the ask 101
    feed.trade(print('3', '101', 'buy', { exchangeTs: 1500 }), 'trade', true); // at the ask: fine
    feed.trade(print('4', '95', 'sell', { exchangeTs: 1500 }), 'trade', true); // below the bid 99
    // A trade newer than the book: the book may not show it yet, not judged.
    feed.trade(print('5', '120', 'buy', { exchangeTs: 2500 }), 'trade', true);
    expect(feed.health.tradeAnomalies).toBe(2);
    expect(feed.health.trades).toBe(5);
  });

  it('stamps trades of another venue spelling with the feed, and a failed feed takes none', () => {
    const { feed, forwarded } = feedWithListener();
    feed.trade(print('1', '100', 'buy', { symbol: 'btcusdt' }), 'trade', true);
    expect(forwarded[0]!.symbol).toBe('BTCUSDT');
    feed.connecting('subscribed');
    feed.fail('refused');
    feed.trade(print('2', '100', 'buy'), 'trade', true);
    expect(forwarded).toHaveLength(1);
  });
});

/** A transport that records connect URLs and never opens. */
function urlRecorder(): { transport: Transport; urls: string[] } {
  const urls: string[] = [];
  const transport: Transport = {
    clock: new VirtualClock(),
    connect(url: string, _handlers: SocketHandlers): TransportSocket {
      urls.push(url);
      return { send: () => {}, close: () => {} };
    },
    get: () => new Promise(() => {}),
  };
  return { transport, urls };
}

describe('where Binance trades travel', () => {
  const listener: FeedListener = { onBook: () => {}, onState: () => {} };

  it('spot: @trade on the book connection', () => {
    const { transport, urls } = urlRecorder();
    const adapter = createBinanceAdapter({ venue: 'binance-spot', market: BINANCE_SPOT, transport, listener, logger: nullLogger });
    adapter.subscribe(['BTCUSDT']);
    expect(urls).toEqual(['wss://stream.binance.com:9443/stream?streams=btcusdt@depth@100ms/btcusdt@bookTicker/btcusdt@trade']);
    expect(adapter.tradeConnectionCount).toBe(0);
    adapter.close();
  });

  it('USD-M: depth and bookTicker on /public, @aggTrade on a /market connection of its own', () => {
    const { transport, urls } = urlRecorder();
    const adapter = createBinanceAdapter({ venue: 'binance-usdm', market: BINANCE_USDM, transport, listener, logger: nullLogger });
    adapter.subscribe(['BTCUSDT', 'ETHUSDT']);
    expect(urls).toEqual([
      'wss://fstream.binance.com/public/stream?streams=btcusdt@depth@100ms/btcusdt@bookTicker/ethusdt@depth@100ms/ethusdt@bookTicker',
      'wss://fstream.binance.com/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade',
    ]);
    expect(adapter.connectionCount).toBe(1);
    expect(adapter.tradeConnectionCount).toBe(1);
    adapter.close();
  });
});
