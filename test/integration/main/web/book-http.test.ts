/**
 * GET /api/book on the real web host: a real capture replayed in the app answers exactly the top
 * levels that the depth export (`npm run export -- --depth --capture`) computes for the same capture,
 * best first with the venue's texts; bad parameters are 400, a venue not enabled 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { replayCapture } from '../../../../src/main/capture/replay';
import { nullLogger } from '../../../../src/main/log';
import { depthSnapshot } from '../../../../src/main/store/client/depth-export';
import type { SymbolFeed } from '../../../../src/main/venues/symbol-feed';
import { startWebHost, type WebHost } from '../../../../src/main/web/server';
import { capture } from '../../../support/paths';
import { until } from '../../../support/wait';
import { fakeRenderer, get } from '../../../support/web-host';

/** The depth export's answer for one book of a capture (what `export --depth --capture` writes). */
async function exportedDepth(file: string, venue: string, symbol: string, levels: number) {
  let feed: SymbolFeed | null = null;
  await replayCapture(file, {
    onEnd: (feeds) => {
      feed = feeds.find((f) => f.venue === venue && f.symbol === symbol) ?? null;
    },
  });
  if (!feed) throw new Error(`${venue}:${symbol} not in ${file}`);
  return depthSnapshot(feed, levels);
}

describe('GET /api/book', () => {
  let services: Services;
  let host: WebHost;
  beforeAll(async () => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '0', host: 'web' } });
    host = await startWebHost({ services, logger: nullLogger, host: '127.0.0.1', port: 0, token: null, ...fakeRenderer() });
  });
  afterAll(async () => {
    await host.close();
    await services.close();
  });

  for (const [file, venue, symbol] of [
    ['kraken_2021-04-17.capture.jsonl', 'kraken', 'XBT/CHF'],
    ['okx_2022-05-13.capture.jsonl', 'okx', 'BTC-USDT'],
  ] as const) {
    it(`answers the depth export's top levels for ${venue} ${symbol} replayed in the app`, async () => {
      services.market.startReplay(capture(file), 0);
      await until(() => services.market.replayStatus().done, 20_000, 'replay end');
      const expected = await exportedDepth(capture(file), venue, symbol, 25);
      const answer = await get(host.port, `/api/book?venue=${venue}&symbol=${encodeURIComponent(symbol)}&levels=25`);
      expect(answer.status).toBe(200);
      const body = JSON.parse(answer.body);
      expect(expected.bids.length).toBe(25);
      expect(body).toMatchObject({ venue, symbol, state: 'synced', bids: expected.bids, asks: expected.asks, localTs: expected.localTs, exchangeTs: expected.exchangeTs });
      expect(body.sequence).toBeGreaterThan(1);
      services.market.stopReplay();
    });
  }

  it('refuses bad parameters and venues not enabled', async () => {
    expect((await get(host.port, '/api/book?venue=demo')).status).toBe(400);
    expect((await get(host.port, '/api/book?venue=demo&symbol=BTCUSDT&levels=0')).status).toBe(400);
    expect((await get(host.port, '/api/book?venue=demo&symbol=BTCUSDT&depth=3')).status).toBe(400);
    const notEnabled = await get(host.port, '/api/book?venue=kraken&symbol=XBT/USD');
    expect(notEnabled.status).toBe(404);
    expect(JSON.parse(notEnabled.body).error).toMatch(/not enabled/);
  });
});
