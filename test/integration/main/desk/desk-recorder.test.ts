/**
 * The desk's recorder cannot lose or double a row: real captures published through the collector,
 * the recorder killed (SIGKILL) mid-stream and started again ends with exactly the top-of-book rows and
 * trades the collector published, each once, equal to what a local replay records; a malformed
 * message is counted and skipped.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { replayCapture } from '../../../../src/main/capture/replay';
import { subjectOf } from '../../../../src/main/desk/subjects';
import { collectCapture, startCli, type Running } from '../../../support/desk';
import { startNatsServer, type NatsCluster } from '../../../support/nats-server';
import { capture } from '../../../support/paths';
import { until } from '../../../support/wait';

const files = ['coinbase_2021-04-17.capture.jsonl', 'okx_2022-05-13.capture.jsonl'];

function lastReport(r: Running): { top: number; trades: number; skipped: number; malformed: number } | null {
  const lines = r.stdout().trim().split('\n').filter((l) => l.startsWith('{'));
  return lines.length ? JSON.parse(lines.at(-1)!).recorded : null;
}

describe('desk recorder: killed and restarted mid-stream', () => {
  let server: NatsCluster;
  const published = { top: 0, trade: 0 };
  const expected = { top: 0, trades: 0 };
  beforeAll(async () => {
    server = await startNatsServer();
    for (const file of files) {
      const summary = await collectCapture(server.urls, capture(file));
      published.top += summary.published.top!;
      published.trade += summary.published.trade!;
      const replay = await replayCapture(capture(file));
      expected.top += replay.topOfBookChanges;
      expected.trades += replay.books.reduce((n, b) => n + b.trades, 0);
    }
  }, 120_000);
  afterAll(async () => server?.stop());

  it('ends with exactly the published rows, none lost, none twice', async () => {
    // The collector published what a local replay records.
    expect(published.top).toBe(expected.top);
    expect(published.top).toBeGreaterThan(1500);
    const dataDir = mkdtempSync(join(tmpdir(), 'obm-desk-recorder-'));
    const args = ['--nats', server.urls, '--data', dataDir, '--batch', '50', '--report-every', '20'];
    const first = startCli('desk-recorder.ts', args);
    await until(() => (lastReport(first)?.top ?? 0) > 300, 30_000, 'the first recorder to record some rows');
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.code).toBeNull();
    const recordedBefore = lastReport(first)!.top;
    expect(recordedBefore).toBeLessThan(published.top);

    // A malformed top-of-book message after everything the collectors published: counted and skipped.
    const nc = await connect({ servers: server.urls });
    await jetstream(nc).publish(subjectOf('okx', 'BTC-USDT', 'top'), new TextEncoder().encode('{"run":"r","seq":"one"}'));
    await nc.close();

    const second = startCli('desk-recorder.ts', args);
    const db = () => new Database(join(dataDir, 'store.db'), { readonly: true });
    const count = (table: string): number => {
      const d = db();
      try {
        return (d.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      } finally {
        d.close();
      }
    };
    await until(() => count('top_of_book') >= published.top && count('trades') >= published.trade, 60_000, 'every row recorded');
    await new Promise((r) => setTimeout(r, 500));
    second.child.kill('SIGTERM');
    const stopped = await second.done;
    expect(stopped.code).toBe(0);
    expect(lastReport(second)!.malformed).toBe(1);
    expect(count('top_of_book')).toBe(published.top);
    expect(count('trades')).toBe(published.trade);
    // The rows are the collector's, each once: no (instrument, time, prices) twice beyond what the data has.
    const d = db();
    const distinct = (d.prepare('SELECT count(*) AS n FROM (SELECT DISTINCT instrument_id, local_ts, bid, bid_size, ask, ask_size FROM top_of_book)').get() as { n: number }).n;
    const instruments = (d.prepare('SELECT venue || \':\' || symbol AS k FROM instruments ORDER BY k').all() as { k: string }[]).map((r) => r.k);
    d.close();
    expect(distinct).toBe(published.top);
    expect(instruments).toContain('coinbase:SKL-USD');
    expect(instruments).toContain('okx:BTC-USDT');
  }, 120_000);
});
