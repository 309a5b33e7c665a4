import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MalformedFrameError } from '../../../../../src/main/venues/adapter';
import { hyperliquidVenue } from '../../../../../src/main/venues/hyperliquid';
import { parseMeta } from '../../../../../src/main/venues/hyperliquid/instruments';
import { bookSubscriptionCoins, coinOfFrame, parseHyperliquidFrame, subscribeFrame } from '../../../../../src/main/venues/hyperliquid/messages';
import { parseHyperliquidTrades } from '../../../../../src/main/venues/hyperliquid/trades';
import { capture } from '../../../../support/paths';

/** The recorded frames of the shared capture, exactly as the venue sent them. */
function recordedFrames(): string[] {
  const lines = readFileSync(capture('hyperliquid_2025-01-26.capture.jsonl'), 'utf8').trim().split('\n');
  return lines.map((l) => JSON.parse(l) as { kind: string; data?: string }).filter((l) => l.kind === 'recv').map((l) => l.data!);
}

const level = (px: string, sz: string, n = 1) => ({ px, sz, n });
const book = (bids: unknown[], asks: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ channel: 'l2Book', data: { coin: 'BTC', time: 1737918843542, levels: [bids, asks], ...extra } });

describe('Hyperliquid l2Book frames', () => {
  it('reads every recorded book frame: coin, time, 20 levels a side, the venue text kept', () => {
    const books = recordedFrames()
      .map((f) => parseHyperliquidFrame(f))
      .flatMap((m) => (m.kind === 'book' ? [m.book] : []));
    expect(books).toHaveLength(23);
    for (const b of books) {
      expect(b.coin).toBe('BTC');
      expect(b.bids).toHaveLength(20);
      expect(b.asks).toHaveLength(20);
    }
    expect(books[0]!.time).toBe(1737918843542);
    expect(books[0]!.bids[0]).toEqual(['105055.0', '3.03622']);
    expect(books.at(-1)!.bids[0]).toEqual(['105055.0', '0.12468']);
    expect(books.at(-1)!.asks[0]).toEqual(['105056.0', '4.71798']);
  });

  it('refuses a side out of order, a price twice, or a size that is not positive', () => {
    const asks = [level('101.0', '1')];
    expect(() => parseHyperliquidFrame(book([level('100.0', '1'), level('100.5', '1')], asks))).toThrow(/bids not strictly falling at 100.5/);
    expect(() => parseHyperliquidFrame(book([level('100.0', '1'), level('100', '2')], asks))).toThrow(/bids not strictly falling/);
    expect(() => parseHyperliquidFrame(book([level('100.0', '1')], [level('102', '1'), level('101', '1')]))).toThrow(/asks not strictly rising/);
    expect(() => parseHyperliquidFrame(book([level('100.0', '0')], asks))).toThrow(/size 0/);
    expect(() => parseHyperliquidFrame(book([level('100.0', '-1')], asks))).toThrow(MalformedFrameError);
    // Order is judged by value, not text: "99.5" is below "100.0".
    expect(parseHyperliquidFrame(book([level('100.0', '1'), level('99.5', '1')], asks)).kind).toBe('book');
  });

  it('refuses a frame without time, coin or both sides', () => {
    expect(() => parseHyperliquidFrame(book([], [], { time: undefined }))).toThrow(/time/);
    expect(() => parseHyperliquidFrame(book([], [], { coin: '' }))).toThrow(/coin/);
    expect(() => parseHyperliquidFrame(JSON.stringify({ channel: 'l2Book', data: { coin: 'BTC', time: 1, levels: [[]] } }))).toThrow(/\[bids, asks\]/);
    expect(() => parseHyperliquidFrame('{"channel":"l2Book","data":{"coin":"BTC"')).toThrow(MalformedFrameError);
    expect(() => parseHyperliquidFrame('{"data":{}}')).toThrow(/without a channel/);
  });

  it('reads the acknowledgement, pong, error and channels it does not use', () => {
    expect(parseHyperliquidFrame('{"channel":"subscriptionResponse","data":{"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC","nSigFigs":null}}}')).toEqual({
      kind: 'subscribed',
      method: 'subscribe',
      type: 'l2Book',
      coin: 'BTC',
    });
    expect(parseHyperliquidFrame('{"channel":"pong"}')).toEqual({ kind: 'pong' });
    expect(parseHyperliquidFrame('{"channel":"error","data":"Already subscribed"}')).toEqual({ kind: 'error', text: 'Already subscribed' });
    expect(parseHyperliquidFrame('{"channel":"allMids","data":{}}')).toEqual({ kind: 'other', channel: 'allMids' });
  });

  it('names the coin of a frame it could not read, and the coins a recorded subscribe frame asks for', () => {
    expect(coinOfFrame('{"channel":"l2Book","data":{"coin":"kPEPE","levels":[[{"px":')).toEqual(['kPEPE']);
    expect(coinOfFrame('not json')).toEqual([]);
    expect(bookSubscriptionCoins(subscribeFrame('l2Book', 'BTC'))).toEqual(['BTC']);
    expect(bookSubscriptionCoins(subscribeFrame('trades', 'BTC'))).toEqual([]);
    expect(hyperliquidVenue.captureSymbols('send', '{"method":"subscribe","subscription":{"coin":"BTC","type":"l2Book"}}')).toEqual(['BTC']);
    expect(hyperliquidVenue.frameSymbols!(recordedFrames()[0]!)).toEqual(['BTC']);
  });
});

