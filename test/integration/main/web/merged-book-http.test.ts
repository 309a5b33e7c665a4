/**
 * The cross-venue book on the real services with demo and demo-b (demo-b quotes BTC on a 0.1 tick):
 * GET /api/book?merge=1 over loopback merges both books on the common tick, each row's total the
 * exact sum of the venues' shares and each share exactly what that venue's book holds in the row;
 * when demo-b's feed hits a sequence gap it is excluded with the reason while it resyncs, then merged
 * again. The cross.book stream resolves the group from the instrument lists (USD family on request).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import type { DemoTransport } from '../../../../src/main/venues/demo/transport';
import { mergedBookAnswer, type MergedBookAnswer } from '../../../../src/main/web/merged-book-route';
import { startWebHost, type WebHost } from '../../../../src/main/web/server';
import { createContractClient } from '../../../../src/shared/contract-client';
import type { ServerMessage } from '../../../../src/shared/contract';
import type { CrossBookFrame } from '../../../../src/shared/cross-venue';
import { addDecimal, compareDecimal } from '../../../../src/shared/decimal-sum';
import { fakeRenderer, get } from '../../../support/web-host';
import { until } from '../../../support/wait';

const QUERY = 'venue=demo,demo-b&symbol=BTCUSDT&levels=20&merge=1';

describe('merged book over the web host (demo, demo-b)', () => {
  let services: Services | null = null;
  let host: WebHost | null = null;
  afterEach(async () => {
    await host?.close();
    await services?.close();
    host = null;
    services = null;
  });

  const start = async (): Promise<{ s: Services; port: number }> => {
    services = createServices({ venues: ['demo', 'demo-b'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, demo: { seed: 11 } });
    host = await startWebHost({ services, logger: nullLogger, host: '127.0.0.1', port: 0, token: null, ...fakeRenderer() });
    return { s: services, port: host.port };
  };

  it('merges both books exactly, excludes demo-b with its reason while it resyncs after a gap, then merges it again', async () => {
    const { s, port } = await start();
    const fetchBook = async (): Promise<MergedBookAnswer> => {
      const answer = await get(port, `/api/book?${QUERY}`);
      expect(answer.status).toBe(200);
      return JSON.parse(answer.body) as MergedBookAnswer;
    };
    // The first request starts both feeds; they show as excluded until synced.
    const first = await fetchBook();
    expect(first.venues.map((v) => v.venue)).toEqual(['demo', 'demo-b']);
    await until(async () => (await fetchBook()).excluded.length === 0, 10_000, 'both books synced');

    // Built synchronously after its last await, so the books read right after are the ones it merged.
    const answer = await mergedBookAnswer(s, new URLSearchParams(QUERY));
    const books = { demo: s.market.feed('demo', 'BTCUSDT')!.book, 'demo-b': s.market.feed('demo-b', 'BTCUSDT')!.book };
    expect(answer.tick).toBe('0.1');
    expect(answer.bids).toHaveLength(20);
    for (const side of ['bid', 'ask'] as const) {
      const rows = side === 'bid' ? answer.bids : answer.asks;
      rows.forEach((row, i) => {
        expect(row.price).toMatch(/^\d+\.\d$/);
        if (i > 0) expect(compareDecimal(row.price, rows[i - 1]!.price)).toBe(side === 'bid' ? -1 : 1);
        expect(Object.values(row.venues).reduce(addDecimal, '0')).toBe(row.total);
        // Each share is exactly the venue's levels in [row, row + 0.1) for bids, (row − 0.1, row] for asks.
        for (const [venue, book] of Object.entries(books)) {
          const low = side === 'bid' ? row.price : addDecimal(row.price, '-0.1');
          const high = side === 'bid' ? addDecimal(row.price, '0.1') : row.price;
          let held = '0';
          for (const level of book.levels(side)) {
            const inRow = side === 'bid' ? compareDecimal(level.price, low) >= 0 && compareDecimal(level.price, high) < 0 : compareDecimal(level.price, low) > 0 && compareDecimal(level.price, high) <= 0;
            if (inRow) held = addDecimal(held, level.sizeText);
          }
          expect(row.venues[venue] ?? '0', `${venue} ${side} ${row.price}`).toBe(held);
        }
      });
    }
    expect(Object.keys(answer.bids[0]!.venues).length).toBeGreaterThanOrEqual(1);
    expect(answer.bids.some((row) => Object.keys(row.venues).length === 2)).toBe(true);

    // demo-b's next diff skips update ids: its feed resyncs; meanwhile the merge must leave it out.
    let duringResync: Promise<MergedBookAnswer> | null = null;
    const off = s.market.onState((feed, _from, to) => {
      if (feed.venue === 'demo-b' && to === 'resyncing' && !duringResync) duringResync = mergedBookAnswer(s, new URLSearchParams(QUERY));
    });
    (s.market.venueConfig('demo-b').transport as DemoTransport).market.injectGap(5);
    await until(() => duringResync !== null, 5_000, 'demo-b to leave sync');
    const excluded = await duringResync!;
    off();
    expect(excluded.venues.find((v) => v.venue === 'demo-b')).toMatchObject({ included: false });
    expect(excluded.excluded).toHaveLength(1);
    expect(excluded.excluded[0]).toMatchObject({ venue: 'demo-b', symbol: 'BTCUSDT' });
    expect(excluded.excluded[0]!.reason).toMatch(/^(resyncing|buffering)/);
    expect(excluded.excluded[0]!.reason).toMatch(/gap|sequence|update id/i);
    for (const row of [...excluded.bids, ...excluded.asks]) expect(Object.keys(row.venues)).toEqual(['demo']);

    await until(async () => (await fetchBook()).excluded.length === 0, 10_000, 'demo-b back in sync');
    const back = await fetchBook();
    expect(back.bids.some((row) => row.venues['demo-b'] !== undefined)).toBe(true);
  });

  it('refuses malformed requests with the reason', async () => {
    const { port } = await start();
    const status = async (q: string) => {
      const a = await get(port, `/api/book?${q}`);
      return [a.status, (JSON.parse(a.body) as { error: string }).error] as const;
    };
    expect(await status('venue=demo,demo-b&symbol=A,B,C&merge=1')).toEqual([400, 'give one symbol, or one per venue (2), got 3']);
    expect((await status('venue=demo,okx&symbol=BTCUSDT&merge=1'))[0]).toBe(404);
    expect((await status('venue=demo&symbol=BTCUSDT&merge=1&levels=0'))[0]).toBe(400);
    expect((await status('venue=demo&symbol=BTCUSDT&merge=1&tick=-1'))[0]).toBe(400);
    expect((await status('venue=demo&symbol=BTCUSDT&merge=2'))[0]).toBe(400);
    // A symbol a venue does not list: that venue is excluded with why, the request still answers.
    const a = await get(port, '/api/book?venue=demo,demo-b&symbol=DOGEUSDT&merge=1');
    expect(a.status).toBe(200);
    const body = JSON.parse(a.body) as MergedBookAnswer;
    expect(body.excluded.find((e) => e.venue === 'demo-b')?.reason).toMatch(/DOGEUSDT is not listed/);
  });

  it('cross.book resolves the group from the instrument lists, with the USD family only when asked', async () => {
    const { s } = await start();
    const client = createContractClient({ send: (m) => conn.handle(JSON.parse(JSON.stringify(m))) });
    const conn = s.contract.connect({ send: (m) => client.receive(JSON.parse(JSON.stringify(m)) as ServerMessage) });
    const frames: Record<string, CrossBookFrame> = {};
    client.api.subscribe('cross.book', { venue: 'demo-b', symbol: 'BTCUSD' }, (f) => void (frames.exact = f));
    client.api.subscribe('cross.book', { venue: 'demo-b', symbol: 'BTCUSD', quoteFamily: true }, (f) => void (frames.family = f));
    await until(() => frames.family?.members.every((m) => m.included) === true && frames.exact !== undefined, 10_000, 'cross.book frames');
    expect(frames.exact!.key).toBe('BTC/USD');
    expect(frames.exact!.members.map((m) => `${m.venue}:${m.symbol}`)).toEqual(['demo-b:BTCUSD']);
    expect(frames.family!.key).toBe('BTC/USD(T)');
    expect(frames.family!.members.map((m) => `${m.venue}:${m.symbol}`)).toEqual(['demo-b:BTCUSD', 'demo:BTCUSDT']);
    expect(frames.family!.nbbo.bid).not.toBeNull();
    expect(frames.family!.bands.map((b) => b.bps)).toEqual([10, 25, 50, 100]);
    expect(frames.family!.bands[3]!.total).toBeGreaterThan(0);
  });
});
