import { beforeAll, describe, expect, it } from 'vitest';
import { replayCapture } from '../../../src/main/capture/replay';
import { ladderColumns } from '../../../src/renderer/src/panels/ladder/columns';
import {
  buildGrid,
  depthFor,
  followCenter,
  formatColumnSize,
  formatUnits,
  inferStep,
  markWalls,
  placeTraded,
  priceUnits,
  tradeRowPrice,
  sizeDecimalsNeeded,
  topForCenter,
  type LadderBook,
} from '../../../src/renderer/src/panels/ladder/grid';
import { capture } from '../../support/paths';

/** Books rebuilt from real captures, as the ladder stream would send them (top 200 per side). */
const MARKETS = {
  'KSM/XBT': 'kraken_2021-04-17.capture.jsonl',
  XRPUSDT: 'bybit-linear_2024-12-01.capture.jsonl',
  ETHUSDT: 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl',
  'BTC-USDT': 'okx_2022-05-13.capture.jsonl',
} as const;
type Market = keyof typeof MARKETS;
const books = {} as Record<Market, LadderBook>;

beforeAll(async () => {
  for (const [symbol, file] of Object.entries(MARKETS) as Array<[Market, string]>) {
    await replayCapture(capture(file), {
      onEnd: (feeds) => {
        const feed = feeds.find((f) => f.symbol === symbol)!;
        const side = (s: 'bid' | 'ask') => feed.book.top(s, 200).map((l) => [l.price, l.sizeText] as const);
        // Lot precision is unknown in these captures: the frame then caps sizes at 4 decimals.
        books[symbol] = { bids: side('bid'), asks: side('ask'), priceDecimals: feed.book.priceScale, sizeDecimals: 4 };
      },
    });
  }
}, 120_000);

/** A 40-row grid centred on the spread of a book. */
function centredGrid(book: LadderBook, rowCount = 40) {
  const step = inferStep(book, null)!;
  const bestBid = priceUnits(book.bids[0]![0], book.priceDecimals);
  const bestAsk = priceUnits(book.asks[0]![0], book.priceDecimals);
  const center = followCenter(null, bestBid, bestAsk, step.units, 3)!;
  const top = topForCenter(center, rowCount, step.units);
  return buildGrid(book, { top, rowCount, step: step.units, bidsTruncated: true, asksTruncated: true });
}

