/**
 * Candles from trades: the builder on hand-made trades (edges, empty intervals, awkward decimals), and
 * `npm run export -- --candles` on the real Binance ETHUSDT capture, compared field by field with
 * candles computed here from the capture's raw `@trade` frames with this file's own BigInt arithmetic.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CandleBuilder, divideToSignificant, type CandleTrade } from '../../../../src/main/analytics/candles';
import { replayCapture } from '../../../../src/main/capture/replay';
import { CANDLES_CSV_HEADER, exportCandles } from '../../../../src/main/cli/export-candles';
import { nullLogger } from '../../../../src/main/log';
import { Store } from '../../../../src/main/store/client/store';
import type { Trade } from '../../../../src/shared/market';
import { capture, repoRoot } from '../../../support/paths';

const dir = mkdtempSync(join(tmpdir(), 'obm-candles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (iso: string): number => Date.parse(iso);

function trade(iso: string, price: string, size: string, side: Trade['side'] = 'buy', extra: Partial<CandleTrade> = {}): CandleTrade {
  return { price, size, side, exchangeTs: at(iso), localTs: at(iso) + 5, ...extra };
}

describe('CandleBuilder', () => {
  it('emits a candle only for intervals that had a trade, oldest first', () => {
    const b = new CandleBuilder('1m');
    b.add(trade('2024-08-08T00:03:10Z', '10', '1'));
    b.add(trade('2024-08-08T00:00:05Z', '11', '1'));
    const candles = b.candles();
    expect(candles.map((c) => new Date(c.start).toISOString())).toEqual(['2024-08-08T00:00:00.000Z', '2024-08-08T00:03:00.000Z']);
    expect(new CandleBuilder('1s').candles()).toEqual([]);
  });

  it('puts a trade on an interval edge in the interval it starts, and a µs before it in the one before', () => {
    const b = new CandleBuilder('1m');
    const edge = at('2024-08-08T00:01:00.000Z');
    b.add({ price: '1', size: '1', side: 'buy', exchangeTs: edge - 0.001, localTs: edge });
    b.add({ price: '2', size: '1', side: 'buy', exchangeTs: edge, localTs: edge });
    const [first, second] = b.candles();
    expect(first).toMatchObject({ start: edge - 60_000, close: '1', trades: 1 });
    expect(second).toMatchObject({ start: edge, open: '2', trades: 1 });
    const hour = new CandleBuilder('1h');
    hour.add({ price: '1', size: '1', side: 'buy', exchangeTs: at('2024-08-08T10:59:59.999Z'), localTs: 0 });
    hour.add({ price: '1', size: '1', side: 'buy', exchangeTs: at('2024-08-08T11:00:00.000Z'), localTs: 0 });
    expect(hour.candles().map((c) => new Date(c.start).toISOString())).toEqual(['2024-08-08T10:00:00.000Z', '2024-08-08T11:00:00.000Z']);
    const day = new CandleBuilder('1d');
    day.add({ price: '1', size: '1', side: 'buy', exchangeTs: at('2024-08-08T23:59:59.999Z'), localTs: 0 });
    expect(new Date(day.candles()[0]!.start).toISOString()).toBe('2024-08-08T00:00:00.000Z');
  });

  it('compares prices exactly: digits beyond a double, and equal values written differently', () => {
    const b = new CandleBuilder('1s');
    // As doubles, 0.30000000000000001 and 0.3 are the same number, as are the two 1.000…0001 prices.
    b.add(trade('2024-08-08T00:00:00.100Z', '0.3', '1'));
    b.add(trade('2024-08-08T00:00:00.200Z', '0.30000000000000001', '1'));
    b.add(trade('2024-08-08T00:00:00.300Z', '0.29999999999999999', '1'));
    b.add(trade('2024-08-08T00:00:00.400Z', '0.300', '1'));
    const [c] = b.candles();
    expect(c).toMatchObject({ open: '0.3', high: '0.30000000000000001', low: '0.29999999999999999', close: '0.3' });

    const wide = new CandleBuilder('1s');
    wide.add(trade('2024-08-08T00:00:00.100Z', '9.99999999999999999999', '0.1'));
    wide.add(trade('2024-08-08T00:00:00.200Z', '10', '0.2'));
    wide.add(trade('2024-08-08T00:00:00.300Z', '10.00000000000000000001', '0.3'));
    wide.add(trade('2024-08-08T00:00:00.400Z', '1e1', '0.4'));
    expect(wide.candles()[0]).toMatchObject({ open: '9.99999999999999999999', high: '10.00000000000000000001', low: '9.99999999999999999999', close: '10', volume: '1' });
  });

  it('sums volumes exactly, splits them by taker side, and ignores history sent on subscribe', () => {
    const b = new CandleBuilder('1m');
    b.add(trade('2024-08-08T00:00:01Z', '100', '0.1', 'buy'));
    b.add(trade('2024-08-08T00:00:02Z', '100', '0.2', 'sell'));
    b.add(trade('2024-08-08T00:00:03Z', '100', '0.00000000000000000001', 'unknown'));
    b.add(trade('2024-08-08T00:00:04Z', '999', '50', 'buy', { history: true }));
    expect(b.candles()[0]).toMatchObject({ volume: '0.30000000000000000001', buyVolume: '0.1', sellVolume: '0.2', trades: 3, high: '100', vwap: '100' });
  });

  it('takes open and close by trade time even when trades arrive out of order; local time where the venue sent none', () => {
    const b = new CandleBuilder('1m');
    b.add(trade('2024-08-08T00:00:30Z', '2', '1'));
    b.add(trade('2024-08-08T00:00:10Z', '1', '1'));
    b.add(trade('2024-08-08T00:00:50Z', '4', '1'));
    b.add(trade('2024-08-08T00:00:40Z', '3', '1'));
    // Same time as the close: the later arrival closes the candle.
    b.add(trade('2024-08-08T00:00:50Z', '5', '1'));
    // No exchange time: bucketed by its receive time, in the next minute.
    b.add({ price: '6', size: '1', side: 'buy', exchangeTs: 0, localTs: at('2024-08-08T00:01:00.500Z') });
    const [first, second] = b.candles();
    expect(first).toMatchObject({ open: '1', close: '5', high: '5', low: '1', trades: 5 });
    expect(second).toMatchObject({ start: at('2024-08-08T00:01:00Z'), open: '6', trades: 1 });
  });

  it('gives the VWAP to 12 significant digits, rounded half away from zero', () => {
    const b = new CandleBuilder('1m');
    b.add(trade('2024-08-08T00:00:01Z', '1', '1'));
    b.add(trade('2024-08-08T00:00:02Z', '2', '2'));
    expect(b.candles()[0]!.vwap).toBe('1.66666666667'); // 5/3
    expect(divideToSignificant(2n, 3n, 12)).toBe('0.666666666667');
    expect(divideToSignificant(1n, 8n, 2)).toBe('0.13'); // 0.125, half rounds up
    expect(divideToSignificant(-1n, 8n, 2)).toBe('-0.13');
    expect(divideToSignificant(9999995n, 1000n, 6)).toBe('10000'); // 9999.995 rounds over to 10000.0
    expect(divideToSignificant(123456789012345n, 1n, 12)).toBe('123456789012000');
    expect(divideToSignificant(1n, 30000000n, 3)).toBe('0.0000000333');
    const zero = new CandleBuilder('1m');
    zero.add(trade('2024-08-08T00:00:01Z', '5', '0'));
    expect(zero.candles()[0]).toMatchObject({ volume: '0', vwap: null, open: '5' });
  });
});

// ---- the real capture --------------------------------------------------------------------------

const ETH = capture('binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl');

/** A decimal as BigInt at a fixed 18 decimals (Binance sends at most 8). */
const SCALE = 18;
function fixed(text: string): bigint {
  const [int, frac = ''] = text.split('.');
  if (frac.length > SCALE) throw new Error(`more than ${SCALE} decimals: ${text}`);
  return BigInt(int! + frac.padEnd(SCALE, '0'));
}

