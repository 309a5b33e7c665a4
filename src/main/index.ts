/**
 * Electron main process: app lifecycle only. Services are built in app/compose.ts; windows, menus and
 * IPC in windows/. Everything here is thin because it cannot run on machines without Electron's binary.
 */
import { app, BrowserWindow, dialog, Menu, protocol, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { ContractError, type UiCommand } from '../shared/contract';
import { createServices, credentialsFromEnv, type Services } from './app/compose';
import { proxyFlagFromArgv, resolveProxyOptions } from './net/proxy-options';
import { resolveAlertDeliveryOptions } from './alerts-delivery/options';
import { jsonLineLogger } from './log';
import { rotatingFileLogger, teeLogger } from './log-file';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppRequestHandler } from './windows/app-protocol';
import { installIpcBridge } from './windows/ipc-bridge';
import { buildMenuTemplate, type MenuActions } from './windows/menu-template';
import { decidePermission, guardNavigation } from './windows/web-contents-guards';
import { isAppUrl } from './windows/web-preferences';
import { WindowManager } from './windows/window-manager';
import { safeStorageCipher } from './windows/safe-storage-cipher';
import { DEFAULT_PUBLIC_SETTINGS } from '../shared/settings';
import { effectiveSettingsOptions, settingsOverrides } from './settings/effective';
import { SettingsStore } from './settings/settings-store';
import { connectDeskWithin, natsFlagFromArgv } from './desk/desk-setting';
import type { DeskSource } from './desk/subscriber';
import { chooseDataFolder, dataFlagFromArgv } from './settings/data-folder';

// A separate data folder (tests, a second profile); must be set before anything reads userData.
if (process.env.ORDERBOOK_USER_DATA) app.setPath('userData', process.env.ORDERBOOK_USER_DATA);

// Pages load from app://renderer, never file:// (app-protocol.ts). Privileges can only be granted before ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const preload = join(import.meta.dirname, '../preload/index.cjs');
  const rendererDir = join(import.meta.dirname, '../renderer');
  // Set by electron-vite in development only: pages then come from its dev server.
  const devServerUrl = process.env.ELECTRON_RENDERER_URL;
  const isTrusted = (url: string): boolean => isAppUrl(url, devServerUrl);
  // The app's own folder: settings, logs, window state. Recordings, the database and exports go to
  // `dataDir`, which the saved settings (or --data, or ORDERBOOK_USER_DATA) may put elsewhere once
  // the settings are read at ready.
  const appDir = app.getPath('userData');
  let dataDir = appDir;
  const dataFlag = dataFlagFromArgv(process.argv);

  const logger = teeLogger(rotatingFileLogger(join(appDir, 'logs')), jsonLineLogger((line) => process.stderr.write(line), 'warn'));
  let services: Services | null = null;
  let desk: DeskSource | undefined;
  let windows: WindowManager | null = null;
  let removeBridge: (() => void) | null = null;

  // Every webContents, whatever created it: no navigation, frame navigation or redirect away from our
  // pages, no webviews.
  app.on('web-contents-created', (_event, contents) => {
    guardNavigation(contents, isTrusted, (url) => logger.log('warn', 'navigation-denied', { url }));
  });

  /** Menu commands that act on what a window shows go to it; the rest run here. */
  const post = (action: UiCommand['action']): void => {
    windows?.openDashboard().focus();
    services?.ui.post('dashboard', action);
  };
  const actions: MenuActions = {
    exportCsv: () => post('export-csv'),
    exportTradesCsv: () => post('export-trades-csv'),
    exportCandlesCsv: (interval) => {
      windows?.openDashboard().focus();
      services?.ui.post('dashboard', 'export-candles-csv', interval);
    },
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

  void app.whenReady().then(async () => {
    protocol.handle(APP_SCHEME, createAppRequestHandler(rendererDir));
    // Our pages may show notifications (alerts); every other permission is refused. Chromium asks the
    // check handler first (e.g. Notification.permission) and the request handler when a page asks.
    session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
      decidePermission({ permission, requester: requestingOrigin, embeddingOrigin: details.embeddingOrigin }, isTrusted),
    );
    session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) =>
      callback(decidePermission({ permission, requester: details.requestingUrl || contents.getURL() }, isTrusted)),
    );
    // Settings (the settings window) are read once safeStorage is usable, i.e. after ready.
    const settingsStore = new SettingsStore(join(appDir, 'settings.json'), safeStorageCipher(), {
      ...DEFAULT_PUBLIC_SETTINGS,
      venues: ['demo', 'demo-b', 'binance-spot', 'binance-usdm', 'coinbase', 'coinbase-advanced', 'kraken', 'okx', 'bybit-spot', 'bybit-linear', 'bitget', 'deribit', 'kraken-futures', 'bitfinex', 'hyperliquid'],
    });
    const settingsFlags = { nats: natsFlagFromArgv(process.argv), ...(dataFlag !== undefined ? { data: dataFlag } : {}) };
    const effective = effectiveSettingsOptions(settingsStore, settingsFlags, process.env, appDir);
    const dataFolder = chooseDataFolder({ flag: dataFlag, env: process.env, saved: settingsStore.settings().dataDir, appDir });
    dataDir = dataFolder.dir;
    if (dataFolder.problem) logger.log('warn', 'data-folder-unusable', { problem: dataFolder.problem });
    // A proxy or alert setting that does not validate stops the app with the reason: running
    // without the proxy the user asked for would send traffic where it must not go.
    let proxy;
    let alertDelivery;
    try {
      proxy = resolveProxyOptions({ flag: proxyFlagFromArgv(process.argv), env: process.env, saved: effective.savedProxy });
      alertDelivery = resolveAlertDeliveryOptions({ env: process.env, saved: effective.savedAlertDelivery });
    } catch (error) {
      dialog.showErrorBox('Order Book Monitor cannot start', (error as Error).message);
      app.exit(2);
      return;
    }
    // A desk (--nats, or the settings page's NATS URL) stands in for the venues; when it cannot be used
    // within 30 s the app says why and connects to the venues instead.
    if (effective.natsUrl) {
      try {
        desk = await connectDeskWithin(effective.natsUrl, logger, 30_000);
      } catch (error) {
        dialog.showErrorBox('Order Book Monitor: the desk cannot be used', `${(error as Error).message}\n\nConnecting to the venues instead.`);
      }
    }
    services = createServices({
      desk,
      venues: desk ? desk.venues : effective.venues,
      logger,
      dataDir,
      credentials: effective.coinbase ? { coinbase: effective.coinbase } : credentialsFromEnv(),
      settings: { store: settingsStore, overridden: settingsOverrides(settingsFlags, process.env) },
      proxy,
      alertDelivery,
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
    windows = new WindowManager(
      { preload, devServerUrl, stateFile: WindowManager.stateFile(appDir) },
      logger,
    );
    const windowManager = windows;
    // Detached windows' bounds for workspaces (the web host has no windows and no such commands).
    services.contract.register({
      'windows.bounds.get': ({ ids }) => ({ windows: windowManager.panelBounds(ids) }),
      'windows.bounds.set': ({ windows: placements }) => ({ placed: windowManager.placePanels(placements) }),
    });
    removeBridge = installIpcBridge(services.contract, isTrusted, logger);
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
    void services
      .close()
      .then(() => desk?.nc.close())
      .finally(() => app.quit());
  });
}
