/**
 * The proof the trade parsers are right: every recv frame of each shared capture that carries trades
 * for a venue we support goes through the venue's trade parser and the trade stats, and the totals
 * must equal the Trades table of ../shared/fixtures/captures/README.md exactly.
 */
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../../src/main/capture/reader';
import { TradeStats, type TradeStatsSnapshot } from '../../../../src/main/trades/stats';
import type { TradeBatch } from '../../../../src/main/trades/batch';
import { parseBinanceTrades } from '../../../../src/main/venues/binance/trades';
import { parseCoinbaseTrades } from '../../../../src/main/venues/coinbase/trades';
import { parseOkxTrades } from '../../../../src/main/venues/okx/trades';
import { capture } from '../../../support/paths';

function parseFrame(venue: string, message: unknown, localTs: number): TradeBatch | null {
  if (venue === 'binance-spot' || venue === 'binance-usdm') return parseBinanceTrades(venue, message, localTs);
  if (venue === 'coinbase') return parseCoinbaseTrades(message, localTs);
  if (venue === 'okx') return parseOkxTrades(message, localTs);
  throw new Error(`no trade parser for ${venue}`);
}

async function tradeStatsOf(file: string): Promise<{ stats: TradeStatsSnapshot[]; batches: number }> {
  const stats = new TradeStats();
  let batches = 0;
  for await (const entry of readCapture(capture(`${file}.capture.jsonl`))) {
    if (!('line' in entry)) throw new Error(`corrupt line ${entry.lineNo}: ${entry.error}`);
    const { line } = entry;
    if (line.kind !== 'recv' || line.data === undefined) continue;
    let message: unknown;
    try {
      message = JSON.parse(line.data);
    } catch {
      continue; // OKX's text "pong" and the like
    }
    const batch = parseFrame(line.venue, message, line.ts);
    if (!batch) continue;
    batches++;
    for (const verdict of stats.addBatch(batch)) expect(verdict).not.toBe('duplicate');
  }
  return { stats: stats.all(), batches };
}

/** One row of the README's Trades table. */
interface Row {
  key: string;
  trades: number;
  fills?: number;
  volume: string;
  buy: string;
  sell: string;
  first: string | null;
  last: string | null;
  gaps: number;
  history?: [number, string];
}

function row(key: string, trades: number, volume: string, buy: string, sell: string, first: string | null, last: string | null, gaps: number, extra: Partial<Row> = {}): Row {
  return { key, trades, volume, buy, sell, first, last, gaps, ...extra };
}

function expectRows(stats: TradeStatsSnapshot[], rows: Row[], consecutiveIds: boolean): void {
  const byKey = new Map(stats.map((s) => [`${s.venue}:${s.symbol}${s.stream === 'aggTrade' ? '@aggTrade' : ''}`, s]));
  expect([...byKey.keys()].sort()).toEqual(rows.map((r) => r.key).sort());
  for (const r of rows) {
    const s = byKey.get(r.key)!;
    const got = {
      key: r.key,
      trades: s.trades,
      ...(r.fills !== undefined ? { fills: s.fills } : {}),
      volume: s.volume,
      buy: s.takerBuy,
      sell: s.takerSell,
      first: s.firstId,
      last: s.lastId,
      gaps: s.idGaps,
      ...(r.history ? { history: [s.history.trades, s.history.volume] } : {}),
    };
    expect(got).toEqual(r);
    expect(s.takerUnknown).toBe('0');
    expect(s.duplicates).toBe(0);
    expect(s.outOfOrder).toBe(0);
    expect(s.consecutiveIds).toBe(consecutiveIds);
    if (!r.history) expect(s.history).toEqual({ trades: 0, volume: '0' });
  }
}

