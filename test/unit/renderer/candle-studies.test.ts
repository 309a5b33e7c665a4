/**
 * The candle chart's studies against figures computed here straight from trades: VWAP and its
 * standard deviation (session and anchored) from every ETHUSDT trade of the real capture, and
 * cumulative volume delta with and without a reset at each session (UTC day).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tradeTime } from '../../../src/main/analytics/candles';
import { LiveCandles } from '../../../src/main/analytics/live-candles';
import { replayCapture } from '../../../src/main/capture/replay';
import type { CandlesFrame } from '../../../src/shared/contract';
import type { Trade } from '../../../src/shared/market';
import { CandleModel } from '../../../src/renderer/src/panels/candles/candle-model';
import { cumulativeDelta, runningVwap, toBar, type Bar } from '../../../src/renderer/src/panels/candles/studies';
import { capture } from '../../support/paths';

let trades: Trade[] = [];
beforeAll(async () => {
  await replayCapture(capture('binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl'), { onTrade: (_f, t) => void trades.push(t) });
  trades = trades.filter((t) => !t.history);
}, 60_000);

function bars(ts: readonly Trade[], interval: '1s' | '1m' | '1h'): Bar[] {
  const live = new LiveCandles(interval, 5000);
  for (const t of ts) live.add(t);
  return live.all().map(toBar);
}

/** VWAP and volume-weighted standard deviation of prices, straight from trades. */
function direct(ts: readonly Trade[]): { vwap: number; sigma: number } {
  const w = ts.reduce((s, t) => s + Number(t.size), 0);
  const vwap = ts.reduce((s, t) => s + Number(t.price) * Number(t.size), 0) / w;
  const variance = ts.reduce((s, t) => s + Number(t.size) * (Number(t.price) - vwap) ** 2, 0) / w;
  return { vwap, sigma: Math.sqrt(variance) };
}

function trade(iso: string, price: string, size: string, side: Trade['side']): Trade {
  const ts = Date.parse(iso);
  return { venue: 'binance-usdm', symbol: 'X', id: null, price, size, side, exchangeTs: ts, localTs: ts } as Trade;
}

describe('VWAP and bands', () => {
  it('session VWAP and σ at every candle equal those of all trades so far (ETHUSDT, 1s candles)', () => {
    expect(trades).toHaveLength(4029);
    const b = bars(trades, '1s');
    const points = runningVwap(b, 'session');
    expect(points).toHaveLength(b.length);
    for (const i of [0, 10, Math.floor(b.length / 2), b.length - 1]) {
      const upTo = trades.filter((t) => tradeTime(t) < b[i]!.t + 1000);
      const d = direct(upTo);
      expect(points[i]!.vwap).toBeCloseTo(d.vwap, 7);
      expect(points[i]!.sigma).toBeCloseTo(d.sigma, 7);
    }
    // Over the two minutes prices moved: a real spread of a few dollars, not zero.
    expect(points.at(-1)!.sigma).toBeGreaterThan(0.3);
  });

  it('anchored VWAP starts at the anchor: candles before it have none', () => {
    const b = bars(trades, '1s');
    const anchor = Date.parse('2024-08-08T23:55:00Z');
    const points = runningVwap(b, 'anchored', anchor);
    expect(points[0]!.t).toBe(anchor);
    expect(points.every((p) => p.t >= anchor)).toBe(true);
    const d = direct(trades.filter((t) => tradeTime(t) >= anchor));
    expect(points.at(-1)!.vwap).toBeCloseTo(d.vwap, 7);
    expect(points.at(-1)!.sigma).toBeCloseTo(d.sigma, 7);
    // The same anchor on minute candles gives the same final figures.
    const minute = runningVwap(bars(trades, '1m'), 'anchored', anchor);
    expect(minute.at(-1)!.vwap).toBeCloseTo(d.vwap, 7);
    expect(minute.at(-1)!.sigma).toBeCloseTo(d.sigma, 7);
  });

  it('a session VWAP starts again at UTC midnight', () => {
    const ts = [trade('2024-08-08T23:59:00Z', '100', '1', 'buy'), trade('2024-08-08T23:59:30Z', '110', '3', 'sell'), trade('2024-08-09T00:00:10Z', '50', '2', 'buy'), trade('2024-08-09T00:01:10Z', '60', '2', 'buy')];
    const points = runningVwap(bars(ts, '1m'), 'session');
    expect(points.map((p) => p.vwap)).toEqual([107.5, 50, 55]);
    // (100-107.5)²·1 + (110-107.5)²·3 = 75 over 4 → σ = √18.75
    expect(points[0]!.sigma).toBeCloseTo(Math.sqrt(18.75), 12);
    expect(points[1]!.sigma).toBe(0);
    expect(points[2]!.sigma).toBeCloseTo(5, 12);
  });
});

