/**
 * Every analytics setting with its default. The README's "Analytics" section lists the same numbers;
 * change both together.
 */

export interface WallConfig {
  /** A level is a wall at this multiple of the side's rolling median level size… */
  multiple: number;
  /** …and stops being one below this multiple (lower, so a wall hovering at the line does not flap). */
  clearMultiple: number;
  /** It must stay at or above `multiple` this long before it is reported. */
  persistMs: number;
  /** Window of the rolling median level size. */
  medianWindowMs: number;
  /** Levels per side sampled for the median (once a second) and scanned for new walls. */
  levels: number;
  /** Seconds of samples needed before the median is trusted. */
  minMedianSeconds: number;
  /** Walls tracked per side at most (the largest win). */
  maxPerSide: number;
}

export interface LayeringConfig {
  /** At least this many adjacent levels… */
  minLevels: number;
  /** …each at least this multiple of the side's rolling median level size… */
  multiple: number;
  /** …with at least this fraction of them new since the last look (one look a second). */
  newFraction: number;
  /** No second layering alert on the same side within this time. */
  cooldownMs: number;
  /** Levels per side scanned. */
  levels: number;
}

export interface ExhaustionConfig {
  /** Depth (top `depthLevels` per side, both sides) below this fraction of its average… */
  depthRatio: number;
  /** …while the spread is above this multiple of its average… */
  spreadRatio: number;
  /** …averages taken time-weighted over this window of completed seconds. */
  windowSec: number;
  /** Completed seconds needed before the averages are trusted. */
  minHistorySec: number;
  /** Cleared when depth is back above this fraction of its average or the spread below this multiple. */
  clearDepthRatio: number;
  clearSpreadRatio: number;
  /** Stays raised at least this long. */
  minHoldMs: number;
}

export interface WideSpreadConfig {
  /** Raised when spread / best ask exceeds this (0.0001 = 1 bp of the ask). */
  threshold: number;
  /**
   * Cleared when spread / ask stays at or below threshold × clearRatio for `clearAfterMs`. The default
   * ratio is 1 (time alone is the hysteresis): a book whose one-tick spread sits just under the
   * threshold must be able to clear.
   */
  clearRatio: number;
  clearAfterMs: number;
}

export interface FeedAlertConfig {
  /** A synced book with no message from the venue for this long raises a stale-feed alert. */
  staleAfterMs: number;
}

export interface AlertBookConfig {
  /** Alerts kept in memory (cleared ones are dropped first). */
  maxAlerts: number;
  /** A condition that returns within this time of clearing reopens its alert instead of adding one. */
  reopenWithinMs: number;
  /** Updates of one alert are reported at most this often (the alert always holds the latest). */
  minUpdateIntervalMs: number;
  /**
   * New alerts of one kind on one book within any minute, at most (price and feed alerts are never
   * held back); the next one that gets through says how many were held back.
   */
  maxNewPerMinute: number;
}

/** Order flow: how trades judge vanished liquidity, and the read-out windows. */
export interface FlowConfig {
  /**
   * A wall or layer that vanishes is `consumed` when trades at its price(s), against its side, reach
   * this fraction of the size it last showed; otherwise `pulled`.
   */
  consumedRatio: number;
  /** Trades and book changes arrive on separate streams: trades are awaited this long after a level vanishes. */
  verdictGraceMs: number;
  /** Windows (seconds) of the metrics' volume and delta read-out. */
  windowsSec: number[];
  /** Prints of one taker order (same side, same exchange time) arrive together; a group is closed this long after its last print. */
  takerGapMs: number;
}

export interface LargeTradeConfig {
  /** A taker order at least this size (base units) is large; 0 turns the fixed size off. */
  minSize: number;
  /** …or at least this multiple of the rolling median taker order size… */
  medianMultiple: number;
  /** …the median of the last this many taker orders… */
  medianOrders: number;
  /** …once at least this many were seen. */
  minOrders: number;
  /** The alert clears this long after the trade, with where the price went. */
  holdMs: number;
}

export interface SweepConfig {
  /** One taker order (same side, same exchange time) that prints at this many prices or more. */
  minLevels: number;
  /** The alert clears this long after the sweep, with where the price went. */
  holdMs: number;
}

export interface IcebergConfig {
  /** Executed volume at a price must exceed this multiple of the largest size displayed there at once… */
  executedRatio: number;
  /** …while the displayed size refilled after executions at least this many times… */
  minRefills: number;
  /** …and the executed volume is at least this multiple of the side's median level size. */
  minExecutedMultiple: number;
  /** A price with no execution for this long stops being followed (and its alert clears `idle`). */
  idleMs: number;
  /** Prices followed per book at most (the least recently traded go first). */
  maxTracked: number;
}

export interface AnalyticsConfig {
  /** N for book imbalance and top-N depth. */
  imbalanceLevels: number;
  /** Levels in the multi-level OFI. */
  ofiLevels: number;
  /** Levels per side in the depth-weighted price. */
  weightedLevels: number;
  /** Levels per side in the book slope. */
  slopeLevels: number;
  /** Half-widths (bps of mid) of the cumulative-depth bands. */
  depthBandsBps: number[];
  /** Levels per side scanned for the depth bands on each update (bounds the hot path). */
  maxBandLevels: number;
  /** Seconds of per-second history kept per book (the series stream serves up to this). */
  seriesSeconds: number;
  wall: WallConfig;
  layering: LayeringConfig;
  exhaustion: ExhaustionConfig;
  wideSpread: WideSpreadConfig;
  feed: FeedAlertConfig;
  alerts: AlertBookConfig;
  flow: FlowConfig;
  largeTrade: LargeTradeConfig;
  sweep: SweepConfig;
  iceberg: IcebergConfig;
}

