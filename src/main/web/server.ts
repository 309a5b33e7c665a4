/**
 * The web host: the same services as the desktop app in plain Node, the built renderer over HTTP,
 * the contract over a WebSocket at /ws, GET /api/health, /api/simulate, /api/trades and /api/book. Binds 127.0.0.1 by default; any other
 * address requires a token (query `?token=`, then a cookie, or `Authorization: Bearer`).
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerMessage } from '../../shared/contract';
import type { Logger } from '../log';
import type { Services } from '../app/compose';
import { answerSimulate, type HttpAnswer } from '../analytics/impact-query';
import { receiveCaptureUpload } from './capture-upload';
import { answerTrades } from './trades-route';
import { answerMergedBook, wantsMergedBook } from './merged-book-route';
import { answerBook } from './book-route';

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

/** Largest message a window may send (commands and subscriptions are small); larger closes with 1009. */
const MAX_CLIENT_MESSAGE = 64 * 1024;
/** A window whose socket holds more than this unsent is skipped until it drains. */
const BACKPRESSURE_BYTES = 512 * 1024;
/** A window that leaves this much unread (it sends but does not read) is disconnected. */
const MAX_UNREAD_BYTES = 8 * 1024 * 1024;
/** A window whose socket has not drained for this long is stuck (or not reading) and is disconnected. */
const MAX_STALL_MS = 30_000;
/** WebSocket connections open at once, over all windows. */
const MAX_WINDOWS = 64;
export const MIN_TOKEN_LENGTH = 16;

/** Headers on every response, errors included: the token can travel in `?token=`, so no Referer may carry it. */
const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } as const;

/** Bind addresses that are loopback and so may run without a token: exactly these names. */
export function isLoopback(bindHost: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(bindHost.toLowerCase());
}

/** `name[:port]` from a Host header, exactly (a name, an IPv4 address or a bracketed IPv6 address); null otherwise. */
export function parseHostHeader(value: string): { name: string; port: number | null } | null {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::([1-9][0-9]{0,4}))?$/.exec(value);
  if (!match) return null;
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && port > 65535) return null;
  return { name: match[1]!.toLowerCase(), port };
}

const LOOPBACK_HOST_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A Host header naming this machine by an exact loopback name and the host's own port (80 when omitted). */
export function isLoopbackHost(value: string | undefined, port: number): boolean {
  const host = parseHostHeader(value ?? '');
  return host !== null && LOOPBACK_HOST_NAMES.has(host.name) && (host.port ?? 80) === port;
}

/** An Origin header that is exactly `http(s)://host[:port]` naming the same host and port as the Host header. */
export function originMatchesHost(origin: string, hostHeader: string | undefined): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.origin !== origin) return false;
  const host = parseHostHeader(hostHeader ?? '');
  if (!host) return false;
  const defaultPort = parsed.protocol === 'https:' ? 443 : 80;
  const originPort = parsed.port === '' ? defaultPort : Number(parsed.port);
  return parsed.hostname === host.name && originPort === (host.port ?? defaultPort);
}

/** Why a token cannot be used, or null if it can. */
export function checkToken(token: string): string | null {
  if (token.length < MIN_TOKEN_LENGTH) {
    return `the token (--token or ORDERBOOK_TOKEN) must be at least ${MIN_TOKEN_LENGTH} characters, got ${token.length}; leave it out on a non-loopback address to have one generated`;
  }
  if (!/^[\x21-\x7e]+$/.test(token)) return 'the token (--token or ORDERBOOK_TOKEN) may contain only printable ASCII characters, no spaces';
  return null;
}

/** Parse the request target; null unless it is a path (origin form), the only form a browser sends. */
function requestTarget(raw: string | undefined): URL | null {
  if (!raw?.startsWith('/')) return null;
  try {
    // Prefixing keeps "//name/x" a path instead of a host.
    return new URL(`http://localhost${raw}`);
  } catch {
    return null;
  }
}

