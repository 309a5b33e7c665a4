import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, NEW_WINDOWS, type MenuActions } from '../../../../src/main/windows/menu-template';
import { decidePermission, guardNavigation, NAVIGATION_EVENTS } from '../../../../src/main/windows/web-contents-guards';
import { appWindowOptions, decideWindowOpen, isAppUrl, isSafeExternalUrl } from '../../../../src/main/windows/web-preferences';
import { loadWindowState, onScreen, saveWindowState } from '../../../../src/main/windows/window-state';
import { repoRoot } from '../../../support/paths';

const SECURE = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
};

describe('every window the desktop app creates', () => {
  it('is built from appWindowOptions, in the window manager only', () => {
    // Scan the main-process sources: any BrowserWindow must be constructed with appWindowOptions(...).
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.ts')) files.push(join(dir, e.name));
      }
    };
    walk(join(repoRoot, 'src/main'));
    const constructions = files.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/new BrowserWindow\(([^)]*\))/g)].map((m) => ({ file: f.slice(repoRoot.length + 1), args: m[1]! })),
    );
    expect(constructions.length).toBeGreaterThanOrEqual(2);
    for (const c of constructions) {
      expect(c.file).toBe('src/main/windows/window-manager.ts');
      expect(c.args.startsWith('appWindowOptions(')).toBe(true);
    }
    // Windows opened by window.open get their options from decideWindowOpen, which uses appWindowOptions.
    const manager = readFileSync(join(repoRoot, 'src/main/windows/window-manager.ts'), 'utf8');
    expect(manager).toContain("overrideBrowserWindowOptions: decision.options");
  });

  it('has the secure settings, for dashboards and panel windows alike', () => {
    for (const kind of ['dashboard', 'panel'] as const) {
      expect(appWindowOptions(kind, '/p.cjs').webPreferences).toMatchObject({ ...SECURE, preload: '/p.cjs' });
    }
  });

  it('trusts only the app’s own origin (and the dev server in development) and opens only https links externally', () => {
    expect(isAppUrl('app://renderer/index.html?panel=ladder', undefined)).toBe(true);
    expect(isAppUrl('app://renderer/assets/index-abc.js', undefined)).toBe(true);
    // Pages no longer load from file://, so no file URL is trusted, not even the built index.html.
    expect(isAppUrl('file:///opt/app/out/renderer/index.html', undefined)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', undefined)).toBe(false);
    expect(isAppUrl('app://other/index.html', undefined)).toBe(false);
    expect(isAppUrl('https://evil.example/', undefined)).toBe(false);
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5173/x', undefined)).toBe(false);
    expect(isAppUrl('http://localhost:5174/x', 'http://localhost:5173')).toBe(false);
    expect(isSafeExternalUrl('https://www.binance.com/')).toBe(true);
    expect(isSafeExternalUrl('http://www.binance.com/')).toBe(false);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('https://user:pw@evil.example/')).toBe(false);
  });

  it('lets a window open only the app’s own panel windows, and sends https links to the browser', () => {
    const index = 'app://renderer/index.html';
    const allow = decideWindowOpen(`${index}?panel=ladder-1`, undefined, '/p.cjs', () => ({ width: 500, height: 400, x: 10, y: 20 }));
    expect(allow.action).toBe('allow');
    if (allow.action === 'allow') {
      expect(allow.panelId).toBe('ladder-1');
      expect(allow.options.webPreferences).toMatchObject(SECURE);
      expect(allow.options).toMatchObject({ width: 500, height: 400, x: 10, y: 20 });
    }
    expect(decideWindowOpen('http://localhost:5173/?panel=depth-2', 'http://localhost:5173', '/p.cjs', () => undefined).action).toBe('allow');
    expect(decideWindowOpen(index, undefined, '/p.cjs', () => undefined)).toEqual({ action: 'deny', openExternally: null });
    expect(decideWindowOpen(`${index}?panel=../../x`, undefined, '/p.cjs', () => undefined).action).toBe('deny');
    expect(decideWindowOpen('app://renderer/assets/index-abc.js?panel=ladder-1', undefined, '/p.cjs', () => undefined).action).toBe('deny');
    expect(decideWindowOpen('file:///opt/app/out/renderer/index.html?panel=ladder-1', undefined, '/p.cjs', () => undefined)).toEqual({ action: 'deny', openExternally: null });
    expect(decideWindowOpen('https://www.kraken.com/', undefined, '/p.cjs', () => undefined)).toEqual({ action: 'deny', openExternally: 'https://www.kraken.com/' });
    expect(decideWindowOpen('file:///etc/passwd', undefined, '/p.cjs', () => undefined)).toEqual({ action: 'deny', openExternally: null });
    expect(decideWindowOpen('javascript:alert(1)', undefined, '/p.cjs', () => undefined)).toEqual({ action: 'deny', openExternally: null });
  });
});

