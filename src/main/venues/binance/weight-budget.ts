/**
 * Binance counts REST request weight per IP per minute (spot 6,000, USD-M futures 2,400) and bans an
 * IP that keeps exceeding it. Every snapshot request reserves its weight here first and waits when
 * the minute is spent, keeping a safety margin; the server's own count (`x-mbx-used-weight-1m`)
 * corrects ours. One budget per REST host, shared by every adapter in the process (the live view and
 * a recording use the same IP).
 */
import type { Clock } from '../transport';

const WINDOW_MS = 60_000;

export class RequestWeightBudget {
  /** Spends in the last minute (or scheduled in the future), oldest first. */
  private readonly spends: Array<{ at: number; weight: number }> = [];

  constructor(
    readonly limitPerMinute: number,
    private readonly clock: Clock,
    /** Use at most this share of the limit (other tools may share the IP). */
    private readonly headroom = 0.8,
  ) {}

  private used(at: number): number {
    let sum = 0;
    for (const s of this.spends) if (s.at > at - WINDOW_MS && s.at <= at) sum += s.weight;
    return sum;
  }

  /** Reserve `weight`; returns how long to wait (ms) before sending the request. */
  reserve(weight: number): number {
    const now = this.clock.now();
    while (this.spends.length > 0 && this.spends[0]!.at <= now - WINDOW_MS) this.spends.shift();
    const allowed = this.limitPerMinute * this.headroom;
    let at = now;
    // Move forward to each point where an old spend expires until the new one fits.
    for (;;) {
      const future = this.spends.filter((s) => s.at > at).reduce((n, s) => n + s.weight, 0);
      if (this.used(at) + future + weight <= allowed) break;
      const next = this.spends.find((s) => s.at + WINDOW_MS > at);
      if (!next) break;
      at = next.at + WINDOW_MS;
    }
    this.spends.push({ at, weight });
    this.spends.sort((a, b) => a.at - b.at);
    return at - now;
  }

  /** The server's count for the current minute; if it is higher than ours, take it as spent now. */
  observeUsed(usedWeight: number): void {
    if (!Number.isFinite(usedWeight)) return;
    const now = this.clock.now();
    const ours = this.used(now);
    if (usedWeight > ours) {
      this.spends.push({ at: now, weight: usedWeight - ours });
      this.spends.sort((a, b) => a.at - b.at);
    }
  }
}

/** Budgets per clock (a replay's virtual time is its own world) and REST host. */
const budgets = new WeakMap<Clock, Map<string, RequestWeightBudget>>();

/** The process-wide budget for one REST host. */
export function weightBudgetFor(restBase: string, limitPerMinute: number, clock: Clock): RequestWeightBudget {
  let byHost = budgets.get(clock);
  if (!byHost) {
    byHost = new Map();
    budgets.set(clock, byHost);
  }
  const key = `${restBase}|${limitPerMinute}`;
  let budget = byHost.get(key);
  if (!budget) {
    budget = new RequestWeightBudget(limitPerMinute, clock);
    byHost.set(key, budget);
  }
  return budget;
}
