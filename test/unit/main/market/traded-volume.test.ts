/**
 * Traded volume per price (market/traded-volume.ts) and the ladder frame's `traded` / `lastTrade`:
 * hand-made prints for the rolling window, exact sums and pruning; the real ETHUSDT capture for the
 * totals the captures README counts (taker buy 1181.463, taker sell 1116.89).
 */
import { describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../src/main/capture/replay';
import { TradedVolume, type TradedRow } from '../../../../src/main/market/traded-volume';
import { buildLadderFrame } from '../../../../src/main/publish/views/ladder';
import { SymbolFeed } from '../../../../src/main/venues/symbol-feed';
import { LadderFrameSchema } from '../../../../src/shared/contract';
import { canonicalDecimal } from '../../../../src/shared/decimal';
import type { Trade } from '../../../../src/shared/market';
import { capture } from '../../../support/paths';
import { fakeMarket } from '../../../support/fake-market';

/** Exact a + b of two non-negative decimal texts. */
function addDecimal(a: string, b: string): string {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const units = (t: string) => BigInt(t.split('.')[0]! + (t.split('.')[1] ?? '').padEnd(scale, '0'));
  const digits = (units(a) + units(b)).toString().padStart(scale + 1, '0');
  return canonicalDecimal(scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits);
}

const feedOf = (symbol: string) => new SymbolFeed('demo', symbol, { onBook: () => {}, onState: () => {} });
const T0 = 1_700_000_000_000;

function trade(feed: SymbolFeed, price: string, size: string, side: Trade['side'], localTs: number, over: Partial<Trade> = {}): Trade {
  return { venue: feed.venue, symbol: feed.symbol, id: null, price, size, side, exchangeTs: localTs, localTs, ...over };
}

describe('traded volume per price', () => {
  it('sums exactly per price and side, prunes prints older than the window, keeps the last trade', () => {
    const market = fakeMarket();
    let now = T0;
    const volume = new TradedVolume(market, () => now, 60_000);
    const feed = feedOf('BTCUSDT');
    // 0.1 + 0.2 is 0.30000000000000004 in floats: the sums must stay exact.
    market.emit(feed, trade(feed, '100.50', '0.1', 'buy', T0));
    market.emit(feed, trade(feed, '100.5', '0.20', 'buy', T0 + 10_000));
    market.emit(feed, trade(feed, '100.5', '0.00000001', 'sell', T0 + 20_000));
    market.emit(feed, trade(feed, '101', '3', 'sell', T0 + 30_000));
    market.emit(feed, trade(feed, '99', '7', 'unknown', T0 + 31_000));
    market.emit(feed, trade(feed, '98', '5', 'buy', T0 + 32_000, { history: true }));
    now = T0 + 32_000;
    expect(volume.between(feed, 0, 1e9)).toEqual<TradedRow[]>([
      ['101', '0', '3'],
      ['100.5', '0.3', '0.00000001'],
    ]);
    expect(volume.between(feed, 100, 100.9)).toEqual<TradedRow[]>([['100.5', '0.3', '0.00000001']]);
    // The history print is the last one known, though it is not counted as flow.
    expect(volume.lastTrade(feed)).toEqual({ price: '98', size: '5', side: 'buy', ts: T0 + 32_000 });
    expect(volume.printCount(feed)).toBe(4);

    // The window moves on with the clock: the first print leaves (exactly 60 s old), then the rest.
    const before = volume.version(feed);
    now = T0 + 60_000;
    expect(volume.version(feed)).not.toBe(before);
    expect(volume.between(feed, 0, 1e9)).toEqual<TradedRow[]>([
      ['101', '0', '3'],
      ['100.5', '0.2', '0.00000001'],
    ]);
    now = T0 + 85_000;
    expect(volume.between(feed, 0, 1e9)).toEqual<TradedRow[]>([['101', '0', '3']]);
    now = T0 + 90_000;
    expect(volume.between(feed, 0, 1e9)).toEqual([]);
    expect(volume.printCount(feed)).toBe(0);
    expect(volume.lastTrade(feed)?.price).toBe('98');

    // Released feeds are forgotten; close stops listening.
    market.release([feed]);
    expect(volume.lastTrade(feed)).toBeNull();
    volume.close();
    market.emit(feed, trade(feed, '100', '1', 'buy', now));
    expect(volume.lastTrade(feed)).toBeNull();
  });

  it('stays bounded when prints arrive faster than the window prunes them', () => {
    const market = fakeMarket();
    const volume = new TradedVolume(market, () => T0, 3_600_000);
    const feed = feedOf('ETHUSDT');
    const n = 200_000 + 5_000;
    for (let i = 0; i < n; i++) market.emit(feed, trade(feed, String(2000 + (i % 10)), '1', i % 2 ? 'sell' : 'buy', T0));
    expect(volume.printCount(feed)).toBe(200_000);
    const total = volume.between(feed, 0, 1e9).reduce((sum, [, buy, sell]) => sum + Number(buy) + Number(sell), 0);
    expect(total).toBe(200_000);
  });

  it('ETHUSDT capture: the ladder frame carries every print of the 2 minutes, summing to the README totals', async () => {
    const market = fakeMarket();
    let clock = 0;
    const volume = new TradedVolume(market, () => clock);
    let last: Trade | null = null;
    let ladder: ReturnType<typeof buildLadderFrame> | null = null;
    let wide: ReturnType<typeof buildLadderFrame> | null = null;
    await replayCapture(capture('binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl'), {
      onTrade: (feed, t) => {
        clock = t.localTs;
        last = t;
        market.emit(feed, t);
      },
      onEnd: (feeds) => {
        const feed = feeds[0]!;
        ladder = buildLadderFrame(feed, 20, null, 1, volume);
        wide = buildLadderFrame(feed, 1000, null, 1, volume);
      },
    });
    const frame = LadderFrameSchema.parse(ladder);
    const all = LadderFrameSchema.parse(wide);
    const lastPrint = last as Trade | null;
    expect(frame.lastTrade).toEqual({ price: canonicalDecimal(lastPrint!.price), size: canonicalDecimal(lastPrint!.size), side: lastPrint!.side, ts: lastPrint!.localTs });
    // The 20-level frame carries only the prices in its range, highest first.
    const low = Number(frame.bids.at(-1)![0]);
    const high = Number(frame.asks.at(-1)![0]);
    expect(frame.traded!.length).toBeGreaterThan(0);
    const prices = frame.traded!.map(([p]) => Number(p));
    expect(prices.every((p) => p >= low && p <= high)).toBe(true);
    expect([...prices].sort((a, b) => b - a)).toEqual(prices);
    // 1000 levels each side span every traded price of the 2 minutes: the sums are the README's.
    let buy = '0';
    let sell = '0';
    for (const [, b, s] of all.traded!) {
      buy = addDecimal(buy, b);
      sell = addDecimal(sell, s);
    }
    expect([buy, sell]).toEqual(['1181.463', '1116.89']);
  });
});
