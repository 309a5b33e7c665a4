/**
 * Every window the desktop app shows: the dashboard and detached panel windows. Creates them with the
 * same secure options, lets a window open only the app's own panel windows, remembers where each one
 * was (and which panel windows were open) and restores that on the next start.
 */
import { BrowserWindow, screen, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import type { Logger } from '../log';
import { appPageUrl } from './app-protocol';
import { appWindowOptions, decideWindowOpen, type Bounds } from './web-preferences';
import { loadWindowState, onScreen, saveWindowState, type WindowState } from './window-state';
import { clampToDisplays, type PanelWindows } from '../../shared/window-bounds';

export interface WindowPaths {
  preload: string;
  /** electron-vite's dev server in development; otherwise pages load from app:// (app-protocol.ts). */
  devServerUrl: string | undefined;
  stateFile: string;
}

/** Window key: 'dashboard' or a panel id. */
type Key = string;

export class WindowManager {
  private readonly windows = new Map<Key, BrowserWindow>();
  private state: WindowState;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private quitting = false;
  /** Workspace placements for panel windows about to open (window.open from a page may come first or last). */
  private readonly pendingPlacement = new Map<Key, Bounds>();

  constructor(
    private readonly paths: WindowPaths,
    private readonly logger: Logger,
  ) {
    this.state = loadWindowState(paths.stateFile);
  }

  /** The dashboard, then the panel windows that were open when the app last quit. */
  restore(): void {
    this.openDashboard();
    for (const id of this.state.open) this.openPanelWindow(id, null);
  }

  openDashboard(): BrowserWindow {
    const existing = this.windows.get('dashboard');
    if (existing && !existing.isDestroyed()) {
      existing.focus();
      return existing;
    }
    const win = new BrowserWindow(appWindowOptions('dashboard', this.paths.preload, this.bounds('dashboard')));
    this.track('dashboard', win);
    this.load(win, null);
    return win;
  }

  /** A panel in its own window (Window menu: a new panel of `kind`; restore: an existing panel id). */
  openPanelWindow(id: string, kind: string | null): BrowserWindow {
    const existing = this.windows.get(id);
    if (existing && !existing.isDestroyed()) {
      existing.focus();
      return existing;
    }
    const win = new BrowserWindow(appWindowOptions('panel', this.paths.preload, this.bounds(id)));
    this.track(id, win);
    this.load(win, { panel: id, ...(kind ? { kind } : {}) });
    return win;
  }

  focused(): Key | null {
    const win = BrowserWindow.getFocusedWindow();
    for (const [key, w] of this.windows) if (w === win) return key;
    return null;
  }

  window(key: Key): BrowserWindow | undefined {
    return this.windows.get(key);
  }

  bringAllToFront(): void {
    for (const w of this.windows.values()) if (!w.isDestroyed()) w.show();
    this.windows.get('dashboard')?.focus();
  }

  /** Quit is under way: windows closing now stay in the list to reopen next time. */
  beginQuit(): void {
    this.quitting = true;
    this.persist();
  }

  /** Where these panels' windows are (open ones now, closed ones as last seen), with their display. */
  panelBounds(ids: readonly string[]): PanelWindows {
    const out: PanelWindows = {};
    for (const id of ids) {
      const win = this.windows.get(id);
      const b = win && !win.isDestroyed() ? win.getNormalBounds() : this.state.panels[id];
      if (!b || b.x === undefined || b.y === undefined) continue;
      const rect = { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) };
      out[id] = { ...rect, displayId: screen.getDisplayMatching(rect).id };
    }
    return out;
  }

  /** Put panel windows where a workspace had them, each clamped to a display that exists. */
  placePanels(windows: PanelWindows): number {
    const displays = screen.getAllDisplays().map((d) => ({ id: d.id, ...d.workArea }));
    let placed = 0;
    for (const [id, saved] of Object.entries(windows)) {
      const clamped = clampToDisplays(saved, displays);
      if (!clamped) continue;
      const bounds: Bounds = { x: clamped.x, y: clamped.y, width: clamped.width, height: clamped.height };
      this.state.panels[id] = bounds;
      const win = this.windows.get(id);
      if (win && !win.isDestroyed()) win.setBounds(bounds);
      else this.pendingPlacement.set(id, bounds);
      placed++;
    }
    if (placed > 0) this.schedulePersist();
    return placed;
  }

  private bounds(key: Key): Bounds | undefined {
    const saved = key === 'dashboard' ? this.state.dashboard : this.state.panels[key];
    return saved ? onScreen(saved, screen.getAllDisplays().map((d) => d.workArea)) : undefined;
  }

  private load(win: BrowserWindow, query: Record<string, string> | null): void {
    if (this.paths.devServerUrl) {
      const url = new URL(this.paths.devServerUrl);
      for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
      void win.loadURL(url.href);
    } else {
      void win.loadURL(appPageUrl(query));
    }
  }

  private track(key: Key, win: BrowserWindow): void {
    this.windows.set(key, win);
    const placement = this.pendingPlacement.get(key);
    if (placement) {
      this.pendingPlacement.delete(key);
      win.setBounds(placement);
    }
    win.once('ready-to-show', () => win.show());
    this.guard(win.webContents);
    const remember = (): void => {
      if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
      const b = win.getNormalBounds();
      if (key === 'dashboard') this.state.dashboard = b;
      else this.state.panels[key] = b;
      this.schedulePersist();
    };
    win.on('resize', remember);
    win.on('move', remember);
    win.on('closed', () => {
      this.windows.delete(key);
      if (!this.quitting && key !== 'dashboard') this.schedulePersist();
    });
  }

  /** A window may open only the app's own panel windows; https links go to the browser. */
  private guard(contents: WebContents): void {
    contents.setWindowOpenHandler(({ url }) => {
      const decision = decideWindowOpen(url, this.paths.devServerUrl, this.paths.preload, (id) => this.bounds(id));
      if (decision.action === 'allow') {
        const existing = this.windows.get(decision.panelId);
        if (existing && !existing.isDestroyed()) {
          existing.focus();
          return { action: 'deny' };
        }
        return { action: 'allow', overrideBrowserWindowOptions: decision.options };
      }
      if (decision.openExternally) void shell.openExternal(decision.openExternally);
      else this.logger.log('warn', 'window-open-denied', { url });
      return { action: 'deny' };
    });
    contents.on('did-create-window', (child, details) => {
      const panelId = new URL(details.url).searchParams.get('panel');
      if (panelId) this.track(panelId, child);
    });
  }

  private schedulePersist(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.persist(), 500);
  }

  persist(): void {
    this.state.open = [...this.windows.keys()].filter((k) => k !== 'dashboard');
    const error = saveWindowState(this.paths.stateFile, this.state);
    if (error) this.logger.log('warn', 'window-state-save-failed', { error });
  }

  static stateFile(userData: string): string {
    return join(userData, 'windows.json');
  }
}
