import { describe, expect, it } from 'vitest';
import { adoptSavedAppearance, type AppearanceLike } from '../../../src/renderer/src/theme/adopt-saved';

/** A store like the synced one: set notifies every listener. */
function memoryStore(initial: AppearanceLike) {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next: AppearanceLike) {
      value = next;
      listeners.forEach((l) => l());
    },
    subscribe(l: () => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the saved appearance taken at start', () => {
  it('applies the saved theme when nothing changed while it loaded', async () => {
    const store = memoryStore({ theme: 'dark', numberFormat: 'grouped' });
    const load = deferred<{ settings: AppearanceLike }>();
    const done = adoptSavedAppearance(store, () => load.promise);
    load.resolve({ settings: { theme: 'light', numberFormat: 'plain' } });
    await done;
    expect(store.get()).toEqual({ theme: 'light', numberFormat: 'plain' });
  });

  it('keeps a theme chosen while the saved settings were loading (a slow load must not undo it)', async () => {
    const store = memoryStore({ theme: 'dark', numberFormat: 'grouped' });
    const load = deferred<{ settings: AppearanceLike }>();
    const done = adoptSavedAppearance(store, () => load.promise);
    store.set({ theme: 'light', numberFormat: 'grouped' });
    load.resolve({ settings: { theme: 'dark', numberFormat: 'grouped' } });
    await done;
    expect(store.get().theme).toBe('light');
  });

  it('a failed load changes nothing', async () => {
    const store = memoryStore({ theme: 'dark', numberFormat: 'grouped' });
    await adoptSavedAppearance(store, () => Promise.reject(new Error('no settings on this host')));
    expect(store.get().theme).toBe('dark');
  });
});
