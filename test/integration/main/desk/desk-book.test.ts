/**
 * The "done when": real captures published through `collect --capture` into a three-node
 * JetStream cluster; a web host started with the desk as its source after the collector finished
 * answers /api/book with exactly the top levels the depth export computes for the same capture.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { replayCapture } from '../../../../src/main/capture/replay';
import { connectDeskSubscriber, type DeskSource } from '../../../../src/main/desk/subscriber';
import { nullLogger } from '../../../../src/main/log';
import { depthSnapshot, type DepthSnapshot } from '../../../../src/main/store/client/depth-export';
import { startWebHost, type WebHost } from '../../../../src/main/web/server';
import { collectCapture } from '../../../support/desk';
import { startNatsCluster, type NatsCluster } from '../../../support/nats-server';
import { capture } from '../../../support/paths';
import { until } from '../../../support/wait';
import { fakeRenderer, get } from '../../../support/web-host';

const LEVELS = 25;

/** What `npm run export -- --depth --capture FILE` writes for every book of a capture. */
async function exportedDepths(file: string): Promise<DepthSnapshot[]> {
  let snapshots: DepthSnapshot[] = [];
  await replayCapture(file, { onEnd: (feeds) => (snapshots = feeds.map((f) => depthSnapshot(f, LEVELS))) });
  return snapshots;
}

describe('desk: capture → collector → JetStream cluster → web host /api/book', () => {
  let cluster: NatsCluster;
  let desk: DeskSource;
  let services: Services;
  let host: WebHost;
  const files = ['kraken_2021-04-17.capture.jsonl', 'okx_2022-05-13.capture.jsonl', 'binance-usdm_2021-07-22.capture.jsonl'];

  beforeAll(async () => {
    cluster = await startNatsCluster();
    for (const file of files) await collectCapture(cluster.urls, capture(file), ['--replicas', '3', '--snapshot-every', '500']);
    desk = await connectDeskSubscriber(cluster.urls, { logger: nullLogger, onWait: () => {} });
    services = createServices({ venues: desk.venues, desk, logger: nullLogger, host: { name: 't', version: '0', host: 'web' } });
    host = await startWebHost({ services, logger: nullLogger, host: '127.0.0.1', port: 0, token: null, ...fakeRenderer() });
  }, 120_000);

  afterAll(async () => {
    await host?.close();
    await services?.close();
    await desk?.nc.close();
    await cluster?.stop();
  });

  it('lists the venues and symbols the collectors published', async () => {
    expect(desk.venues.sort()).toEqual(['binance-usdm', 'kraken', 'okx']);
    // The list comes from the instruments bucket, which the subscriber reads as it starts: a loaded
    // machine can ask before the first entries have arrived.
    let kraken = await services.market.instruments('kraken');
    await until(async () => (kraken = await services.market.instruments('kraken')).length >= 10, 20_000, 'the kraken instruments listed');
    expect(kraken.map((i) => i.symbol).sort()).toEqual(['ADA/XBT', 'ETH/CHF', 'GRT/ETH', 'KSM/XBT', 'OCEAN/XBT', 'OMG/USD', 'SC/EUR', 'WAVES/EUR', 'XBT/CHF', 'XMR/USD']);
  });

  for (const file of files) {
    it(`answers the depth export's top ${LEVELS} levels of every book of ${file}`, async () => {
      const expected = await exportedDepths(capture(file));
      expect(expected.length).toBeGreaterThan(2);
      for (const book of expected) {
        const path = `/api/book?venue=${book.venue}&symbol=${encodeURIComponent(book.symbol)}&levels=${LEVELS}`;
        let body: Record<string, unknown> = {};
        await until(async () => {
          body = JSON.parse((await get(host.port, path)).body);
          return body.state === book.state && (book.state !== 'synced' || (body.bids as unknown[]).length > 0);
        }, 15_000, `${book.venue} ${book.symbol} loaded`);
        expect(body, `${book.venue} ${book.symbol}`).toMatchObject({ venue: book.venue, symbol: book.symbol, bids: book.bids, asks: book.asks, exchangeTs: book.exchangeTs, localTs: book.localTs });
        expect(body.sequence).toBeGreaterThan(0);
      }
    }, 60_000);
  }

  it('lists books a collector publishes after the host started, and serves them', async () => {
    expect((await services.market.instruments('okx')).map((i) => i.symbol)).not.toContain('FUN-BTC');
    await collectCapture(cluster.urls, capture('okx_2021-07-22.capture.jsonl'), ['--replicas', '3']);
    expect((await services.market.instruments('okx')).map((i) => i.symbol)).toContain('FUN-BTC');
    const expected = (await exportedDepths(capture('okx_2021-07-22.capture.jsonl'))).find((b) => b.symbol === 'FUN-BTC')!;
    let body: Record<string, unknown> = {};
    await until(async () => {
      body = JSON.parse((await get(host.port, `/api/book?venue=okx&symbol=FUN-BTC&levels=${LEVELS}`)).body);
      return body.state === 'synced';
    }, 15_000, 'FUN-BTC loaded');
    expect([body.bids, body.asks]).toEqual([expected.bids, expected.asks]);
  }, 60_000);

  it('shows the collector’s integrity counters and that its capture ended', async () => {
    const health = services.health().symbols.find((h) => h.venue === 'kraken' && h.symbol === 'XBT/CHF');
    expect(health).toMatchObject({ state: 'synced', checksumFailed: 0, ended: true });
    expect(health!.checksumOk).toBeGreaterThan(100);
  });
});
