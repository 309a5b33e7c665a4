import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replayCapture } from '../../src/main/capture/replay';
import { Recorder } from '../../src/main/capture/recorder';
import { nullLogger } from '../../src/main/log';
import { LiveTransport } from '../../src/main/venues/live-transport';
import { canonicalDecimal } from '../../src/shared/decimal';
import { FakeBinanceExchange } from '../fakes/binance-exchange';
import { until } from '../support/wait';

describe('recording', () => {
  let fake: FakeBinanceExchange;
  afterEach(async () => fake?.stop());

  it('records live traffic that replays to the same books, through a gap and a reconnect', async () => {
    fake = new FakeBinanceExchange({ stepMs: 15 });
    await fake.start();
    const path = join(mkdtempSync(join(tmpdir(), 'obm-rec-')), 'fake.capture.jsonl.gz');
    const recorder = new Recorder({
      venue: 'binance-spot',
      symbols: ['BTCUSDT', 'ETHUSDT'],
      path,
      transport: new LiveTransport(),
      logger: nullLogger,
      endpoints: fake.endpoints,
    });
    const feedsSynced = () => [...recorder.feeds()].every((f) => f.state === 'synced');
    await until(feedsSynced);
    await new Promise((r) => setTimeout(r, 300));
    fake.injectGap(4);
    await until(() => [...recorder.feeds()].some((f) => f.health.gaps > 0));
    await until(feedsSynced);
    fake.dropConnections();
    await until(() => [...recorder.feeds()].some((f) => f.health.reconnects > 0) && feedsSynced(), 15_000);
    await new Promise((r) => setTimeout(r, 300));
    fake.pause();
    await new Promise((r) => setTimeout(r, 300));
    const live = [...recorder.feeds()].map((f) => ({
      symbol: f.symbol,
      bids: [...f.book.levels('bid')].map((l) => [canonicalDecimal(l.price), l.sizeText]),
      asks: [...f.book.levels('ask')].map((l) => [canonicalDecimal(l.price), l.sizeText]),
    }));
    const status = await recorder.stop();
    expect(status.error).toBeNull();
    expect(status.lines).toBeGreaterThan(50);

    const replayed: typeof live = [];
    const result = await replayCapture(path, {
      onEnd: (feeds) => {
        for (const f of feeds) {
          replayed.push({
            symbol: f.symbol,
            bids: [...f.book.levels('bid')].map((l) => [canonicalDecimal(l.price), l.sizeText]),
            asks: [...f.book.levels('ask')].map((l) => [canonicalDecimal(l.price), l.sizeText]),
          });
        }
      },
    });
    expect(result.corruptLines.count).toBe(0);
    // The injected gap hit both symbols once, and the replay sees it exactly as the live feed did.
    expect(result.verify.gaps).toBe(2);
    expect(result.verify.bboFailed).toBe(0);
    for (const b of result.books) expect(b.state).toBe('synced');
    expect(replayed.sort((x, y) => x.symbol.localeCompare(y.symbol))).toEqual(live.sort((x, y) => x.symbol.localeCompare(y.symbol)));
    // And both equal the exchange's own book.
    for (const l of live) {
      const truth = fake.market.trueBook(l.symbol)!;
      expect(l.bids.map((x) => x[0])).toEqual(truth.bids.map((x) => canonicalDecimal(x[0])));
    }
  });
});
