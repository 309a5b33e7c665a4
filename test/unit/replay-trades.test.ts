/**
 * Trades through the replay path: every shared capture of today's venues that carries trades is
 * replayed through the adapters (not just the parsers), and each book's trade figures must equal the
 * Trades table of ../shared/fixtures/captures/README.md exactly, while the books' own figures stay
 * what the other replay tests check.
 */
import { describe, expect, it } from 'vitest';
import { replayCapture, type ReplayBook } from '../../src/main/capture/replay';
import { judgeReplay } from '../../src/main/capture/verify';
import { capture } from '../support/paths';

type Figures = Pick<ReplayBook, 'trades' | 'tradeVolume' | 'buyVolume' | 'sellVolume' | 'tradeGaps'>;

/** trades, volume, taker buy, taker sell: one README row; no row has a gap. */
const row = (trades: number, tradeVolume: string, buyVolume: string, sellVolume: string): Figures => ({ trades, tradeVolume, buyVolume, sellVolume, tradeGaps: 0 });
const none = row(0, '0', '0', '0');

async function tradesOf(file: string): Promise<{ books: Record<string, Figures>; verdict: ReturnType<typeof judgeReplay>; tradeGaps: number }> {
  const r = await replayCapture(capture(`${file}.capture.jsonl`));
  const books: Record<string, Figures> = {};
  for (const b of r.books) books[b.symbol] = { trades: b.trades, tradeVolume: b.tradeVolume, buyVolume: b.buyVolume, sellVolume: b.sellVolume, tradeGaps: b.tradeGaps };
  return { books, verdict: judgeReplay(r), tradeGaps: r.verify.tradeGaps };
}

describe('trades in the replay of the shared captures, as the captures README counts them', () => {
  it('binance-spot 2021-10-12: the @aggTrade rows land on the LRCBTC and NKNUSDT books', async () => {
    const { books, verdict, tradeGaps } = await tradesOf('binance-spot_2021-10-12');
    expect(books).toEqual({ LRCBTC: row(1, '177', '177', '0'), NKNUSDT: row(1, '58', '58', '0'), BLZETH: none, RUNEEUR: none });
    expect(tradeGaps).toBe(0);
    expect(verdict.ok).toBe(true);
  });

  it('binance-usdm 2021-07-22: aggTrade events per book', async () => {
    const { books, verdict } = await tradesOf('binance-usdm_2021-07-22');
    expect(books).toEqual({
      AKROUSDT: row(8, '154408', '93374', '61034'),
      CTKUSDT: row(38, '16983', '7125', '9858'),
      KEEPUSDT: row(5, '4165', '490', '3675'),
      SUSHIUSDT: row(40, '2212', '1619', '593'),
    });
    expect(verdict.ok).toBe(true);
  });

  it('binance-usdm 2024-08-08 ETHUSDT: 4,029 @trade prints without a hole; the book figures unchanged', async () => {
    const r = await replayCapture(capture('binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl'));
    expect(r.books).toHaveLength(1);
    const b = r.books[0]!;
    expect([b.trades, b.tradeVolume, b.buyVolume, b.sellVolume, b.tradeGaps]).toEqual([4029, '2298.353', '1181.463', '1116.89', 0]);
    expect(r.verify).toEqual({ checksumOk: 0, checksumFailed: 0, bboOk: 175, bboFailed: 0, gaps: 0, resyncs: 0, crossed: 0, updatesChecked: 2303, sequenceChecked: 2303, tradeGaps: 0 });
    expect(judgeReplay(r).ok).toBe(true);
  });

  it('coinbase 2021-04-17: matches as taker-side volume; last_match is history, not counted', async () => {
    const { books, verdict } = await tradesOf('coinbase_2021-04-17');
    expect(books).toEqual({
      'BAND-BTC': row(8, '210.6', '0', '210.6'),
      'BAND-GBP': row(4, '36', '0', '36'),
      'CRV-EUR': none,
      'DASH-BTC': row(15, '15.755', '11.888', '3.867'),
      'NMR-EUR': row(8, '4.761', '2.996', '1.765'),
      'NU-GBP': row(1, '805.131', '805.131', '0'),
      'SKL-BTC': row(8, '6763', '5647', '1116'),
      'SKL-GBP': row(1, '335', '335', '0'),
      'SKL-USD': row(52, '46731.3', '40691.3', '6040'),
      'YFI-BTC': none,
    });
    expect(verdict.ok).toBe(true);
  });

  it('okx 2021-07-22 and 2022-05-13: trades of spot, swaps, futures and options', async () => {
    const old = await tradesOf('okx_2021-07-22');
    expect(old.books).toEqual({
      'AUCTION-USDT': row(2, '1.224954', '1.224954', '0'),
      'BTC-USD-210924-66000-C': row(1, '2', '0', '2'),
      'BTC-USD-210924-42000-P': none,
      'DHT-USDT': row(1, '73.639284', '73.639284', '0'),
      'FUN-BTC': row(6, '99.28', '71.36', '27.92'),
      'OKT-BTC': row(8, '3.18417404', '1.84177111', '1.34240293'),
      'ONT-USDT': row(3, '1960.876643', '1831.564231', '129.312412'),
      'PAY-BTC': row(7, '24716.243', '2586.649', '22129.594'),
      'TRX-USDT-210924': row(2, '17', '0', '17'),
      'XMR-USDT-SWAP': row(6, '87', '86', '1'),
    });
    expect(old.verdict.ok).toBe(true);
    const recent = await tradesOf('okx_2022-05-13');
    expect(recent.books).toEqual({
      'BTC-USD-220527': row(4, '35', '35', '0'),
      'BTC-USDT': row(69, '3.48657495', '2.99559276', '0.49098219'),
      'UNI-USD-SWAP': row(1, '100', '0', '100'),
    });
    expect(recent.verdict.ok).toBe(true);
  });

  it('a capture without trades reports none (kraken 2021-04-17, bybit-linear 2024-12-01)', async () => {
    for (const file of ['kraken_2021-04-17', 'bybit-linear_2024-12-01']) {
      const { books, tradeGaps } = await tradesOf(file);
      for (const figures of Object.values(books)) expect(figures).toEqual(none);
      expect(tradeGaps).toBe(0);
    }
  });
});

describe('replay --verify and trade gaps', () => {
  it('fails a replay whose consecutive trade ids have a hole, with a sentence saying so', () => {
    const verdict = judgeReplay({
      file: 'x',
      messages: 10,
      msgsPerSec: 10,
      books: [{ venue: 'binance-usdm', symbol: 'ETHUSDT', state: 'synced', bestBid: '1', bestAsk: '2', bidLevels: 1, askLevels: 1, messages: 10, everSynced: true, trades: 5, tradeVolume: '5', buyVolume: '3', sellVolume: '2', tradeGaps: 2 }],
      verify: { checksumOk: 0, checksumFailed: 0, bboOk: 3, bboFailed: 0, gaps: 0, resyncs: 0, crossed: 0, updatesChecked: 9, sequenceChecked: 9, tradeGaps: 2 },
      malformedFrames: 0,
      topOfBookChanges: 3,
      corruptLines: { count: 0, lines: [] },
      endedEarly: null,
      unsupported: [],
    });
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual(['2 trade id gaps seen: trades were lost']);
  });
});
