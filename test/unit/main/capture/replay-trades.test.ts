/**
 * Trades through the replay path: every shared capture that carries trades is replayed through the
 * adapters (not just the parsers), and each book's trade figures must equal the Trades table of
 * ../shared/fixtures/captures/README.md exactly, history sent on subscribe included (kept apart from
 * the counts), while the books' own figures stay what the other replay tests check.
 */
import { describe, expect, it } from 'vitest';
import { replayCapture, type ReplayBook } from '../../../../src/main/capture/replay';
import { judgeReplay } from '../../../../src/main/capture/verify';
import { capture } from '../../../support/paths';

type Figures = Pick<ReplayBook, 'trades' | 'tradeVolume' | 'buyVolume' | 'sellVolume' | 'tradeGaps'>;

/** trades, volume, taker buy, taker sell: one README row; no row has a gap. */
const row = (trades: number, tradeVolume: string, buyVolume: string, sellVolume: string): Figures => ({ trades, tradeVolume, buyVolume, sellVolume, tradeGaps: 0 });
const none = row(0, '0', '0', '0');

/** History sent on subscribe, per book: [trades, volume] (the README's last column), on the book's one trade stream. */
type History = [number, string];
const noHistory: History = [0, '0'];

async function tradesOf(
  file: string,
): Promise<{ books: Record<string, Figures>; history: Record<string, History>; ids: Record<string, [string | null, string | null]>; verdict: ReturnType<typeof judgeReplay>; tradeGaps: number }> {
  const history: Record<string, History> = {};
  const ids: Record<string, [string | null, string | null]> = {};
  const r = await replayCapture(capture(`${file}.capture.jsonl`), {
    onEnd: (feeds) => {
      for (const feed of feeds) {
        const streams = feed.tradeTotals();
        // These venues have one trade stream per symbol, so its history is the book's.
        expect(streams.length).toBeLessThanOrEqual(1);
        history[feed.symbol] = streams[0] ? [streams[0].history.trades, streams[0].history.volume] : noHistory;
        ids[feed.symbol] = [streams[0]?.firstId ?? null, streams[0]?.lastId ?? null];
      }
    },
  });
  const books: Record<string, Figures> = {};
  for (const b of r.books) books[b.symbol] = { trades: b.trades, tradeVolume: b.tradeVolume, buyVolume: b.buyVolume, sellVolume: b.sellVolume, tradeGaps: b.tradeGaps };
  return { books, history, ids, verdict: judgeReplay(r), tradeGaps: r.verify.tradeGaps };
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

  it('bitget 2022-04-07: spot and USDT-futures trades; the 50-trade snapshot of each is history, not counted', async () => {
    const { books, history, verdict } = await tradesOf('bitget_2022-04-07');
    // The README's bitget:DASHUSDT is the USDT future, DASHUSDT_UMCBL in our symbols.
    expect(books).toEqual({
      AVAXUSDT: row(5, '0.3016', '0.0603', '0.2413'),
      DASHUSDT_UMCBL: row(9, '6.2', '2.89', '3.31'),
      EOSUSDT: row(5, '10.2717', '8.2229', '2.0488'),
      GOGUSDT: row(5, '66.1958', '66.1958', '0'),
      VVSUSDT: row(4, '860864.7', '645625.7', '215239'),
      CULTUSDT: none,
      HOTUSDT: none,
      STGUSDT: none,
      SUNUSDT: none,
      UNIUSDT_UMCBL: none,
    });
    expect(history).toEqual({
      AVAXUSDT: [50, '27.8317'],
      DASHUSDT_UMCBL: [50, '46.38'],
      EOSUSDT: [50, '239.8524'],
      GOGUSDT: [50, '540.4206'],
      VVSUSDT: [50, '10780627.2'],
      CULTUSDT: noHistory,
      HOTUSDT: noHistory,
      STGUSDT: noHistory,
      SUNUSDT: noHistory,
      UNIUSDT_UMCBL: noHistory,
    });
    expect(verdict.ok).toBe(true);
  });

  it('kraken-futures 2021-07-22: one live print on PI_LTCUSD (seq 5956); each 100-trade snapshot is history', async () => {
    const { books, history, ids, verdict } = await tradesOf('kraken-futures_2021-07-22');
    // The subscribe frame named five more products that never stream: no trades there either.
    const silent = ['FI_BCHUSD_210730', 'FI_BCHUSD_210924', 'FI_ETHUSD_210730', 'FI_XBTUSD_210730', 'PI_ETHUSD'];
    expect(books).toEqual({
      FI_ETHUSD_211231: none,
      FI_XBTUSD_210924: none,
      FI_XRPUSD_210924: none,
      PI_LTCUSD: row(1, '320', '320', '0'),
      PI_XRPUSD: none,
      ...Object.fromEntries(silent.map((p) => [p, none])),
    });
    expect(history).toEqual({
      FI_ETHUSD_211231: [100, '51778'],
      FI_XBTUSD_210924: [100, '57181'],
      FI_XRPUSD_210924: [100, '11138'],
      PI_LTCUSD: [100, '64240'],
      PI_XRPUSD: [100, '68424'],
      ...Object.fromEntries(silent.map((p) => [p, noHistory])),
    });
    expect(ids.PI_LTCUSD).toEqual(['5956', '5956']);
    expect(verdict.ok).toBe(true);
  });

  it('bitfinex 2021-04-17: no live trade in 31 s; the 30-trade snapshot of each pair is history', async () => {
    const { books, history, verdict } = await tradesOf('bitfinex_2021-04-17');
    const pairs = ['tBFTUSD', 'tDOGUSD', 'tIOTETH', 'tMNABTC', 'tODEUSD', 'tSNGUSD', 'tTESTBTC:TESTUSD'];
    expect(books).toEqual(Object.fromEntries(pairs.map((p) => [p, none])));
    expect(history).toEqual({
      tBFTUSD: [30, '40606.13173867'],
      tDOGUSD: [30, '0.13764507'],
      tIOTETH: [30, '2150.28985652'],
      tMNABTC: [30, '7867.97352391'],
      tODEUSD: [30, '149173.33714002'],
      tSNGUSD: [30, '58123.5755044'],
      'tTESTBTC:TESTUSD': [30, '2.07399642'],
    });
    expect(verdict.ok).toBe(true);
  });

  it('hyperliquid 2025-01-26: 32 BTC trades, none marked history (the venue marks none)', async () => {
    const { books, history, verdict } = await tradesOf('hyperliquid_2025-01-26');
    expect(books).toEqual({ BTC: row(32, '0.28523', '0.19036', '0.09487') });
    expect(history).toEqual({ BTC: noHistory });
    expect(verdict.ok).toBe(true);
  });

  it('a capture without trades reports none (kraken 2021-04-17, bybit-linear 2024-12-01, deribit 2021-04-05+17)', async () => {
    for (const file of ['kraken_2021-04-17', 'bybit-linear_2024-12-01', 'deribit_2021-04-05+17']) {
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
