/**
 * What the book sync of every venue that rebuilds a book by resubscribing (OKX, Bitget, Deribit,
 * Kraken Futures) does alike: wait for the snapshot after subscribing, take a snapshot only while the
 * book was asked for, drop updates that have no live book to go on, and on any failed check throw the
 * book away and resubscribe. Each venue's sync adds its own continuity rule (the sequence it holds).
 */
import type { BookEvent } from '../../shared/market';
import { awaitsBook } from './resubscribe';
import type { SymbolFeed } from './symbol-feed';

export interface ResubscribeSyncHooks {
  /** Unsubscribe and subscribe this instrument's book again, for a fresh snapshot. */
  resubscribe(reason: string): void;
  note(event: string, fields: Record<string, unknown>): void;
}

export abstract class ResubscribeBookSync {
  /** The venue's sequence position of the last message applied (its own kind per venue); null before a snapshot. */
  protected sequence: number | null = null;

  constructor(
    protected readonly feed: SymbolFeed,
    protected readonly hooks: ResubscribeSyncHooks,
  ) {}

  /** The subscribe request went out: wait for the snapshot. */
  start(): void {
    this.sequence = null;
    this.feed.awaitSnapshot('subscribed; waiting for the snapshot');
  }

  /** Counts a snapshot's levels; whether to take it (the venue was asked for the book, or it is live). */
  protected snapshotWelcome(levelCount: number, exchangeTs: number | undefined, localTs: number): boolean {
    this.feed.received(localTs, levelCount, exchangeTs);
    return awaitsBook(this.feed.state);
  }

  /**
   * Counts an update's levels; whether there is a live book to apply it to. Otherwise (before the
   * snapshot, or in flight from before a resubscribe) it is dropped: the next snapshot carries it.
   */
  protected updateWelcome(levelCount: number, exchangeTs: number | undefined, localTs: number, sequenceHeld = true): boolean {
    this.feed.received(localTs, levelCount, exchangeTs);
    if (this.feed.state === 'synced' && sequenceHeld) return true;
    this.feed.staleDropped();
    return false;
  }

  /** Applies a snapshot; whether it was taken (a crossed or malformed one resyncs). */
  protected applySnapshot(event: BookEvent): boolean {
    if (this.feed.apply(event) === 'ok') return true;
    this.resync('snapshot rejected (crossed or malformed)');
    return false;
  }

  /** Applies an update; whether it was taken (a crossed book or a malformed level resyncs). */
  protected applyUpdate(event: BookEvent): boolean {
    const result = this.feed.apply(event);
    if (result === 'ok') return true;
    this.resync(result === 'crossed' ? 'crossed book' : 'malformed level');
    return false;
  }

  /** The venue's sequence broke (a message lost, repeated or out of order): count, note, resync. */
  protected sequenceBreak(fields: Record<string, unknown>, reason: string): void {
    this.feed.gap();
    this.hooks.note('gap', fields);
    this.resync(reason);
  }

  /** Compares the venue's checksum with the book's; a mismatch resyncs. `input` is the checked text, for the log. */
  protected checkChecksum(expected: number, computed: number, input: () => string): void {
    this.feed.checksum(computed === expected);
    if (computed === expected) return;
    this.hooks.note('checksum-failed', { expected, computed, input: input().slice(0, 200) });
    this.resync(`checksum mismatch: venue ${expected}, book ${computed}`);
  }

  protected resync(reason: string): void {
    this.sequence = null;
    this.feed.resync(reason);
    this.hooks.note('resync', { reason });
    this.hooks.resubscribe(reason);
  }
}

/** A symbol's entry as a book message reaches it: its snapshot wait and its sync. */
interface BookRoute<D> {
  readonly timers: { snapshotArrived(): void } | null;
  readonly sync: { onSnapshot(data: D, localTs: number): void; onUpdate(data: D, localTs: number): void };
}

/** One book message of a resubscribe venue: a snapshot (which ends the snapshot wait) or updates, in order. */
export function routeBookMessage<D>(entry: BookRoute<D>, action: 'snapshot' | 'update', data: readonly D[], localTs: number): void {
  for (const item of data) {
    if (action === 'snapshot') {
      entry.timers?.snapshotArrived();
      entry.sync.onSnapshot(item, localTs);
    } else {
      entry.sync.onUpdate(item, localTs);
    }
  }
}
