/**
 * Whether a book's source has ended (a desk collector's capture played to its end, a replayed capture
 * that finished): its book is final, not live. Read from the feed health (`ended`), through one health
 * subscription per window shared by every panel that asks.
 */
import { useSyncExternalStore } from 'react';
import type { HealthReport } from '../../../shared/contract';
import { getApi } from '../api';

let endedBooks = new Set<string>();
const listeners = new Set<() => void>();
let unsubscribe: (() => void) | null = null;

function onHealth(report: HealthReport): void {
  const next = new Set(report.symbols.filter((h) => h.ended).map((h) => `${h.venue}:${h.symbol}`));
  if (next.size === endedBooks.size && [...next].every((k) => endedBooks.has(k))) return;
  endedBooks = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  unsubscribe ??= getApi().subscribe('health', {}, onHealth, () => {});
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    unsubscribe?.();
    unsubscribe = null;
    endedBooks = new Set();
  };
}

/** True once the health of `venue:symbol` says its source ended. */
export function useFeedEnded(venue: string | null | undefined, symbol: string | null | undefined): boolean {
  const key = venue && symbol ? `${venue}:${symbol}` : null;
  return useSyncExternalStore(subscribe, () => (key ? endedBooks.has(key) : false));
}
