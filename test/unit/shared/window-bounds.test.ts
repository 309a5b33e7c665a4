import { describe, expect, it } from 'vitest';
import { clampToDisplays, WindowBoundsSchema, type DisplayArea } from '../../../src/shared/window-bounds';

/** A 1920×1080 primary (task bar at the bottom) and a 2560×1440 screen to its right. */
const displays: DisplayArea[] = [
  { id: 1, x: 0, y: 0, width: 1920, height: 1040 },
  { id: 2, x: 1920, y: 0, width: 2560, height: 1440 },
];

describe('clampToDisplays', () => {
  it('leaves a window that fits on its display where it was', () => {
    const b = { x: 2100, y: 100, width: 800, height: 600, displayId: 2 };
    expect(clampToDisplays(b, displays)).toEqual(b);
  });

  it('pulls a window that hangs off its display back inside the work area', () => {
    expect(clampToDisplays({ x: 4300, y: 1300, width: 800, height: 600, displayId: 2 }, displays)).toEqual({ x: 3680, y: 840, width: 800, height: 600, displayId: 2 });
    expect(clampToDisplays({ x: -50, y: -20, width: 800, height: 600, displayId: 1 }, displays)).toEqual({ x: 0, y: 0, width: 800, height: 600, displayId: 1 });
  });

  it('moves a window from a display that is gone to the primary, shrinking it to fit', () => {
    expect(clampToDisplays({ x: 5000, y: 200, width: 2400, height: 1300, displayId: 7 }, displays)).toEqual({ x: 0, y: 0, width: 1920, height: 1040, displayId: 1 });
    expect(clampToDisplays({ x: 2100, y: 100, width: 800, height: 600, displayId: 2 }, [displays[0]!])).toEqual({ x: 1120, y: 100, width: 800, height: 600, displayId: 1 });
  });

  it('has nowhere to put a window without displays', () => {
    expect(clampToDisplays({ x: 0, y: 0, width: 800, height: 600, displayId: 1 }, [])).toBeNull();
  });

  it('validates bounds: whole pixels, a usable size, a display id, nothing else', () => {
    expect(WindowBoundsSchema.safeParse({ x: -1920, y: 0, width: 800, height: 600, displayId: 3 }).success).toBe(true);
    expect(WindowBoundsSchema.safeParse({ x: 0.5, y: 0, width: 800, height: 600, displayId: 3 }).success).toBe(false);
    expect(WindowBoundsSchema.safeParse({ x: 0, y: 0, width: 100, height: 600, displayId: 3 }).success).toBe(false);
    expect(WindowBoundsSchema.safeParse({ x: 0, y: 0, width: 800, height: 600 }).success).toBe(false);
    expect(WindowBoundsSchema.safeParse({ x: 0, y: 0, width: 800, height: 600, displayId: 3, z: 1 }).success).toBe(false);
  });
});