describe('navigation and permissions', () => {
  const trusted = (url: string) => isAppUrl(url, undefined);

  /** Emits an event the way Electron does: one event object carrying the URL, cancelled with preventDefault. */
  const fire = (contents: EventEmitter, name: string, url: string): boolean => {
    let prevented = false;
    contents.emit(name, { url, preventDefault: () => (prevented = true) });
    return prevented;
  };

  it('cancels will-navigate, will-frame-navigate and will-redirect to anything but the app, and every webview', () => {
    const contents = new EventEmitter();
    const denied: string[] = [];
    guardNavigation(contents, trusted, (url) => denied.push(url));
    expect([...NAVIGATION_EVENTS]).toEqual(['will-navigate', 'will-frame-navigate', 'will-redirect']);
    for (const name of NAVIGATION_EVENTS) {
      expect(fire(contents, name, 'app://renderer/index.html?panel=x'), name).toBe(false);
      expect(fire(contents, name, 'https://evil.example/'), name).toBe(true);
      expect(fire(contents, name, 'file:///etc/passwd'), name).toBe(true);
    }
    expect(denied).toEqual(NAVIGATION_EVENTS.flatMap(() => ['https://evil.example/', 'file:///etc/passwd']));
    expect(fire(contents, 'will-attach-webview', 'app://renderer/index.html')).toBe(true);
  });

  it('allows notifications to the app origin only, for checks and requests alike', () => {
    // The check handler is given an origin, the request handler the frame's URL.
    expect(decidePermission({ permission: 'notifications', requester: 'app://renderer' }, trusted)).toBe(true);
    expect(decidePermission({ permission: 'notifications', requester: 'app://renderer/index.html?panel=alerts-1' }, trusted)).toBe(true);
    expect(decidePermission({ permission: 'notifications', requester: 'https://evil.example' }, trusted)).toBe(false);
    expect(decidePermission({ permission: 'notifications', requester: 'file:///opt/app/out/renderer/index.html' }, trusted)).toBe(false);
    expect(decidePermission({ permission: 'notifications', requester: 'app://renderer', embeddingOrigin: 'https://evil.example' }, trusted)).toBe(false);
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'fileSystem', 'hid', 'serial', 'usb']) {
      expect(decidePermission({ permission, requester: 'app://renderer' }, trusted), permission).toBe(false);
    }
  });
});

