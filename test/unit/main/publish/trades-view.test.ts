/**
 * The tape's frames (publish/views/trades.ts) and the recent-prints buffer behind their backlog
 * (market/recent-trades.ts), driven with hand-made prints through a stand-in for the market's
 * onTrade, and through the real Publisher for the "newest frame, never a queue" rule.
 */
import { describe, expect, it } from 'vitest';
import { RecentTrades } from '../../../../src/main/market/recent-trades';
import { Publisher } from '../../../../src/main/publish/publisher';
import { tradesSource } from '../../../../src/main/publish/views/trades';
import { SymbolFeed } from '../../../../src/main/venues/symbol-feed';
import { MAX_TRADES_PER_FRAME, TradesFrameSchema, type ServerMessage, type TradesFrame } from '../../../../src/shared/contract';
import type { Instrument, Trade } from '../../../../src/shared/market';
import { fakeMarket } from '../../../support/fake-market';

const feedOf = (symbol: string) => new SymbolFeed('demo', symbol, { onBook: () => {}, onState: () => {} });

function print(feed: SymbolFeed, i: number, over: Partial<Trade> = {}): Trade {
  return {
    venue: feed.venue,
    symbol: feed.symbol,
    id: String(i),
    price: `${100 + (i % 7)}.25`,
    size: '0.00000100',
    side: i % 3 === 0 ? 'buy' : i % 3 === 1 ? 'sell' : 'unknown',
    exchangeTs: 1_700_000_000_000 + i,
    localTs: 1_700_000_000_005 + i,
    ...over,
  };
}

const instrument = { pricePrecision: 2, sizePrecision: 8 } as Instrument;

describe('trades view', () => {
  it('first frame: the backlog; then exactly the prints of its own feed since the last frame, oldest first', () => {
    const market = fakeMarket();
    const recent = new RecentTrades(market, 50);
    const btc = feedOf('BTCUSDT');
    const eth = feedOf('ETHUSDT');
    for (let i = 0; i < 80; i++) market.emit(btc, print(btc, i));
    market.emit(eth, print(eth, 999));

    const source = tradesSource(market, btc, recent.newest(btc, 30), () => instrument);
    const first = source.build() as TradesFrame;
    expect(TradesFrameSchema.parse(first)).toEqual(first);
    // The newest 30 of the 80 before the subscription.
    expect(first.trades.map((t) => t.id)).toEqual(Array.from({ length: 30 }, (_, k) => String(50 + k)));
    expect(first).toMatchObject({ venue: 'demo', symbol: 'BTCUSDT', dropped: 0, priceDecimals: 2, sizeDecimals: 8 });

    const v0 = source.version();
    market.emit(eth, print(eth, 1000));
    expect(source.version()).toBe(v0);
    market.emit(btc, print(btc, 80, { fills: 3, history: true }));
    market.emit(btc, print(btc, 81));
    expect(source.version()).not.toBe(v0);
    const next = source.build() as TradesFrame;
    expect(next.trades).toEqual([
      { id: '80', price: '103.25', size: '0.00000100', side: 'unknown', exchangeTs: 1_700_000_000_080, localTs: 1_700_000_000_085, fills: 3, history: true },
      { id: '81', price: '104.25', size: '0.00000100', side: 'buy', exchangeTs: 1_700_000_000_081, localTs: 1_700_000_000_086 },
    ]);
    expect((source.build() as TradesFrame).trades).toEqual([]);
    source.dispose?.();
    recent.close();
    expect(market.listeners()).toBe(0);
  });

  it('a burst beyond the frame cap keeps the newest prints and counts the rest as dropped, never queued', () => {
    const market = fakeMarket();
    const feed = feedOf('BTCUSDT');
    const source = tradesSource(market, feed, [], () => null);
    expect((source.build() as TradesFrame).trades).toEqual([]);
    const burst = MAX_TRADES_PER_FRAME * 3 + 17;
    for (let i = 0; i < burst; i++) market.emit(feed, print(feed, i));
    const frame = source.build() as TradesFrame;
    expect(TradesFrameSchema.safeParse(frame).success).toBe(true);
    expect(frame.trades).toHaveLength(MAX_TRADES_PER_FRAME);
    expect(frame.dropped).toBe(burst - MAX_TRADES_PER_FRAME);
    expect(frame.trades[0]!.id).toBe(String(burst - MAX_TRADES_PER_FRAME));
    expect(frame.trades.at(-1)!.id).toBe(String(burst - 1));
    expect(frame.priceDecimals).toBeNull();
    // The count is per frame: the next one starts from zero.
    market.emit(feed, print(feed, burst));
    expect(source.build()).toMatchObject({ dropped: 0, trades: [{ id: String(burst) }] });
  });

  it('through the publisher: a window that is busy gets the prints of all the ticks it missed in one frame', () => {
    const market = fakeMarket();
    const feed = feedOf('BTCUSDT');
    const publisher = new Publisher(1_000_000);
    const sent: ServerMessage[] = [];
    let busy = false;
    const session = publisher.open({ send: (m) => sent.push(m), backpressured: () => busy });
    session.add(1, tradesSource(market, feed, [], () => null, 5));
    publisher.tick();
    expect(sent).toHaveLength(1);
    publisher.tick();
    expect(sent).toHaveLength(1); // nothing new: no frame
    busy = true;
    for (let i = 0; i < 3; i++) market.emit(feed, print(feed, i));
    publisher.tick();
    for (let i = 3; i < 8; i++) market.emit(feed, print(feed, i));
    publisher.tick();
    expect(sent).toHaveLength(1);
    busy = false;
    publisher.tick();
    const frames = sent.map((m) => (m.t === 'frames' ? (m.frames[0]!.frame as TradesFrame) : null));
    expect(frames[1]!.trades.map((t) => t.id)).toEqual(['3', '4', '5', '6', '7']);
    expect(frames[1]!.dropped).toBe(3);
    publisher.stop();
    session.close();
  });
});

describe('recent trades', () => {
  it('keeps the newest prints per feed in a ring, oldest first, and forgets released feeds', () => {
    const market = fakeMarket();
    const recent = new RecentTrades(market, 4);
    const live = feedOf('BTCUSDT');
    const replayed = feedOf('BTCUSDT');
    expect(recent.newest(live, 10)).toEqual([]);
    for (let i = 0; i < 3; i++) market.emit(live, print(live, i));
    expect(recent.newest(live, 10).map((t) => t.id)).toEqual(['0', '1', '2']);
    for (let i = 3; i < 11; i++) market.emit(live, print(live, i));
    expect(recent.newest(live, 10).map((t) => t.id)).toEqual(['7', '8', '9', '10']);
    expect(recent.newest(live, 2).map((t) => t.id)).toEqual(['9', '10']);
    expect(recent.newest(live, 0)).toEqual([]);
    // Same venue:symbol, another feed (a replay): kept apart.
    market.emit(replayed, print(replayed, 500));
    expect(recent.newest(replayed, 10).map((t) => t.id)).toEqual(['500']);
    market.release([replayed]);
    expect(recent.newest(replayed, 10)).toEqual([]);
    expect(recent.newest(live, 1).map((t) => t.id)).toEqual(['10']);
  });
});