export const DEFAULT_ANALYTICS_CONFIG: AnalyticsConfig = {
  imbalanceLevels: 10,
  ofiLevels: 5,
  weightedLevels: 10,
  slopeLevels: 10,
  depthBandsBps: [10, 25, 50, 100],
  maxBandLevels: 2000,
  seriesSeconds: 600,
  wall: { multiple: 5, clearMultiple: 3, persistMs: 5000, medianWindowMs: 30_000, levels: 20, minMedianSeconds: 5, maxPerSide: 8 },
  layering: { minLevels: 4, multiple: 8, newFraction: 0.6, cooldownMs: 30_000, levels: 20 },
  exhaustion: { depthRatio: 0.5, spreadRatio: 2, windowSec: 15, minHistorySec: 5, clearDepthRatio: 0.7, clearSpreadRatio: 1.5, minHoldMs: 2000 },
  wideSpread: { threshold: 0.0001, clearRatio: 1, clearAfterMs: 2000 },
  feed: { staleAfterMs: 30_000 },
  alerts: { maxAlerts: 1000, reopenWithinMs: 30_000, minUpdateIntervalMs: 1000, maxNewPerMinute: 3 },
  flow: { consumedRatio: 0.8, verdictGraceMs: 1500, windowsSec: [60, 300, 900], takerGapMs: 250 },
  largeTrade: { minSize: 0, medianMultiple: 20, medianOrders: 500, minOrders: 50, holdMs: 10_000 },
  sweep: { minLevels: 3, holdMs: 10_000 },
  iceberg: { executedRatio: 2, minRefills: 3, minExecutedMultiple: 2, idleMs: 15_000, maxTracked: 32 },
};

/** Settings a caller may override, section by section. */
export type AnalyticsOverrides = Partial<{
  [K in keyof AnalyticsConfig]: AnalyticsConfig[K] extends number[] ? number[] : AnalyticsConfig[K] extends object ? Partial<AnalyticsConfig[K]> : AnalyticsConfig[K];
}>;

export function resolveConfig(overrides: AnalyticsOverrides = {}): AnalyticsConfig {
  const d = DEFAULT_ANALYTICS_CONFIG;
  const config: AnalyticsConfig = {
    imbalanceLevels: overrides.imbalanceLevels ?? d.imbalanceLevels,
    ofiLevels: overrides.ofiLevels ?? d.ofiLevels,
    weightedLevels: overrides.weightedLevels ?? d.weightedLevels,
    slopeLevels: overrides.slopeLevels ?? d.slopeLevels,
    depthBandsBps: [...(overrides.depthBandsBps ?? d.depthBandsBps)],
    maxBandLevels: overrides.maxBandLevels ?? d.maxBandLevels,
    seriesSeconds: overrides.seriesSeconds ?? d.seriesSeconds,
    wall: { ...d.wall, ...overrides.wall },
    layering: { ...d.layering, ...overrides.layering },
    exhaustion: { ...d.exhaustion, ...overrides.exhaustion },
    wideSpread: { ...d.wideSpread, ...overrides.wideSpread },
    feed: { ...d.feed, ...overrides.feed },
    alerts: { ...d.alerts, ...overrides.alerts },
    flow: { ...d.flow, ...overrides.flow, windowsSec: [...(overrides.flow?.windowsSec ?? d.flow.windowsSec)] },
    largeTrade: { ...d.largeTrade, ...overrides.largeTrade },
    sweep: { ...d.sweep, ...overrides.sweep },
    iceberg: { ...d.iceberg, ...overrides.iceberg },
  };
  const positiveInts: Array<[string, number]> = [
    ['imbalanceLevels', config.imbalanceLevels],
    ['ofiLevels', config.ofiLevels],
    ['weightedLevels', config.weightedLevels],
    ['slopeLevels', config.slopeLevels],
    ['maxBandLevels', config.maxBandLevels],
    ['seriesSeconds', config.seriesSeconds],
    ['wall.levels', config.wall.levels],
    ['layering.levels', config.layering.levels],
    ['layering.minLevels', config.layering.minLevels],
    ['alerts.maxAlerts', config.alerts.maxAlerts],
    ['largeTrade.medianOrders', config.largeTrade.medianOrders],
    ['sweep.minLevels', config.sweep.minLevels],
    ['iceberg.maxTracked', config.iceberg.maxTracked],
  ];
  for (const [name, value] of positiveInts) {
    if (!Number.isInteger(value) || value < 1 || value > 10_000) throw new Error(`analytics setting ${name} must be an integer 1–10000, got ${value}`);
  }
  if (config.wall.clearMultiple > config.wall.multiple) throw new Error('analytics setting wall.clearMultiple must not exceed wall.multiple');
  if (config.depthBandsBps.some((b) => !(b > 0))) throw new Error('analytics setting depthBandsBps must hold positive numbers');
  if (config.flow.windowsSec.some((w) => !Number.isInteger(w) || w < 1 || w > 86_400)) throw new Error('analytics setting flow.windowsSec must hold whole seconds 1–86400');
  if (!(config.flow.consumedRatio > 0)) throw new Error('analytics setting flow.consumedRatio must be positive');
  return config;
}
