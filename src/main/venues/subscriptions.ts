/**
 * What every adapter does over its per-symbol entries (each holding the symbol's feed and sync):
 * list the feeds and their health records, and mark them when the connection goes down.
 */
import type { SymbolHealth } from '../../shared/contract';
import type { SymbolFeed } from './symbol-feed';

type Entries = ReadonlyMap<string, { readonly feed: SymbolFeed }>;

export function* feedsOf(entries: Entries): Iterable<SymbolFeed> {
  for (const entry of entries.values()) yield entry.feed;
}

export function healthOf(entries: Entries, now: number): SymbolHealth[] {
  return [...entries.values()].map((entry) => entry.feed.healthSnapshot(now));
}

/** The connection carrying a symbol went down: count it on the symbol, and its sync waits for the reconnect. */
export function connectionLost(entry: { readonly feed: SymbolFeed; readonly sync: { disconnected(reason: string): void } }, reason: string): void {
  entry.feed.health.reconnects++;
  entry.feed.health.lastError = reason;
  entry.sync.disconnected(reason);
}
