import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import { startWebHost, type WebHost } from '../../../../src/main/web/server';
import { fakeRenderer, get } from '../../../support/web-host';

function wsStatus(url: string, headers: Record<string, string> = {}): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  });
}

const TOKEN = 'web-host-test-token-42';

describe('web host', () => {
  let services: Services;
  let host: WebHost;
  afterEach(async () => {
    await host?.close();
    services?.close();
  });

  it('serves the UI with the bridge injected, a CSP, health JSON, and no path traversal', async () => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' } });
    host = await startWebHost({ services, logger: nullLogger, host: '127.0.0.1', port: 0, token: null, ...fakeRenderer() });
    const index = await get(host.port, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<script src="/web-preload.js"></script>');
    expect(String(index.headers['content-security-policy'])).toContain("script-src 'self'");
    expect((await get(host.port, '/web-preload.js')).body).toBe('/* bridge */');
    expect((await get(host.port, '/assets/app.js')).status).toBe(200);
    for (const path of ['/../../etc/passwd', '/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc%2fpasswd']) {
      const res = await get(host.port, path);
      expect(res.status).not.toBe(200);
      expect(res.body).not.toContain('root:');
    }
    const health = JSON.parse((await get(host.port, '/api/health')).body);
    expect(health.venues[0].id).toBe('demo');
    expect((await get(host.port, '/api/nothing')).status).toBe(404);
    // DNS rebinding: a foreign Host name is refused on a loopback host without a token.
    expect((await get(host.port, '/api/health', { host: 'evil.example:80' })).status).toBe(403);
    expect(await wsStatus(`ws://127.0.0.1:${host.port}/ws`)).toBe('open');
    expect(await wsStatus(`ws://127.0.0.1:${host.port}/ws`, { origin: 'http://evil.example' })).toBe(403);
  });

  it('requires a token on a non-loopback address and accepts it by query, cookie or bearer', async () => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' } });
    await expect(
      startWebHost({ services, logger: nullLogger, host: '0.0.0.0', port: 0, token: null, ...fakeRenderer() }),
    ).rejects.toThrow(/requires a token/);
    host = await startWebHost({ services, logger: nullLogger, host: '0.0.0.0', port: 0, token: TOKEN, ...fakeRenderer() });
    expect((await get(host.port, '/api/health')).status).toBe(401);
    expect((await get(host.port, '/api/health?token=wrong')).status).toBe(401);
    const ok = await get(host.port, `/?token=${TOKEN}`);
    expect(ok.status).toBe(200);
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    expect((await get(host.port, '/api/health', { cookie })).status).toBe(200);
    expect((await get(host.port, '/api/health', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect(await wsStatus(`ws://127.0.0.1:${host.port}/ws`)).toBe(401);
    expect(await wsStatus(`ws://127.0.0.1:${host.port}/ws?token=${TOKEN}`)).toBe('open');
  });
});
