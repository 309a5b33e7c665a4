/**
 * Binance diff-depth synchronisation for one symbol: buffer diffs, take a REST snapshot, drop what the
 * snapshot already holds, bridge, then apply with a continuity check; any break rebuilds from a fresh
 * snapshot. Also cross-checks every bookTicker against the rebuilt best bid/ask at the same update id.
 *
 * Rules: docs/venues.md#binance.
 * Spot rules (web-socket-streams.md "How to manage a local order book correctly", 2025-11-12):
 *   snapshot.lastUpdateId < first buffered U → snapshot too old, fetch again;
 *   drop events with u <= lastUpdateId; then per event: u < localId → ignore,
 *   U > localId + 1 → gap, rebuild; apply; localId = u.
 * USD-M rules (futures "How to manage a local order book correctly"):
 *   drop u < lastUpdateId; first event must have U <= lastUpdateId <= u; then pu == previous u.
 */
import { decimalEquals } from '../../../shared/decimal';
import type { SymbolFeed } from '../symbol-feed';
import type { BookTicker, DepthSnapshot, DepthUpdate } from './messages';

export type DepthRules = 'spot' | 'usdm';

export interface DepthSyncHooks {
  /** Ask the adapter for a REST snapshot; it calls onSnapshot (or onSnapshotFailed) later. */
  requestSnapshot(reason: string): void;
  /** Report a sync event worth a log line (gap, resync, stale snapshot). */
  note(event: string, fields: Record<string, unknown>): void;
}

/** Largest number of diffs held while waiting for a snapshot before the buffer restarts. */
const MAX_BUFFER = 10_000;
/** How many applied update ids we remember for a bookTicker that arrives after its depth event. */
const BBO_HISTORY = 64;

interface BboAt {
  u: number;
  bid: string | null;
  bidSize: string | null;
  ask: string | null;
  askSize: string | null;
}

export class BinanceDepthSync {
  private buffer: DepthUpdate[] = [];
  private firstU: number | null = null;
  /** Update id the book reflects; -1 while not synced. */
  localId = -1;
  private snapshotPending = false;
  /** The first event after a snapshot must bridge it (USD-M rule; spot's check covers it). */
  private awaitingBridge = false;
  /**
   * The book's best bid/ask after each of the last BBO_HISTORY applied update ids: a ring of records
   * reused in place (one write per depth event, no allocation); `bboCount` of them are valid.
   */
  private readonly bboHistory: BboAt[] = Array.from({ length: BBO_HISTORY }, () => ({ u: -1, bid: null, bidSize: null, ask: null, askSize: null }));
  private bboNext = 0;
  private bboCount = 0;
  private readonly pendingTickers = new Map<number, BookTicker>();

  constructor(
    private readonly feed: SymbolFeed,
    private readonly hooks: DepthSyncHooks,
    private readonly rules: DepthRules = 'spot',
  ) {}

  /** The socket carrying this symbol is open (or the symbol was just subscribed on it). */
  start(): void {
    this.clear();
    this.feed.awaitSnapshot('subscribed');
  }

  onDepth(ev: DepthUpdate, localTs: number): void {
    this.feed.received(localTs, ev.b.length + ev.a.length, ev.E);
    this.route(ev, localTs);
  }

  private route(ev: DepthUpdate, localTs: number): void {
    const state = this.feed.state;
    if (state === 'synced') {
      this.applyLive(ev, localTs);
      return;
    }
    if (state !== 'buffering' && state !== 'resyncing') return;
    if (this.buffer.length >= MAX_BUFFER) {
      this.hooks.note('buffer-overflow', { size: this.buffer.length });
      this.buffer = [];
      this.firstU = null;
    }
    if (this.firstU === null) this.firstU = ev.U;
    this.buffer.push(ev);
    this.feed.buffered(this.buffer.length);
    if (!this.snapshotPending) {
      this.snapshotPending = true;
      this.hooks.requestSnapshot(state === 'resyncing' ? 'resync' : 'initial');
    }
  }

  onSnapshot(snap: DepthSnapshot, localTs: number): void {
    this.snapshotPending = false;
    const state = this.feed.state;
    if (state !== 'buffering' && state !== 'resyncing') return;
    if (this.firstU === null) {
      // No diff buffered yet: keep waiting; a snapshot is requested again when one arrives.
      return;
    }
    const tooOld = this.rules === 'spot' ? snap.lastUpdateId < this.firstU : false;
    if (tooOld) {
      this.hooks.note('snapshot-too-old', { lastUpdateId: snap.lastUpdateId, firstU: this.firstU });
      this.snapshotPending = true;
      this.hooks.requestSnapshot('snapshot older than first buffered diff');
      return;
    }
    const last = snap.lastUpdateId;
    const keep = this.buffer.filter((ev) => (this.rules === 'spot' ? ev.u > last : ev.u >= last));
    this.feed.staleDropped(this.buffer.length - keep.length);
    this.buffer = [];
    this.feed.buffered(0);
    const event = this.feed.event('snapshot', {
      bids: snap.bids,
      asks: snap.asks,
      seq: last,
      localTs,
    });
    this.localId = last;
    this.awaitingBridge = true;
    this.feed.synced('snapshot applied');
    if (this.feed.apply(event) !== 'ok') {
      this.resync('snapshot rejected (crossed or malformed)', null);
      return;
    }
    // The snapshot's own best bid/ask: a bookTicker at exactly lastUpdateId is compared with it.
    this.recordBbo(last);
    for (const ev of keep) {
      if (this.feed.state !== 'synced') {
        // A buffered event broke continuity and a resync began: the rest belong to the new buffer.
        this.route(ev, localTs);
        continue;
      }
      this.applyLive(ev, localTs);
    }
  }

