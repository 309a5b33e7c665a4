/**
 * Property-based fuzzing of the web host: random bytes, random requests, random JSON and random contract
 * envelopes at the HTTP routes and the WebSocket. Whatever arrives, the host answers with a status below
 * 500 (or a protocol error on the socket) and still answers GET /api/health. Each property is bounded in
 * time so the whole file stays well under 60 s.
 */
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import { startWebHost, type WebHost } from '../../../../src/main/web/server';
import { COMMAND_NAMES, STREAM_NAMES } from '../../../../src/shared/contract-names';
import { fakeRenderer, healthStatus } from '../../../support/web-host';

/** Per property: stop adding runs after this long (runs so far must all have passed). */
const TIME_LIMIT_MS = 7000;
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_613);

/** Send bytes, half-close, and return the response head (status line and headers), or '' if the host just closed. */
function exchangeHead(port: number, bytes: string | Uint8Array, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer.split('\r\n\r\n')[0]!);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (answer.includes('\r\n\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.end(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  });
}

/** A response head must be a status below 500 that carries the no-referrer policy. */
function expectSane(head: string, what: string): void {
  if (head === '') return; // closed without a word: allowed for bytes that are not HTTP at all
  const status = Number(/^HTTP\/1\.[01] (\d{3}) /.exec(head)?.[1]);
  expect(status, `${what}\n${head}`).toBeGreaterThanOrEqual(100);
  expect(status, `${what}\n${head}`).toBeLessThan(500);
  expect(head.toLowerCase(), what).toContain('referrer-policy: no-referrer');
}

const textOf = (unit: 'grapheme' | 'binary' | 'grapheme-ascii', maxLength = 40) => fc.string({ unit, maxLength });

/** Paths a stranger might try: real routes, traversal, percent-encoding (valid or not), control characters. */
const pathArb = fc.oneof(
  fc.constantFrom('/', '/index.html', '/api/health', '/api/simulate', '/api/exports/x.csv', '/web-preload.js', '/assets/app.js', '/ws', '/%', '/..', '//x'),
  fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
  fc.array(fc.oneof(textOf('grapheme-ascii', 8), fc.constantFrom('%', '%2e', '%2f', '%00', '%E0%A4%A', '..', '%zz', '~', '?', '#', '&token=')), { maxLength: 8 }).map((parts) => `/${parts.join('/')}`),
);

const queryArb = fc.oneof(
  fc.constant(''),
  fc.webQueryParameters().map((q) => `?${q}`),
  fc
    .record({
      venue: fc.constantFrom('demo', 'binance-spot', '', 'mars', 'demo,demo'),
      symbol: fc.constantFrom('BTCUSDT', 'ETHUSDT', '', 'x'.repeat(200), 'BTC%2FUSDT'),
      side: fc.constantFrom('buy', 'sell', 'hold', ''),
      size: fc.oneof(fc.double().map(String), fc.constantFrom('1e-320', '0', '-1', '1e999', 'NaN', '', '0x10', '1,5')),
    })
    .map((q) => `?venue=${q.venue}&symbol=${q.symbol}&side=${q.side}&size=${encodeURIComponent(q.size)}`),
);

const headerArb = fc.oneof(
  fc.constantFrom('Host: 127.evil.com', 'Host: [::1]', 'Host: ', 'Origin: null', 'Cookie: obm_token=%E0%A4%A', 'Authorization: Bearer', 'Content-Length: 5', 'Transfer-Encoding: chunked', 'Upgrade: websocket', 'Connection: Upgrade'),
  fc.constantFrom('Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', `Origin: http://127.0.0.1`),
  fc
    .tuple(
      fc.constantFrom('Host', 'Origin', 'Cookie', 'Authorization', 'Referer', 'X-Forwarded-For', 'Range', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Sec-WebSocket-Protocol', 'Sec-WebSocket-Extensions'),
      textOf('binary', 60),
    )
    .map(([name, value]) => `${name}: ${value}`),
  fc.tuple(textOf('grapheme-ascii', 20), textOf('grapheme-ascii', 40)).map(([name, value]) => `${name}: ${value}`),
);

const requestArb = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH'), textOf('grapheme-ascii', 8)),
  path: pathArb,
  query: queryArb,
  headers: fc.oneof(
    fc.array(headerArb, { maxLength: 5 }),
    // A WebSocket handshake with a few random extras.
    fc.array(headerArb, { maxLength: 3 }).map((extra) => ['Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', ...extra]),
  ),
  body: fc.oneof(fc.constant(''), textOf('binary', 100)),
});

/** Contract envelopes: well formed, nearly well formed, and not at all. */
const envelopeArb = fc.oneof(
  fc.record({
    t: fc.constant('invoke'),
    id: fc.integer(),
    command: fc.oneof(fc.constantFrom(...COMMAND_NAMES), fc.constantFrom('__proto__', 'constructor', 'toString', ''), textOf('grapheme', 20)),
    payload: fc.oneof(fc.constant({}), fc.jsonValue({ maxDepth: 3 }), fc.anything({ maxDepth: 2 })),
  }),
  fc.record({
    t: fc.constant('sub'),
    id: fc.integer({ min: -5, max: 300 }),
    stream: fc.oneof(fc.constantFrom(...STREAM_NAMES), textOf('grapheme', 20)),
    params: fc.oneof(
      fc.record({ venue: fc.constantFrom('demo', 'mars'), symbol: fc.constantFrom('BTCUSDT', 'NOPE', ''), depth: fc.integer({ min: -1, max: 1000 }) }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 3 }),
    ),
  }),
  fc.record({ t: fc.constant('unsub'), id: fc.oneof(fc.integer(), fc.double()) }),
  fc.record({ t: fc.oneof(fc.constantFrom('invoke', 'sub', 'unsub'), textOf('grapheme', 8)), id: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] }),
);

