/**
 * The web host: the same services as the desktop app in plain Node, the built renderer over HTTP,
 * the contract over a WebSocket at /ws, and GET /api/health. Binds 127.0.0.1 by default; any other
 * address requires a token (query `?token=`, then a cookie, or `Authorization: Bearer`).
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerMessage } from '../../shared/contract';
import type { Logger } from '../log';
import type { Services } from '../app/compose';
import { answerSimulate } from '../analytics/impact-query';

export interface WebHostOptions {
  services: Services;
  logger: Logger;
  host: string;
  port: number;
  /** Required when `host` is not a loopback address. */
  token: string | null;
  /** Built renderer (index.html, assets/). */
  rendererDir: string;
  /** The browser bridge bundle served as /web-preload.js. */
  webPreloadFile: string;
}

export interface WebHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Largest message a window may send (commands and subscriptions are small). */
const MAX_CLIENT_MESSAGE = 64 * 1024;
/** A window whose socket holds more than this unsent is skipped until it drains. */
const BACKPRESSURE_BYTES = 512 * 1024;

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { services, logger } = options;
  const loopback = isLoopback(options.host);
  if (!loopback && !options.token) throw new Error(`binding ${options.host} (not loopback) requires a token`);
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new Error(`renderer not built: ${join(options.rendererDir, 'index.html')} is missing (run npm run build:web)`);
  }
  const indexHtml = readFileSync(join(options.rendererDir, 'index.html'), 'utf8').replace(
    '<head>',
    '<head>\n    <script src="/web-preload.js"></script>',
  );
  let boundPort = options.port;

  const authorized = (req: IncomingMessage, url: URL): boolean => {
    if (!options.token) return true;
    const offered =
      url.searchParams.get('token') ??
      parseCookie(req.headers.cookie ?? '').obm_token ??
      (req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : null);
    return offered !== null && safeEqual(offered, options.token);
  };

  /** Without a token, only loopback Host names are served (blocks DNS-rebinding from web pages). */
  const hostAllowed = (req: IncomingMessage): boolean => {
    if (options.token) return true;
    const hostHeader = req.headers.host ?? '';
    const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0]!;
    return isLoopback(name);
  };

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...extra });
    res.end(body);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!hostAllowed(req)) return send(res, 403, 'text/plain', 'forbidden host\n');
    if (!authorized(req, url)) return send(res, 401, 'text/plain', 'a valid token is required (?token=...)\n');
    const cookie: Record<string, string> =
      options.token && url.searchParams.get('token') ? { 'set-cookie': `obm_token=${options.token}; HttpOnly; SameSite=Strict; Path=/` } : {};
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
    if (url.pathname === '/api/health') {
      return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(services.health()));
    }
    if (url.pathname === '/api/simulate') {
      // Impact calculator (src/main/analytics/impact-query.ts): 200, or 400/404/503 with { error }.
      void answerSimulate(services.market, url.searchParams).then((answer) => {
        if (!res.writableEnded) send(res, answer.status, 'application/json; charset=utf-8', JSON.stringify(answer.body), answer.headers);
      });
      return;
    }
    const exportName = /^\/api\/exports\/([A-Za-z0-9._-]+)$/.exec(url.pathname)?.[1];
    if (exportName !== undefined) {
      // Finished CSV/depth exports from the exports folder only (src/main/store/store.ts exportFile).
      const exportPath = services.store?.exportFile(exportName);
      if (!exportPath) return send(res, 404, 'text/plain', 'no such export\n');
      res.writeHead(200, {
        'content-type': exportName.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${exportName}"`,
        'content-length': String(statSync(exportPath).size),
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(exportPath)
        .on('error', () => res.destroy())
        .pipe(res);
      return;
    }
    if (url.pathname.startsWith('/api/')) return send(res, 404, 'application/json', JSON.stringify({ error: `no such endpoint ${url.pathname}` }));
    if (url.pathname === '/' || url.pathname === '/index.html') {
      return send(res, 200, CONTENT_TYPES['.html']!, indexHtml, { 'content-security-policy': CSP, ...cookie });
    }
    if (url.pathname === '/web-preload.js') return serveFile(res, options.webPreloadFile);
    const file = normalize(join(options.rendererDir, decodeURIComponent(url.pathname)));
    if (!file.startsWith(resolve(options.rendererDir) + sep)) return send(res, 403, 'text/plain', 'forbidden\n');
    return serveFile(res, file);
  });

  const serveFile = (res: ServerResponse, file: string): void => {
    if (!existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'text/plain', 'not found\n');
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    createReadStream(file).pipe(res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    const originOk = !origin || new URL(origin).host === req.headers.host;
    if (url.pathname !== '/ws' || !hostAllowed(req) || !authorized(req, url) || !originOk) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onWindow(ws));
  });

  const onWindow = (ws: WebSocket): void => {
    const connection = services.contract.connect({
      send: (message: ServerMessage) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      },
      backpressured: () => ws.bufferedAmount > BACKPRESSURE_BYTES,
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        logger.log('warn', 'bad-client-message', { error: 'not JSON' });
        return;
      }
      connection.handle(msg);
    });
    ws.on('close', () => connection.close());
    ws.on('error', () => connection.close());
  };

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      boundPort = (server.address() as AddressInfo).port;
      resolveListen();
    });
  });
  const hostForUrl = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  const url = `http://${hostForUrl}:${boundPort}/${options.token ? `?token=${options.token}` : ''}`;
  logger.log('info', 'web-host-listening', { url: url.replace(/token=[^&]+/, 'token=…') });
  return {
    url,
    port: boundPort,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolveClose());
        server.closeAllConnections?.();
      }),
  };
}

function parseCookie(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
