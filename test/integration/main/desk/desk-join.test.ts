/**
 * What a window joining the desk after the fact sees, on real captures through a real nats-server:
 * the tape starts with the book's recent trades (the same prints a local replay of the capture keeps);
 * a book whose collector's capture ended reads ended in its health; the collectors' instruments reach
 * the subscriber's picker and frames, so it formats as a local app does; a web host whose saved settings
 * name the desk (no --nats flag) takes its books from it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TradePrint } from '../../../../src/shared/contract';
import type { Instrument, VenueId } from '../../../../src/shared/market';
import { DEFAULT_PUBLIC_SETTINGS } from '../../../../src/shared/settings';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { replayCapture } from '../../../../src/main/capture/replay';
import { connectDeskSubscriber, type DeskSource } from '../../../../src/main/desk/subscriber';
import { nullLogger } from '../../../../src/main/log';
import { tradePrint } from '../../../../src/main/market/recent-trades';
import { buildLadderFrame } from '../../../../src/main/publish/views/ladder';
import type { SymbolFeed } from '../../../../src/main/venues/symbol-feed';
import { DESK_COINBASE_CAPTURE, DESK_ETH_CAPTURE, ETHUSDT_INSTRUMENT as ETHUSDT, startDeskWithCaptures, startWebHost } from '../../../support/desk';
import { natsServerPath, type NatsCluster } from '../../../support/nats-server';
import { capture } from '../../../support/paths';
import { until } from '../../../support/wait';

const ETH = capture(DESK_ETH_CAPTURE);
const COINBASE = capture(DESK_COINBASE_CAPTURE);

/** Every print of every book of a capture replayed locally, in order. */
async function localPrints(file: string): Promise<Map<string, TradePrint[]>> {
  const prints = new Map<string, TradePrint[]>();
  await replayCapture(file, {
    onTrade: (feed, trade) => {
      const key = `${feed.venue}:${feed.symbol}`;
      if (!prints.has(key)) prints.set(key, []);
      prints.get(key)!.push(tradePrint(trade));
    },
  });
  return prints;
}