describe('ladder price grid', () => {
  it('reads prices as exact integer units', () => {
    expect(priceUnits('0.00756600', 6)).toBe(7566);
    expect(priceUnits('2680.18', 2)).toBe(268018);
    expect(priceUnits('30249', 1)).toBe(302490);
    expect(priceUnits('1.23', 1)).toBeNull();
    expect(priceUnits('1e-5', 8)).toBeNull();
    expect(priceUnits('', 2)).toBeNull();
  });

  it('infers the step each real market trades in, whatever decimals its texts carry', () => {
    const step = (m: Market) => {
      const s = inferStep(books[m], null)!;
      return formatUnits(s.units, s.decimals, s.decimals);
    };
    // Kraken sends KSM/XBT prices with 8 decimals, but every level sits on a 0.000001 step.
    expect(books['KSM/XBT'].bids[0]![0]).toBe('0.00756000');
    expect(step('KSM/XBT')).toBe('0.000001');
    expect(step('XRPUSDT')).toBe('0.0001');
    expect(step('ETHUSDT')).toBe('0.01');
    expect(step('BTC-USDT')).toBe('0.1');
  });

  it('keeps a step only ever getting finer, so rows do not jump back', () => {
    const coarse: LadderBook = { bids: [['1.00', '1']], asks: [['1.50', '1']], priceDecimals: 2, sizeDecimals: 2 };
    const first = inferStep(coarse, null)!;
    expect(first).toEqual({ units: 50, decimals: 2 });
    const finer = inferStep({ ...coarse, asks: [['1.20', '1']] }, first)!;
    expect(finer).toEqual({ units: 10, decimals: 2 });
    // The same book again: the finer step stays.
    expect(inferStep(coarse, finer)).toEqual({ units: 10, decimals: 2 });
    // A wider price scale re-expresses the step.
    expect(inferStep({ ...coarse, priceDecimals: 3, bids: [['1.000', '1']], asks: [['1.500', '1']] }, finer)).toEqual({ units: 100, decimals: 3 });
  });

  for (const market of Object.keys(MARKETS) as Market[]) {
    it(`${market}: one row per price, every level in view on its row, empty prices kept`, () => {
      const book = books[market];
      const grid = centredGrid(book);
      const d = book.priceDecimals;
      expect(grid.rows).toHaveLength(40);
      grid.rows.forEach((r, i) => expect(r.price).toBe(grid.rows[0]!.price - i * grid.step));
      const top = grid.rows[0]!.price;
      const bottom = grid.rows.at(-1)!.price;
      // Each level whose price is in view shows its exact size on its row; no other row has a size.
      const inView = (levels: LadderBook['bids']) => levels.filter(([p]) => priceUnits(p, d)! <= top && priceUnits(p, d)! >= bottom);
      const bidsInView = inView(book.bids);
      const asksInView = inView(book.asks);
      for (const [price, size] of bidsInView) expect(grid.rows.find((r) => r.price === priceUnits(price, d))!.bidSize).toBe(Number(size));
      for (const [price, size] of asksInView) expect(grid.rows.find((r) => r.price === priceUnits(price, d))!.askSize).toBe(Number(size));
      expect(grid.rows.filter((r) => r.bidSize > 0)).toHaveLength(bidsInView.length);
      expect(grid.rows.filter((r) => r.askSize > 0)).toHaveLength(asksInView.length);
      // The spread is in the middle of the view, and asks sit above bids.
      const bestAskRow = grid.rows.findIndex((r) => r.price === grid.bestAsk);
      const bestBidRow = grid.rows.findIndex((r) => r.price === grid.bestBid);
      expect(bestAskRow).toBeGreaterThanOrEqual(0);
      expect(bestBidRow).toBeGreaterThan(bestAskRow);
      expect(Math.abs((bestAskRow + bestBidRow) / 2 - 20)).toBeLessThanOrEqual(1);
      grid.rows.forEach((r, i) => expect(r.zone).toBe(i <= bestAskRow ? 'ask' : i >= bestBidRow ? 'bid' : 'spread'));
      // Cumulative size at a row: everything from the best price out to it.
      const row = grid.rows.filter((r) => r.bidSize > 0).at(-1)!;
      const expected = book.bids.filter(([p]) => priceUnits(p, d)! >= row.price).reduce((sum, [, s]) => sum + Number(s), 0);
      expect(row.bidCum).toBeCloseTo(expected, 9);
      // The view needs at most as many levels per side as it has rows on that side.
      expect(grid.levelsNeeded).toBeLessThanOrEqual(21);
      expect(depthFor(grid.levelsNeeded)).toBeGreaterThanOrEqual(grid.levelsNeeded);
    });
  }

  it('marks rows beyond the loaded levels of a truncated side as unknown, not empty', () => {
    const book = books.ETHUSDT;
    const short: LadderBook = { ...book, bids: book.bids.slice(0, 3), asks: book.asks.slice(0, 3) };
    const grid = centredGrid(short);
    const lastBid = priceUnits(short.bids[2]![0], book.priceDecimals)!;
    expect(grid.rows.filter((r) => r.unloaded).every((r) => r.price < lastBid || r.zone === 'ask')).toBe(true);
    expect(grid.rows.some((r) => r.unloaded && r.zone === 'bid')).toBe(true);
    expect(grid.rows.some((r) => r.price >= lastBid && r.unloaded && r.zone === 'bid')).toBe(false);
  });

  it('follows the spread without shaking: recentres only when the middle drifts past the slack', () => {
    expect(followCenter(null, 100, 102, 1, 3)).toBe(101);
    expect(followCenter(101, 102, 104, 1, 3)).toBe(101);
    expect(followCenter(101, 103, 105, 1, 3)).toBe(101);
    expect(followCenter(101, 105, 107, 1, 3)).toBe(106);
    // One side empty: centre on the side there is.
    expect(followCenter(null, null, 50, 5, 3)).toBe(50);
    expect(followCenter(7, null, null, 1, 3)).toBe(7);
  });
});

