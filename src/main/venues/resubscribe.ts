/**
 * Per-symbol recovery timing for venues that rebuild one book by unsubscribing and subscribing it
 * again (Kraken, OKX): a resubscribe waits a back-off that grows while the symbol makes no progress,
 * and a (re)subscribed symbol whose snapshot does not come within the timeout is resubscribed.
 */
import type { SyncState, VenueId } from '../../shared/market';
import type { Logger } from '../log';
import { Backoff } from './backoff';
import type { SymbolFeed } from './symbol-feed';
import type { Clock } from './transport';

/** Still waiting for a snapshot: not synced, not failed, and not waiting for a connection either. */
export function awaitingSnapshot(state: SyncState): boolean {
  return state === 'buffering' || state === 'resyncing';
}

/** A snapshot is welcome: the venue was asked for the book (or sends a fresh one while it is live). */
export function awaitsBook(state: SyncState): boolean {
  return state === 'buffering' || state === 'resyncing' || state === 'synced';
}

/** What the timers need from their adapter. */
export interface ResubscribeContext {
  readonly venue: VenueId;
  readonly logger: Logger;
  readonly clock: Clock;
  /** A (re)subscribed symbol without a snapshot after this long is subscribed again. */
  readonly snapshotTimeoutMs: number;
  isClosed(): boolean;
  /** Whether requests can go out now (while they cannot, a reconnect subscribes everything anyway). */
  isOpen(): boolean;
}

/** A break this long after the last resubscribe starts the back-off afresh (venues without checksums). */
export const QUIET_RESET_MS = 60_000;

/** One symbol's resubscribe back-off and snapshot timer. */
export class ResubscribeTimers {
  private readonly backoff = new Backoff(250, 30_000);
  private resubscribeTimer: unknown = null;
  private snapshotTimer: unknown = null;
  /** checksumOk when the last resubscribe went out: any progress since resets the back-off. */
  private okAtResubscribe = 0;
  /** When the last resubscribe went out. */
  private lastResubscribeAt = -Infinity;

  constructor(
    private readonly context: ResubscribeContext,
    private readonly feed: SymbolFeed,
    /** Send the unsubscribe and subscribe requests that ask the venue for a fresh snapshot. */
    private readonly sendResubscribe: () => void,
  ) {}

  /** A failed check: unsubscribe and subscribe the symbol again, with back-off if it keeps failing. */
  schedule(reason: string): void {
    const { clock, logger } = this.context;
    if (this.context.isClosed()) return;
    // Progress since the last resubscribe starts afresh: a verified checksum or, where the venue has
    // none (Kraken Futures), a quiet minute without needing another.
    if (this.feed.health.checksumOk > this.okAtResubscribe || clock.now() - this.lastResubscribeAt >= QUIET_RESET_MS) this.backoff.reset();
    const delay = this.backoff.next();
    this.clear();
    logger.log('info', 'resubscribe-scheduled', { venue: this.context.venue, symbol: this.feed.symbol, reason, delayMs: delay });
    this.resubscribeTimer = clock.setTimeout(() => {
      this.resubscribeTimer = null;
      if (this.context.isClosed() || !this.context.isOpen()) return;
      this.okAtResubscribe = this.feed.health.checksumOk;
      this.lastResubscribeAt = clock.now();
      this.sendResubscribe();
      this.armSnapshotTimer();
    }, delay);
  }

  /** A subscribe went out: expect the snapshot within the timeout. */
  armSnapshotTimer(): void {
    const { clock, snapshotTimeoutMs } = this.context;
    clock.clearTimeout(this.snapshotTimer);
    this.snapshotTimer = clock.setTimeout(() => {
      this.snapshotTimer = null;
      if (this.context.isClosed() || !awaitingSnapshot(this.feed.state)) return;
      this.schedule(`no snapshot within ${Math.round(snapshotTimeoutMs / 1000)} s`);
    }, snapshotTimeoutMs);
  }

  snapshotArrived(): void {
    this.context.clock.clearTimeout(this.snapshotTimer);
    this.snapshotTimer = null;
  }

  clear(): void {
    const clock = this.context.clock;
    clock.clearTimeout(this.resubscribeTimer);
    clock.clearTimeout(this.snapshotTimer);
    this.resubscribeTimer = null;
    this.snapshotTimer = null;
  }
}
