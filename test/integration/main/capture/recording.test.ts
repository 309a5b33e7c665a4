import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../src/main/capture/replay';
import { Recorder } from '../../../../src/main/capture/recorder';
import { nullLogger } from '../../../../src/main/log';
import { LiveTransport } from '../../../../src/main/venues/live-transport';
import { canonicalDecimal } from '../../../../src/shared/decimal';
import { FakeBinanceExchange } from '../../../fakes/binance-exchange';
import { repoRoot } from '../../../support/paths';
import { until } from '../../../support/wait';

interface RecordSummary {
  path: string | null;
  recorded: Array<{ symbol: string; frames: number }>;
  notRecorded: Array<{ symbol: string; reason: string }>;
  connections?: { attempted: number; opened: number; failed: number; lastError: string | null };
  error: string | null;
}

function record(args: string[]): { status: number | null; summary: RecordSummary; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/record.ts', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, summary: JSON.parse(run.stdout.trim().split('\n').at(-1)!) as RecordSummary, stderr: run.stderr };
}

/** A loopback port nothing listens on: bind one, then let it go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

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

  it('npm run record says which symbols the venue does not list, records the rest, and exits 1 when it lists none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obm-rec-'));
    const some = record(['--venue', 'demo', '--symbols', 'btcusdt,NOPEUSDT', '--duration', '1.5', '--out', join(dir, 'demo.capture.jsonl')]);
    expect(some.status, some.stderr).toBe(0);
    expect(some.summary.notRecorded).toEqual([{ symbol: 'NOPEUSDT', reason: 'not listed by demo' }]);
    // Recorded in the venue's spelling, whatever case was typed.
    expect(some.summary.recorded.map((r) => r.symbol)).toEqual(['BTCUSDT']);
    expect(some.summary.recorded[0]!.frames).toBeGreaterThan(0);
    expect(some.stderr).toContain('record: not recording NOPEUSDT: not listed by demo');

    const none = record(['--venue', 'demo', '--symbols', 'NOPEUSDT,NADAUSDT', '--duration', '1', '--out', join(dir, 'none.capture.jsonl')]);
    expect(none.status).toBe(1);
    expect(none.summary.error).toBe('nothing to record: demo lists none of NOPEUSDT, NADAUSDT');
    expect(none.summary.notRecorded.map((n) => n.symbol)).toEqual(['NOPEUSDT', 'NADAUSDT']);
    expect(existsSync(join(dir, 'none.capture.jsonl'))).toBe(false);
  }, 60_000);

  it('npm run record reports refused connections and exits 1 when nothing was recorded', async () => {
    const port = await closedPort();
    const dir = mkdtempSync(join(tmpdir(), 'obm-rec-'));
    const out = join(dir, 'refused.capture.jsonl');
    const run = record(['--venue', 'binance-spot', '--symbols', 'BTCUSDT', '--duration', '2', '--out', out, '--endpoint', `binance-spot=ws://127.0.0.1:${port},http://127.0.0.1:${port}`]);
    expect(run.status).toBe(1);
    expect(run.summary.error).toBe('nothing was recorded');
    expect(run.summary.recorded).toEqual([]);
    expect(run.summary.connections!.opened).toBe(0);
    expect(run.summary.connections!.failed).toBeGreaterThan(0);
    expect(run.summary.notRecorded).toEqual([{ symbol: 'BTCUSDT', reason: expect.stringMatching(/^no data: \d+ connections? tried, none opened \(.*ECONNREFUSED.*\)$/) }]);

    // And an existing file is not replaced without --force.
    const again = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/record.ts', '--venue', 'demo', '--symbols', 'BTCUSDT', '--out', out], { cwd: repoRoot, encoding: 'utf8' });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(`--out ${out} already exists; pass --force to replace it`);
  }, 60_000);
});
