/**
 * Coinbase Advanced Trade `level2` book for one product: a `snapshot` event replaces the book, `update`
 * events set absolute quantities (zero deletes); updates before the product's snapshot are dropped.
 * Continuity is checked per connection by the adapter (envelope `sequence_num`), which rebuilds every
 * book on the connection after a gap; a crossed or malformed book rebuilds this product alone.
 */
import { awaitsBook } from '../resubscribe';
import type { SymbolFeed } from '../symbol-feed';
import type { L2Event } from './messages';

export interface AdvancedSyncHooks {
  resubscribe(reason: string): void;
  note(event: string, fields: Record<string, unknown>): void;
}

export class AdvancedBookSync {
  constructor(
    private readonly feed: SymbolFeed,
    private readonly hooks: AdvancedSyncHooks,
  ) {}

  /** Subscribed: wait for the snapshot. */
  start(): void {
    this.feed.awaitSnapshot('subscribed');
  }

  /** Throw the book away and subscribe this product again. */
  resync(reason: string): void {
    this.hooks.note('resync', { reason });
    this.feed.resync(reason);
    this.hooks.resubscribe(reason);
  }

  onEvent(ev: L2Event, localTs: number): void {
    const exchangeTs = ev.timeUs === null ? undefined : ev.timeUs / 1000;
    this.feed.received(localTs, ev.bids.length + ev.asks.length, ev.type === 'update' ? exchangeTs : undefined);
    const state = this.feed.state;
    if (ev.type === 'snapshot') {
      if (!awaitsBook(state)) return;
      this.feed.synced('snapshot applied');
      const event = this.feed.event('snapshot', { bids: ev.bids, asks: ev.asks, localTs });
      const result = this.feed.apply(event);
      if (result !== 'ok') this.resync(result === 'crossed' ? 'snapshot is crossed' : 'snapshot has a malformed level');
      return;
    }
    if (state !== 'synced') {
      this.feed.staleDropped();
      return;
    }
    const event = this.feed.event('delta', { bids: ev.bids, asks: ev.asks, exchangeTs, localTs });
    const result = this.feed.apply(event);
    if (result !== 'ok') this.resync(result === 'crossed' ? 'crossed book' : 'malformed level in update');
  }
}
