/**
 * Electron main process: app lifecycle only. Services are built in app/compose.ts, windows in
 * windows/. Everything here is thin because it cannot run on machines without Electron's binary.
 */
import { app, BrowserWindow, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServices } from './app/compose';
import { jsonLineLogger } from './log';
import { rotatingFileLogger, teeLogger } from './log-file';
import { createDashboardWindow } from './windows/dashboard';
import { installIpcBridge } from './windows/ipc-bridge';
import { isAppUrl } from './windows/web-preferences';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const preload = join(import.meta.dirname, '../preload/index.cjs');
  const rendererIndex = join(import.meta.dirname, '../renderer/index.html');
  const devServerUrl = process.env.ELECTRON_RENDERER_URL;
  const rendererUrl = pathToFileURL(rendererIndex).href;
  const isTrusted = (url: string): boolean => isAppUrl(url, rendererUrl, devServerUrl);

  const logger = teeLogger(
    rotatingFileLogger(join(app.getPath('userData'), 'logs')),
    jsonLineLogger((line) => process.stderr.write(line), 'warn'),
  );
  let services: ReturnType<typeof createServices> | null = null;
  let removeBridge: (() => void) | null = null;

  // Every webContents, whatever created it: no navigation away from our pages, no new windows.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrusted(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  const openDashboard = (): void => {
    const win = createDashboardWindow({ preload, rendererIndex, devServerUrl });
    win.on('focus', () => win.flashFrame(false));
  };

  void app.whenReady().then(() => {
    // No permission (camera, notifications, geolocation...) is granted to any page.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    services = createServices({
      venues: ['demo', 'binance-spot', 'binance-usdm'],
      logger,
      dataDir: app.getPath('userData'),
      host: { name: app.getName(), version: app.getVersion(), host: 'electron' },
    });
    removeBridge = installIpcBridge(services.contract, isTrusted, logger);
    openDashboard();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openDashboard();
    });
  });

  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

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
