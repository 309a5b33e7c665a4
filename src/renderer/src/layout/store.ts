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

export function syncedStore<T>(key: string, parse: (raw: unknown) => T, fallback: () => T): SyncedStore<T> {
  const listeners = new Set<() => void>();
  const load = (): T => {
    try {
      const raw = localStorage.getItem(key);
      return raw === null ? fallback() : parse(JSON.parse(raw));
    } catch {
      return fallback();
    }
  };
  let value = load();
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`obm:${key}`) : null;
  const notify = (): void => listeners.forEach((l) => l());
  channel?.addEventListener('message', () => {
    value = load();
    notify();
  });
  return {
    get: () => value,
    set(next) {
      value = typeof next === 'function' ? (next as (prev: T) => T)(value) : next;
      try {
        localStorage.setItem(key, JSON.stringify(value));
      } catch {
        // Storage full or disabled: the change still applies to this window.
      }
      channel?.postMessage('changed');
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