describe('ladder walls', () => {
  it('marks no more than a few robust outliers on every real book', () => {
    for (const market of Object.keys(MARKETS) as Market[]) {
      const grid = centredGrid(books[market]);
      const marked = markWalls(grid.rows);
      const sizes = grid.rows.flatMap((r) => [r.bidSize, r.askSize]).filter((s) => s > 0).sort((a, b) => a - b);
      const median = sizes.length % 2 ? sizes[(sizes.length - 1) / 2]! : (sizes[sizes.length / 2 - 1]! + sizes[sizes.length / 2]!) / 2;
      expect(marked, market).toBeLessThanOrEqual(3);
      for (const r of grid.rows.filter((x) => x.wall)) expect(Math.max(r.bidSize, r.askSize)).toBeGreaterThanOrEqual(5 * median);
    }
  });

  it('on the thin KSM/XBT book, marks only the two sizes an order of magnitude above the rest', () => {
    const grid = centredGrid(books['KSM/XBT']);
    markWalls(grid.rows);
    const walls = grid.rows.filter((r) => r.wall).map((r) => Math.max(r.bidSize, r.askSize));
    expect(walls.sort((a, b) => b - a)).toEqual([46.87403715, 44.71]);
  });

  it('marks nothing in an even book, and nothing with too few sizes for a median', () => {
    const row = (size: number) => ({ price: 0, bidSize: size, askSize: 0, bidCum: 0, askCum: 0, zone: 'bid' as const, unloaded: false, wall: false, buyVol: 0, sellVol: 0 });
    expect(markWalls([1, 1.2, 0.9, 1.1, 1.3, 0.8, 1, 1.4, 1.2, 0.9].map(row))).toBe(0);
    expect(markWalls([1, 1, 1, 50].map(row))).toBe(0);
    const rows = [1, 1.2, 0.9, 1.1, 1.3, 0.8, 1, 1.4, 20, 0.9].map(row);
    expect(markWalls(rows)).toBe(1);
    expect(rows[8]!.wall).toBe(true);
  });
});

describe('ladder numbers', () => {
  it('shows whole lots without decimals and gives one column one number of decimals', () => {
    expect(sizeDecimalsNeeded(books.XRPUSDT)).toBe(0);
    expect(sizeDecimalsNeeded(books.ETHUSDT)).toBe(3);
    expect(sizeDecimalsNeeded(books['BTC-USDT'])).toBe(4);
    expect(formatColumnSize(325740, 0)).toBe('325,740');
    expect(formatColumnSize(98634, 0)).toBe('98,634');
    expect(formatColumnSize(1234567.5, 3)).toBe('1,234,567.500');
    expect(formatColumnSize(0.008, 3)).toBe('0.008');
  });

  it('writes grid prices exactly, with thousands separators and the step’s decimals', () => {
    expect(formatUnits(302362, 1, 1)).toBe('30,236.2');
    expect(formatUnits(7566, 6, 6)).toBe('0.007566');
    expect(formatUnits(268018, 2, 2)).toBe('2,680.18');
    expect(formatUnits(19538, 4, 4)).toBe('1.9538');
    expect(formatUnits(6012300, 2, 0)).toBe('60,123');
    expect(formatUnits(5, 2, 2)).toBe('0.05');
  });
});