  /** The REST snapshot could not be had (network, HTTP error); the adapter retries later. */
  onSnapshotFailed(): void {
    this.snapshotPending = false;
  }

  private applyLive(ev: DepthUpdate, localTs: number): void {
    if (ev.u < this.localId || (this.rules === 'spot' && ev.u === this.localId)) {
      this.feed.staleDropped();
      return;
    }
    if (!this.continues(ev)) {
      this.feed.gap();
      this.hooks.note('gap', { localId: this.localId, U: ev.U, u: ev.u, pu: ev.pu });
      this.resync(`sequence gap: expected ${this.localId + 1}, got U=${ev.U}`, ev);
      return;
    }
    this.awaitingBridge = false;
    const event = this.feed.event('delta', {
      bids: ev.b,
      asks: ev.a,
      seq: ev.u,
      prevSeq: ev.pu ?? ev.U - 1,
      exchangeTs: ev.E,
      localTs,
    });
    this.localId = ev.u;
    const result = this.feed.apply(event);
    if (result !== 'ok') {
      this.resync(result === 'crossed' ? 'crossed book' : 'malformed level', null);
      return;
    }
    this.recordBbo(ev.u);
  }

  private continues(ev: DepthUpdate): boolean {
    if (this.rules === 'spot') return ev.U <= this.localId + 1;
    if (this.awaitingBridge) return ev.U <= this.localId && ev.u >= this.localId;
    return ev.pu === this.localId;
  }

  onTicker(t: BookTicker, localTs: number): void {
    this.feed.received(localTs, 0, t.E);
    if (this.feed.state !== 'synced') return;
    if (t.u > this.localId) {
      // The depth event carrying this update id has not arrived yet: check when it does.
      this.pendingTickers.set(t.u, t);
      if (this.pendingTickers.size > BBO_HISTORY) {
        const oldest = this.pendingTickers.keys().next().value as number;
        this.pendingTickers.delete(oldest);
      }
      return;
    }
    const at = this.bboAt(t.u);
    // A ticker whose id falls inside a batched depth event has no matching book state: not checked.
    if (at) this.compareBbo(t, at);
  }

  private recordBbo(u: number): void {
    const book = this.feed.book;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    const at = this.bboHistory[this.bboNext]!;
    at.u = u;
    at.bid = bid ? bid.price : null;
    at.bidSize = bid ? bid.sizeText : null;
    at.ask = ask ? ask.price : null;
    at.askSize = ask ? ask.sizeText : null;
    this.bboNext = (this.bboNext + 1) % BBO_HISTORY;
    if (this.bboCount < BBO_HISTORY) this.bboCount++;
    if (this.pendingTickers.size === 0) return;
    const ticker = this.pendingTickers.get(u);
    if (ticker) {
      this.pendingTickers.delete(u);
      this.compareBbo(ticker, at);
    }
    for (const id of this.pendingTickers.keys()) {
      if (id < u) this.pendingTickers.delete(id);
    }
  }

  /** The recorded best bid/ask at update id `u`, if it is among the last BBO_HISTORY. */
  private bboAt(u: number): BboAt | undefined {
    for (let i = 1; i <= this.bboCount; i++) {
      const at = this.bboHistory[(this.bboNext - i + BBO_HISTORY) % BBO_HISTORY]!;
      if (at.u === u) return at;
    }
    return undefined;
  }

  private compareBbo(t: BookTicker, at: BboAt): void {
    const same =
      at.bid !== null &&
      at.ask !== null &&
      decimalEquals(t.b, at.bid) &&
      decimalEquals(t.B, at.bidSize!) &&
      decimalEquals(t.a, at.ask) &&
      decimalEquals(t.A, at.askSize!);
    if (same) {
      this.feed.bbo(true);
      return;
    }
    const detail = `venue ${t.b}x${t.B} / ${t.a}x${t.A}, book ${at.bid}x${at.bidSize} / ${at.ask}x${at.askSize}`;
    this.feed.bbo(false, `best bid/offer mismatch at update ${t.u}: ${detail}`);
    this.hooks.note('bbo-mismatch', { u: t.u, detail });
    // Only resync if the mismatch concerns the book as it stands now.
    if (at.u === this.localId) this.resync('best bid/offer mismatch', null);
  }

  /** Throw the book away and rebuild from a fresh snapshot, keeping `pending` as the first diff. */
  private resync(reason: string, pending: DepthUpdate | null): void {
    this.hooks.note('resync', { reason });
    this.clear();
    this.feed.resync(reason);
    if (pending) this.route(pending, this.feed.lastLocalTs);
  }

  private clear(): void {
    this.buffer = [];
    this.firstU = null;
    this.localId = -1;
    this.awaitingBridge = false;
    this.bboCount = 0;
    this.pendingTickers.clear();
    this.feed.buffered(0);
    // A snapshot already requested is still welcome: it is checked against the new buffer.
  }
}
