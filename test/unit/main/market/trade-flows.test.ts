/**
 * TradeFlows: prints counted per feed; a live feed's recorded prints from before this session read
 * once from the store, strictly before its first live print (never counted twice); a replayed feed
 * never reads the store; a released feed is forgotten.
 */
import { describe, expect, it } from 'vitest';
import type { Trade } from '../../../../src/shared/market';
import { TradeFlows, type TradeHistorySource } from '../../../../src/main/market/trade-flows';
import type { SymbolFeed } from '../../../../src/main/venues/symbol-feed';

type TradeListener = (feed: SymbolFeed, trade: Trade) => void;

function fakeMarket() {
  const trades: TradeListener[] = [];
  const releases: Array<(feeds: readonly SymbolFeed[]) => void> = [];
  return {
    onTrade: (l: TradeListener) => (trades.push(l), () => {}),
    onReleased: (l: (feeds: readonly SymbolFeed[]) => void) => (releases.push(l), () => {}),
    print: (feed: SymbolFeed, trade: Trade) => trades.forEach((l) => l(feed, trade)),
    release: (feed: SymbolFeed) => releases.forEach((l) => l([feed])),
  };
}

const T = Date.UTC(2024, 7, 8, 12);
const live = { venue: 'binance-usdm', symbol: 'ETHUSDT' } as unknown as SymbolFeed;
const replayed = { venue: 'binance-usdm', symbol: 'ETHUSDT' } as unknown as SymbolFeed;

function print(price: string, size: string, side: Trade['side'], ts: number): Trade {
  return { venue: 'binance-usdm', symbol: 'ETHUSDT', id: null, price, size, side, exchangeTs: ts, localTs: ts };
}

/** A store holding prints at T-3000, T-2000, T-1000 and T (the last one also arrives live). */
function fakeStore(pageRows: number) {
  const rows = [-3000, -2000, -1000, 0].map((d) => ({ price: '2500.00', size: '1', side: 'buy' as const, exchangeTs: T + d, localTs: T + d }));
  const queries: Array<{ from: number; to: number }> = [];
  const source: TradeHistorySource = {
    trades: async (q) => {
      queries.push({ from: q.from, to: q.to });
      const inWindow = rows.filter((r) => r.localTs >= q.from && r.localTs < q.to);
      const page = q.newest ? inWindow.slice(-pageRows) : inWindow.slice(0, pageRows);
      return { rows: page, truncated: inWindow.length > page.length };
    },
  };
  return { source, queries };
}

describe('TradeFlows', () => {
  it('reads a live feed’s recorded prints before its first live print, page by page, once', async () => {
    const market = fakeMarket();
    const store = fakeStore(2);
    const flows = new TradeFlows(market, store.source, (f) => f === replayed, () => T + 10_000);
    market.print(live, print('2500.00', '1', 'buy', T));
    await flows.loadHistory(live, 'binance-usdm');
    await flows.loadHistory(live, 'binance-usdm');
    expect(flows.historyState(live)).toBe('loaded');
    // Three recorded before T, one live at T: 4, not 5.
    expect(flows.flow(live).prints).toBe(4);
    // Newest two first ([..., T)), then the page before it.
    expect(store.queries.map((q) => q.to - T)).toEqual([0, -2000]);
  });

  it('never reads the store for a replayed feed, keeps it apart from the live one, and forgets released feeds', async () => {
    const market = fakeMarket();
    const store = fakeStore(100);
    const flows = new TradeFlows(market, store.source, (f) => f === replayed, () => T);
    market.print(replayed, print('2500.00', '2', 'sell', T));
    await flows.loadHistory(replayed, 'binance-usdm');
    expect(store.queries).toEqual([]);
    expect(flows.historyState(replayed)).toBe('none');
    expect(flows.flow(replayed).prints).toBe(1);
    expect(flows.flow(live).prints).toBe(0);
    market.release(replayed);
    expect(flows.flow(replayed).prints).toBe(0);
  });

  it('a store that fails leaves the live prints and says so', async () => {
    const market = fakeMarket();
    const flows = new TradeFlows(market, { trades: () => Promise.reject(new Error('closed')) }, () => false, () => T);
    market.print(live, print('2500.00', '1', 'buy', T));
    await flows.loadHistory(live, 'binance-usdm');
    expect(flows.historyState(live)).toBe('failed');
    expect(flows.flow(live).prints).toBe(1);
  });
});
