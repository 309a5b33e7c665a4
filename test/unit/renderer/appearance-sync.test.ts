import { describe, expect, it } from 'vitest';
import { appearanceStore, syncAppearanceWithSettings } from '../../../src/renderer/src/theme/theme';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the saved appearance taken at start', () => {
  it('applies the saved theme when nothing changed while it loaded', async () => {
    appearanceStore.set({ theme: 'dark', numberFormat: 'grouped' });
    const load = deferred<{ settings: { theme: 'light'; numberFormat: 'grouped' } }>();
    syncAppearanceWithSettings(() => load.promise);
    load.resolve({ settings: { theme: 'light', numberFormat: 'grouped' } });
    await load.promise;
    await Promise.resolve();
    expect(appearanceStore.get().theme).toBe('light');
  });

  it('keeps a theme chosen while the saved settings were loading (a slow load must not undo it)', async () => {
    appearanceStore.set({ theme: 'dark', numberFormat: 'grouped' });
    const load = deferred<{ settings: { theme: 'dark'; numberFormat: 'grouped' } }>();
    syncAppearanceWithSettings(() => load.promise);
    appearanceStore.set((a) => ({ ...a, theme: 'light' }));
    load.resolve({ settings: { theme: 'dark', numberFormat: 'grouped' } });
    await load.promise;
    await Promise.resolve();
    expect(appearanceStore.get().theme).toBe('light');
  });
});
