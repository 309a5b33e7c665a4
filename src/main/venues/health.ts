import type { SymbolHealth } from '../../shared/contract';
import { LatencyHops } from '../latency/hops';
import type { SyncState, VenueId } from '../../shared/market';

/**
 * Events per second over the last completed one-second window, plus a slow average (about a minute)
 * that update-rate anomalies are judged against.
 */
export class RateMeter {
  private windowStart = 0;
  private count = 0;
  private lastRate = 0;
  /** Exponentially weighted average of per-second rates, time constant ~60 s. */
  longRate = 0;
  lastEventAt = 0;

  add(now: number, n = 1): void {
    this.roll(now);
    this.count += n;
    this.lastEventAt = now;
  }

  rate(now: number): number {
    this.roll(now);
    return this.lastRate;
  }

  private roll(now: number): void {
    if (this.windowStart === 0) {
      this.windowStart = now;
      return;
    }
    const elapsed = now - this.windowStart;
    if (elapsed >= 1000) {
      // A window with no events for two seconds or more reads as zero, not as the last busy second.
      this.lastRate = elapsed >= 2000 ? 0 : (this.count * 1000) / elapsed;
      const weight = Math.min(1, elapsed / 60_000);
      this.longRate += (this.lastRate - this.longRate) * weight;
      this.count = 0;
      this.windowStart = now;
    }
  }
}

/** A burst is a second at least this many times the minute's average (and above MIN_BURST_RATE). */
const BURST_FACTOR = 10;
const MIN_BURST_RATE = 50;
/** A symbol that averaged at least 1 msg/s and then sent nothing for this long has gone quiet. */
const QUIET_AFTER_MS = 30_000;

/**
 * Per-symbol counters; `snapshot()` turns them into the contract's health record. Only the symbol
 * feed writes them (through its named methods); everyone else reads them as `Readonly`.
 */
export class HealthCounters {
  messages = 0;
  levelUpdates = 0;
  gaps = 0;
  resyncs = 0;
  checksumOk = 0;
  checksumFailed = 0;
  bboOk = 0;
  bboFailed = 0;
  crossed = 0;
  reconnects = 0;
  /** Malformed frames that named this symbol. */
  malformed = 0;
  /**
   * Malformed frames that named no symbol, skipped on the connection carrying this symbol: the user
   * sees them on every book of that connection (it may have been any of them); replay totals count
   * them once, through the adapter's `unattributedMalformed`.
   */
  connectionMalformed = 0;
  staleDropped = 0;
  bufferSize = 0;
  /** Live trades accepted (history sent on subscribe and dropped duplicates not counted). */
  trades = 0;
  /** Open holes in the trade-id sequence of streams the venue numbers consecutively (lost trades). */
  tradeGaps = 0;
  /** Trades printed through a price the book still showed on the other side. */
  tradeAnomalies = 0;
  /** Trades dropped because their id was already seen (resent after a reconnect). */
  tradeDuplicates = 0;
  latencyMs: number | null = null;
  snapshotAt: number | null = null;
  lastMessageAt: number | null = null;
  lastError: string | null = null;
  readonly messageRate = new RateMeter();
  readonly levelRate = new RateMeter();
  /** Per-hop latency over a sliding window (exchange → receipt is fed here, the others by their hop). */
  readonly hops = new LatencyHops();

  onMessage(now: number, levels: number, exchangeTs?: number): void {
    this.messages++;
    this.levelUpdates += levels;
    this.messageRate.add(now);
    this.levelRate.add(now, levels);
    this.lastMessageAt = now;
    if (exchangeTs !== undefined && Number.isFinite(exchangeTs)) {
      this.latencyMs = now - exchangeTs;
      this.hops.add('exchangeToReceipt', now, this.latencyMs);
    }
  }

  /**
   * Far above or below the symbol's own recent rate. Judged against the symbol's history rather than
   * a fixed per-venue figure, because a venue's nominal rate varies by orders of magnitude by symbol.
   */
  rateAnomaly(now: number): SymbolHealth['rateAnomaly'] {
    const meter = this.messageRate;
    const current = meter.rate(now);
    if (current >= MIN_BURST_RATE && current > BURST_FACTOR * Math.max(meter.longRate, 1)) return 'high';
    if (meter.longRate >= 1 && meter.lastEventAt > 0 && now - meter.lastEventAt >= QUIET_AFTER_MS) return 'low';
    return 'none';
  }

  snapshot(venue: VenueId, symbol: string, state: SyncState, now: number): SymbolHealth {
    return {
      venue,
      symbol,
      state,
      messages: this.messages,
      levelUpdates: this.levelUpdates,
      msgsPerSec: round1(this.messageRate.rate(now)),
      levelUpdatesPerSec: round1(this.levelRate.rate(now)),
      latencyMs: this.latencyMs === null ? null : round1(this.latencyMs),
      gaps: this.gaps,
      resyncs: this.resyncs,
      checksumOk: this.checksumOk,
      checksumFailed: this.checksumFailed,
      bboOk: this.bboOk,
      bboFailed: this.bboFailed,
      crossed: this.crossed,
      reconnects: this.reconnects,
      malformed: this.malformed + this.connectionMalformed,
      trades: this.trades,
      tradeGaps: this.tradeGaps,
      tradeAnomalies: this.tradeAnomalies,
      bufferSize: this.bufferSize,
      rateAnomaly: this.rateAnomaly(now),
      snapshotAgeMs: this.snapshotAt === null ? null : Math.max(0, now - this.snapshotAt),
      lastMessageAgeMs: this.lastMessageAt === null ? null : Math.max(0, now - this.lastMessageAt),
      lastError: this.lastError,
      hops: this.hops.snapshot(now),
    };
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
