/**
 * The paper market maker on every shared capture that prints trades, through the same replay as
 * `npm run replay`: the accounting identity holds to the digit, every maker fill follows (after its
 * quote went live) a taker trade on the other side at or through its price, and the command line gives
 * byte-identical output on two runs and exits 2 on bad settings before printing anything.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runOnCapture, type CaptureRun } from '../../../../src/main/strategy/capture-run';
import type { EngineFill, MarketTrade } from '../../../../src/main/strategy/engine';
import { Exact } from '../../../../src/main/strategy/exact';
import { DEFAULT_MARKET_MAKER_SETTINGS, type MarketMakerSettings, type MarketMakerSummary } from '../../../../src/shared/market-maker';
import { capture, repoRoot } from '../../../support/paths';

const run = promisify(execFile);

/** Every book with live trades in the captures README ("Trades"), by file. */
const BOOKS_WITH_TRADES: Record<string, Array<[string, string]>> = {
  'binance-spot_2021-10-12': [['binance-spot', 'LRCBTC'], ['binance-spot', 'NKNUSDT']],
  'binance-usdm_2021-07-22': [['binance-usdm', 'AKROUSDT'], ['binance-usdm', 'CTKUSDT'], ['binance-usdm', 'KEEPUSDT'], ['binance-usdm', 'SUSHIUSDT']],
  'coinbase_2021-04-17': ['BAND-BTC', 'BAND-GBP', 'DASH-BTC', 'NMR-EUR', 'NU-GBP', 'SKL-BTC', 'SKL-GBP', 'SKL-USD'].map((s) => ['coinbase', s]),
  'okx_2021-07-22': ['AUCTION-USDT', 'BTC-USD-210924-66000-C', 'DHT-USDT', 'FUN-BTC', 'OKT-BTC', 'ONT-USDT', 'PAY-BTC', 'TRX-USDT-210924', 'XMR-USDT-SWAP'].map((s) => ['okx', s]),
  'okx_2022-05-13': [['okx', 'BTC-USD-220527'], ['okx', 'BTC-USDT'], ['okx', 'UNI-USD-SWAP']],
  'binance-usdm_2024-08-08_ethusdt-2min': [['binance-usdm', 'ETHUSDT']],
  'bitget_2022-04-07': ['AVAXUSDT', 'DASHUSDT_UMCBL', 'EOSUSDT', 'GOGUSDT', 'VVSUSDT'].map((s) => ['bitget', s]),
  'kraken-futures_2021-07-22': [['kraken-futures', 'PI_LTCUSD']],
  'hyperliquid_2025-01-26': [['hyperliquid', 'BTC']],
};

/** Files where no paper order can fill, and why. */
const NO_FILLS: Record<string, string> = {
  // 32 prints of 0.285 BTC in all, against 1 BTC quotes behind several BTC of displayed size.
  'hyperliquid_2025-01-26': 'too few prints to reach the front of any queue',
};

/** A patient quoter and an eager one (joins the best, no latency, probabilistic queue), both paying fees. */
const SETTINGS: MarketMakerSettings[] = [
  { ...DEFAULT_MARKET_MAKER_SETTINGS, makerFeeBps: '-0.5', takerFeeBps: '4' },
  { ...DEFAULT_MARKET_MAKER_SETTINGS, spreadTicks: 1, entryLatencyMs: 0, cancelLatencyMs: 0, queue: 'prob', reference: 'micro', makerFeeBps: '1', takerFeeBps: '4' },
];

function checkIdentity(s: MarketMakerSummary): void {
  const pnl = Exact.of(s.cash).add(Exact.of(s.inventory).mul(Exact.of(s.mark))).sub(Exact.of(s.fees));
  expect(pnl.toString()).toBe(s.pnl);
  // The FIFO lots reach the same figure by another path.
  expect(Exact.of(s.realizedPnl).add(Exact.of(s.unrealizedPnl)).sub(Exact.of(s.fees)).toString()).toBe(s.pnl);
}

/** A taker on the other side printed at or through the fill's price between the quote going live and the fill. */
function precededByTrade(fill: EngineFill, trades: Array<{ ts: number; trade: MarketTrade }>): boolean {
  const price = Exact.of(fill.price);
  return trades.some(({ ts, trade }) => {
    if (ts < fill.quoteTs || ts > fill.ts) return false;
    const p = Exact.of(trade.price);
    return fill.side === 'buy' ? trade.side === 'sell' && p.lte(price) : trade.side === 'buy' && p.gte(price);
  });
}