/** What one WebSocket message is: an envelope as JSON, any JSON, any text, or binary. */
const wsMessageArb = fc.oneof(
  { weight: 4, arbitrary: envelopeArb.map((e) => ({ data: JSON.stringify(e) ?? 'null', binary: false })) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }).map((data) => ({ data, binary: false })) },
  { weight: 1, arbitrary: textOf('grapheme', 200).map((data) => ({ data, binary: false })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((data) => ({ data: Buffer.from(data), binary: true })) },
);

describe('web host under fuzzing', () => {
  let services: Services;
  let host: WebHost;
  let port: number;

  beforeAll(async () => {
    services = createServices({
      venues: ['demo'],
      logger: nullLogger,
      host: { name: 'fuzz', version: '1', host: 'web' },
      dataDir: mkdtempSync(join(tmpdir(), 'obm-fuzz-')),
    });
    host = await startWebHost({ services, logger: nullLogger, host: '127.0.0.1', port: 0, token: null, ...fakeRenderer() });
    port = host.port;
  });
  afterAll(async () => {
    await host?.close();
    await services?.close();
  });

  it('answers random HTTP requests with a status below 500 and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const connection = r.headers.includes('Connection: Upgrade') ? [] : ['Connection: close'];
        const head = [`${r.method} ${r.path}${r.query} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...r.headers, ...connection].join('\r\n');
        const answer = await exchangeHead(port, `${head}\r\n\r\n${r.body}`);
        expectSane(answer, `${r.method} ${r.path}${r.query}`);
      }),
      { seed: SEED, numRuns: 400, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
    expect(await healthStatus(port)).toBe(200);
  });

  it('survives random bytes on the HTTP port', async () => {
    const bytesArb = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(fc.constantFrom('GET / HTTP/1.1\r\n', 'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n', 'POST /api/health HTTP/1.1\r\n'), fc.uint8Array({ maxLength: 200 })).map(
        ([prefix, rest]) => Buffer.concat([Buffer.from(prefix), rest, Buffer.from('\r\n\r\n')]),
      ),
    );
    await fc.assert(
      fc.asyncProperty(bytesArb, async (bytes) => {
        expectSane(await exchangeHead(port, bytes), `bytes ${Buffer.from(bytes).toString('hex').slice(0, 80)}`);
      }),
      { seed: SEED, numRuns: 300, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
    expect(await healthStatus(port)).toBe(200);
  });

  it('answers random WebSocket messages with a reply or a protocol error, and keeps serving', async () => {
    interface Window {
      socket: WebSocket;
      /** Resolvers of results awaited on this socket, by request id; a close resolves them all with 'closed'. */
      replies: Map<number, (value: unknown) => void>;
      closeCode: number | null;
    }
    const open = async (): Promise<Window> => {
      const window: Window = { socket: new WebSocket(`ws://127.0.0.1:${port}/ws`), replies: new Map(), closeCode: null };
      window.socket.on('error', () => {});
      window.socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { t: string; id?: number };
        if (message.t === 'result' && message.id !== undefined) window.replies.get(message.id)?.(message);
      });
      window.socket.on('close', (code) => {
        window.closeCode = code;
        for (const resolve of window.replies.values()) resolve('closed');
      });
      await new Promise<void>((resolve, reject) => {
        window.socket.once('open', () => resolve());
        window.socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      });
      return window;
    };
    const ask = (window: Window, id: number): Promise<unknown> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve('no answer'), 3000);
        window.replies.set(id, (value) => {
          clearTimeout(timer);
          resolve(value);
        });
        if (window.socket.readyState === WebSocket.OPEN) window.socket.send(JSON.stringify({ t: 'invoke', id, command: 'app.info', payload: {} }));
        else window.replies.get(id)!('closed');
      });

    let current: Window | null = null;
    let probeId = -1_000_000;
    try {
      await fc.assert(
        fc.asyncProperty(wsMessageArb, async (message) => {
          if (!current || current.socket.readyState !== WebSocket.OPEN) current = await open();
          const window = current;
          // Send the message, then a probe: the probe's answer (or a close) proves the message was dealt with.
          window.socket.send(message.data, { binary: message.binary });
          const id = probeId--;
          const outcome = await ask(window, id);
          window.replies.delete(id);
          expect(outcome, `after ${String(message.data).slice(0, 120)}`).not.toBe('no answer');
          if (outcome === 'closed') {
            // A protocol error, never an internal one (1011) or an abnormal drop (1006).
            expect([1003, 1007, 1008, 1009], `close after ${String(message.data).slice(0, 120)}`).toContain(window.closeCode);
          }
        }),
        { seed: SEED, numRuns: 1500, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
      );
    } finally {
      (current as Window | null)?.socket.terminate();
    }
    expect(await healthStatus(port)).toBe(200);
    // The host still serves a well-behaved window.
    const check = await open();
    expect(await ask(check, 1)).toEqual({ t: 'result', id: 1, ok: true, value: { name: 'fuzz', version: '1', host: 'web' } });
    check.socket.terminate();
  });
});
