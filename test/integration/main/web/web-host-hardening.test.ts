/**
 * Requests that once killed or fooled the web host. Each is answered with a 4xx and the host keeps
 * serving: every test ends by asking GET /api/health.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import { checkToken, isLoopback, isLoopbackHost, originMatchesHost, startWebHost, type WebHost } from '../../../../src/main/web/server';
import { fakeRenderer, get, healthStatus, rawExchange } from '../../../support/web-host';

const TOKEN = 'test-token-0123456789';

function wsAnswer(url: string, headers: Record<string, string> = {}): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const timer = setTimeout(() => reject(new Error(`no answer to the upgrade of ${url}`)), 3000);
    ws.on('open', () => {
      clearTimeout(timer);
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      resolve(res.statusCode ?? 0);
    });
    ws.on('error', () => {});
  });
}

describe('web host: malformed and hostile requests', () => {
  let services: Services;
  let host: WebHost | undefined;
  afterEach(async () => {
    await host?.close();
    host = undefined;
    services?.close();
  });

  const start = async (bind: string, token: string | null): Promise<WebHost> => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' } });
    host = await startWebHost({ services, logger: nullLogger, host: bind, port: 0, token, ...fakeRenderer() });
    return host;
  };

  it('answers a path that is not valid percent-encoding with 400 (GET /% used to kill the process)', async () => {
    const { port } = await start('127.0.0.1', null);
    for (const path of ['/%', '/%E0%A4%A', '/assets/%zz', '/%00', '/assets/%00.js']) {
      const res = await get(port, path);
      expect(res.status, path).toBe(400);
    }
    expect(await healthStatus(port)).toBe(200);
  });

  it('answers request targets that are not a path (absolute form, asterisk, garbage) with 400', async () => {
    const { port } = await start('127.0.0.1', null);
    for (const target of ['http://[', 'http://127.0.0.1:1/api/health', '*', 'api/health']) {
      const answer = await rawExchange(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
      expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
    }
    expect(await healthStatus(port)).toBe(200);
  });

  it('refuses a WebSocket upgrade with Origin: null or an unparsable Origin (new URL("null") used to throw)', async () => {
    const { port } = await start('127.0.0.1', null);
    for (const origin of ['null', 'not a url', 'http://', `file:///x`, `http://127.0.0.1:${port}/path`]) {
      expect(await wsAnswer(`ws://127.0.0.1:${port}/ws`, { origin }), origin).toBe(403);
    }
    expect(await wsAnswer(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}` })).toBe('open');
    expect(await healthStatus(port)).toBe(200);
  });

  it('treats a cookie that is not valid percent-encoding as no cookie (it used to throw before authorisation)', async () => {
    const { port } = await start('0.0.0.0', TOKEN);
    expect((await get(port, '/api/health', { cookie: 'obm_token=%E0%A4%A' })).status).toBe(401);
    expect((await get(port, '/api/health', { cookie: `junk=%E0%A4%A; obm_token=${TOKEN}` })).status).toBe(200);
    expect(await wsAnswer(`ws://127.0.0.1:${port}/ws`, { cookie: 'obm_token=%E0%A4%A' })).toBe(401);
    expect(await healthStatus(port, { authorization: `Bearer ${TOKEN}` })).toBe(200);
  });

  it('serves without a token only to the exact loopback names with its own port (no 127.evil.com)', async () => {
    const { port } = await start('127.0.0.1', null);
    for (const name of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LocalHost:${port}`]) {
      expect(await healthStatus(port, { host: name }), name).toBe(200);
    }
    for (const name of [
      `127.evil.com:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `localhost.:${port}`,
      `localhost.evil.invalid:${port}`,
      `127.0.0.2:${port}`,
      `127.1:${port}`,
      `[::1]x:${port}`,
      `127.0.0.1:${port + 1}`,
      `127.0.0.1:0${port}`,
      'localhost',
      `localhost:${port}@evil.invalid`,
    ]) {
      expect(await healthStatus(port, { host: name }), name).toBe(403);
    }
    // No Host at all (HTTP/1.0), and an empty one: the Node client would fill these in, so send raw bytes.
    expect(await rawExchange(port, 'GET /api/health HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 403 /);
    expect(await rawExchange(port, 'GET /api/health HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 403 /);
    // The DNS-rebinding path: a page on 127.evil.com whose Origin matches its Host.
    const evil = `127.evil.com:${port}`;
    expect(await wsAnswer(`ws://127.0.0.1:${port}/ws`, { host: evil, origin: `http://${evil}` })).toBe(403);
    expect(await healthStatus(port)).toBe(200);
  });

  it('decides loopback and origin by exact parse', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('127.evil.com')).toBe(false);
    expect(isLoopback('127.0.0.2')).toBe(false);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('127.0.0.1:5178', 5178)).toBe(true);
    expect(isLoopbackHost('127.0.0.1:5178', 5179)).toBe(false);
    expect(isLoopbackHost('127.0.0.1', 80)).toBe(true);
    expect(isLoopbackHost(undefined, 5178)).toBe(false);
    expect(originMatchesHost('http://localhost:5178', 'localhost:5178')).toBe(true);
    expect(originMatchesHost('https://monitor.example', 'monitor.example')).toBe(true);
    expect(originMatchesHost('http://monitor.example', 'monitor.example:80')).toBe(true);
    expect(originMatchesHost('http://localhost:5178', 'localhost:5179')).toBe(false);
    expect(originMatchesHost('http://127.1:5178', '127.0.0.1:5178')).toBe(false);
    expect(originMatchesHost('null', 'localhost:5178')).toBe(false);
    expect(originMatchesHost('http://evil.invalid', 'localhost:5178')).toBe(false);
  });

  it('refuses a token shorter than 16 characters (or with spaces or control characters) at start', async () => {
    expect(checkToken('a')).toMatch(/at least 16 characters/);
    expect(checkToken('fifteen-chars-x')).toMatch(/at least 16 characters/);
    expect(checkToken('sixteen chars xx')).toMatch(/printable ASCII/);
    expect(checkToken('sixteen-chars-xx')).toBeNull();
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' } });
    await expect(startWebHost({ services, logger: nullLogger, host: '0.0.0.0', port: 0, token: 'a', ...fakeRenderer() })).rejects.toThrow(
      /token \(--token or ORDERBOOK_TOKEN\) must be at least 16 characters, got 1/,
    );
    await expect(startWebHost({ services, logger: nullLogger, host: '127.0.0.1', port: 0, token: 'short', ...fakeRenderer() })).rejects.toThrow(
      /at least 16 characters/,
    );
  });

  it('accepts a token with URL-special characters by query, cookie and bearer', async () => {
    const token = 'a+b/c=d&e%f;g,h"i';
    const { port, url } = await start('0.0.0.0', token);
    expect(url).toContain(`token=${encodeURIComponent(token)}`);
    const index = await get(port, `/?token=${encodeURIComponent(token)}`);
    expect(index.status).toBe(200);
    const cookie = String(index.headers['set-cookie']).split(';')[0]!;
    expect((await get(port, '/api/health', { cookie })).status).toBe(200);
    expect((await get(port, '/api/health', { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await get(port, `/api/health?token=${token}`)).status).toBe(401);
  });

  it('answers size=1e-320 and other senseless sizes on /api/simulate with 400 and a message', async () => {
    const { port } = await start('127.0.0.1', null);
    for (const size of ['1e-320', '0', '1e999', '1e16', '-1', 'NaN', '0x10', '']) {
      const res = await get(port, `/api/simulate?venue=demo&symbol=BTCUSDT&side=buy&size=${encodeURIComponent(size)}`);
      expect(res.status, size).toBe(400);
      expect(JSON.parse(res.body).error, size).toMatch(/size/);
    }
    const notional = await get(port, '/api/simulate?venue=demo&symbol=BTCUSDT&side=buy&notional=1e-300');
    expect(notional.status).toBe(400);
    expect(JSON.parse(notional.body).error).toMatch(/notional/);
    expect(await healthStatus(port)).toBe(200);
  });

  it('sends Referrer-Policy: no-referrer on every response, errors and refused upgrades included', async () => {
    const { port } = await start('0.0.0.0', TOKEN);
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const [path, headers] of [
      [`/?token=${TOKEN}`, {}],
      ['/api/health', auth],
      ['/api/health', {}],
      ['/assets/app.js', auth],
      ['/web-preload.js', auth],
      ['/missing.js', auth],
      ['/api/nothing', auth],
      ['/%', auth],
      ['/api/exports/none.csv', auth],
    ] as Array<[string, Record<string, string>]>) {
      const res = await get(port, path, headers);
      expect(res.headers['referrer-policy'], path).toBe('no-referrer');
    }
    const post = await get(port, '/api/health', auth, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers['referrer-policy']).toBe('no-referrer');
    const refused = await rawExchange(
      port,
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    expect(refused).toMatch(/^HTTP\/1\.1 401 /);
    expect(refused).toMatch(/referrer-policy: no-referrer/i);
    const accepted = await rawExchange(
      port,
      `GET /ws?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      500,
    );
    expect(accepted).toMatch(/^HTTP\/1\.1 101 /);
    expect(accepted).toMatch(/referrer-policy: no-referrer/i);
    // Handshakes ws itself would refuse are refused first, with our headers.
    for (const [header, value] of [
      ['Sec-WebSocket-Key', 'short'],
      ['Sec-WebSocket-Version', '12'],
      ['Sec-WebSocket-Protocol', ',,'],
    ]) {
      const headers: Record<string, string> = { 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13', [header!]: value! };
      const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      const bad = await rawExchange(port, `GET /ws?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${lines}\r\n`);
      expect(bad, header).toMatch(/^HTTP\/1\.1 400 /);
      expect(bad, header).toMatch(/referrer-policy: no-referrer/i);
    }
  });
});