describe('trades in the shared captures, as the captures README counts them', () => {
  it('binance-spot 2021-10-12: two aggTrade events', async () => {
    const { stats } = await tradeStatsOf('binance-spot_2021-10-12');
    expectRows(
      stats,
      [
        row('binance-spot:LRCBTC@aggTrade', 1, '177', '177', '0', '9213679', '9213679', 0, { fills: 1 }),
        row('binance-spot:NKNUSDT@aggTrade', 1, '58', '58', '0', '15683430', '15683430', 0, { fills: 1 }),
      ],
      true,
    );
  });

  it('binance-usdm 2021-07-22: aggTrade events and the fills they stand for', async () => {
    const { stats } = await tradeStatsOf('binance-usdm_2021-07-22');
    expectRows(
      stats,
      [
        row('binance-usdm:AKROUSDT@aggTrade', 8, '154408', '93374', '61034', '14888302', '14888309', 0, { fills: 15 }),
        row('binance-usdm:CTKUSDT@aggTrade', 38, '16983', '7125', '9858', '16599292', '16599329', 0, { fills: 76 }),
        row('binance-usdm:KEEPUSDT@aggTrade', 5, '4165', '490', '3675', '1211537', '1211541', 0, { fills: 8 }),
        row('binance-usdm:SUSHIUSDT@aggTrade', 40, '2212', '1619', '593', '87353230', '87353269', 0, { fills: 81 }),
      ],
      true,
    );
  });

  it('binance-usdm 2024-08-08 ETHUSDT: 4,029 @trade prints, ids without a hole', async () => {
    const { stats, batches } = await tradeStatsOf('binance-usdm_2024-08-08_ethusdt-2min');
    expect(batches).toBe(4029);
    expectRows(stats, [row('binance-usdm:ETHUSDT', 4029, '2298.353', '1181.463', '1116.89', '4308068523', '4308072551', 0, { fills: 4029 })], true);
  });

  it('coinbase 2021-04-17: matches with the maker side turned to the taker side; last_match kept apart', async () => {
    const { stats } = await tradeStatsOf('coinbase_2021-04-17');
    expectRows(
      stats,
      [
        row('coinbase:BAND-BTC', 8, '210.6', '0', '210.6', '1287326', '1287333', 0, { history: [1, '0.07'] }),
        row('coinbase:BAND-GBP', 4, '36', '0', '36', '881614', '881617', 0, { history: [1, '0.04'] }),
        row('coinbase:CRV-EUR', 0, '0', '0', '0', null, null, 0, { history: [1, '400'] }),
        row('coinbase:DASH-BTC', 15, '15.755', '11.888', '3.867', '923561', '923575', 0, { history: [1, '0.012'] }),
        row('coinbase:NMR-EUR', 8, '4.761', '2.996', '1.765', '868599', '868606', 0, { history: [1, '0.175'] }),
        row('coinbase:NU-GBP', 1, '805.131', '805.131', '0', '563679', '563679', 0, { history: [1, '70'] }),
        row('coinbase:SKL-BTC', 8, '6763', '5647', '1116', '280232', '280239', 0, { history: [1, '0.4'] }),
        row('coinbase:SKL-GBP', 1, '335', '335', '0', '82008', '82008', 0, { history: [1, '1008.2'] }),
        row('coinbase:SKL-USD', 52, '46731.3', '40691.3', '6040', '1568268', '1568319', 0, { history: [1, '1338.3'] }),
        row('coinbase:YFI-BTC', 0, '0', '0', '0', null, null, 0, { history: [1, '0.000007'] }),
      ],
      true,
    );
  });

  it('okx 2021-07-22: trades of spot, swap, futures and options (ids not documented consecutive)', async () => {
    const { stats } = await tradeStatsOf('okx_2021-07-22');
    expectRows(
      stats,
      [
        row('okx:AUCTION-USDT', 2, '1.224954', '1.224954', '0', '584231', '584232', 0),
        row('okx:BTC-USD-210924-66000-C', 1, '2', '0', '2', '206', '206', 0),
        row('okx:DHT-USDT', 1, '73.639284', '73.639284', '0', '1135005', '1135005', 0),
        row('okx:FUN-BTC', 6, '99.28', '71.36', '27.92', '3435655', '3435660', 0),
        row('okx:OKT-BTC', 8, '3.18417404', '1.84177111', '1.34240293', '3406229', '3406236', 0),
        row('okx:ONT-USDT', 3, '1960.876643', '1831.564231', '129.312412', '11366799', '11366801', 0),
        row('okx:PAY-BTC', 7, '24716.243', '2586.649', '22129.594', '6071311', '6071317', 0),
        row('okx:TRX-USDT-210924', 2, '17', '0', '17', '1200052', '1200053', 0),
        row('okx:XMR-USDT-SWAP', 6, '87', '86', '1', '6845125', '6845130', 0),
      ],
      false,
    );
  });

  it('okx 2022-05-13: trades interleaved with tickers and books', async () => {
    const { stats } = await tradeStatsOf('okx_2022-05-13');
    expectRows(
      stats,
      [
        row('okx:BTC-USD-220527', 4, '35', '35', '0', '7849', '7852', 0),
        row('okx:BTC-USDT', 69, '3.48657495', '2.99559276', '0.49098219', '338476307', '338476375', 0),
        row('okx:UNI-USD-SWAP', 1, '100', '0', '100', '12883020', '12883020', 0),
      ],
      false,
    );
  });
});
