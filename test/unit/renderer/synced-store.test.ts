import { describe, expect, it } from 'vitest';
import { syncedStore } from '../../../src/renderer/src/layout/store';

// Two stores under one key stand for two windows. Node has BroadcastChannel but no localStorage, so the
// only way the second can learn the value is the message itself: what a window sees when the other
// window's storage write has not reached it yet.
describe('a store kept in step across windows', () => {
  it('another window takes the new value from the message, not from its (stale) storage', async () => {
    const key = `test.synced.${Math.random()}`;
    const parse = (raw: unknown) => ({ theme: (raw as { theme?: string }).theme ?? 'dark' });
    const dashboard = syncedStore(key, parse, () => ({ theme: 'dark' }));
    const settings = syncedStore(key, parse, () => ({ theme: 'dark' }));
    const changed = new Promise<void>((resolve) => dashboard.subscribe(resolve));
    settings.set({ theme: 'light' });
    await changed;
    expect(dashboard.get()).toEqual({ theme: 'light' });
  });
});
