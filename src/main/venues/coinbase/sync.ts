/**
 * Coinbase Exchange level2 / level2_batch book for one product: wait for the snapshot (updates that
 * arrive before it are dropped), then apply every l2update (absolute sizes, any zero form deletes).
 * L2 messages carry no sequence, so the integrity signals are the heartbeat watchdog (in the adapter),
 * the crossed-book check and the ticker best bid/offer cross-check below. Any of them failing throws
 * the book away and resubscribes the product for a fresh snapshot. docs/venues.md#coinbase.
 *
 * Ticker cross-check: what can honestly be compared depends on the book channel.
 *
 * level2 ('exact'): every change arrives as it happens. A trade's l2update reaches us before its
 *   ticker and carries the same exchange time (the 2021 capture shows it for every ticker that follows
 *   an update, including cascades where several fills share one timestamp and each ticker follows its
 *   own fill's update). So a ticker is compared, prices and (when the ticker carries them) sizes, only
 *   when its time equals the time of the last update applied to that product. A ticker older than that
 *   describes a book we no longer hold; one newer than that is ahead of the book; one arriving before
 *   any update since the snapshot (Coinbase replays the last trade's ticker on subscribe, minutes old)
 *   has no known book state. None of those is compared. Each comparison counts ok or failed; two
 *   failures in a row are divergence and rebuild the book (a single one might be noise).
 *
 * level2_batch ('settled'): changes are aggregated over 50 ms and the batch timestamp's meaning is not
 *   documented, so no single book state is known to be the one the ticker saw: if the top moved twice
 *   inside one batch the book never passes through it. A ticker is therefore a probe: it passes (bboOk)
 *   when the book shows the ticker's best bid and ask prices at its arrival or after any update within
 *   the next second. A probe that does not pass is not counted as a failure. Divergence is a book that
 *   has stopped agreeing: three probes in a row missed and none passed for 3 s. That counts one
 *   bboFailed and rebuilds the book.
 */
import { decimalEquals } from '../../../shared/decimal';
import { awaitsBook } from '../resubscribe';
import type { SymbolFeed } from '../symbol-feed';
import type { L2Snapshot, L2Update, Ticker } from './messages';

export type BboMode = 'exact' | 'settled';

export interface CoinbaseSyncHooks {
  /** Throw the venue's subscription for this product away and subscribe again (fresh snapshot). */
  resubscribe(reason: string): void;
  note(event: string, fields: Record<string, unknown>): void;
}

/** Exact mode: failed comparisons in a row that prove divergence. */
const EXACT_FAILURES_TO_RESYNC = 2;
/** Settled mode: how long after its arrival a ticker may be confirmed by the book. */
export const PROBE_WINDOW_MS = 1000;
/** Settled mode: missed probes in a row, and time without any passing one, that prove divergence. */
const SETTLED_MISSES_TO_RESYNC = 3;
const SETTLED_QUIET_MS = 3000;
const MAX_PROBES = 32;

interface Probe {
  bid: string;
  ask: string;
  arrivedAt: number;
}

export class CoinbaseBookSync {
  /** Exchange time (µs) of the last update applied since the snapshot; null before the first. */
  private lastUpdateUs: number | null = null;
  private updatesSinceSnapshot = 0;
  private exactFailures = 0;
  private probes: Probe[] = [];
  private probeMisses = 0;
  private lastProbePassAt = 0;

  constructor(
    private readonly feed: SymbolFeed,
    private readonly hooks: CoinbaseSyncHooks,
  ) {}

  get updatesApplied(): number {
    return this.updatesSinceSnapshot;
  }

  /** Subscribed: wait for the snapshot. The session sends the subscribe. */
  start(): void {
    this.clear();
    this.feed.awaitSnapshot('subscribed');
  }

  /** Throw the book away and ask for a fresh snapshot. */
  resync(reason: string): void {
    this.beginResync(reason);
    this.hooks.resubscribe(reason);
  }

  /** Throw the book away and wait for a fresh snapshot; the caller resubscribes (several products at once). */
  beginResync(reason: string): void {
    this.hooks.note('resync', { reason });
    this.clear();
    this.feed.resync(reason);
  }

  onSnapshot(snap: L2Snapshot, localTs: number): void {
    this.feed.received(localTs, snap.bids.length + snap.asks.length);
    if (!awaitsBook(this.feed.state)) return;
    this.clear();
    this.lastProbePassAt = localTs;
    this.feed.synced('snapshot applied');
    const event = this.feed.event('snapshot', { bids: snap.bids, asks: snap.asks, localTs });
    const result = this.feed.apply(event);
    if (result !== 'ok') this.resync(result === 'crossed' ? 'snapshot is crossed' : 'snapshot has a malformed level');
  }