/** A decoded path, or null when its percent-encoding is malformed or it holds a NUL. */
function decodePath(pathname: string): string | null {
  try {
    const decoded = decodeURIComponent(pathname);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { services, logger } = options;
  const loopback = isLoopback(options.host);
  if (!loopback && !options.token) throw new Error(`binding ${options.host} (not loopback) requires a token`);
  const tokenProblem = options.token === null ? null : checkToken(options.token);
  if (tokenProblem) throw new Error(tokenProblem);
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new Error(`renderer not built: ${join(options.rendererDir, 'index.html')} is missing (run npm run build:web)`);
  }
  const indexHtml = readFileSync(join(options.rendererDir, 'index.html'), 'utf8').replace(
    '<head>',
    '<head>\n    <script src="/web-preload.js"></script>',
  );
  const rendererRoot = resolve(options.rendererDir) + sep;
  let boundPort = options.port;

  const authorized = (req: IncomingMessage, url: URL): boolean => {
    if (!options.token) return true;
    const authorization = req.headers.authorization;
    const offered =
      url.searchParams.get('token') ??
      parseCookie(req.headers.cookie ?? '').get('obm_token') ??
      (authorization?.startsWith('Bearer ') ? authorization.slice(7) : null);
    return offered !== null && safeEqual(offered, options.token);
  };

  /** Without a token, only the exact loopback names are served (blocks DNS rebinding from web pages). */
  const hostAllowed = (req: IncomingMessage): boolean => options.token !== null || isLoopbackHost(req.headers.host, boundPort);

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...COMMON_HEADERS, ...extra });
    res.end(body);
  };

  /** A JSON route's answer once it is ready (unless the request was answered meanwhile); a rejection is a 500. */
  const replyJson = (res: ServerResponse, answer: Promise<HttpAnswer>, where: string): void => {
    answer
      .then((a) => {
        if (!res.headersSent) send(res, a.status, 'application/json; charset=utf-8', JSON.stringify(a.body), a.headers);
      })
      .catch((error: unknown) => failed(res, where, error));
  };

  const handleRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = requestTarget(req.url);
    if (!url) return send(res, 400, 'text/plain', 'bad request target\n');
    if (!hostAllowed(req)) return send(res, 403, 'text/plain', 'forbidden host\n');
    if (!authorized(req, url)) return send(res, 401, 'text/plain', 'a valid token is required (?token=...)\n');
    const cookie: Record<string, string> =
      options.token && url.searchParams.get('token')
        ? { 'set-cookie': `obm_token=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/` }
        : {};
    if (req.method === 'POST' && url.pathname === '/api/recordings') return uploadCapture(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n', { allow: 'GET, HEAD' });
    const path = decodePath(url.pathname);
    if (path === null) return send(res, 400, 'text/plain', 'malformed path\n');
    if (path === '/api/health') {
      return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(services.health()));
    }
    if (path === '/api/simulate') {
      // Impact calculator (src/main/analytics/impact-query.ts): 200, or 400/404/503 with { error }.
      return replyJson(res, answerSimulate(services.market, url.searchParams), 'simulate');
    }
    if (path === '/api/trades') {
      // The newest prints of one symbol (src/main/web/trades-route.ts): 200, or 400/404/503 with { error }.
      return replyJson(res, answerTrades(services, url.searchParams), 'trades');
    }
    if (path === '/api/book' && wantsMergedBook(url.searchParams)) {
      // Several venues' books merged by price (src/main/web/merged-book-route.ts): 200, or 400/404 with { error }.
      return replyJson(res, answerMergedBook(services, url.searchParams), 'merged book');
    }
    if (path === '/api/book') {
      // A snapshot of one book, best first, exact texts (src/main/web/book-route.ts).
      return replyJson(res, answerBook(services, url.searchParams), 'book');
    }
    const exportName = /^\/api\/exports\/([A-Za-z0-9._-]+)$/.exec(path)?.[1];
    if (exportName !== undefined) {
      // Finished CSV/depth exports from the exports folder only (src/main/store/client/store.ts exportFile).
      const exportPath = services.store?.exportFile(exportName);
      if (!exportPath) return send(res, 404, 'text/plain', 'no such export\n');
      return streamFile(req, res, exportPath, {
        'content-type': exportName.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${exportName}"`,
        'cache-control': 'no-store',
      });
    }
    if (path.startsWith('/api/')) return send(res, 404, 'application/json', JSON.stringify({ error: `no such endpoint ${url.pathname}` }));
    if (path === '/' || path === '/index.html') {
      return send(res, 200, CONTENT_TYPES['.html']!, indexHtml, { 'content-security-policy': CSP, ...cookie });
    }
    if (path === '/web-preload.js') return serveFile(req, res, options.webPreloadFile);
    const file = normalize(join(options.rendererDir, path));
    if (!file.startsWith(rendererRoot)) return send(res, 403, 'text/plain', 'forbidden\n');
    return serveFile(req, res, file);
  };

  /**
   * A capture uploaded from a browser into the recordings folder (capture-upload.ts). Only from our own
   * pages: an Origin, when sent, must be ours, and the custom name header makes a cross-site request
   * need a preflight that this host never grants.
   */
  const uploadCapture = (req: IncomingMessage, res: ServerResponse): void => {
    const json = 'application/json; charset=utf-8';
    const origin = req.headers.origin;
    if (origin !== undefined && !originMatchesHost(origin, req.headers.host)) return send(res, 403, json, JSON.stringify({ error: 'forbidden origin' }));
    const dir = services.recordingsDir;
    if (!dir) return send(res, 503, json, JSON.stringify({ error: 'this host has no data folder to keep recordings in' }));
    receiveCaptureUpload(req, dir)
      .then((answer) => {
        if (answer.status === 201) logger.log('info', 'capture-uploaded', answer.body);
        // A refused body may still be arriving: answer, then close rather than read the rest.
        if (!res.headersSent) send(res, answer.status, json, JSON.stringify(answer.body), answer.status === 201 ? {} : { connection: 'close' });
      })
      .catch((error: unknown) => failed(res, 'capture upload', error));
  };

  /** Last resort for a handler that threw or rejected: log it, answer 500 if still possible, keep serving. */
  const failed = (res: ServerResponse, where: string, error: unknown): void => {
    logger.log('error', 'web-request-failed', { where, error: (error as Error)?.stack ?? String(error) });
    if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
    else res.destroy();
  };

  // requireHostHeader off: a request without Host reaches hostAllowed (403 on loopback) and gets our headers.
  const server: Server = createServer({ requireHostHeader: false }, (req, res) => {
    try {
      handleRequest(req, res);
    } catch (error) {
      failed(res, `${req.method} request`, error);
    }
  });
  // Slow or half-sent requests must not hold connections for minutes (Node's defaults are 60 s and 300 s).
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Unparsable HTTP (bad request line, oversized headers): answer 400 and close, as Node would.
    if (socket.writable && error.code !== 'ECONNRESET') {
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      socket.end(rawResponse(status, status === 408 ? 'request timeout' : 'bad request'));
    } else socket.destroy();
  });
  server.on('error', (error) => logger.log('error', 'web-host-error', { error: error.message }));

  const serveFile = (req: IncomingMessage, res: ServerResponse, file: string): void => {
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      // Missing, or a name the file system refuses: not found either way.
    }
    if (!isFile) return send(res, 404, 'text/plain', 'not found\n');
    streamFile(req, res, file, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  };

  const streamFile = (req: IncomingMessage, res: ServerResponse, file: string, headers: Record<string, string>): void => {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return send(res, 404, 'text/plain', 'not found\n');
    }
    res.writeHead(200, { ...headers, 'content-length': String(size), ...COMMON_HEADERS });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE });
  wss.on('headers', (headers) => headers.push('Referrer-Policy: no-referrer'));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands over the raw socket without an error listener; a reset here must not be uncaught.
    socket.on('error', () => socket.destroy());
    try {
      const refusal = upgradeRefusal(req);
      if (refusal) {
        socket.end(rawResponse(refusal.status, refusal.reason));
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => onWindow(ws));
    } catch (error) {
      logger.log('error', 'web-upgrade-failed', { error: (error as Error)?.stack ?? String(error) });
      socket.destroy();
    }
  });

  const upgradeRefusal = (req: IncomingMessage): { status: number; reason: string } | null => {
    const url = requestTarget(req.url);
    if (!url || url.pathname !== '/ws') return { status: 404, reason: 'not found' };
    if (!hostAllowed(req)) return { status: 403, reason: 'forbidden host' };
    if (!authorized(req, url)) return { status: 401, reason: 'a valid token is required' };
    // Browsers always send Origin on a WebSocket; a page may talk to us only from our own origin.
    const origin = req.headers.origin;
    if (origin !== undefined && !originMatchesHost(origin, req.headers.host)) return { status: 403, reason: 'forbidden origin' };
    if (wss.clients.size >= MAX_WINDOWS) return { status: 503, reason: `too many windows (at most ${MAX_WINDOWS})` };
    return handshakeProblem(req);
  };

  const onWindow = (ws: WebSocket): void => {
    // Frames wait (and the newest are kept) while the socket drains; a window that never drains is let go.
    let stalledSince: number | null = null;
    const backpressured = (): boolean => {
      if (ws.bufferedAmount <= BACKPRESSURE_BYTES) {
        stalledSince = null;
        return false;
      }
      stalledSince ??= Date.now();
      if (Date.now() - stalledSince > MAX_STALL_MS) {
        logger.log('warn', 'client-not-reading', { bufferedBytes: ws.bufferedAmount, stalledMs: Date.now() - stalledSince });
        ws.terminate();
      }
      return true;
    };
    const connection = services.contract.connect({
      send: (message: ServerMessage) => {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > MAX_UNREAD_BYTES) {
          logger.log('warn', 'client-not-reading', { bufferedBytes: ws.bufferedAmount });
          ws.terminate();
          return;
        }
        ws.send(JSON.stringify(message));
      },
      backpressured,
      disconnect: (reason: string) => ws.close(1008, closeReason(reason)),
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      try {
        if (isBinary) return ws.close(1003, 'binary messages are not supported');
        let msg: unknown;
        try {
          msg = JSON.parse(data.toString('utf8'));
        } catch {
          connection.close();
          return ws.close(1007, 'message is not JSON');
        }
        connection.handle(msg);
      } catch (error) {
        logger.log('error', 'web-message-failed', { error: (error as Error)?.stack ?? String(error) });
        ws.terminate();
      }
    });
    ws.on('close', () => connection.close());
    // ws closes the socket itself after an error (e.g. 1009 for an oversized message).
    ws.on('error', (error) => {
      logger.log('warn', 'client-socket-error', { error: error.message });
      connection.close();
    });
  };

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      boundPort = (server.address() as AddressInfo).port;
      resolveListen();
    });
  });
  const hostForUrl = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  const url = `http://${hostForUrl}:${boundPort}/${options.token ? `?token=${encodeURIComponent(options.token)}` : ''}`;
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