describe('the Electron entry point', () => {
  const entry = readFileSync(join(repoRoot, 'src/main/index.ts'), 'utf8');

  it('registers app:// as privileged before ready, serves it from the renderer folder, and never loads file://', () => {
    // index.ts cannot run without Electron's binary, so this checks the wiring in its text.
    const register = entry.indexOf('protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME');
    const ready = entry.indexOf('app.whenReady()');
    expect(register).toBeGreaterThan(-1);
    expect(register).toBeLessThan(ready);
    expect(entry.indexOf('protocol.handle(APP_SCHEME, createAppRequestHandler(rendererDir))')).toBeGreaterThan(ready);
    const sources = ['src/main/index.ts', 'src/main/windows/window-manager.ts'].map((f) => readFileSync(join(repoRoot, f), 'utf8')).join('\n');
    expect(sources).not.toMatch(/loadFile\(|pathToFileURL|['"`]file:/);
  });

  it('guards every webContents and answers permission checks and requests with the same decision', () => {
    expect(entry).toMatch(/app\.on\('web-contents-created', \(_event, contents\) => \{\s+guardNavigation\(contents, isTrusted/);
    expect(entry).toMatch(/setPermissionCheckHandler\([^]*?decidePermission\(/);
    expect(entry).toMatch(/setPermissionRequestHandler\([^]*?decidePermission\(/);
  });
});

describe('menus', () => {
  const calls: string[] = [];
  const actions: MenuActions = new Proxy({} as MenuActions, { get: (_t, name) => (arg?: string) => calls.push(arg ? `${String(name)}:${arg}` : String(name)) });
  const find = (items: Electron.MenuItemConstructorOptions[], label: string): Electron.MenuItemConstructorOptions | undefined => {
    for (const i of items) {
      if (i.label === label) return i;
      const sub = Array.isArray(i.submenu) ? find(i.submenu, label) : undefined;
      if (sub) return sub;
    }
    return undefined;
  };

  it('has File, Edit, View, Window and Help with accelerators, and developer tools only in development', () => {
    const dev = buildMenuTemplate(actions, { isMac: false, isDev: true, appName: 'Order Book Monitor' });
    const prod = buildMenuTemplate(actions, { isMac: false, isDev: false, appName: 'Order Book Monitor' });
    expect(dev.map((m) => m.label ?? m.role)).toEqual(['File', 'editMenu', 'View', 'Window', 'help']);
    for (const [label, accelerator] of [
      ['Export CSV…', 'CmdOrCtrl+E'],
      ['Export Trades CSV…', 'CmdOrCtrl+Alt+E'],
      ['Export Depth Snapshot…', 'CmdOrCtrl+Shift+E'],
      ['Start/Stop Recording', 'CmdOrCtrl+Shift+R'],
      ['Open Capture for Replay…', 'CmdOrCtrl+O'],
      ['Find Symbol…', 'CmdOrCtrl+K'],
    ]) {
      expect(find(dev, label!)?.accelerator).toBe(accelerator);
    }
    const hasDevTools = (items: Electron.MenuItemConstructorOptions[]): boolean =>
      items.some((i) => i.role === 'toggleDevTools' || (Array.isArray(i.submenu) && hasDevTools(i.submenu)));
    expect(hasDevTools(dev)).toBe(true);
    expect(hasDevTools(prod)).toBe(false);
    for (const [kind, label] of NEW_WINDOWS) {
      (find(dev, label)!.click as () => void)();
      expect(calls.at(-1)).toBe(`newWindow:${kind}`);
    }
    (find(dev, 'Export CSV…')!.click as () => void)();
    expect(calls.at(-1)).toBe('exportCsv');
    (find(dev, 'Export Trades CSV…')!.click as () => void)();
    expect(calls.at(-1)).toBe('exportTradesCsv');
    // Export Candles CSV… offers every candle interval, and passes the one chosen.
    const candles = find(dev, 'Export Candles CSV…')!;
    expect((candles.submenu as Electron.MenuItemConstructorOptions[]).map((i) => i.label)).toEqual(['1s', '5s', '15s', '1m', '5m', '15m', '1h', '4h', '1d']);
    (find(candles.submenu as Electron.MenuItemConstructorOptions[], '5m')!.click as () => void)();
    expect(calls.at(-1)).toBe('exportCandlesCsv:5m');
    expect(find(dev, 'About Order Book Monitor')).toBeDefined();
    expect(find(dev, 'Open Data Folder')).toBeDefined();
    expect(buildMenuTemplate(actions, { isMac: true, isDev: false, appName: 'X' })[0]!.role).toBe('appMenu');
  });
});

describe('window geometry', () => {
  it('saves and restores bounds and open panel windows, ignoring damaged entries', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'obm-win-')), 'windows.json');
    expect(loadWindowState(path)).toEqual({ dashboard: null, panels: {}, open: [] });
    expect(saveWindowState(path, { dashboard: { x: 10, y: 20, width: 1200, height: 800 }, panels: { 'ladder-1': { width: 500, height: 400 } }, open: ['ladder-1'] })).toBeNull();
    expect(loadWindowState(path)).toEqual({ dashboard: { x: 10, y: 20, width: 1200, height: 800 }, panels: { 'ladder-1': { width: 500, height: 400 } }, open: ['ladder-1'] });
    writeFileSync(path, JSON.stringify({ dashboard: { width: 'x' }, panels: { a: { width: 10, height: 10 } }, open: ['a', 7] }));
    expect(loadWindowState(path)).toEqual({ dashboard: null, panels: {}, open: [] });
    writeFileSync(path, '{not json');
    expect(loadWindowState(path).dashboard).toBeNull();
  });

  it('keeps windows on a screen that still exists', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(onScreen({ x: 100, y: 100, width: 800, height: 600 }, displays)).toEqual({ x: 100, y: 100, width: 800, height: 600 });
    expect(onScreen({ x: 3000, y: 100, width: 800, height: 600 }, displays)).toEqual({ width: 800, height: 600 });
  });
});
