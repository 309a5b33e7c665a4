/**
 * Memory watch: the process's RSS and heap in use, a baseline taken once start-up has settled, growth
 * against it, and a warning when either grows more than `alertGrowth` (50%) and more than
 * `minGrowthBytes` (64 MB) over its baseline. The
 * health report carries all of it (HealthReport.memory), and the warning is logged once when it starts
 * and once when it ends.
 *
 * Why a settled baseline: the first minute loads code, instrument lists and the first snapshots, so
 * memory right after launch says nothing about a leak; growth is judged from a minute in. Why a floor in
 * bytes: a heap of 32 MB a minute in holds more history (series, tape, heatmap columns) and garbage
 * between collections ten minutes later, 50% more without any leak; a warning on every long session
 * taught users to ignore it.
 */
import type { HealthReport } from '../../shared/contract';
import { nullLogger, type Logger } from '../log';

export type MemoryReport = HealthReport['memory'];

export interface MemorySample {
  rss: number;
  heapUsed: number;
}

export interface MemoryWatchOptions {
  /** Take the baseline this long after start (default 60 s). */
  baselineAfterMs?: number;
  /** Check this often (default 10 s). */
  checkEveryMs?: number;
  /** Warn when growth over the baseline exceeds this fraction (default 0.5 = 50%)... */
  alertGrowth?: number;
  /** ...and this many bytes (default 64 MB). */
  minGrowthBytes?: number;
  sample?: () => MemorySample;
  now?: () => number;
  logger?: Logger;
}

const processSample = (): MemorySample => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed };
};

export class MemoryWatch {
  private readonly startedAt: number;
  private baseline: MemorySample | null = null;
  private alerting: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly baselineAfterMs: number;
  private readonly alertGrowth: number;
  private readonly minGrowthBytes: number;
  private readonly sample: () => MemorySample;
  private readonly now: () => number;
  private readonly logger: Logger;
  /** Called when the warning starts (message) and ends (null). */
  onChange: ((message: string | null) => void) | null = null;

  constructor(private readonly options: MemoryWatchOptions = {}) {
    this.baselineAfterMs = options.baselineAfterMs ?? 60_000;
    this.alertGrowth = options.alertGrowth ?? 0.5;
    this.minGrowthBytes = options.minGrowthBytes ?? 64 * 1024 * 1024;
    this.sample = options.sample ?? processSample;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? nullLogger;
    this.startedAt = this.now();
  }

  /** Check periodically (the timer never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.report(), this.options.checkEveryMs ?? 10_000);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Current values, baseline and growth; also where the baseline is taken and the warning decided. */
  report(): MemoryReport {
    const current = this.sample();
    if (!this.baseline && this.now() - this.startedAt >= this.baselineAfterMs) this.baseline = current;
    const base = this.baseline;
    const rssGrowth = base ? current.rss / base.rss - 1 : null;
    const heapGrowth = base ? current.heapUsed / base.heapUsed - 1 : null;
    let alert: string | null = null;
    const rssAlert = base !== null && rssGrowth! > this.alertGrowth && current.rss - base.rss > this.minGrowthBytes;
    const heapAlert = base !== null && heapGrowth! > this.alertGrowth && current.heapUsed - base.heapUsed > this.minGrowthBytes;
    if (base && (rssAlert || heapAlert)) {
      const parts: string[] = [];
      if (rssAlert) parts.push(`RSS ${mb(current.rss)} is ${pct(rssGrowth!)} over its baseline of ${mb(base.rss)}`);
      if (heapAlert) parts.push(`heap ${mb(current.heapUsed)} is ${pct(heapGrowth!)} over its baseline of ${mb(base.heapUsed)}`);
      alert = `memory growing: ${parts.join('; ')}`;
    }
    if ((alert === null) !== (this.alerting === null)) {
      if (alert) this.logger.log('warn', 'memory-growth', { rssBytes: current.rss, heapUsedBytes: current.heapUsed, baselineRssBytes: base?.rss, baselineHeapUsedBytes: base?.heapUsed });
      else this.logger.log('info', 'memory-growth-ended', { rssBytes: current.rss, heapUsedBytes: current.heapUsed });
      this.alerting = alert;
      this.onChange?.(alert);
    }
    this.alerting = alert;
    return {
      rssBytes: current.rss,
      heapUsedBytes: current.heapUsed,
      baselineRssBytes: base?.rss ?? null,
      baselineHeapUsedBytes: base?.heapUsed ?? null,
      rssGrowthPct: rssGrowth === null ? null : Math.round(rssGrowth * 1000) / 10,
      heapGrowthPct: heapGrowth === null ? null : Math.round(heapGrowth * 1000) / 10,
      alert,
    };
  }
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1_048_576)} MB`;
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