/**
 * The handshake checks ws would make, made first so that the refusal carries our headers. The bridge
 * uses no subprotocol, so a Sec-WebSocket-Protocol header (which ws would have to parse) is refused too.
 */
function handshakeProblem(req: IncomingMessage): { status: number; reason: string } | null {
  if (req.method !== 'GET') return { status: 405, reason: 'a WebSocket handshake is a GET' };
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') return { status: 400, reason: 'invalid Upgrade header' };
  if (!/^[+/0-9A-Za-z]{22}==$/.test(req.headers['sec-websocket-key'] ?? '')) return { status: 400, reason: 'missing or invalid Sec-WebSocket-Key' };
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') return { status: 400, reason: 'unsupported Sec-WebSocket-Version (13 expected)' };
  if (req.headers['sec-websocket-protocol'] !== undefined) return { status: 400, reason: 'subprotocols are not supported' };
  return null;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout', 431: 'Request Header Fields Too Large', 503: 'Service Unavailable' };

/** A complete HTTP/1.1 response for a raw socket (refused upgrades, unparsable requests). */
function rawResponse(status: number, reason: string): string {
  const body = `${reason}\n`;
  return (
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
    'Connection: close\r\nContent-Type: text/plain\r\nCache-Control: no-store\r\n' +
    'X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/** WebSocket close reasons are limited to 123 bytes. */
function closeReason(reason: string): string {
  return Buffer.byteLength(reason) <= 123 ? reason : Buffer.from(reason).subarray(0, 120).toString('utf8').replace(/\uFFFD$/, '') + '…';
}

/** Cookies by name; a value that is not valid percent-encoding is skipped, as if absent. */
function parseCookie(header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    try {
      out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
    } catch {
      // Malformed: ignore this cookie only.
    }
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