describe('cumulative volume delta', () => {
  const ts = [
    trade('2024-08-08T23:58:05Z', '10', '2', 'buy'),
    trade('2024-08-08T23:58:10Z', '10', '5', 'sell'),
    trade('2024-08-08T23:58:20Z', '10', '1', 'buy'),
    trade('2024-08-08T23:59:00Z', '10', '4', 'buy'),
    trade('2024-08-08T23:59:30Z', '10', '1', 'unknown'),
    trade('2024-08-09T00:00:01Z', '10', '3', 'sell'),
  ];

  it('runs across candles, with wicks from the running delta within each', () => {
    const cvd = cumulativeDelta(bars(ts, '1m'), 'none');
    expect(cvd).toEqual([
      // +2, then −5 (low −3), then +1: close −2, high +2.
      { t: Date.parse('2024-08-08T23:58:00Z'), open: 0, high: 2, low: -3, close: -2 },
      { t: Date.parse('2024-08-08T23:59:00Z'), open: -2, high: 2, low: -2, close: 2 },
      { t: Date.parse('2024-08-09T00:00:00Z'), open: 2, high: 2, low: -1, close: -1 },
    ]);
  });

  it('with a session reset, starts from zero at UTC midnight', () => {
    const cvd = cumulativeDelta(bars(ts, '1m'), 'session');
    expect(cvd.map((c) => [c.open, c.close])).toEqual([
      [0, -2],
      [-2, 2],
      [0, -3],
    ]);
  });

  it('on ETHUSDT ends at taker buy − taker sell from the captures README (1181.463 − 1116.89)', () => {
    const cvd = cumulativeDelta(bars(trades, '1s'), 'none');
    expect(cvd.at(-1)!.close).toBeCloseTo(1181.463 - 1116.89, 6);
    for (const c of cvd) {
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close) - 1e-9);
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close) + 1e-9);
    }
  });
});

describe('the chart’s candle model', () => {
  it('replaces on a reset frame and upserts changed candles, also an older one', () => {
    const live = new LiveCandles('1s', 100);
    const frame = (reset: boolean, ts: Trade[]): CandlesFrame => {
      for (const t of ts) live.add(t);
      const candles = reset ? live.all() : live.takeChanged();
      return { venue: 'binance-usdm', symbol: 'X', interval: '1s', reset, candles, priceDecimals: null, sizeDecimals: null, history: { state: 'none', trades: 0, truncated: false, message: null } };
    };
    const model = new CandleModel();
    model.apply(frame(true, [trade('2024-08-08T00:00:01Z', '1', '1', 'buy'), trade('2024-08-08T00:00:03Z', '3', '1', 'buy')]));
    expect(model.bars.map((b) => b.close)).toEqual([1, 3]);
    model.drawn();
    model.apply(frame(false, [trade('2024-08-08T00:00:02Z', '2', '1', 'buy'), trade('2024-08-08T00:00:04Z', '4', '1', 'buy')]));
    expect(model.bars.map((b) => b.close)).toEqual([1, 2, 3, 4]);
    expect(model.changedFrom).toBe(Date.parse('2024-08-08T00:00:02Z'));
    model.drawn();
    model.apply(frame(false, [trade('2024-08-08T00:00:04.5Z', '5', '2', 'sell')]));
    expect(model.bars.at(-1)).toMatchObject({ close: 5, high: 5, volume: 3, sellVolume: 2 });
    expect(model.changedFrom).toBe(Date.parse('2024-08-08T00:00:04Z'));
    model.apply(frame(true, []));
    expect(model.bars.length).toBe(4);
  });
});
