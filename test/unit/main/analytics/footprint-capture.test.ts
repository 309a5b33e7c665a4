/**
 * The footprint and traded profile of the real ETHUSDT capture against an independent computation
 * straight from its raw trade frames: prices in integer cents and sizes in integer thousandths
 * (Binance sends q with 3 decimals), taker side from `m` (buyer is maker = taker sell), bucketed by
 * the trade time `T`. The app's side goes through the adapter's parser and the exact aggregate.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildFootprint } from '../../../../src/main/analytics/footprint';
import { FlowVolumes, rowStep } from '../../../../src/main/analytics/traded-volume-buckets';
import { buildTradedProfile } from '../../../../src/main/analytics/traded-profile';
import { parseBinanceTrades } from '../../../../src/main/venues/binance/trades';
import { capture } from '../../../support/paths';

const FILE = 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl';

interface RawTrade {
  cents: number;
  milli: number;
  buy: boolean;
  t: number;
}

/** "1.000" → 1000; "0.05" → 50 (thousandths, by string surgery, no floats). */
function milli(text: string): number {
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 1000 + Number((fraction + '000').slice(0, 3));
}

function cents(text: string): number {
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number((fraction + '00').slice(0, 2));
}

const lines = readFileSync(capture(FILE), 'utf8').split('\n').filter((l) => l.includes('@trade'));

function rawTrades(): RawTrade[] {
  const out: RawTrade[] = [];
  for (const text of lines) {
    const line = JSON.parse(text) as { kind: string; data?: string };
    if (line.kind !== 'recv' || !line.data) continue;
    const d = (JSON.parse(line.data) as { data: { e: string; p: string; q: string; m: boolean; T: number } }).data;
    if (d.e === 'trade') out.push({ cents: cents(d.p), milli: milli(d.q), buy: !d.m, t: d.T });
  }
  return out;
}

function appFlow(): FlowVolumes {
  const flow = new FlowVolumes();
  for (const text of lines) {
    const line = JSON.parse(text) as { ts: number; kind: string; data?: string };
    if (line.kind !== 'recv' || !line.data) continue;
    for (const t of parseBinanceTrades('binance-usdm', JSON.parse(line.data), line.ts)?.trades ?? []) flow.add(t);
  }
  return flow;
}

describe('footprint of the real ETHUSDT capture', () => {
  const raw = rawTrades();
  const flow = appFlow();

  it('every candle and row matches the independent sums, and the totals are the captures README figures', () => {
    expect(raw).toHaveLength(4029);
    expect(flow.prints).toBe(4029);
    // Independent: minute → cents → [buy, sell] in thousandths.
    const expected = new Map<number, Map<number, [number, number]>>();
    for (const t of raw) {
      const minute = Math.floor(t.t / 60_000) * 60_000;
      let rows = expected.get(minute);
      if (!rows) expected.set(minute, (rows = new Map()));
      const row = rows.get(t.cents) ?? [0, 0];
      if (t.buy) row[0] += t.milli;
      else row[1] += t.milli;
      rows.set(t.cents, row);
    }
    const candles = buildFootprint(flow, { intervalMs: 60_000, step: rowStep('0.01', 2, 1), imbalanceRatio: 3, candles: 200 });
    expect(candles.map((c) => c.start)).toEqual([...expected.keys()].sort((a, b) => a - b));
    let buy = 0;
    let sell = 0;
    for (const candle of candles) {
      const want = expected.get(candle.start)!;
      const got = new Map(candle.rows.map((r) => [cents(r.price), [milli(r.buy), milli(r.sell)] as [number, number]]));
      expect(got).toEqual(want);
      // Highest price first, and the POC is the row with the most volume.
      expect(candle.rows.map((r) => cents(r.price))).toEqual([...want.keys()].sort((a, b) => b - a));
      const most = Math.max(...[...want.values()].map(([b, s]) => b + s));
      expect(want.get(cents(candle.poc!))!.reduce((a, b) => a + b)).toBe(most);
      // Delta per candle = buy - sell; per row likewise.
      expect(Math.round(Number(candle.delta) * 1000)).toBe(milli(candle.buyVolume) - milli(candle.sellVolume));
      for (const r of candle.rows) expect(Math.round(Number(r.delta) * 1000)).toBe(milli(r.buy) - milli(r.sell));
      buy += milli(candle.buyVolume);
      sell += milli(candle.sellVolume);
    }
    expect([buy, sell, buy + sell]).toEqual([1_181_463, 1_116_890, 2_298_353]);
  });

  it('diagonal imbalances at 3:1 are exactly the rows the independent check finds', () => {
    const candles = buildFootprint(flow, { intervalMs: 60_000, step: rowStep('0.01', 2, 1), imbalanceRatio: 3, candles: 200 });
    let flagged = 0;
    for (const candle of candles) {
      const at = new Map(candle.rows.map((r) => [cents(r.price), [milli(r.buy), milli(r.sell)]]));
      for (const r of candle.rows) {
        const p = cents(r.price);
        const [b, s] = at.get(p)!;
        const sellBelow = at.get(p - 1)?.[1] ?? 0;
        const buyAbove = at.get(p + 1)?.[0] ?? 0;
        expect(r.buyImbalance).toBe(b! > 0 && sellBelow > 0 && b! >= 3 * sellBelow);
        expect(r.sellImbalance).toBe(s! > 0 && buyAbove > 0 && s! >= 3 * buyAbove);
        if (r.buyImbalance || r.sellImbalance) flagged++;
      }
    }
    // A real two minutes of ETHUSDT has some, but not every row is one.
    expect(flagged).toBeGreaterThan(0);
  });

  it("the day's traded profile at 10-tick rows: exact totals, POC of the independent sums, value area holding ≥ 70%", () => {
    const day = Math.floor(raw[0]!.t / 86_400_000) * 86_400_000;
    const profile = buildTradedProfile(flow.day(day), rowStep('0.01', 2, 10));
    expect([profile.volume, profile.buyVolume, profile.sellVolume]).toEqual(['2298.353', '1181.463', '1116.89']);
    const byRow = new Map<number, number>();
    for (const t of raw) byRow.set(Math.floor(t.cents / 10) * 10, (byRow.get(Math.floor(t.cents / 10) * 10) ?? 0) + t.milli);
    const most = Math.max(...byRow.values());
    expect(byRow.get(cents(profile.poc!))).toBe(most);
    const low = cents(profile.valueAreaLow!);
    const high = cents(profile.valueAreaHigh!);
    expect(low).toBeLessThanOrEqual(cents(profile.poc!));
    expect(high).toBeGreaterThanOrEqual(cents(profile.poc!));
    let inside = 0;
    for (const [row, v] of byRow) if (row >= low && row <= high) inside += v;
    expect(inside).toBe(milli(profile.valueAreaVolume));
    expect(inside * 100).toBeGreaterThanOrEqual(2_298_353 * 70);
    // Not the whole range: the area is a band around the POC.
    expect(inside).toBeLessThan(2_298_353);
  });
});