describe('ladder columns', () => {
  it('keep bars clear of every number at any width, and drop the cumulative columns before the bars', () => {
    const chars = { price: 9, size: 7, cum: 9 };
    const charWidth = 7.2;
    for (let width = 260; width <= 900; width += 20) {
      for (const showCum of [false, true]) {
        const c = ladderColumns(width, chars, charWidth, showCum);
        const order = [c.bidCum, c.bidBar, c.bidSize, c.price, c.askSize, c.askBar, c.askCum].filter((x) => x !== null);
        for (let i = 1; i < order.length; i++) expect(order[i]!.left).toBeCloseTo(order[i - 1]!.right, 6);
        expect(c.bidSize.right - c.bidSize.left).toBeGreaterThanOrEqual(chars.size * charWidth);
        expect(c.price.right - c.price.left).toBeGreaterThan(chars.price * charWidth);
        expect(c.askBar.right - c.askBar.left).toBe(c.bidBar.right - c.bidBar.left);
        if (showCum && c.askCum) expect(c.askBar.right - c.askBar.left).toBeGreaterThanOrEqual(24);
        if (!showCum) expect(c.askCum).toBeNull();
      }
    }
    expect(ladderColumns(300, chars, charWidth, true).askCum).toBeNull();
    expect(ladderColumns(700, chars, charWidth, true).askCum).not.toBeNull();
  });

  it('fit the traded volume columns between the sizes and the prices, dropped after the cumulative ones', () => {
    const chars = { price: 9, size: 7, cum: 9, vol: 6 };
    const charWidth = 7.2;
    for (let width = 260; width <= 900; width += 20) {
      const c = ladderColumns(width, chars, charWidth, true, true);
      const order = [c.bidCum, c.bidBar, c.bidSize, c.sellVol, c.price, c.buyVol, c.askSize, c.askBar, c.askCum].filter((x) => x !== null);
      for (let i = 1; i < order.length; i++) expect(order[i]!.left).toBeCloseTo(order[i - 1]!.right, 6);
      if (c.buyVol) expect(c.buyVol.right - c.buyVol.left).toBeGreaterThanOrEqual(chars.vol * charWidth);
      if (c.askCum) expect(c.buyVol).not.toBeNull();
      expect(c.askBar.right - c.askBar.left).toBeGreaterThanOrEqual(width >= 400 ? 24 : 0);
    }
    expect(ladderColumns(300, chars, charWidth, true, true).buyVol).toBeNull();
    expect(ladderColumns(500, chars, charWidth, true, true)).toMatchObject({ askCum: null, buyVol: { left: expect.any(Number) } });
    expect(ladderColumns(900, chars, charWidth, true, false).buyVol).toBeNull();
  });
});

describe('traded volume on the grid', () => {
  it('lands a buy on the row above it and a sell on the row below it when grouped, like the book', () => {
    // 2680.13 at 2 decimals, rows 5 ticks tall: a buy lifted the asks' 2680.15 row, a sell hit the bids' 2680.10 row.
    expect(tradeRowPrice('2680.13', 'buy', 2, 5)).toBe(268015);
    expect(tradeRowPrice('2680.13', 'sell', 2, 5)).toBe(268010);
    expect(tradeRowPrice('2680.15', 'sell', 2, 5)).toBe(268015);
    expect(tradeRowPrice('2680.135', 'buy', 2, 5)).toBeNull();
    const grid = buildGrid({ bids: [['2680.10', '1']], asks: [['2680.15', '1']], priceDecimals: 2, sizeDecimals: 3 }, { top: 268020, rowCount: 4, step: 5, bidsTruncated: false, asksTruncated: false });
    placeTraded(grid.rows, [['2680.13', '0.5', '0.25'], ['2680.12', '1', '0'], ['2681', '9', '9']], 2, 5);
    expect(grid.rows.map((r) => [r.price, r.buyVol, r.sellVol])).toEqual([
      [268020, 0, 0],
      [268015, 1.5, 0],
      [268010, 0, 0.25],
      [268005, 0, 0],
    ]);
  });
});

describe('remembered price and size texts', () => {
  it('give the same texts as formatting afresh, for each format, past the memory limit', () => {
    const sizes = new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
    // More values than are remembered, twice over, so the memory starts again in between.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5000; i++) {
        const size = i * 0.137;
        expect(formatColumnSize(size, 3)).toBe(sizes.format(size));
        expect(formatColumnSize(size, 0)).toBe(Math.round(size).toLocaleString('en-US'));
      }
    }
    // One price's units at two scales and two shown decimals: each keeps its own text.
    expect(formatUnits(268_225, 2, 2)).toBe('2,682.25');
    expect(formatUnits(268_225, 2, 1)).toBe('2,682.2');
    expect(formatUnits(268_225, 3, 3)).toBe('268.225');
    expect(formatUnits(268_225, 2, 2)).toBe('2,682.25');
    expect(formatUnits(5, 4, 4)).toBe('0.0005');
  });
});
