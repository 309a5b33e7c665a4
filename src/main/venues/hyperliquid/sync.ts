/**
 * Hyperliquid book synchronisation for one coin (docs/venues.md#hyperliquid). Every `l2Book` frame is
 * the whole visible book (up to 20 levels a side), with no sequence number and no checksum, so:
 *   first frame (or the first after a resync) → replaces the book (a snapshot event);
 *   every later frame → turned into the change from the book held (levels gone get size 0, new or
 *     resized levels their size) and applied as a delta, so the book equals the frame exactly and
 *     the rest of the app sees what moved. Each is checked for a crossed book like any update.
 *   `time` must never go back: a frame older than the book held is a fault (counted as a gap) and
 *     the book is thrown away; the next frame rebuilds it. Equal times are allowed (the venue may
 *     send the same book twice).
 * Ordering and positive sizes are checked by the parser (./messages.ts). A crossed book or an
 * unreadable level also throws the book away. Nothing needs to be asked of the venue to recover:
 * the next frame is a whole book.
 */
import { canonicalDecimal } from '../../../shared/decimal';
import type { BookEvent, Side } from '../../../shared/market';
import type { Note } from '../session';
import type { SymbolFeed } from '../symbol-feed';
import type { BookFrame, LevelPair } from './messages';

export class HyperliquidBookSync {
  /** `time` of the last frame applied; null until a frame rebuilds the book. */
  lastTime: number | null = null;

  constructor(
    private readonly feed: SymbolFeed,
    private readonly note: Note,
  ) {}

  start(): void {
    this.lastTime = null;
    this.feed.awaitSnapshot('subscribed; waiting for the first book');
  }

  onBook(frame: BookFrame, localTs: number): void {
    const state = this.feed.state;
    if (state !== 'buffering' && state !== 'synced' && state !== 'resyncing') {
      this.feed.received(localTs, frame.bids.length + frame.asks.length, frame.time);
      this.feed.staleDropped();
      return;
    }
    if (this.lastTime !== null && frame.time < this.lastTime) {
      this.feed.received(localTs, 0, frame.time);
      this.feed.gap();
      this.note('gap', { lastTime: this.lastTime, time: frame.time });
      this.resync(`book time went back: ${frame.time} after ${this.lastTime}`);
      return;
    }
    const event = this.lastTime === null ? this.snapshot(frame, localTs) : this.changeFrom(frame, localTs);
    this.feed.received(localTs, event.bids.length + event.asks.length, frame.time);
    if (event.kind === 'snapshot') this.feed.synced('whole book received');
    const result = this.feed.apply(event);
    if (result !== 'ok') {
      this.resync(result === 'crossed' ? 'crossed book' : 'malformed level');
      return;
    }
    this.lastTime = frame.time;
  }

  private snapshot(frame: BookFrame, localTs: number): BookEvent {
    return this.feed.event('snapshot', { bids: frame.bids, asks: frame.asks, exchangeTs: frame.time, localTs });
  }

  /** The frame as a delta against the book held: what changed, and size 0 for what left. */
  private changeFrom(frame: BookFrame, localTs: number): BookEvent {
    return this.feed.event('delta', {
      bids: this.sideChange('bid', frame.bids),
      asks: this.sideChange('ask', frame.asks),
      exchangeTs: frame.time,
      localTs,
    });
  }

  private sideChange(side: Side, levels: readonly LevelPair[]): LevelPair[] {
    const held = new Map<string, { price: string; sizeText: string }>();
    for (const level of this.feed.book.levels(side)) held.set(canonicalDecimal(level.price), level);
    const change: LevelPair[] = [];
    for (const [price, size] of levels) {
      const key = canonicalDecimal(price);
      const before = held.get(key);
      held.delete(key);
      if (before?.sizeText !== size) change.push([price, size]);
    }
    for (const gone of held.values()) change.push([gone.price, '0']);
    return change;
  }

  private resync(reason: string): void {
    this.lastTime = null;
    this.feed.resync(reason);
    this.note('resync', { reason });
  }
}
