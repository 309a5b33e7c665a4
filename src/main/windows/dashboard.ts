import { BrowserWindow, shell } from 'electron';
import { isSafeExternalUrl, secureWebPreferences } from './web-preferences';

export interface WindowPaths {
  preload: string;
  rendererIndex: string;
  devServerUrl: string | undefined;
}

/** The dashboard window, with the secure preferences every window gets. */
export function createDashboardWindow(paths: WindowPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 800,
    minHeight: 500,
    show: false,
    backgroundColor: '#0d1117',
    title: 'Order Book Monitor',
    webPreferences: secureWebPreferences(paths.preload),
  });
  win.once('ready-to-show', () => win.show());
  // window.open and target=_blank: never a new Electron window; https links go to the browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (paths.devServerUrl) void win.loadURL(paths.devServerUrl);
  else void win.loadFile(paths.rendererIndex);
  return win;
}