/** A non-negative BigInt at `scale` decimals as plain text, trailing zeros dropped. */
function plain(value: bigint, scale: number): string {
  const digits = value.toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

/** num/den (positive) to 12 significant digits, half up: 40 decimals by long division, then rounded as text. */
function twelveDigits(num: bigint, den: bigint): string {
  const decimals = 40;
  const text = plain((num * 10n ** BigInt(decimals)) / den, decimals);
  const [int, frac = ''] = text.split('.');
  const all = int! + frac.padEnd(decimals, '0');
  const firstSignificant = all.search(/[1-9]/);
  const keep = firstSignificant + 12;
  let kept = BigInt(all.slice(0, keep));
  if (Number(all[keep]) >= 5) kept++;
  // `kept` holds the digits up to position `keep`; the integer part had int.length of them.
  const scale = keep - int!.length;
  return scale >= 0 ? plain(kept, scale) : (kept * 10n ** BigInt(-scale)).toString();
}

interface RawTrade {
  t: number;
  T: number;
  p: string;
  q: string;
  m: boolean;
}

/** The capture's trades, straight from its `@trade` frames, each venue trade id once. */
function rawTrades(): RawTrade[] {
  const seen = new Set<number>();
  const trades: RawTrade[] = [];
  for (const line of readFileSync(ETH, 'utf8').split('\n')) {
    if (!line.includes('@trade')) continue;
    const entry = JSON.parse(line) as { kind: string; data?: string };
    if (entry.kind !== 'recv' || !entry.data) continue;
    const frame = JSON.parse(entry.data) as { stream: string; data: RawTrade & { e: string } };
    if (frame.stream !== 'ethusdt@trade' || frame.data.e !== 'trade' || seen.has(frame.data.t)) continue;
    seen.add(frame.data.t);
    trades.push(frame.data);
  }
  return trades;
}

/** Candles as CSV rows, computed from the raw trades independently of the builder. */
function expectedRows(intervalMs: number): string[] {
  const buckets = new Map<number, RawTrade[]>();
  for (const t of rawTrades()) {
    const start = t.T - (t.T % intervalMs);
    buckets.set(start, [...(buckets.get(start) ?? []), t]);
  }
  return [...buckets.keys()]
    .sort((a, b) => a - b)
    .map((start) => {
      // Stable sort by trade time: equal times keep the order they arrived in.
      const ts = [...buckets.get(start)!].sort((a, b) => a.T - b.T);
      const prices = ts.map((t) => fixed(t.p));
      const max = prices.reduce((a, b) => (b > a ? b : a));
      const min = prices.reduce((a, b) => (b < a ? b : a));
      let volume = 0n;
      let buy = 0n;
      let sell = 0n;
      let notional = 0n; // at 2·SCALE decimals
      for (const t of ts) {
        const q = fixed(t.q);
        volume += q;
        if (t.m) sell += q;
        else buy += q;
        notional += fixed(t.p) * q;
      }
      const vwap = twelveDigits(notional, volume * 10n ** BigInt(SCALE));
      const cells = [
        new Date(start).toISOString(),
        plain(prices[0]!, SCALE),
        plain(max, SCALE),
        plain(min, SCALE),
        plain(prices.at(-1)!, SCALE),
        plain(volume, SCALE),
        plain(buy, SCALE),
        plain(sell, SCALE),
        String(ts.length),
        vwap,
      ];
      return cells.join(',');
    });
}

function exportCli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/export.ts', ...args], { cwd: repoRoot, encoding: 'utf8' });
}

