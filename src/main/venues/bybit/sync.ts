/**
 * Bybit `orderbook.{depth}.{symbol}` synchronisation for one symbol. The venue sends the snapshot
 * itself after a subscribe, so there is no REST snapshot to buffer for:
 *
 *   1. a `snapshot` message replaces the book (also a snapshot re-sent mid-stream: Bybit does that
 *      when it had a problem, and it is guaranteed to hold the latest data);
 *   2. a message with `u == 1` is snapshot data after a service restart, whatever its `type`: it
 *      replaces the book too;
 *   3. a `delta` applies absolute sizes (0 deletes) and must carry `u == previous u + 1`.
 *
 * Rule 3 is our choice: the docs describe `u` as "a sequence" (and the older docs as "normally
 * consecutive") but state continuity in so many words only for `orderbook.full`. Bybit's own captures
 * show it consecutive (the shared orderbook.500 capture: 49 deltas, every u = previous + 1). A break
 * is treated as "resubscribe" (docs/venues.md#bybit): the book is thrown away and the topic is
 * unsubscribed and subscribed again, which makes Bybit send a fresh snapshot. A crossed book or a
 * level we cannot read does the same.
 *
 * The book is kept to the subscribed depth after every message. Bybit maintains the window itself
 * (levels that leave it are deleted in the same delta), so this is a no-op on a healthy feed; it
 * keeps the ladder honest if a level outside the window were ever left behind.
 */
import type { BookEvent } from '../../../shared/market';
import type { SymbolFeed } from '../symbol-feed';
import type { BookMessage } from './messages';

export interface BookSyncHooks {
  /** Ask the adapter to unsubscribe and subscribe the topic again (Bybit answers with a snapshot). */
  resubscribe(reason: string): void;
  /** Report a sync event worth a log line (gap, resync, venue snapshot, depth followed). */
  note(event: string, fields: Record<string, unknown>): void;
}

export class BybitBookSync {
  /** Update id the book reflects; -1 while not synced. */
  localU = -1;
  /** Depth of the topic followed; the book is truncated to it. */
  depth: number;
  /** Set once this subscription received its first snapshot (the topic's depth is then fixed). */
  private followed = false;

  constructor(
    private readonly feed: SymbolFeed,
    private readonly hooks: BookSyncHooks,
    depth: number,
  ) {
    this.depth = depth;
  }

  /** A subscribe for this symbol was sent: wait for its snapshot. */
  start(): void {
    this.localU = -1;
    this.followed = false;
    this.feed.awaitSnapshot('subscribed, waiting for the snapshot');
  }

  /**
   * Whether a message on `depth` belongs to this subscription. Live, Bybit only streams the topic we
   * subscribed. A capture may have been recorded at another depth (orderbook.500 in the shared
   * capture): until the first snapshot arrives we follow the depth the venue actually streams.
   */
  accepts(msg: BookMessage): boolean {
    if (msg.depth === this.depth) return true;
    if (this.followed || !isReset(msg)) return false;
    this.hooks.note('depth-followed', { subscribed: this.depth, streamed: msg.depth });
    this.depth = msg.depth;
    return true;
  }

  onMessage(msg: BookMessage, localTs: number): void {
    this.feed.received(localTs, msg.bids.length + msg.asks.length, msg.ts ?? undefined);
    const state = this.feed.state;
    if (state === 'failed' || state === 'idle' || state === 'connecting') return;
    if (isReset(msg)) {
      this.applySnapshot(msg, localTs);
      return;
    }
    if (state !== 'synced') {
      // Deltas before the (new) snapshot belong to a book we do not have.
      this.feed.staleDropped();
      return;
    }
    if (msg.u !== this.localU + 1) {
      this.feed.gap();
      this.hooks.note('gap', { localU: this.localU, u: msg.u });
      this.resync(`sequence gap: expected u=${this.localU + 1}, got u=${msg.u}`);
      return;
    }
    const event = this.feed.event('delta', {
      bids: msg.bids,
      asks: msg.asks,
      seq: msg.u,
      prevSeq: this.localU,
      ...(msg.ts !== null ? { exchangeTs: msg.ts } : {}),
      localTs,
    });
    this.localU = msg.u;
    this.applyChecked(event);
  }

  private applySnapshot(msg: BookMessage, localTs: number): void {
    const wasSynced = this.feed.state === 'synced';
    if (wasSynced) {
      // Not an error on our side: Bybit re-sends a snapshot when it had a problem, or restarted (u = 1).
      this.hooks.note(msg.u === 1 ? 'service-restart' : 'venue-snapshot', { localU: this.localU, u: msg.u, type: msg.type });
    }
    this.followed = true;
    const event = this.feed.event('snapshot', {
      bids: msg.bids,
      asks: msg.asks,
      seq: msg.u,
      ...(msg.ts !== null ? { exchangeTs: msg.ts } : {}),
      localTs,
    });
    this.localU = msg.u;
    this.feed.synced(msg.u === 1 && wasSynced ? 'snapshot after a venue restart (u = 1)' : 'snapshot applied');
    this.applyChecked(event);
  }

  private applyChecked(event: BookEvent): void {
    const result = this.feed.apply(event, { truncateTo: this.depth });
    if (result !== 'ok') this.resync(result === 'crossed' ? 'crossed book' : 'malformed level');
  }

  /** Throw the book away and have the topic resubscribed (a fresh snapshot follows). */
  private resync(reason: string): void {
    this.hooks.note('resync', { reason });
    this.localU = -1;
    this.feed.resync(reason);
    this.hooks.resubscribe(reason);
  }
}

/** A snapshot, or snapshot data after a restart (u == 1), replaces the book. */
export function isReset(msg: BookMessage): boolean {
  return msg.type === 'snapshot' || msg.u === 1;
}
