/**
 * Analytics through the contract, as a window uses it: the metrics, series and alert streams, the
 * alert and price-alert commands, and the impact command, on the demo venue via createServices.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import type { ServerMessage } from '../../../../src/shared/contract';
import { createContractClient } from '../../../../src/shared/contract-client';
import type { AlertList, MetricsFrame, SeriesFrame } from '../../../../src/shared/analytics';
import { MetricsFrameSchema, SeriesFrameSchema, AlertListSchema, ImpactResultSchema } from '../../../../src/shared/analytics';
import { until } from '../../../support/wait';

describe('analytics on the contract (demo venue)', () => {
  let services: Services | undefined;
  afterEach(async () => {
    await services?.close();
    services = undefined;
  });

  function connect(s: Services) {
    const client = createContractClient({ send: (m) => conn.handle(JSON.parse(JSON.stringify(m))) });
    const conn = s.contract.connect({ send: (m) => client.receive(JSON.parse(JSON.stringify(m)) as ServerMessage) });
    return client.api;
  }

  it('streams metrics and series, lists and acknowledges alerts, sets price alerts and simulates impact', async () => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, tickMs: 50 });
    const api = connect(services);

    const metrics: MetricsFrame[] = [];
    const series: SeriesFrame[] = [];
    const alertFrames: AlertList[] = [];
    const stopMetrics = api.subscribe('analytics.metrics', { venue: 'demo', symbol: 'ETHUSDT' }, (f) => metrics.push(f));
    const stopSeries = api.subscribe('analytics.series', { venue: 'demo', symbol: 'ETHUSDT', seconds: 60 }, (f) => series.push(f));
    const stopAlerts = api.subscribe('alerts', { activeOnly: false, limit: 50 }, (f) => alertFrames.push(f));

    await until(() => metrics.some((f) => f.state === 'synced' && f.mid !== null && f.updates > 3), 15_000, 'live metrics');
    const m = metrics.at(-1)!;
    expect(MetricsFrameSchema.safeParse(m).success).toBe(true);
    expect(Number(m.bestBid)).toBeLessThan(m.mid!);
    expect(m.mid!).toBeLessThan(Number(m.bestAsk));
    expect(m.imbalance!).toBeGreaterThanOrEqual(-1);
    expect(m.imbalance!).toBeLessThanOrEqual(1);
    expect(m.ofi.levels).toHaveLength(5);
    expect(m.depthBands.map((b) => b.bps)).toEqual([10, 25, 50, 100]);

    // Completed seconds arrive on the series stream (at most one frame per new second).
    await until(() => series.some((f) => f.t.length >= 2), 15_000, 'two completed seconds');
    const sf = series.at(-1)!;
    expect(SeriesFrameSchema.safeParse(sf).success).toBe(true);
    expect(sf.t[1]! - sf.t[0]!).toBe(1000);
    expect(sf.updates.every((n) => n >= 0)).toBe(true);

    // Impact on the live demo book.
    const impact = await api.invoke('impact.simulate', { books: [{ venue: 'demo', symbol: 'ETHUSDT' }], side: 'buy', size: 1, feeBps: 10 });
    expect(ImpactResultSchema.safeParse(impact).success).toBe(true);
    expect(impact.complete).toBe(true);
    expect(impact.fills.length).toBeGreaterThan(0);
    expect(impact.fee).toBeCloseTo(impact.filledQuote * 0.001, 9);
    await expect(api.invoke('impact.simulate', { books: [{ venue: 'demo', symbol: 'ETHUSDT' }], side: 'buy', size: 1, notional: 5 } as never)).rejects.toThrow(
      /exactly one of size or notional/,
    );
    await expect(api.invoke('impact.simulate', { books: [{ venue: 'demo', symbol: 'NOPE' }], side: 'buy', size: 1 } as never)).rejects.toThrow(
      /NOPE is not listed/,
    );

    // A price alert the ask is already below fires at once; it shows on the alert stream; ack it.
    const far = await api.invoke('alerts.price.set', { venue: 'demo', symbol: 'ETHUSDT', price: '1000000', direction: 'below' });
    expect(far).toMatchObject({ state: 'triggered', direction: 'below', triggers: 1 });
    const away = await api.invoke('alerts.price.set', { venue: 'demo', symbol: 'ETHUSDT', price: '1' });
    expect(away).toMatchObject({ state: 'armed', direction: 'below' }); // from the mid: 1 is below it
    expect((await api.invoke('alerts.price.list', {})).map((r) => r.id)).toEqual([far.id, away.id]);
    await until(() => alertFrames.some((f) => f.alerts.some((a) => a.kind === 'price')), 5000, 'the price alert on the stream');
    expect(AlertListSchema.safeParse(alertFrames.at(-1)).success).toBe(true);
    const listed = await api.invoke('alerts.list', { activeOnly: true, limit: 100 });
    const priceAlert = listed.alerts.find((a) => a.kind === 'price')!;
    expect(priceAlert).toMatchObject({ venue: 'demo', symbol: 'ETHUSDT', state: 'active', acknowledged: false });
    expect(await api.invoke('alerts.ack', { ids: [priceAlert.id] })).toEqual({ acknowledged: 1 });
    expect((await api.invoke('alerts.list', {})).alerts.find((a) => a.id === priceAlert.id)!.acknowledged).toBe(true);
    await expect(api.invoke('alerts.ack', {} as never)).rejects.toThrow(/either ids or all/);
    expect(await api.invoke('alerts.price.remove', { id: far.id })).toEqual({ removed: true });
    expect((await api.invoke('alerts.list', {})).alerts.find((a) => a.id === priceAlert.id)).toMatchObject({ state: 'cleared', outcome: 'removed' });
    expect(await api.invoke('alerts.price.remove', { id: far.id })).toEqual({ removed: false });
    await expect(api.invoke('alerts.price.set', { venue: 'demo', symbol: 'ETHUSDT', price: '-5' } as never)).rejects.toThrow(/plain positive decimal/);

    stopMetrics();
    stopSeries();
    stopAlerts();
  });

  it('a book with no update yet has a frame of nulls, not stale numbers; after sync it fills in', async () => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, tickMs: 20 });
    const feed = await services.market.ensure('demo', 'SOLUSDT');
    const blank = services.analytics.track(feed).frame(feed.state);
    expect(blank).toMatchObject({ state: 'connecting', updates: 0, ts: null, mid: null, bestBid: null, bestAsk: null, imbalance: null, ofi: { best: 0, multi: 0, lastSecond: null } });
    const api = connect(services);
    const frames: MetricsFrame[] = [];
    const stop = api.subscribe('analytics.metrics', { venue: 'demo', symbol: 'SOLUSDT' }, (f) => frames.push(f));
    await until(() => frames.some((f) => f.mid !== null), 15_000, 'a synced frame');
    expect(frames.find((f) => f.mid !== null)!.state).toBe('synced');
    stop();
  });
});
