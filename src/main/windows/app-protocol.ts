/**
 * The app:// scheme the desktop app serves its pages from (instead of file://, which would let a page
 * read any file and gives every local file the same origin). Requests are answered only from the built
 * renderer folder. Kept free of Electron imports: index.ts registers the scheme and hands requests to
 * `createAppRequestHandler`, and the tests drive that handler in plain Node with fetch Requests.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
/** The one origin the desktop app trusts for its pages (besides the dev server in development). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Privileges for `protocol.registerSchemesAsPrivileged`: a standard, secure scheme (a real origin,
 * relative URLs, localStorage, module scripts) with fetch. Not corsEnabled, so no other origin may read
 * our files, and not bypassCSP, so the page's Content-Security-Policy holds.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, codeCache: true } as const;

/** The app's page, with the query a window needs (`panel`, `kind`). */
export function appPageUrl(query: Record<string, string> | null): string {
  const url = new URL(`${APP_ORIGIN}/index.html`);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
  return url.href;
}

/** Is `url` on the app's own origin (exactly app://renderer: no user, no port)? */
export function isAppSchemeUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.hostname === APP_HOST && u.port === '' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/**
 * Sent as a header with every page, on top of the <meta> policy in index.html (which cannot carry
 * frame-ancestors). The test checks the two agree.
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export type AppPathDecision =
  | { status: 200; relativePath: string }
  | { status: 400 | 403 | 404; reason: string };

/**
 * Which file under the renderer folder a request URL names, judged on the URL text itself (not on
 * what a URL parser made of it, so a handler given unnormalized text is just as safe): every path
 * segment is percent-decoded once and must be a plain name. `..`, `.`, empty segments (`//x`, an
 * absolute path), and names containing `/`, `\`, `:` or NUL after decoding are refused.
 */
export function decideAppPath(url: string): AppPathDecision {
  const match = /^app:\/\/renderer(\/[^?#]*)?(?:[?#].*)?$/s.exec(url);
  if (!match) return { status: 404, reason: 'not the app origin' };
  const rawPath = match[1] ?? '/';
  if (rawPath === '/') return { status: 200, relativePath: 'index.html' };
  const segments: string[] = [];
  for (const raw of rawPath.slice(1).split('/')) {
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      return { status: 400, reason: 'malformed percent-encoding' };
    }
    if (name === '' || name === '.' || name === '..' || /[/\\:\0]/.test(name)) {
      return { status: 403, reason: `path segment not allowed: ${JSON.stringify(raw)}` };
    }
    segments.push(name);
  }
  return { status: 200, relativePath: segments.join('/') };
}

/** Is `path` strictly inside `dir` (both absolute)? */
function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function plain(status: 400 | 403 | 404 | 405 | 500, text: string, extra: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...extra } });
}

/**
 * The app:// request handler for `protocol.handle`: GET and HEAD of files inside `rendererDir` only.
 * A symlink inside the folder that leads out of it is refused (the real path must stay inside).
 */
export function createAppRequestHandler(rendererDir: string): (request: Request) => Promise<Response> {
  let realRoot: Promise<string> | null = null;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed', { allow: 'GET, HEAD' });
    const decision = decideAppPath(request.url);
    if (decision.status !== 200) return plain(decision.status, decision.status === 404 ? 'not found' : 'forbidden');
    realRoot ??= realpath(rendererDir);
    let root: string;
    try {
      root = await realRoot;
    } catch {
      realRoot = null;
      return plain(500, 'the app files are missing');
    }
    const candidate = join(root, decision.relativePath);
    if (!isInside(root, candidate)) return plain(403, 'forbidden');
    let file: string;
    try {
      file = await realpath(candidate);
      if (!(await stat(file)).isFile()) return plain(404, 'not found');
    } catch {
      return plain(404, 'not found');
    }
    if (!isInside(root, file)) return plain(403, 'forbidden');
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };
    if (type.startsWith('text/html')) headers['content-security-policy'] = PAGE_CSP;
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return plain(404, 'not found');
    }
    return new Response(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), { status: 200, headers });
  };
}
