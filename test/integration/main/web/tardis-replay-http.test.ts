/**
 * tardis.dev CSV played in the web host: a shared capture converted to tardis files (`npm run
 * convert`) and put in the host's recordings folder is listed by replay.list, opens with replay.open
 * like a capture, and GET /api/book then answers the capture's own final book (the same levels, as
 * canonical decimals: tardis CSV carries numbers, not the venue's exact texts) and exactly the book
 * the CLI's `npm run replay -- DIR --format tardis` ends with.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { recordingsDir } from '../../../../src/main/app/replay-capability';
import { convertCaptureToTardis } from '../../../../src/main/bridges/tardis/convert';
import { replayTardis } from '../../../../src/main/bridges/tardis/replay';
import { replayCapture } from '../../../../src/main/capture/replay';
import { nullLogger } from '../../../../src/main/log';
import type { SymbolFeed } from '../../../../src/main/venues/symbol-feed';
import { startWebHost, type WebHost } from '../../../../src/main/web/server';
import type { CaptureFile, ReplayStatus } from '../../../../src/shared/contract';
import { canonicalDecimal } from '../../../../src/shared/decimal';
import { capture } from '../../../support/paths';
import { until } from '../../../support/wait';
import { fakeRenderer, get } from '../../../support/web-host';

const LEVELS = 50;
const canonical = (levels: Array<[string, string]>) => levels.map(([p, s]) => [canonicalDecimal(p), canonicalDecimal(s)]);

describe('tardis CSV replayed in the web host', () => {
  let dataDir: string;
  let services: Services;
  let host: WebHost;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'obm-tardis-web-'));
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '0', host: 'web' }, dataDir });
    host = await startWebHost({ services, logger: nullLogger, host: '127.0.0.1', port: 0, token: null, ...fakeRenderer() });
  });
  afterAll(async () => {
    await host.close();
    await services.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const [file, venue, symbol] of [
    ['binance-spot_2021-10-12.capture.jsonl', 'binance-spot', 'NKNUSDT'],
    ['kraken_2021-04-17.capture.jsonl', 'kraken', 'XBT/CHF'],
  ] as const) {
    it(`${file}: /api/book after the converted files play equals the capture's final ${symbol} book and the CLI's`, async () => {
      const folderName = file.replace('.capture.jsonl', '.tardis');
      const folder = join(recordingsDir(dataDir), folderName);
      await convertCaptureToTardis(capture(file), folder, { logger: nullLogger });
      const bookFile = readdirSync(folder).find((n) => n.includes('incremental_book_L2'))!;
      const listed = (await services.contract.invoke('replay.list', {})) as CaptureFile[];
      expect(listed.map((c) => c.name)).toContain(folderName);
      expect(listed.find((c) => c.name === folderName)!.bytes).toBeGreaterThan(0);
      expect(bookFile).toMatch(/\.csv\.gz$/);

      await services.contract.invoke('replay.open', { name: folderName, speed: 0 });
      await until(() => services.market.replayStatus().done, 30_000, 'the tardis replay to end');
      const status = (await services.contract.invoke('replay.control', { action: 'speed', speed: 0 })) as ReplayStatus;
      expect(status).toMatchObject({ done: true, error: null, corruptLines: 0 });
      expect(status.symbols).toContainEqual({ venue, symbol });

      const answer = await get(host.port, `/api/book?venue=${venue}&symbol=${encodeURIComponent(symbol)}&levels=${LEVELS}`);
      expect(answer.status).toBe(200);
      const body = JSON.parse(answer.body) as { state: string; bids: Array<[string, string]>; asks: Array<[string, string]> };
      expect(body.state).toBe('synced');

      // The capture's own final book.
      let feed: SymbolFeed | null = null;
      await replayCapture(capture(file), { onEnd: (feeds) => (feed = feeds.find((f) => f.venue === venue && f.symbol === symbol) ?? null) });
      const final = feed as SymbolFeed | null;
      expect(final).not.toBeNull();
      const captureBids = final!.book.top('bid', LEVELS).map((l): [string, string] => [l.price, l.sizeText]);
      const captureAsks = final!.book.top('ask', LEVELS).map((l): [string, string] => [l.price, l.sizeText]);
      expect(captureBids.length).toBeGreaterThan(10);
      expect(canonical(body.bids)).toEqual(canonical(captureBids));
      expect(canonical(body.asks)).toEqual(canonical(captureAsks));

      // The CLI's book from the same files, text for text.
      const cli = (await replayTardis(folder)).books.find((b) => b.venue === venue && b.symbol === symbol)!;
      expect(body.bids).toEqual(cli.book.top('bid', LEVELS).map((l) => [l.price, l.sizeText]));
      expect(body.asks).toEqual(cli.book.top('ask', LEVELS).map((l) => [l.price, l.sizeText]));

      // Trades from the trades file reached the app's trade path (health counts them).
      const health = services.market.health().symbols.find((h) => h.venue === venue && h.symbol === symbol)!;
      expect(health.trades).toBe(cli.trades);
      services.market.stopReplay();
    });
  }

  it('refuses names that are not replayable or leave the recordings folder', async () => {
    await expect(services.contract.invoke('replay.open', { name: '..', speed: 0 })).rejects.toThrow();
    await expect(services.contract.invoke('replay.open', { name: 'nothing-here.tardis', speed: 0 })).rejects.toThrow(/no capture named/);
    mkdirSync(join(recordingsDir(dataDir), 'empty-folder'), { recursive: true });
    await expect(services.contract.invoke('replay.open', { name: 'empty-folder', speed: 0 })).rejects.toThrow(/not a capture file or a tardis/);
  });
});