  onUpdate(update: L2Update, localTs: number): void {
    const exchangeTs = update.timeUs === null ? undefined : update.timeUs / 1000;
    this.feed.received(localTs, update.bids.length + update.asks.length, exchangeTs);
    if (this.feed.state !== 'synced') {
      // Before the product's snapshot (or while a fresh one is awaited): the snapshot will cover it.
      this.feed.staleDropped();
      return;
    }
    const event = this.feed.event('delta', {
      bids: update.bids,
      asks: update.asks,
      exchangeTs,
      localTs,
    });
    const result = this.feed.apply(event);
    if (result !== 'ok') {
      this.resync(result === 'crossed' ? 'crossed book' : 'malformed level in l2update');
      return;
    }
    this.lastUpdateUs = update.timeUs;
    this.updatesSinceSnapshot++;
    this.checkProbes(localTs);
  }

  onHeartbeat(localTs: number, timeUs: number | null): void {
    this.feed.received(localTs, 0, timeUs === null ? undefined : timeUs / 1000);
  }

  onTicker(ticker: Ticker, localTs: number, mode: BboMode): void {
    this.feed.received(localTs, 0, ticker.timeUs === null ? undefined : ticker.timeUs / 1000);
    if (this.feed.state !== 'synced' || this.updatesSinceSnapshot === 0) return;
    if (mode === 'exact') {
      if (ticker.timeUs === null || ticker.timeUs !== this.lastUpdateUs) return;
      this.compareExact(ticker);
      return;
    }
    this.probes.push({ bid: ticker.bestBid, ask: ticker.bestAsk, arrivedAt: localTs });
    this.checkProbes(localTs);
    this.expireProbes(localTs);
  }

  private compareExact(t: Ticker): void {
    const top = this.feed.book.topOfBook();
    const same =
      top.bid !== null &&
      top.ask !== null &&
      decimalEquals(t.bestBid, top.bid) &&
      decimalEquals(t.bestAsk, top.ask) &&
      (t.bestBidSize === null || decimalEquals(t.bestBidSize, top.bidSize!)) &&
      (t.bestAskSize === null || decimalEquals(t.bestAskSize, top.askSize!));
    if (same) {
      this.feed.bbo(true);
      this.exactFailures = 0;
      return;
    }
    this.exactFailures++;
    const detail = `venue ${t.bestBid}${t.bestBidSize ? 'x' + t.bestBidSize : ''} / ${t.bestAsk}${t.bestAskSize ? 'x' + t.bestAskSize : ''}, book ${top.bid}x${top.bidSize} / ${top.ask}x${top.askSize}`;
    this.feed.bbo(false, `best bid/offer mismatch: ${detail}`);
    this.hooks.note('bbo-mismatch', { detail, inARow: this.exactFailures });
    if (this.exactFailures >= EXACT_FAILURES_TO_RESYNC) this.resync(`best bid/offer disagrees with the ticker ${this.exactFailures} times in a row`);
  }

  /** Settled mode: a probe passes as soon as the book shows its prices. */
  private checkProbes(now: number): void {
    if (this.probes.length === 0) return;
    const top = this.feed.book.topOfBook();
    if (top.bid === null || top.ask === null) return;
    const before = this.probes.length;
    this.probes = this.probes.filter((p) => !(decimalEquals(p.bid, top.bid!) && decimalEquals(p.ask, top.ask!)));
    const passed = before - this.probes.length;
    if (passed > 0) {
      for (let i = 0; i < passed; i++) this.feed.bbo(true);
      this.probeMisses = 0;
      this.lastProbePassAt = now;
    }
  }

  /** Settled mode: probes past their window are misses; a run of them with no pass is divergence. */
  expireProbes(now: number): void {
    if (this.feed.state !== 'synced') return;
    // Past its window, or pushed out by newer ones: at more than MAX_PROBES tickers a second (BTC-USD in
    // a burst) probes leave by the cap before their second is up, and must count as missed too, or a
    // diverged book on a busy product would never be rebuilt. The 3 s without a pass still decides.
    while (this.probes.length > 0 && (now - this.probes[0]!.arrivedAt > PROBE_WINDOW_MS || this.probes.length > MAX_PROBES)) {
      const probe = this.probes.shift()!;
      this.probeMisses++;
      this.hooks.note('bbo-probe-missed', { bid: probe.bid, ask: probe.ask, inARow: this.probeMisses });
    }
    if (this.probeMisses >= SETTLED_MISSES_TO_RESYNC && now - this.lastProbePassAt >= SETTLED_QUIET_MS) {
      const top = this.feed.book.topOfBook();
      this.feed.bbo(false);
      this.resync(`best bid/offer has disagreed with every ticker for ${Math.round((now - this.lastProbePassAt) / 1000)} s (book ${top.bid} / ${top.ask})`);
    }
  }

  private clear(): void {
    this.lastUpdateUs = null;
    this.updatesSinceSnapshot = 0;
    this.exactFailures = 0;
    this.probes = [];
    this.probeMisses = 0;
  }
}
