/**
 * Electron main process: app lifecycle only. Services are built in app/compose.ts; windows, menus and
 * IPC in windows/. Everything here is thin because it cannot run on machines without Electron's binary.
 */
import { app, BrowserWindow, dialog, Menu, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ContractError } from '../shared/contract';
import { createServices, credentialsFromEnv, type Services } from './app/compose';
import { jsonLineLogger } from './log';
import { rotatingFileLogger, teeLogger } from './log-file';
import { installIpcBridge } from './windows/ipc-bridge';
import { buildMenuTemplate, type MenuActions } from './windows/menu-template';
import { isAppUrl } from './windows/web-preferences';
import { WindowManager } from './windows/window-manager';

// A separate data folder (tests, a second profile); must be set before anything reads userData.
if (process.env.ORDERBOOK_USER_DATA) app.setPath('userData', process.env.ORDERBOOK_USER_DATA);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const preload = join(import.meta.dirname, '../preload/index.cjs');
  const rendererIndex = join(import.meta.dirname, '../renderer/index.html');
  const devServerUrl = process.env.ELECTRON_RENDERER_URL;
  const rendererIndexUrl = pathToFileURL(rendererIndex).href;
  const isTrusted = (url: string): boolean => isAppUrl(url, rendererIndexUrl, devServerUrl);
  const dataDir = app.getPath('userData');

  const logger = teeLogger(rotatingFileLogger(join(dataDir, 'logs')), jsonLineLogger((line) => process.stderr.write(line), 'warn'));
  let services: Services | null = null;
  let windows: WindowManager | null = null;
  let removeBridge: (() => void) | null = null;

  // Every webContents, whatever created it: no navigation away from our pages, no webviews.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrusted(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  /** Menu commands that act on what a window shows go to it; the rest run here. */
  const post = (action: 'export-csv' | 'export-depth' | 'toggle-recording' | 'focus-symbol-search'): void => {
    windows?.openDashboard().focus();
    services?.ui.post('dashboard', action);
  };
  const actions: MenuActions = {
    exportCsv: () => post('export-csv'),
    exportDepth: () => post('export-depth'),
    toggleRecording: () => post('toggle-recording'),
    focusSymbolSearch: () => post('focus-symbol-search'),
    openCapture: async () => {
      const parent = BrowserWindow.getFocusedWindow();
      const options = {
        title: 'Open capture for replay',
        defaultPath: join(dataDir, 'recordings'),
        filters: [{ name: 'Captures', extensions: ['jsonl', 'gz'] }],
        properties: ['openFile' as const],
      };
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      const path = result.filePaths[0];
      if (result.canceled || !path || !services) return;
      try {
        services.market.startReplay(path, 1);
      } catch (error) {
        dialog.showErrorBox('Cannot replay this file', `${path}\n\n${(error as Error).message}`);
      }
    },
    newWindow: (kind) => windows?.openPanelWindow(`${kind}-${Date.now().toString(36)}`, kind),
    bringAllToFront: () => windows?.bringAllToFront(),
    about: () =>
      void dialog.showMessageBox({
        type: 'info',
        title: `About ${app.getName()}`,
        message: `${app.getName()} ${app.getVersion()}`,
        detail: `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}\nData: ${dataDir}`,
      }),
    openDataFolder: () => void shell.openPath(dataDir),
    openDocumentation: () => void shell.openPath(join(app.getAppPath(), 'README.md')),
  };

  // better-sqlite3 built for Electron's ABI (scripts/rebuild-native.mjs); the Node build in
  // node_modules serves the tests and the web host. The store's worker threads inherit this.
  const sqliteBinding = app.isPackaged
    ? join(process.resourcesPath, 'native', 'better_sqlite3.node')
    : join(app.getAppPath(), 'native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
  if (existsSync(sqliteBinding)) process.env.ORDERBOOK_SQLITE_BINDING = sqliteBinding;

  void app.whenReady().then(() => {
    // Pages may show notifications (alerts); every other permission is refused.
    session.defaultSession.setPermissionRequestHandler((contents, permission, callback) =>
      callback(permission === 'notifications' && isTrusted(contents.getURL())),
    );
    services = createServices({
      venues: ['demo', 'binance-spot', 'binance-usdm', 'coinbase', 'coinbase-advanced', 'kraken', 'okx', 'bybit-spot', 'bybit-linear'],
      logger,
      dataDir,
      credentials: credentialsFromEnv(),
      host: { name: app.getName(), version: app.getVersion(), host: 'electron' },
    });
    const exportsDir = join(dataDir, 'exports');
    services.contract.register({
      // Save a finished export where the user chooses; only files the app exported may be copied.
      'file.saveAs': async ({ file }) => {
        const source = resolve(file);
        const rel = relative(exportsDir, source);
        if (rel.startsWith('..') || rel.includes(`..${sep}`) || resolve(exportsDir, rel) !== source) {
          throw new ContractError('bad-request', 'only files in the exports folder can be saved elsewhere');
        }
        const parent = BrowserWindow.getFocusedWindow();
        const options = { title: 'Save export as', defaultPath: join(app.getPath('documents'), basename(source)) };
        const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
        if (result.canceled || !result.filePath) return { saved: null };
        await copyFile(source, result.filePath);
        return { saved: result.filePath };
      },
    });
    removeBridge = installIpcBridge(services.contract, isTrusted, logger);
    windows = new WindowManager(
      { preload, rendererIndex, rendererIndexUrl, devServerUrl, stateFile: WindowManager.stateFile(dataDir) },
      logger,
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(actions, { isMac: process.platform === 'darwin', isDev: !app.isPackaged, appName: app.getName() })));
    windows.restore();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) windows?.openDashboard();
    });
  });

  app.on('second-instance', () => {
    const win = windows?.openDashboard();
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });

  app.on('before-quit', () => windows?.beginQuit());

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Quit only after the services have flushed (recordings, the database): hold the first
  // will-quit, close everything, then quit for real.
  let flushed = false;
  app.on('will-quit', (event) => {
    if (flushed || !services) return;
    event.preventDefault();
    flushed = true;
    removeBridge?.();
    void services.close().finally(() => app.quit());
  });
}