describe('Hyperliquid trades', () => {
  it('reads the recorded trades: taker side from B/A, tid as text, exact size text', () => {
    const batches = recordedFrames()
      .map((f) => parseHyperliquidTrades(JSON.parse(f), 7))
      .filter((b) => b !== null);
    const trades = batches.flatMap((b) => b.trades);
    expect(trades).toHaveLength(32);
    expect(batches.every((b) => b.stream === 'trades' && !b.consecutiveIds)).toBe(true);
    expect(trades[0]).toEqual({ venue: 'hyperliquid', symbol: 'BTC', id: '121451470284048', price: '105056.0', size: '0.00219', side: 'buy', exchangeTs: 1737918794873, localTs: 7 });
    expect(new Set(trades.map((t) => t.side))).toEqual(new Set(['buy', 'sell']));
  });

  it('is null for other channels and refuses a trade it cannot read', () => {
    expect(parseHyperliquidTrades({ channel: 'l2Book', data: {} }, 0)).toBeNull();
    const trade = { coin: 'BTC', side: 'B', px: '1.0', sz: '2', time: 5, tid: 9, hash: '0x0', users: [] };
    expect(() => parseHyperliquidTrades({ channel: 'trades', data: [{ ...trade, side: 'X' }] }, 0)).toThrow(/side "X"/);
    expect(() => parseHyperliquidTrades({ channel: 'trades', data: [{ ...trade, px: 'NaN' }] }, 0)).toThrow(/px/);
    expect(() => parseHyperliquidTrades({ channel: 'trades', data: [{ ...trade, tid: undefined }] }, 0)).toThrow(/tid/);
    expect(() => parseHyperliquidTrades({ channel: 'trades', data: {} }, 0)).toThrow(/data list/);
    expect(parseHyperliquidTrades({ channel: 'trades', data: [{ ...trade, side: 'A' }] }, 0)!.trades[0]!.side).toBe('sell');
  });
});

describe('Hyperliquid instruments (info meta)', () => {
  it('lists perpetuals quoted in USDC with the lot size and price decimals szDecimals gives', () => {
    const body = JSON.stringify({
      universe: [
        { name: 'BTC', szDecimals: 5, maxLeverage: 40 },
        { name: 'kPEPE', szDecimals: 0, maxLeverage: 10 },
        { name: 'OLD', szDecimals: 2, maxLeverage: 3, isDelisted: true },
        { szDecimals: 1 },
      ],
      marginTables: [],
    });
    const list = parseMeta(body);
    expect(list.map((i) => i.symbol)).toEqual(['BTC', 'kPEPE', 'OLD']);
    expect(list[0]).toEqual({ venue: 'hyperliquid', symbol: 'BTC', display: 'BTC-PERP', base: 'BTC', quote: 'USDC', tickSize: null, lotSize: '0.00001', pricePrecision: 1, sizePrecision: 5, status: 'trading' });
    expect(list[1]).toMatchObject({ lotSize: '1', pricePrecision: 6, sizePrecision: 0 });
    expect(list[2]!.status).toBe('delisted');
    expect(() => parseMeta('{"error":"bad"}')).toThrow(/no universe/);
  });
});
