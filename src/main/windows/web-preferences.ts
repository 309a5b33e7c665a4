/**
 * The security settings every window gets (Electron's security checklist), which pages count as the
 * app's own, and what window.open may do. Kept free of Electron imports so tests can assert them in
 * plain Node.
 */
import { isAppSchemeUrl } from './app-protocol';

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  spellcheck: false;
}

export function secureWebPreferences(preload: string): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/**
 * Is `url` on one of the app's own origins: app://renderer (the built renderer, see app-protocol.ts)
 * or, in development only, the electron-vite dev server's origin? Nothing else is trusted: not
 * file://, not other hosts or ports on the app scheme.
 */
export function isAppUrl(url: string, devServerUrl: string | undefined): boolean {
  if (isAppSchemeUrl(url)) return true;
  if (!devServerUrl) return false;
  try {
    return new URL(url).origin === new URL(devServerUrl).origin;
  } catch {
    return false;
  }
}

/** External links open in the user's browser only if they are plain https. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password;
  } catch {
    return false;
  }
}

export interface Bounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/** Options for every window the app creates (dashboard and panel windows alike): the secure preferences plus looks. */
export function appWindowOptions(kind: 'dashboard' | 'panel', preload: string, bounds?: Bounds) {
  const size = kind === 'dashboard' ? { width: 1400, height: 900 } : { width: 760, height: 560 };
  return {
    ...size,
    ...(bounds ?? {}),
    minWidth: kind === 'dashboard' ? 800 : 320,
    minHeight: kind === 'dashboard' ? 500 : 240,
    show: false,
    backgroundColor: '#0d1117',
    title: 'Order Book Monitor',
    autoHideMenuBar: kind === 'panel',
    webPreferences: secureWebPreferences(preload),
  };
}

export type WindowOpenDecision =
  | { action: 'allow'; panelId: string; options: ReturnType<typeof appWindowOptions> }
  | { action: 'deny'; openExternally: string | null };

/**
 * What to do with window.open / target=_blank: the app's own panel windows (its page with ?panel=)
 * open as new app windows with the same secure settings; plain https links go to the user's browser;
 * everything else is refused.
 */
export function decideWindowOpen(
  url: string,
  devServerUrl: string | undefined,
  preload: string,
  savedBounds: (panelId: string) => Bounds | undefined,
): WindowOpenDecision {
  if (isAppUrl(url, devServerUrl)) {
    const page = new URL(url);
    // On app://, only the page itself (not one of its scripts or styles) may open as a window.
    if (isAppSchemeUrl(url) && page.pathname !== '/index.html' && page.pathname !== '/') return { action: 'deny', openExternally: null };
    const panelId = page.searchParams.get('panel');
    if (panelId && /^[A-Za-z0-9-]{1,100}$/.test(panelId)) {
      return { action: 'allow', panelId, options: appWindowOptions('panel', preload, savedBounds(panelId)) };
    }
    return { action: 'deny', openExternally: null };
  }
  return { action: 'deny', openExternally: isSafeExternalUrl(url) ? url : null };
}
