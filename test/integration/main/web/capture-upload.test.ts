import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { convertCaptureToTardis } from '../../../../src/main/bridges/tardis/convert';
import { nullLogger } from '../../../../src/main/log';
import { receiveCaptureUpload, sanitizeCaptureStem } from '../../../../src/main/web/capture-upload';
import { startWebHost, type WebHost } from '../../../../src/main/web/server';
import { capture } from '../../../support/paths';
import { until } from '../../../support/wait';
import { fakeRenderer } from '../../../support/web-host';

/** POST a body to the host, with the given headers; resolves with status and JSON body. */
function post(port: number, path: string, body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          parsed = { text };
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    // The host may answer and close before the whole body is sent (a refused upload).
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    req.end(body);
  });
}

describe('capture upload (POST /api/recordings)', () => {
  let services: Services | null = null;
  let host: WebHost | null = null;
  let okx: Buffer;
  beforeAll(() => {
    okx = readFileSync(capture('okx_2022-05-13.capture.jsonl'));
  });
  afterEach(async () => {
    await host?.close();
    await services?.close();
    host = null;
    services = null;
  });

  async function start() {
    const dataDir = mkdtempSync(join(tmpdir(), 'obm-upload-'));
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, dataDir });
    host = await startWebHost({ services, logger: nullLogger, host: '127.0.0.1', port: 0, token: null, ...fakeRenderer() });
    return { port: host.port, dir: join(dataDir, 'recordings'), services };
  }

  const leftovers = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('.upload-')) : []);

  it('keeps a capture under a sanitised name, by content (plain or gzip), and it replays', async () => {
    const { port, dir, services: s } = await start();
    const plain = await post(port, '/api/recordings', okx, { 'x-capture-name': encodeURIComponent('../../My OKX day!.jsonl') });
    expect(plain).toEqual({ status: 201, body: { name: 'My-OKX-day.capture.jsonl', bytes: okx.length } });
    expect(readFileSync(join(dir, 'My-OKX-day.capture.jsonl')).equals(okx)).toBe(true);
    // Gzip by its bytes, whatever the name says; a taken name gets a number.
    const gz = await post(port, '/api/recordings', gzipSync(okx), { 'x-capture-name': 'My%20OKX%20day.txt' });
    expect(gz.status).toBe(201);
    expect(gz.body.name).toBe('My-OKX-day.capture.jsonl.gz');
    const again = await post(port, '/api/recordings', okx, { 'x-capture-name': 'My-OKX-day.capture.jsonl' });
    expect(again.body.name).toBe('My-OKX-day-2.capture.jsonl');
    expect((await s.contract.invoke('replay.list', {})) as Array<{ name: string }>).toHaveLength(3);
    await s.contract.invoke('replay.open', { name: 'My-OKX-day.capture.jsonl.gz', speed: 0 });
    await until(() => s.market.replayStatus().done, 15_000, 'the uploaded replay');
    expect(s.market.replayStatus().messages).toBeGreaterThan(0);
    expect(leftovers(dir)).toEqual([]);
  });

  it('files a tardis.dev book and trades CSV pair in one folder that replays as one', async () => {
    const { port, dir, services: s } = await start();
    const converted = mkdtempSync(join(tmpdir(), 'obm-upload-tardis-'));
    const result = await convertCaptureToTardis(capture('binance-spot_2021-10-12.capture.jsonl'), converted, { logger: nullLogger });
    const book = result.books.find((b) => b.symbol === 'NKNUSDT' && b.tradesFile)!;
    const names = [book.bookFile, book.tradesFile!].map((f) => f.split('/').pop()!);
    expect(names[0]).toBe('binance_incremental_book_L2_2021-10-12_NKNUSDT.csv.gz');
    const answers = [];
    for (const name of names) answers.push(await post(port, '/api/recordings', readFileSync(join(converted, name)), { 'x-capture-name': encodeURIComponent(name) }));
    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    expect(answers.map((a) => a.body.name)).toEqual(['binance_2021-10-12_NKNUSDT.tardis', 'binance_2021-10-12_NKNUSDT.tardis']);
    expect(readdirSync(join(dir, 'binance_2021-10-12_NKNUSDT.tardis')).sort()).toEqual([...names].sort());
    // A plain (not gzip) CSV is told by its header too.
    const plain = await post(port, '/api/recordings', gunzipSync(readFileSync(join(converted, names[1]!))), { 'x-capture-name': 'nkn.csv' });
    expect(plain).toMatchObject({ status: 201, body: { name: 'nkn.tardis' } });
    expect(readdirSync(join(dir, 'nkn.tardis'))).toEqual(['trades_nkn.csv']);

    await s.contract.invoke('replay.open', { name: 'binance_2021-10-12_NKNUSDT.tardis', speed: 0 });
    await until(() => s.market.replayStatus().done, 15_000, 'the uploaded tardis replay');
    const health = s.market.health().symbols.find((h) => h.venue === 'binance-spot' && h.symbol === 'NKNUSDT')!;
    expect(health.trades).toBe(book.tradeRows);
    expect(health.trades).toBeGreaterThan(0);
    expect(leftovers(dir)).toEqual([]);
    rmSync(converted, { recursive: true, force: true });
  });

  it('refuses a bad or missing name', async () => {
    const { port, dir } = await start();
    for (const name of ['..', '%2F..%2F', '...gz', encodeURIComponent('///')]) {
      const res = await post(port, '/api/recordings', okx, { 'x-capture-name': name });
      expect(res.status, name).toBe(400);
      expect(String(res.body.error)).toMatch(/not a usable file name/);
    }
    expect((await post(port, '/api/recordings', okx, {})).body.error).toMatch(/file name is missing/);
    expect((await post(port, '/api/recordings', okx, { 'x-capture-name': '%E0%A4%A' })).status).toBe(400);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('refuses what is not a capture, and keeps nothing of it', async () => {
    const { port, dir } = await start();
    const cases: Array<[string, Buffer | string, RegExp]> = [
      ['notes.txt', 'hello, this is not a capture\n', /neither gzip nor JSON lines/],
      ['other.jsonl', '{"time": 1, "msg": "a log line"}\n', /first line is not a capture line \(missing numeric "ts"/],
      ['empty.jsonl', '', /empty/],
      ['broken.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]), /gzip/],
      ['zipped-text.gz', gzipSync('not json at all\n'), /not a capture line/],
    ];
    for (const [name, body, message] of cases) {
      const res = await post(port, '/api/recordings', typeof body === 'string' ? Buffer.from(body) : body, { 'x-capture-name': name });
      expect(res.status, name).toBe(415);
      expect(String(res.body.error), name).toMatch(message);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a file over the size limit, from its declared length or as it streams', async () => {
    const { port, dir } = await start();
    // Declares 300 MB (sends only a little): refused before anything is written.
    const declared = await post(port, '/api/recordings', okx.subarray(0, 1000), { 'x-capture-name': 'big.jsonl', 'content-length': String(300 * 1024 * 1024) });
    expect(declared.status).toBe(413);
    expect(String(declared.body.error)).toMatch(/300 MB; captures up to 256 MB/);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);

    // Streamed without a length: counted as it arrives (a small limit stands in for 256 MB).
    const body = new PassThrough();
    const req = Object.assign(body, { headers: { 'x-capture-name': 'streamed.jsonl' } }) as unknown as IncomingMessage;
    const answer = receiveCaptureUpload(req, dir, 10_000);
    body.write(okx.subarray(0, 6000));
    body.write(okx.subarray(6000, 12_000));
    const result = await answer;
    expect(result.status).toBe(413);
    expect(leftovers(dir)).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses an upload from another site', async () => {
    const { port } = await start();
    const res = await post(port, '/api/recordings', okx, { 'x-capture-name': 'x.jsonl', origin: 'http://evil.example' });
    expect(res.status).toBe(403);
  });
});

describe('sanitizeCaptureStem', () => {
  it('keeps the last path segment, safe characters and no capture suffixes', () => {
    expect(sanitizeCaptureStem('C:\\Users\\me\\okx_2022-05-13.capture.jsonl.gz')).toBe('okx_2022-05-13');
    expect(sanitizeCaptureStem('a b/c d é.json')).toBe('c-d');
    expect(sanitizeCaptureStem('.hidden.capture.jsonl')).toBe('hidden');
    expect(sanitizeCaptureStem('x'.repeat(300))).toHaveLength(100);
    expect(sanitizeCaptureStem('../..')).toBeNull();
  });
});