describe('paper market maker on the shared captures', () => {
  for (const [name, books] of Object.entries(BOOKS_WITH_TRADES)) {
    it(`${name}: pnl = cash + inventory × mark − fees exactly, and every maker fill follows a taker trade through its price`, async () => {
      const runs: CaptureRun[] = books.flatMap(([venue, symbol]) => SETTINGS.map((settings) => ({ venue, symbol, settings })));
      const fills = runs.map((): EngineFill[] => []);
      const trades = runs.map((): Array<{ ts: number; trade: MarketTrade }> => []);
      const summaries = await runOnCapture(capture(`${name}.capture.jsonl`), runs, {
        onFill: (i, f) => fills[i]!.push(f),
        onTrade: (i, ts, trade) => trades[i]!.push({ ts, trade }),
      });
      summaries.forEach((s, i) => {
        checkIdentity(s);
        expect(s.fills).toBe(fills[i]!.length);
        expect(trades[i]!.length).toBeGreaterThan(0);
        for (const fill of fills[i]!) {
          if (fill.liquidity === 'maker') expect(precededByTrade(fill, trades[i]!), JSON.stringify(fill)).toBe(true);
          // Never beyond the limit either way.
          expect(Exact.of(s.maxInventory).lte(Exact.of(runs[i]!.settings.maxInventory))).toBe(true);
        }
      });
      // The strategy traded (else the checks above test nothing), except where the prints are too few.
      if (!NO_FILLS[name]) expect(fills.flat().length).toBeGreaterThan(0);
    });
  }

  it('two runs on the same capture give the same fills and summary, to the byte', async () => {
    const file = capture('binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl');
    const once = async () => {
      const lines: string[] = [];
      const runs = [{ venue: 'binance-usdm', symbol: 'ETHUSDT', settings: { ...SETTINGS[0]!, size: '0.1', maxInventory: '1' } }];
      const [summary] = await runOnCapture(file, runs, { onFill: (_i, f) => lines.push(JSON.stringify(f)) });
      return lines.join('\n') + JSON.stringify(summary);
    };
    const first = await once();
    expect(first.length).toBeGreaterThan(1000);
    expect(await once()).toBe(first);
  });
});

describe('npm run mm', () => {
  const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
  const mm = (args: string[]) => run(tsx, ['src/main/cli/mm.ts', ...args], { cwd: repoRoot });
  const okx = capture('okx_2022-05-13.capture.jsonl');

  it('prints one fill line per fill and the summary last, byte-identical on a second run', async () => {
    const args = ['--capture', okx, '--venue', 'okx', '--symbol', 'BTC-USDT', '--spread-ticks', '1', '--size', '0.01', '--max-inventory', '0.05', '--latency-ms', '0', '--maker-fee-bps', '1'];
    const first = await mm(args);
    const lines = first.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = lines.at(-1)!;
    expect(summary.t).toBe('summary');
    expect(Object.keys(summary).slice(0, 10)).toEqual(['t', 'fills', 'inventory', 'cash', 'fees', 'mark', 'pnl', 'turnover', 'maxInventory', 'maxDrawdown']);
    expect(lines.slice(0, -1).every((l) => Object.keys(l).join() === 't,ts,side,price,size,quoteTs,liquidity')).toBe(true);
    expect(summary.fills).toBe(lines.length - 1);
    expect(summary.fills).toBeGreaterThan(0);
    checkIdentity(summary as unknown as MarketMakerSummary);
    expect((await mm(args)).stdout).toBe(first.stdout);
  }, 120_000);

  it('refuses bad settings and a capture without trades with exit 2 and no output', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--size', '-1'], /size must be greater than zero, got -1/],
      [['--spread-bps', '0'], /spread-bps must be greater than zero/],
      [['--queue', 'fifo'], /unknown queue model "fifo"/],
      [['--sweep', 'spread-bps=1,0'], /spread-bps=0: spread-bps must be greater than zero/],
    ];
    const bybit = capture('bybit-linear_2024-12-01.capture.jsonl');
    const [noTrades, ...failures] = await Promise.all([
      mm(['--capture', bybit, '--venue', 'bybit-linear', '--symbol', 'XRPUSDT']).catch((e: { code: number; stdout: string; stderr: string }) => e),
      ...cases.map(([extra]) => mm(['--capture', okx, '--venue', 'okx', '--symbol', 'BTC-USDT', ...extra]).catch((e: { code: number; stdout: string; stderr: string }) => e)),
    ]);
    cases.forEach(([, message], i) => {
      expect(failures[i]).toMatchObject({ code: 2, stdout: '' });
      expect((failures[i] as { stderr: string }).stderr).toMatch(message);
    });
    expect(noTrades).toMatchObject({ code: 2, stdout: '' });
    expect((noTrades as { stderr: string }).stderr).toMatch(/holds no trades for bybit-linear:XRPUSDT/);
  }, 120_000);
});