describe.skipIf(!natsServerPath())('desk: a late-joining window', () => {
  let nats: NatsCluster;
  let desk: DeskSource;
  let services: Services;

  beforeAll(async () => {
    const started = await startDeskWithCaptures();
    nats = started.nats;
    expect(started.eth.published.instruments).toBe(1);
    desk = await connectDeskSubscriber(nats.urls, { logger: nullLogger, onWait: () => {} });
    services = createServices({ venues: desk.venues, desk, logger: nullLogger, host: { name: 't', version: '0', host: 'web' } });
  }, 120_000);

  afterAll(async () => {
    await services?.close();
    await desk?.nc.close();
    await nats?.stop();
  });

  async function joined(venue: VenueId, symbol: string) {
    await services.market.ensure(venue, symbol);
    const feed = services.market.feed(venue, symbol)!;
    await until(() => feed.state === 'synced', 15_000, `${venue} ${symbol} synced`);
    return feed;
  }

  it('starts the tape with the newest 2,000 of the 4,029 ETHUSDT trades, as a local replay keeps them', async () => {
    const local = (await localPrints(ETH)).get('binance-usdm:ETHUSDT')!;
    expect(local.length).toBe(4029);
    const feed = await joined('binance-usdm', 'ETHUSDT');
    await until(() => services.recentTrades.newest(feed, 4000).length >= 2000, 10_000, 'recent trades loaded');
    const tape = services.recentTrades.newest(feed, 4000);
    expect(tape).toEqual(local.slice(-2000));
  }, 60_000);

  it('loads every trade of small books, history sent on subscribe still flagged', async () => {
    const local = await localPrints(COINBASE);
    for (const symbol of ['SKL-USD', 'DASH-BTC', 'BAND-BTC']) {
      const expected = local.get(`coinbase:${symbol}`)!;
      const feed = await joined('coinbase', symbol);
      await until(() => services.recentTrades.newest(feed, 100).length >= expected.length, 10_000, `${symbol} trades loaded`);
      expect(services.recentTrades.newest(feed, 100), symbol).toEqual(expected);
      expect(expected.filter((p) => p.history)).toHaveLength(1);
    }
  }, 60_000);

  it('reports a book whose collector played its capture to the end as ended in its health (what the panels’ badge reads)', async () => {
    const feed = await joined('coinbase', 'SKL-USD');
    expect(feed.state).toBe('synced');
    const health = services.health().symbols.find((h) => h.venue === 'coinbase' && h.symbol === 'SKL-USD');
    expect(health).toMatchObject({ state: 'synced', ended: true, msgsPerSec: 0 });
  });

  it('gives the picker and the frames the instrument the collector published, so the subscriber formats as the local app', async () => {
    const listed = (await services.market.instruments('binance-usdm')).find((i) => i.symbol === 'ETHUSDT');
    expect(listed).toEqual(ETHUSDT);
    const feed = await joined('binance-usdm', 'ETHUSDT');
    await until(() => services.market.instrument('binance-usdm', 'ETHUSDT') !== undefined, 5_000, 'instrument watched');
    expect(services.market.instrument('binance-usdm', 'ETHUSDT')).toEqual(ETHUSDT);
    // The local app: the same capture replayed, with the venue's instrument.
    let local: SymbolFeed | undefined;
    await replayCapture(ETH, { onEnd: (feeds) => (local = feeds.find((f) => f.symbol === 'ETHUSDT')) });
    const precision = (f: SymbolFeed, i: Instrument | null) => {
      const frame = buildLadderFrame(f, 20, i, 1);
      return { priceDecimals: frame.priceDecimals, sizeDecimals: frame.sizeDecimals, bids: frame.bids, asks: frame.asks };
    };
    expect(precision(feed, services.market.instrument('binance-usdm', 'ETHUSDT') ?? null)).toEqual(precision(local!, ETHUSDT));
    expect(precision(feed, services.market.instrument('binance-usdm', 'ETHUSDT') ?? null)).toMatchObject({ priceDecimals: 2, sizeDecimals: 3 });
  }, 60_000);

  it('lists a book whose collector knew no instrument (a capture, no saved list) by its symbol alone', async () => {
    const listed = (await services.market.instruments('coinbase')).find((i) => i.symbol === 'SKL-USD');
    expect(listed).toMatchObject({ symbol: 'SKL-USD', tickSize: null, pricePrecision: null, status: 'desk' });
    expect(services.market.instrument('coinbase', 'SKL-USD')).toBeUndefined();
  });

  it('a web host started without --nats whose saved settings name the desk takes its books from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obm-desk-settings-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ version: 1, settings: { ...DEFAULT_PUBLIC_SETTINGS, natsUrl: nats.urls }, secrets: {} }));
    // A stand-in UI: this test runs before (and without) `npm run build:web`.
    const ui = join(dir, 'ui');
    mkdirSync(join(ui, 'renderer'), { recursive: true });
    mkdirSync(join(ui, 'web-preload'), { recursive: true });
    writeFileSync(join(ui, 'renderer', 'index.html'), '<html><body></body></html>');
    writeFileSync(join(ui, 'web-preload', 'web-preload.js'), '/* bridge */');
    const host = await startWebHost(['--data', dir, '--ui', ui]);
    try {
      const base = host.url;
      expect(host.stdout()).toContain(`(from the desk at ${nats.urls})`);
      const health = (await (await fetch(`${base}/api/health`)).json()) as { venues: Array<{ id: string }> };
      expect(health.venues.map((v) => v.id).sort()).toEqual(['binance-usdm', 'coinbase']);
      let book: { state?: string; bids?: unknown[] } = {};
      await until(async () => {
        book = (await (await fetch(`${base}/api/book?venue=binance-usdm&symbol=ETHUSDT&levels=5`)).json()) as typeof book;
        return book.state === 'synced';
      }, 20_000, 'ETHUSDT from the desk');
      expect(book.bids).toHaveLength(5);
    } finally {
      host.child.kill('SIGTERM');
    }
  }, 90_000);
});
