import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  APP_SCHEME_PRIVILEGES,
  PAGE_CSP,
  appPageUrl,
  createAppRequestHandler,
  decideAppPath,
  isAppSchemeUrl,
} from '../../../../src/main/windows/app-protocol';
import { repoRoot } from '../../../support/paths';

/**
 * A renderer folder like the build's, beside a folder of secrets, with symlinks that stay inside the
 * renderer folder and symlinks that lead out of it.
 */
function makeRendererFolder(): { root: string; handle: (request: Request) => Promise<Response> } {
  const base = mkdtempSync(join(tmpdir(), 'obm-app-protocol-'));
  const root = join(base, 'renderer');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'export const x = 1;');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(root, 'assets', 'font.woff2'), 'wOF2');
  writeFileSync(join(root, 'assets', 'engine.wasm'), '\0asm');
  writeFileSync(join(root, 'assets', 'data.bin'), 'raw');
  writeFileSync(join(root, 'assets', 'a b.js'), 'spaced');
  writeFileSync(join(outside, 'secret.txt'), 'SECRET');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'leak.txt'));
  symlinkSync(outside, join(root, 'leakdir'));
  symlinkSync(join(root, 'assets', 'index-abc.js'), join(root, 'alias.js'));
  return { root, handle: createAppRequestHandler(root) };
}

describe('the app:// request handler', () => {
  let handle: (request: Request) => Promise<Response>;
  beforeAll(() => {
    handle = makeRendererFolder().handle;
  });
  const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

  it('serves the page and its assets with the right MIME types, nosniff, and the CSP on the page', async () => {
    const page = await get(appPageUrl({ panel: 'ladder-1' }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>app</title>');
    expect((await get('app://renderer/')).headers.get('content-type')).toBe('text/html; charset=utf-8');

    const types: Array<[string, string]> = [
      ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
      ['assets/index-abc.css', 'text/css; charset=utf-8'],
      ['assets/logo.svg', 'image/svg+xml'],
      ['assets/font.woff2', 'font/woff2'],
      ['assets/engine.wasm', 'application/wasm'],
      ['assets/data.bin', 'application/octet-stream'],
    ];
    for (const [path, type] of types) {
      const res = await get(`app://renderer/${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
      expect(res.headers.get('content-security-policy'), path).toBeNull();
    }
    expect(await (await get('app://renderer/assets/index-abc.js')).text()).toBe('export const x = 1;');
    expect(await (await get('app://renderer/assets/a%20b.js')).text()).toBe('spaced');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://renderer/assets/index-abc.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await head.text()).toBe('');
    const post = await get('app://renderer/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('refuses encoded traversal, encoded separators and absolute paths with 403', async () => {
    for (const url of [
      'app://renderer/assets/..%2f..%2foutside%2fsecret.txt',
      'app://renderer/..%2Foutside/secret.txt',
      'app://renderer/%2e%2e%2foutside/secret.txt',
      'app://renderer/%2Fetc%2Fpasswd',
      'app://renderer//etc/passwd',
      'app://renderer/..%5Coutside%5Csecret.txt',
      'app://renderer/C:%5CWindows%5Cwin.ini',
      'app://renderer/index.html%00.js',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(403);
      expect(await res.text(), url).not.toContain('SECRET');
    }
  });

  it('never serves a file outside the folder, however the URL parser normalized it', async () => {
    // fetch's URL parser resolves these dot segments before the handler sees them: what is left names
    // a path inside the folder that does not exist.
    for (const url of ['app://renderer/../outside/secret.txt', 'app://renderer/%2e%2e/outside/secret.txt', 'app://renderer/assets/%2E%2E/%2E%2E/outside/secret.txt']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
    }
  });

  it('refuses symlinks that lead out of the folder (403) and follows those that stay inside', async () => {
    const leak = await get('app://renderer/leak.txt');
    expect(leak.status).toBe(403);
    expect(await leak.text()).not.toContain('SECRET');
    expect((await get('app://renderer/leakdir/secret.txt')).status).toBe(403);
    const alias = await get('app://renderer/alias.js');
    expect(alias.status).toBe(200);
    expect(await alias.text()).toBe('export const x = 1;');
  });

  it('answers 404 for missing files, folders and other hosts, 400 for broken encoding', async () => {
    expect((await get('app://renderer/nope.js')).status).toBe(404);
    expect((await get('app://renderer/assets')).status).toBe(404);
    expect((await get('app://renderer/assets/')).status).toBe(403);
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://renderer.evil/index.html')).status).toBe(404);
    expect((await get('app://renderer:8080/index.html')).status).toBe(404);
    expect((await get('app://renderer/%E0%A4%A.js')).status).toBe(400);
  });

  it('says 500, not 404, when the renderer folder itself is missing', async () => {
    const missing = createAppRequestHandler(join(tmpdir(), 'obm-no-such-renderer-folder'));
    expect((await missing(new Request('app://renderer/index.html'))).status).toBe(500);
  });
});

describe('deciding an app:// path from the URL text', () => {
  it('refuses dot segments even when no URL parser removed them', () => {
    expect(decideAppPath('app://renderer/../outside/secret.txt')).toMatchObject({ status: 403 });
    expect(decideAppPath('app://renderer/assets/./x.js')).toMatchObject({ status: 403 });
    expect(decideAppPath('app://renderer/%2e%2e/outside')).toMatchObject({ status: 403 });
    expect(decideAppPath('app://renderer/%2E%2E%2Foutside')).toMatchObject({ status: 403 });
    expect(decideAppPath('app://renderer/assets/index-abc.js?panel=x#frag')).toEqual({ status: 200, relativePath: 'assets/index-abc.js' });
    expect(decideAppPath('app://renderer')).toEqual({ status: 200, relativePath: 'index.html' });
    expect(decideAppPath('app://renderer?panel=x')).toEqual({ status: 200, relativePath: 'index.html' });
    expect(decideAppPath('file:///etc/passwd')).toMatchObject({ status: 404 });
    expect(decideAppPath('app://user@renderer/index.html')).toMatchObject({ status: 404 });
  });
});

describe('the app origin', () => {
  it('is app://renderer only: no other host, port or user', () => {
    expect(isAppSchemeUrl(appPageUrl(null))).toBe(true);
    expect(appPageUrl({ panel: 'ladder-1', kind: 'ladder' })).toBe('app://renderer/index.html?panel=ladder-1&kind=ladder');
    expect(isAppSchemeUrl('app://renderer')).toBe(true);
    expect(isAppSchemeUrl('app://other/index.html')).toBe(false);
    expect(isAppSchemeUrl('app://renderer:81/index.html')).toBe(false);
    expect(isAppSchemeUrl('app://x@renderer/index.html')).toBe(false);
    expect(isAppSchemeUrl('file:///opt/app/out/renderer/index.html')).toBe(false);
    expect(isAppSchemeUrl('not a url')).toBe(false);
  });

  it('is a standard secure scheme that neither bypasses the CSP nor lets other origins read it', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('corsEnabled');
  });

  it('sends the same policy as the page’s own <meta> CSP, plus frame-ancestors', () => {
    const html = readFileSync(join(repoRoot, 'src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    expect(PAGE_CSP).toBe(`${meta}; frame-ancestors 'none'`);
  });
});
