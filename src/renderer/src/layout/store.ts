/**
 * Shared UI state, persisted in localStorage and kept in step across every window of the app (the
 * dashboard and detached panels) with BroadcastChannel: the layout, the link groups' symbols, recent
 * and favourite symbols. The same code works in Electron and in a browser.
 */
import { useSyncExternalStore } from 'react';

export interface SyncedStore<T> {
  get(): T;
  set(next: T | ((prev: T) => T)): void;
  subscribe(listener: () => void): () => void;
}

/** localStorage where there is one (a window); absent under Node, where the store still syncs by message. */
interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}
const storage = (): KeyValueStorage | undefined => (globalThis as { localStorage?: KeyValueStorage }).localStorage;

export function syncedStore<T>(key: string, parse: (raw: unknown) => T, fallback: () => T): SyncedStore<T> {
  const listeners = new Set<() => void>();
  const load = (): T => {
    try {
      const raw = storage()?.getItem(key) ?? null;
      return raw === null ? fallback() : parse(JSON.parse(raw));
    } catch {
      return fallback();
    }
  };
  let value = load();
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`obm:${key}`) : null;
  const notify = (): void => listeners.forEach((l) => l());
  // The message carries the new value: another window's localStorage write reaches this window's
  // storage asynchronously (Chromium propagates it between renderer processes), so re-reading storage
  // on the message can still see the old value.
  channel?.addEventListener('message', (event) => {
    const data = (event as { data?: unknown }).data;
    try {
      value = typeof data === 'string' ? parse(JSON.parse(data)) : load();
    } catch {
      value = load();
    }
    notify();
  });
  return {
    get: () => value,
    set(next) {
      value = typeof next === 'function' ? (next as (prev: T) => T)(value) : next;
      const text = JSON.stringify(value);
      try {
        storage()?.setItem(key, text);
      } catch {
        // Storage full or disabled: the change still applies to this window and reaches the others.
      }
      channel?.postMessage(text);
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useStore<T>(store: SyncedStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