function csvRows(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  expect(lines[0]).toBe('ts_iso,open,high,low,close,volume,buy_volume,sell_volume,trades,vwap');
  expect(lines[0]).toBe(CANDLES_CSV_HEADER);
  expect(lines.at(-1)).toBe('');
  return lines.slice(1, -1);
}

describe('candle export of the Binance ETHUSDT capture', () => {
  it('reads 4,029 distinct trades from the raw frames (the captures README figure)', () => {
    expect(rawTrades()).toHaveLength(4029);
  });

  it('npm run export -- --candles 1m --capture equals candles computed from the raw frames', () => {
    const out = join(dir, 'eth-1m.csv');
    const run = exportCli('--candles', '1m', '--capture', ETH, '--venue', 'binance-usdm', '--symbol', 'ETHUSDT', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({ trades: 4029, candles: 3, interval: '1m' });
    const rows = csvRows(out);
    expect(rows).toEqual(expectedRows(60_000));
    // Spot checks written out: the volumes add up to the README's 2298.353 (1181.463 buy, 1116.89 sell).
    expect(rows[0]).toBe('2024-08-08T23:54:00.000Z,2681.62,2683.44,2681.17,2681.79,710.971,393.041,317.93,1421,2681.92825852');
  }, 60_000);

  it('at 1s, every second with a trade equals the raw-frame candle', async () => {
    const out = join(dir, 'eth-1s.csv');
    const result = await exportCandles({ interval: '1s', capture: ETH, venue: 'binance-usdm', symbol: 'ethusdt', from: null, to: null, out });
    expect(result).toMatchObject({ trades: 4029, symbol: 'ETHUSDT' });
    const expected = expectedRows(1_000);
    expect(result.candles).toBe(expected.length);
    expect(csvRows(out)).toEqual(expected);
  }, 60_000);

  it('--db exports the same candles from recorded trades, and --from/--to select by trade time', async () => {
    const db = join(dir, 'eth.db');
    const store = new Store({ path: db, exportsDir: join(dir, 'exports'), logger: nullLogger, retention: { days: null, maxBytes: null } });
    await replayCapture(ETH, { onTrade: (_feed, t) => store.recordTrade(t) });
    await store.flush();
    await store.close();

    const out = join(dir, 'eth-db-1m.csv');
    const run = exportCli('--candles', '1m', '--db', db, '--venue', 'binance-usdm', '--symbol', 'ETHUSDT', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    expect(csvRows(out)).toEqual(expectedRows(60_000));

    const window = join(dir, 'eth-db-window.csv');
    const windowed = exportCli('--candles', '15m', '--db', db, '--venue', 'binance-usdm', '--symbol', 'ETHUSDT', '--from', '2024-08-08T23:55:00Z', '--to', '2024-08-08T23:56:00Z', '--out', window);
    expect(windowed.status, windowed.stderr).toBe(0);
    // One 15-minute candle holding exactly the 23:55 minute's trades.
    const minute = expectedRows(60_000)[1]!.split(',');
    expect(csvRows(window)).toEqual([['2024-08-08T23:45:00.000Z', ...minute.slice(1)].join(',')]);
  }, 90_000);

  it('refuses bad requests with a usage error and writes nothing', () => {
    const out = join(dir, 'never.csv');
    const base = ['--venue', 'binance-usdm', '--symbol', 'ETHUSDT', '--out', out];
    const cases: Array<[string[], RegExp]> = [
      [['--candles', '2m', '--capture', ETH, ...base], /--candles must be one of 1s, 1m, 5m, 15m, 1h/],
      [['--candles', '1m', ...base], /give --capture FILE or --db FILE/],
      [['--candles', '1m', '--capture', ETH, '--db', join(dir, 'eth.db'), ...base], /give --capture FILE or --db FILE/],
      [['--candles', '1m', '--trades', '--capture', ETH, ...base], /different exports/],
      [['--candles', '1m', '--capture', ETH, '--from', '2024-02-30', ...base], /--from must be an ISO date/],
    ];
    for (const [args, message] of cases) {
      const run = exportCli(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(() => readFileSync(out)).toThrow();
  }, 60_000);

  it('names what the capture holds when the symbol is not in it', () => {
    const run = exportCli('--candles', '1m', '--capture', ETH, '--venue', 'binance-usdm', '--symbol', 'BTCUSDT', '--out', join(dir, 'btc.csv'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/binance-usdm:BTCUSDT is not in .*; it holds binance-usdm:ETHUSDT/);
  }, 60_000);
});
