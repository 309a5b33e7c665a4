import type { LatencyHopName, LatencyHopStats } from '../../shared/contract';
import { SlidingLatencyWindow } from './sliding-window';

/**
 * The hops a message takes, in order. Filled today: exchange → receipt (every adapter that reads an
 * exchange time) and receipt → window frame (the publisher). The collector hops stay empty (null in
 * health) until a desk feed that subscribes to a collector reports them through `SymbolFeed.hop()`.
 */
export const LATENCY_HOPS: readonly LatencyHopName[] = ['exchangeToReceipt', 'receiptToCollectorPublish', 'collectorPublishToDeskReceipt', 'receiptToFrame'];

/** One sliding window per hop, created on the first sample so unused hops cost nothing. */
export class LatencyHops {
  private readonly windows = new Map<LatencyHopName, SlidingLatencyWindow>();

  add(hop: LatencyHopName, now: number, ms: number): void {
    let window = this.windows.get(hop);
    if (!window) {
      window = new SlidingLatencyWindow();
      this.windows.set(hop, window);
    }
    window.add(now, ms);
  }

  snapshot(now: number): Record<LatencyHopName, LatencyHopStats | null> {
    const out = {} as Record<LatencyHopName, LatencyHopStats | null>;
    for (const hop of LATENCY_HOPS) {
      const s = this.windows.get(hop)?.summary(now) ?? null;
      out[hop] = s && { count: s.count, p50: round1(s.p50), p99: round1(s.p99), max: round1(s.max), perSec: round1(s.perSec) };
    }
    return out;
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
