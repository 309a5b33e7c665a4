/**
 * Where a detached panel's window sits on the desktop, as a workspace keeps it: position and size in
 * screen pixels and the display it was on. Restoring puts it back on that display when it still
 * exists, else on the first (primary) one, always wholly inside the display's work area. The
 * desktop app saves and restores these; the web host has no windows to place and ignores them.
 */
import { z } from 'zod';

const Coordinate = z.number().int().min(-100_000).max(100_000);

export const WindowBoundsSchema = z
  .object({
    x: Coordinate,
    y: Coordinate,
    width: z.number().int().min(200).max(100_000),
    height: z.number().int().min(150).max(100_000),
    /** The display's id as the desktop reports it (Electron's Display.id). */
    displayId: z.number().int().nonnegative(),
  })
  .strict();
export type WindowBounds = z.output<typeof WindowBoundsSchema>;

/** Panel id → its window's bounds. */
export const PanelWindowsSchema = z.record(z.string().min(1).max(100), WindowBoundsSchema).refine((r) => Object.keys(r).length <= 40, 'at most 40 windows');
export type PanelWindows = z.output<typeof PanelWindowsSchema>;

export interface DisplayArea {
  id: number;
  /** The work area (without task bars and docks). */
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Bounds moved (and shrunk if need be) into a display that exists: the one saved when it is still
 * attached, else the first listed (the primary). Null when there is no display at all.
 */
export function clampToDisplays(bounds: WindowBounds, displays: readonly DisplayArea[]): WindowBounds | null {
  const display = displays.find((d) => d.id === bounds.displayId) ?? displays[0];
  if (!display) return null;
  const width = Math.min(bounds.width, display.width);
  const height = Math.min(bounds.height, display.height);
  const x = Math.min(Math.max(bounds.x, display.x), display.x + display.width - width);
  const y = Math.min(Math.max(bounds.y, display.y), display.y + display.height - height);
  return { x, y, width, height, displayId: display.id };
}

export const windowBoundsCommands = {
  /** Desktop only: the bounds of these panels' windows (open ones as they are now, others as last seen). */
  'windows.bounds.get': {
    request: z.object({ ids: z.array(z.string().min(1).max(100)).max(40) }).strict(),
    response: z.object({ windows: PanelWindowsSchema }),
  },
  /** Desktop only: place these panels' windows (each clamped to a display that exists); open ones move now. */
  'windows.bounds.set': {
    request: z.object({ windows: PanelWindowsSchema }).strict(),
    response: z.object({ placed: z.number().int() }),
  },
} as const;
