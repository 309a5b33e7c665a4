import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import { startWebHost, type WebHost } from '../../../../src/main/web/server';
import type { ExportJobInfo, ServerMessage } from '../../../../src/shared/contract';
import { createContractClient } from '../../../../src/shared/contract-client';
import { CSV_HEADER } from '../../../../src/main/store/worker/csv-export';
import type { DepthSnapshot } from '../../../../src/main/store/client/depth-export';
import { capture } from '../../../support/paths';

const dir = mkdtempSync(join(tmpdir(), 'obm-store-cap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until<T>(get: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out; last: ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function get(port: number, path: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function fakeRenderer(): { rendererDir: string; webPreloadFile: string } {
  const root = mkdtempSync(join(tmpdir(), 'obm-store-cap-web-'));
  mkdirSync(join(root, 'renderer'), { recursive: true });
  writeFileSync(join(root, 'renderer', 'index.html'), '<html><head></head><body></body></html>');
  writeFileSync(join(root, 'web-preload.js'), '');
  return { rendererDir: join(root, 'renderer'), webPreloadFile: join(root, 'web-preload.js') };
}

describe('store capability (demo venue, web host)', () => {
  let services: Services | undefined;
  let host: WebHost | undefined;
  afterEach(async () => {
    await host?.close();
    await services?.close();
  });

  function connect(s: Services) {
    const client = createContractClient({ send: (m) => conn.handle(JSON.parse(JSON.stringify(m))) });
    const conn = s.contract.connect({ send: (m) => client.receive(JSON.parse(JSON.stringify(m)) as ServerMessage) });
    return client.api;
  }

  it('records the live book, answers named queries, exports CSV with progress and serves it behind the token', async () => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, dataDir: join(dir, 'data'), tickMs: 50 });
    const api = connect(services);
    const frames: Array<{ state: string }> = [];
    const stop = api.subscribe('book.ladder', { venue: 'demo', symbol: 'ETHUSDT', depth: 5 }, (f) => frames.push(f));
    await until(() => frames.some((f) => f.state === 'synced'), Boolean);

    // Top of book lands in the database through the worker; the renderer reads it by name, never SQL.
    const range = await until(
      () => api.invoke('store.topOfBook', { venue: 'demo', symbol: 'ETHUSDT', from: 0, to: Date.now() + 60_000 }),
      (r) => r.rows.length >= 10,
    );
    for (const r of range.rows) {
      expect(Number(r.bid)).toBeLessThan(Number(r.ask));
      expect(r.bid).toMatch(/^\d+(\.\d+)?$/);
    }
    const history = await api.invoke('store.feedHistory', { venue: 'demo', symbol: 'ETHUSDT' });
    expect(history.map((h) => h.kind)).toContain('connected');
    const status = await api.invoke('store.status.get', {});
    expect(status.state).toBe('ok');
    expect(status.path).toBe(join(dir, 'data', 'store.db'));
    expect(status.rows.topOfBook).toBeGreaterThanOrEqual(10);

    // Alerts: analytics hands lifecycle steps to store.recordAlert; the list shows the latest state and every step.
    const store = services.store!;
    store.recordAlert({ id: 'wall-1', venue: 'demo', symbol: 'ETHUSDT', kind: 'wall', severity: 'warning', phase: 'raised', ts: 1000, message: 'bid wall 250 ETH at 3000.00', evidence: { price: '3000.00', size: '250' } });
    store.recordAlert({ id: 'wall-1', venue: 'demo', symbol: 'ETHUSDT', kind: 'wall', severity: 'critical', phase: 'updated', ts: 2000, message: 'bid wall 400 ETH at 3000.00', evidence: { price: '3000.00', size: '400' } });
    store.recordAlert({ id: 'wall-1', venue: 'demo', symbol: 'ETHUSDT', kind: 'wall', severity: 'critical', phase: 'cleared', ts: 3000, message: 'bid wall gone', evidence: { price: '3000.00', size: '0' } });
    await store.flush();
    const [alert] = await api.invoke('store.alerts', { venue: 'demo', symbol: 'ETHUSDT' });
    expect(alert).toMatchObject({ id: 'wall-1', state: 'cleared', severity: 'critical', raisedTs: 1000, updatedTs: 3000, clearedTs: 3000, evidence: { size: '0' } });
    expect(alert!.steps.map((s) => [s.phase, s.ts, (s.evidence as { size: string }).size])).toEqual([
      ['raised', 1000, '250'],
      ['updated', 2000, '400'],
      ['cleared', 3000, '0'],
    ]);
    expect(await api.invoke('store.alerts', { activeOnly: true })).toEqual([]);

    // Payloads are validated at the boundary.
    await expect(api.invoke('store.retention.set', { days: 0, maxMegabytes: null })).rejects.toThrow(/days/);
    await expect(api.invoke('store.topOfBook', { venue: 'demo', symbol: 'ETHUSDT', from: 10, to: 5 })).rejects.toThrow(/from must be before to/);
    expect(await api.invoke('store.retention.set', { days: 7, maxMegabytes: 1024 })).toEqual({ days: 7, maxBytes: 1024 * 1024 * 1024 });

    stop();
    // CSV export from the app, with progress frames, then downloaded from the web host.
    const job = await api.invoke('export.csv.start', { venue: 'demo', symbol: 'ETHUSDT' });
    expect(job.state).toBe('running');
    const progress: ExportJobInfo[] = [];
    const unsubscribe = api.subscribe('export.progress', { exportId: job.id }, (f) => progress.push(f));
    const done = await until(() => progress.at(-1), (p) => p?.state === 'done' || p?.state === 'failed');
    unsubscribe();
    expect(done!.error).toBeNull();
    expect(done!.rows).toBeGreaterThanOrEqual(10);
    expect(done!.downloadUrl).toBe(`/api/exports/${done!.name}`);

    host = await startWebHost({ services, logger: nullLogger, host: '127.0.0.1', port: 0, token: 'tok3n-0123456789abc', ...fakeRenderer() });
    expect((await get(host.port, done!.downloadUrl!)).status).toBe(401);
    const download = await get(host.port, `${done!.downloadUrl!}?token=tok3n-0123456789abc`);
    expect(download.status).toBe(200);
    expect(String(download.headers['content-disposition'])).toBe(`attachment; filename="${done!.name}"`);
    expect(download.body).toBe(readFileSync(done!.file, 'utf8'));
    const lines = download.body.trim().split('\n');
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines).toHaveLength(done!.rows + 1);
    expect((await get(host.port, '/api/exports/..%2Fstore.db?token=tok3n-0123456789abc')).status).toBe(404);
    expect((await get(host.port, '/api/exports/store.db?token=tok3n-0123456789abc')).status).toBe(404);
    expect((await get(host.port, '/api/exports/nothing-here.csv?token=tok3n-0123456789abc')).status).toBe(404);
  });

  it('writes a depth snapshot of the live book as JSON, atomically, and refuses a book that is not streaming', async () => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'electron' }, dataDir: join(dir, 'depth'), tickMs: 50 });
    const api = connect(services);
    await expect(api.invoke('export.depth', { venue: 'demo', symbol: 'SOLUSDT' })).rejects.toThrow(/not streaming/);
    const frames: Array<{ state: string }> = [];
    const stop = api.subscribe('book.ladder', { venue: 'demo', symbol: 'SOLUSDT', depth: 5 }, (f) => frames.push(f));
    await until(() => frames.some((f) => f.state === 'synced'), Boolean);
    const written = await api.invoke('export.depth', { venue: 'demo', symbol: 'SOLUSDT' });
    stop();
    expect(written.downloadUrl).toBeNull(); // desktop: the lead's save dialog copies the file
    const snapshot = JSON.parse(readFileSync(written.file, 'utf8')) as DepthSnapshot;
    expect(snapshot).toMatchObject({ venue: 'demo', symbol: 'SOLUSDT', state: 'synced', levels: 40 });
    expect(snapshot.bids).toHaveLength(40);
    expect(snapshot.asks).toHaveLength(40);
    expect(written.bids).toBe(40);
    const bids = snapshot.bids.map(([p]) => Number(p));
    const asks = snapshot.asks.map(([p]) => Number(p));
    expect(bids).toEqual([...bids].sort((a, b) => b - a));
    expect(asks).toEqual([...asks].sort((a, b) => a - b));
    expect(bids[0]!).toBeLessThan(asks[0]!);
    expect(snapshot.bidLevels).toBeGreaterThanOrEqual(40);
    // Written through a temporary file and renamed: only the finished file is left.
    expect(readdirSync(dirname(written.file))).toEqual([written.name]);
  });
  it('does not record a capture replayed in the app as live data', async () => {
    const dataDir = join(dir, 'replay');
    mkdirSync(join(dataDir, 'recordings'), { recursive: true });
    copyFileSync(capture('binance-spot_2021-10-12.capture.jsonl'), join(dataDir, 'recordings', 'spot.capture.jsonl'));
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, dataDir, tickMs: 50 });
    const api = connect(services);
    const s = services;
    await api.invoke('replay.open', { name: 'spot.capture.jsonl', speed: 0 });
    await until(() => s.market.replayStatus().done, Boolean);
    await s.store!.flush();
    const replayed = await api.invoke('store.topOfBook', { venue: 'binance-spot', symbol: 'NKNUSDT', from: 0, to: Date.now() + 60_000 });
    expect(replayed.rows).toEqual([]);
    const history = await api.invoke('store.feedHistory', { venue: 'binance-spot' });
    expect(history).toEqual([]);
  });
});
