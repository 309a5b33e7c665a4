/**
 * The detectors and metrics over the shared real captures, replayed through the real adapters with
 * replay's onBook hook feeding AnalyticsService. The alert counts are regression values: they were
 * derived by running this data once and are fixed here, so any change in detector behaviour shows.
 * They include the alert book's rate limit (3 new alerts of a kind per book per minute) and one wall
 * per run of adjacent wall-sized levels; test/unit/main/analytics/alert-limits.test.ts counts each effect apart.
 * Invariants that must hold on every update, and an independent OFI recomputation, run alongside.
 */
import { describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../src/main/capture/replay';
import { AnalyticsService } from '../../../../src/main/analytics/service';
import type { SymbolFeed } from '../../../../src/main/venues/symbol-feed';
import type { Alert } from '../../../../src/shared/analytics';
import { capture } from '../../../support/paths';

interface Run {
  /** Alerts in the final list by kind (walls and layering also by outcome; "active" if still on). */
  list: Record<string, number>;
  /** Lifecycle events by type:kind. */
  events: Record<string, number>;
  raisedWalls: Alert[];
  updates: number;
  violations: string[];
  ofiMismatches: number;
}

async function run(name: string): Promise<Run> {
  const service = new AnalyticsService({ clock: () => 0 });
  const events: Record<string, number> = {};
  const raisedWalls: Alert[] = [];
  service.onAlert((e) => {
    const k = `${e.type}:${e.alert.kind}`;
    events[k] = (events[k] ?? 0) + 1;
    if (e.type === 'raised' && e.alert.kind === 'wall') raisedWalls.push(e.alert);
  });
  const violations: string[] = [];
  let updates = 0;
  // Independent best-level OFI from OrderBook.top (not from the analytics' own level copies).
  const prev = new Map<SymbolFeed, { b: number; qb: number; a: number; qa: number } | null>();
  const ofiTotal = new Map<SymbolFeed, number>();
  await replayCapture(capture(name), {
    onBook: (feed, event) => {
      service.onBook(feed, event);
      updates++;
      const f = service.track(feed).frame(feed.state);
      const where = `${feed.symbol} update ${updates}`;
      if (f.imbalance !== null && !(f.imbalance >= -1 && f.imbalance <= 1)) violations.push(`${where}: imbalance ${f.imbalance}`);
      if (f.mid !== null) {
        const bid = Number(f.bestBid);
        const ask = Number(f.bestAsk);
        if (!(bid < f.mid && f.mid < ask)) violations.push(`${where}: mid ${f.mid} outside ${bid}/${ask}`);
        if (!(f.microprice! >= bid && f.microprice! <= ask)) violations.push(`${where}: microprice ${f.microprice}`);
        if (!(f.spread! > 0) || Math.abs(f.spread! - (ask - bid)) > 1e-9 * ask) violations.push(`${where}: spread ${f.spread}`);
        if (!(f.weightedPrice.bid! <= bid && f.weightedPrice.ask! >= ask)) violations.push(`${where}: weighted price`);
        for (let i = 1; i < f.depthBands.length; i++) {
          if (f.depthBands[i]!.bid < f.depthBands[i - 1]!.bid || f.depthBands[i]!.ask < f.depthBands[i - 1]!.ask) violations.push(`${where}: bands not nested`);
        }
      }
      const b = feed.book.bestBid();
      const a = feed.book.bestAsk();
      const now = {
        b: b ? feed.book.priceValue(b) : -Infinity,
        qb: b ? b.size : 0,
        a: a ? feed.book.priceValue(a) : Infinity,
        qa: a ? a.size : 0,
      };
      const p = event.kind === 'snapshot' ? null : (prev.get(feed) ?? null);
      if (p) {
        const e = (now.b >= p.b ? now.qb : 0) - (now.b <= p.b ? p.qb : 0) - (now.a <= p.a ? now.qa : 0) + (now.a >= p.a ? p.qa : 0);
        ofiTotal.set(feed, (ofiTotal.get(feed) ?? 0) + e);
      }
      prev.set(feed, now);
    },
    onEnd: () => {},
  });
  let ofiMismatches = 0;
  for (const [feed, total] of ofiTotal) {
    const a = service.track(feed);
    const w = a.series.window(600);
    const fromService = w.ofi.reduce((s, x) => s + x, 0) + a.series.currentOfi;
    if (Math.abs(fromService - total) > 1e-6 * Math.max(1, Math.abs(total))) ofiMismatches++;
  }
  const list: Record<string, number> = {};
  for (const alert of service.listAlerts({ limit: 1000 }).alerts) {
    const k = alert.kind === 'wall' || alert.kind === 'layering' ? `${alert.kind}:${alert.outcome ?? 'active'}` : alert.kind;
    list[k] = (list[k] ?? 0) + 1;
  }
  return { list, events, raisedWalls, updates, violations, ofiMismatches };
}

function checkWalls(r: Run): void {
  // Every wall was at least 5× its side's median and held that for 5 s before it was raised.
  for (const w of r.raisedWalls) {
    expect(w.evidence.multiple as number).toBeGreaterThanOrEqual(5);
    expect(w.evidence.persistedMs as number).toBeGreaterThanOrEqual(5000);
  }
}

describe('analytics over the shared real captures (regression counts)', () => {
  it('binance-spot 2021-10-12', async () => {
    const r = await run('binance-spot_2021-10-12.capture.jsonl');
    expect(r.updates).toBe(176);
    expect(r.violations).toEqual([]);
    expect(r.ofiMismatches).toBe(0);
    expect(r.list).toEqual({ 'wall:active': 4, 'wall:shrunk': 2, 'wide-spread': 4 });
    expect(r.events).toEqual({ 'raised:wall': 6, 'updated:wall': 2, 'cleared:wall': 2, 'raised:wide-spread': 4, 'updated:wide-spread': 2 });
    checkWalls(r);
  });

  it('binance-usdm 2021-07-22', async () => {
    const r = await run('binance-usdm_2021-07-22.capture.jsonl');
    expect(r.updates).toBe(756);
    expect(r.violations).toEqual([]);
    expect(r.ofiMismatches).toBe(0);
    expect(r.list).toEqual({ 'wall:active': 7, 'wall:shrunk': 1, 'wide-spread': 4 });
    expect(r.events).toEqual({ 'raised:wall': 8, 'updated:wall': 3, 'cleared:wall': 1, 'raised:wide-spread': 4, 'updated:wide-spread': 5 });
    checkWalls(r);
  });

  it('coinbase 2021-04-17', async () => {
    const r = await run('coinbase_2021-04-17.capture.jsonl');
    expect(r.updates).toBe(9729);
    expect(r.violations).toEqual([]);
    expect(r.ofiMismatches).toBe(0);
    expect(r.list).toEqual({ 'wall:active': 17, 'wall:shrunk': 4, 'wall:pulled': 9, 'wide-spread': 10 });
    expect(r.events).toEqual({ 'raised:wall': 30, 'updated:wall': 11, 'cleared:wall': 13, 'raised:wide-spread': 10, 'updated:wide-spread': 4 });
    checkWalls(r);
  });

  it('kraken 2021-04-17', async () => {
    const r = await run('kraken_2021-04-17.capture.jsonl');
    expect(r.updates).toBe(4279);
    expect(r.violations).toEqual([]);
    expect(r.ofiMismatches).toBe(0);
    expect(r.list).toEqual({ 'wall:active': 15, 'wall:pulled': 11, 'wall:traded-through': 1, 'wall:shrunk': 3, exhaustion: 1, 'wide-spread': 10 });
    expect(r.events).toEqual({
      'raised:wall': 30,
      'updated:wall': 3,
      'cleared:wall': 15,
      'raised:exhaustion': 1,
      'cleared:exhaustion': 1,
      'raised:wide-spread': 10,
      'updated:wide-spread': 10,
    });
    checkWalls(r);
  });

  it('okx 2021-07-22 and 2022-05-13', async () => {
    const a = await run('okx_2021-07-22.capture.jsonl');
    expect(a.updates).toBe(1488);
    expect(a.violations).toEqual([]);
    expect(a.ofiMismatches).toBe(0);
    expect(a.list).toEqual({ 'wall:active': 18, 'wall:pulled': 2, 'wall:shrunk': 1, 'wall:traded-through': 1, 'wide-spread': 10 });
    expect(a.events).toEqual({ 'raised:wall': 22, 'updated:wall': 1, 'cleared:wall': 4, 'raised:wide-spread': 10, 'updated:wide-spread': 6 });
    checkWalls(a);
    const b = await run('okx_2022-05-13.capture.jsonl');
    expect(b.updates).toBe(290);
    expect(b.violations).toEqual([]);
    expect(b.ofiMismatches).toBe(0);
    expect(b.list).toEqual({ 'wall:active': 6, exhaustion: 1, 'wide-spread': 3 });
    expect(b.events).toEqual({
      'raised:wall': 6,
      'raised:exhaustion': 1,
      'cleared:exhaustion': 1,
      'raised:wide-spread': 3,
      'updated:wide-spread': 4,
      'cleared:wide-spread': 1,
    });
    checkWalls(b);
  });

  it('bybit-linear 2024-12-01: 50 updates over 4.8 s, less history than walls and exhaustion need, spread under 1 bp', async () => {
    const r = await run('bybit-linear_2024-12-01.capture.jsonl');
    expect(r.updates).toBe(50);
    expect(r.violations).toEqual([]);
    expect(r.ofiMismatches).toBe(0);
    expect(r.list).toEqual({});
  });
});
