/**
 * Where each window was: the dashboard's bounds and each panel window's, plus which panel windows
 * were open at quit (they open again on the next start). Kept in `<userData>/windows.json`, written
 * atomically; a damaged file is ignored. No Electron imports, so it is tested in plain Node.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Bounds } from './web-preferences';

export interface WindowState {
  dashboard: Bounds | null;
  panels: Record<string, Bounds>;
  /** Panel windows open when the app last quit. */
  open: string[];
}

function isBounds(b: unknown): b is Bounds {
  const x = b as Bounds;
  const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
  return !!x && ok(x.width) && ok(x.height) && x.width >= 200 && x.height >= 150 && (x.x === undefined || ok(x.x)) && (x.y === undefined || ok(x.y));
}

export function loadWindowState(path: string): WindowState {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<WindowState>;
    const panels: Record<string, Bounds> = {};
    for (const [id, b] of Object.entries(raw.panels ?? {})) if (isBounds(b)) panels[id] = b;
    return {
      dashboard: isBounds(raw.dashboard) ? raw.dashboard : null,
      panels,
      open: Array.isArray(raw.open) ? raw.open.filter((id): id is string => typeof id === 'string' && id in panels) : [],
    };
  } catch {
    return { dashboard: null, panels: {}, open: [] };
  }
}

/** Save; a failure (read-only disk) only costs the saved geometry, so it is returned, not thrown. */
export function saveWindowState(path: string, state: WindowState): string | null {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state, null, 1));
    renameSync(tmp, path);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Keep a window on screen: bounds that fall outside every display are dropped (the OS centres it). */
export function onScreen(bounds: Bounds, displays: Array<{ x: number; y: number; width: number; height: number }>): Bounds {
  if (bounds.x === undefined || bounds.y === undefined) return bounds;
  const visible = displays.some(
    (d) => bounds.x! + 80 > d.x && bounds.x! < d.x + d.width - 80 && bounds.y! >= d.y - 20 && bounds.y! < d.y + d.height - 80,
  );
  return visible ? bounds : { width: bounds.width, height: bounds.height };
}
