/** Helpers for tests that talk to the web host over real loopback sockets. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A minimal built UI: index.html, one asset and the bridge bundle. */
export function fakeRenderer(): { rendererDir: string; webPreloadFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'obm-web-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<html><head><title>t</title></head><body></body></html>');
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'web-preload.js'), '/* bridge */');
  return { rendererDir: join(dir, 'renderer'), webPreloadFile: join(dir, 'web-preload.js') };
}

export interface HttpAnswer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** GET (or another method) over loopback; rejects if no answer comes within `timeoutMs` (a hung host). */
export function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET', timeoutMs = 3000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, method, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Sends bytes exactly as given on a fresh TCP connection and returns whatever comes back before it closes. */
export function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      // One response is enough; the host may keep the connection alive.
      if (/\r\n\r\n/.test(answer) && !/content-length: [1-9]/i.test(answer.split('\r\n\r\n')[0]!)) done();
      else if (/\r\n\r\n/.test(answer)) {
        const length = Number(/content-length: (\d+)/i.exec(answer)?.[1] ?? 0);
        if (Buffer.byteLength(answer.split('\r\n\r\n').slice(1).join('\r\n\r\n'), 'latin1') >= length) done();
      }
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(bytes);
  });
}

/** The host is alive: GET /api/health answers 200 with the health report. */
export async function healthStatus(port: number, headers: Record<string, string> = {}): Promise<number> {
  return (await get(port, '/api/health', headers)).status;
}
