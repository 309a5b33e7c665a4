/**
 * The views every adapter offers over its per-symbol entries (each holding the symbol's feed):
 * the feeds themselves and their health records.
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
