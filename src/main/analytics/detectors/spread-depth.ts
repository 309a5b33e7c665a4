/**
 * Two detectors on the touch and the near book:
 *
 * Liquidity exhaustion: depth (the best `imbalanceLevels` levels of both sides, base units) below
 * `depthRatio` × its time-weighted average over the last `windowSec` completed seconds, while the
 * spread is above `spreadRatio` × its own such average. Needs `minHistorySec` seconds of history.
 * Clears once depth is back above `clearDepthRatio` × average or the spread below `clearSpreadRatio` ×
 * average, and not before `minHoldMs`.
 *
 * Wide spread: spread / best ask above `threshold`. Clears when spread / ask has stayed at or below
 * threshold × `clearRatio` for `clearAfterMs`.
 */
import type { ExhaustionConfig, WideSpreadConfig } from '../config';
import { formatBps, formatPercent, formatRatio } from '../../../shared/format';
import { fmt, round, type BookContext } from '../context';

export interface Averages {
  spread: number;
  depth: number;
  /** Completed seconds the averages cover. */
  seconds: number;
}

export class ExhaustionDetector {
  private activeSince: number | null = null;
  private key = '';

  constructor(private readonly config: ExhaustionConfig) {}

  onUpdate(ctx: BookContext, ts: number, avg: Averages): void {
    const m = ctx.metrics;
    const depth = m.depthBid + m.depthAsk;
    const spread = m.spread;
    const trusted = avg.seconds >= this.config.minHistorySec && avg.depth > 0 && avg.spread > 0;
    if (this.activeSince === null) {
      if (!trusted || !(depth >= 0) || !(spread > 0)) return;
      if (depth < this.config.depthRatio * avg.depth && spread > this.config.spreadRatio * avg.spread) {
        this.activeSince = ts;
        this.key = `exhaustion:${ctx.venue}:${ctx.symbol}`;
        ctx.alerts.raise({
          key: this.key,
          kind: 'exhaustion',
          venue: ctx.venue,
          symbol: ctx.symbol,
          severity: 'warning',
          title: `Liquidity exhausted on ${ctx.symbol}: depth ${formatPercent((100 * depth) / avg.depth)} of its ${this.config.windowSec} s average, spread ${formatRatio(spread / avg.spread)}`,
          evidence: {
            depth: round(depth),
            averageDepth: round(avg.depth),
            depthRatio: round(depth / avg.depth, 4),
            spread: round(spread),
            averageSpread: round(avg.spread),
            spreadRatio: round(spread / avg.spread, 4),
            windowSec: avg.seconds,
            bestBid: round(m.bid, 12),
            bestAsk: round(m.ask, 12),
          },
          ts,
        });
      }
      return;
    }
    if (ts - this.activeSince < this.config.minHoldMs) return;
    const recovered =
      !trusted || !(spread > 0) || depth >= this.config.clearDepthRatio * avg.depth || spread <= this.config.clearSpreadRatio * avg.spread;
    if (!recovered) return;
    ctx.alerts.clear(this.key, ts, 'resolved', {
      durationMs: Math.round(ts - this.activeSince),
      depthAtClear: round(depth),
      spreadAtClear: round(spread),
    });
    this.activeSince = null;
  }

  reset(ctx: BookContext, ts: number, reason: string): void {
    if (this.activeSince === null) return;
    ctx.alerts.clear(this.key, ts, 'feed-reset', { reason, durationMs: Math.round(ts - this.activeSince) });
    this.activeSince = null;
  }
}

export class WideSpreadDetector {
  private activeSince: number | null = null;
  private belowSince: number | null = null;
  private peak = 0;
  private key = '';

  constructor(private readonly config: WideSpreadConfig) {}

  onUpdate(ctx: BookContext, ts: number): void {
    const m = ctx.metrics;
    const ratio = m.spreadOverAsk;
    // One side empty: no spread to judge; keep whatever state we are in.
    if (Number.isNaN(ratio)) return;
    if (this.activeSince === null) {
      if (ratio > this.config.threshold) {
        this.activeSince = ts;
        this.belowSince = null;
        this.peak = ratio;
        this.key = `wide-spread:${ctx.venue}:${ctx.symbol}`;
        this.report(ctx, ts);
      }
      return;
    }
    if (ratio > this.config.threshold * this.config.clearRatio) {
      this.belowSince = null;
      if (ratio > this.peak * 1.25) {
        // Markedly wider than reported: update the alert (the alert book limits how often).
        this.peak = ratio;
        this.report(ctx, ts);
      }
      return;
    }
    this.belowSince ??= ts;
    this.onTime(ctx, ts);
  }

  /** Time passed without an update: clear once the spread has been narrow long enough. */
  onTime(ctx: BookContext, ts: number): void {
    if (this.activeSince === null || this.belowSince === null) return;
    if (ts - this.belowSince < this.config.clearAfterMs) return;
    ctx.alerts.clear(this.key, ts, 'resolved', {
      durationMs: Math.round(ts - this.activeSince),
      peakSpreadOverAsk: round(this.peak, 6),
      spreadOverAskAtClear: round(ctx.metrics.spreadOverAsk, 6),
    });
    this.activeSince = null;
    this.belowSince = null;
  }

  reset(ctx: BookContext, ts: number, reason: string): void {
    if (this.activeSince === null) return;
    ctx.alerts.clear(this.key, ts, 'feed-reset', { reason, durationMs: Math.round(ts - this.activeSince) });
    this.activeSince = null;
    this.belowSince = null;
  }

  private report(ctx: BookContext, ts: number): void {
    const m = ctx.metrics;
    ctx.alerts.raise({
      key: this.key,
      kind: 'wide-spread',
      venue: ctx.venue,
      symbol: ctx.symbol,
      severity: 'warning',
      title: `Wide spread on ${ctx.symbol}: ${fmt(m.spread)} (${formatBps(m.spreadOverAsk * 10_000)} of the ask)`,
      evidence: {
        bestBid: round(m.bid, 12),
        bestAsk: round(m.ask, 12),
        spread: round(m.spread),
        spreadOverAsk: round(m.spreadOverAsk, 6),
        threshold: this.config.threshold,
      },
      ts,
    });
  }
}
