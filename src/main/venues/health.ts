import type { SymbolHealth } from '../../shared/contract';
import type { SyncState, VenueId } from '../../shared/market';

/** Events per second over the last completed one-second window. */
export class RateMeter {
  private windowStart = 0;
  private count = 0;
  private lastRate = 0;

  add(now: number, n = 1): void {
    this.roll(now);
    this.count += n;
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
      this.count = 0;
      this.windowStart = now;
    }
  }
}

/** Per-symbol counters an adapter keeps; `snapshot()` turns them into the contract's health record. */
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
  malformed = 0;
  staleDropped = 0;
  bufferSize = 0;
  latencyMs: number | null = null;
  snapshotAt: number | null = null;
  lastMessageAt: number | null = null;
  lastError: string | null = null;
  readonly messageRate = new RateMeter();
  readonly levelRate = new RateMeter();

  onMessage(now: number, levels: number, exchangeTs?: number): void {
    this.messages++;
    this.levelUpdates += levels;
    this.messageRate.add(now);
    this.levelRate.add(now, levels);
    this.lastMessageAt = now;
    if (exchangeTs !== undefined && Number.isFinite(exchangeTs)) this.latencyMs = now - exchangeTs;
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
      malformed: this.malformed,
      bufferSize: this.bufferSize,
      snapshotAgeMs: this.snapshotAt === null ? null : Math.max(0, now - this.snapshotAt),
      lastMessageAgeMs: this.lastMessageAt === null ? null : Math.max(0, now - this.lastMessageAt),
      lastError: this.lastError,
    };
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
