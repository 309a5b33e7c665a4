/**
 * Feed integrity alerts, from the market's state changes and each feed's health counters:
 * a book leaving `synced` (or failing to get there) raises one alert per cause — sequence gap,
 * checksum failure, crossed book, best-bid/offer mismatch, malformed data, stale feed, disconnect, or
 * a plain resync — found by which health counter moved (falling back to the reason text). A book that
 * is synced but hears nothing from the venue for `staleAfterMs` raises a stale-feed alert. Every feed
 * alert of a book clears, outcome `resolved`, when the book is synced (or hears from the venue) again.
 */
import type { AlertSeverity } from '../../../shared/analytics';
import type { SyncState, VenueId } from '../../../shared/market';
import type { AlertBook } from '../alerts';
import type { FeedAlertConfig } from '../config';

/** What the monitor reads of a feed (SymbolFeed has all of it). */
export interface MonitoredFeed {
  readonly venue: VenueId;
  readonly symbol: string;
  readonly state: SyncState;
  readonly health: {
    gaps: number;
    checksumFailed: number;
    crossed: number;
    bboFailed: number;
    malformed: number;
    lastMessageAt: number | null;
    lastError: string | null;
  };
}

type Cause = 'gap' | 'checksum' | 'crossed' | 'bbo-mismatch' | 'malformed' | 'stale' | 'disconnect' | 'failed' | 'resync';

const SEVERITY: Record<Cause, AlertSeverity> = {
  gap: 'warning',
  checksum: 'critical',
  crossed: 'critical',
  'bbo-mismatch': 'critical',
  malformed: 'warning',
  stale: 'warning',
  disconnect: 'warning',
  failed: 'critical',
  resync: 'warning',
};

const DESCRIPTION: Record<Cause, string> = {
  gap: 'sequence gap',
  checksum: 'checksum failed',
  crossed: 'crossed book',
  'bbo-mismatch': 'best bid/offer mismatch',
  malformed: 'malformed data',
  stale: 'stale feed',
  disconnect: 'disconnected',
  failed: 'feed failed',
  resync: 'resync',
};

interface Seen {
  gaps: number;
  checksumFailed: number;
  crossed: number;
  bboFailed: number;
  malformed: number;
  /** Causes with an active alert, and since when the book was out of sync. */
  active: Set<Cause>;
  downSince: number | null;
}

export class FeedIntegrityMonitor {
  /** Keyed by the feed object itself: no key string is built on the hot path. */
  private readonly seen = new Map<MonitoredFeed, Seen>();

  /** Drop what is kept about a feed the market let go of. */
  forget(feed: MonitoredFeed): void {
    this.seen.delete(feed);
  }

  constructor(
    private readonly alerts: AlertBook,
    private readonly config: FeedAlertConfig,
  ) {}

  onState(feed: MonitoredFeed, from: SyncState, to: SyncState, reason: string, ts: number): void {
    const s = this.entry(feed);
    const h = feed.health;
    if (to === 'synced') {
      this.resolve(feed, s, ts, 'book synced again');
    } else if ((to === 'resyncing' || to === 'connecting' || to === 'failed') && from !== 'idle' && from !== to) {
      const causes: Cause[] = [];
      if (h.gaps > s.gaps) causes.push('gap');
      if (h.checksumFailed > s.checksumFailed) causes.push('checksum');
      if (h.crossed > s.crossed) causes.push('crossed');
      if (h.bboFailed > s.bboFailed) causes.push('bbo-mismatch');
      if (h.malformed > s.malformed) causes.push('malformed');
      if (causes.length === 0) {
        if (/stale/i.test(reason)) causes.push('stale');
        else if (to === 'failed') causes.push('failed');
        else if (to === 'connecting') causes.push('disconnect');
        else causes.push('resync');
      }
      s.downSince ??= ts;
      for (const cause of causes) this.raise(feed, s, cause, ts, { from, to, reason, gaps: h.gaps, checksumFailed: h.checksumFailed, crossed: h.crossed, bboFailed: h.bboFailed });
    }
    this.remember(s, feed);
  }

  /** A message arrived for a synced book: a stale alert, if any, is over. */
  onMessage(feed: MonitoredFeed, ts: number): void {
    const s = this.seen.get(feed);
    if (s && s.active.has('stale') && feed.state === 'synced') {
      this.alerts.clear(alertKey(feed, 'stale'), ts, 'resolved', { silentMs: null });
      s.active.delete('stale');
    }
  }

  /** Periodic check (the service calls it once a second). */
  tick(feeds: Iterable<MonitoredFeed>, now: number): void {
    for (const feed of feeds) {
      const s = this.entry(feed);
      const last = feed.health.lastMessageAt;
      if (feed.state !== 'synced' || last === null) continue;
      const silent = now - last;
      if (silent >= this.config.staleAfterMs && !s.active.has('stale')) {
        this.raise(feed, s, 'stale', now, { silentMs: Math.round(silent), reason: `no message for ${Math.round(silent / 1000)} s while in sync` });
      } else if (silent < this.config.staleAfterMs && s.active.has('stale')) {
        this.alerts.clear(alertKey(feed, 'stale'), now, 'resolved', { silentMs: Math.round(silent) });
        s.active.delete('stale');
      }
    }
  }

  private raise(feed: MonitoredFeed, s: Seen, cause: Cause, ts: number, evidence: Record<string, string | number | null>): void {
    s.active.add(cause);
    this.alerts.raise({
      key: alertKey(feed, cause),
      kind: 'feed',
      venue: feed.venue,
      symbol: feed.symbol,
      severity: SEVERITY[cause],
      title: `${feed.symbol} on ${feed.venue}: ${DESCRIPTION[cause]}${feed.state === 'synced' ? '' : ` (${feed.state})`}`,
      evidence: { cause, ...evidence, lastError: feed.health.lastError },
      ts,
    });
  }

  private resolve(feed: MonitoredFeed, s: Seen, ts: number, why: string): void {
    for (const cause of s.active) {
      this.alerts.clear(alertKey(feed, cause), ts, 'resolved', { downtimeMs: s.downSince === null ? null : Math.round(ts - s.downSince), resolution: why });
    }
    s.active.clear();
    s.downSince = null;
  }

  private entry(feed: MonitoredFeed): Seen {
    let s = this.seen.get(feed);
    if (!s) {
      s = { gaps: 0, checksumFailed: 0, crossed: 0, bboFailed: 0, malformed: 0, active: new Set(), downSince: null };
      this.seen.set(feed, s);
    }
    return s;
  }

  private remember(s: Seen, feed: MonitoredFeed): void {
    const h = feed.health;
    s.gaps = h.gaps;
    s.checksumFailed = h.checksumFailed;
    s.crossed = h.crossed;
    s.bboFailed = h.bboFailed;
    s.malformed = h.malformed;
  }
}

function alertKey(feed: MonitoredFeed, cause: Cause): string {
  return `feed:${feed.venue}:${feed.symbol}:${cause}`;
}
