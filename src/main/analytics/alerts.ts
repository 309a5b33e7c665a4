/**
 * Alerts in memory, with their lifecycle: a condition is raised once (keyed by what it is about), then
 * updated while it lasts, then cleared with an outcome. Hysteresis at this level, on top of each
 * detector's own enter/exit thresholds:
 *  - a condition that is raised again while active is an update, reported at most once per
 *    `minUpdateIntervalMs` (the alert always holds the latest evidence);
 *  - a condition that returns within `reopenWithinMs` of clearing reopens its alert (an update)
 *    instead of adding a new one.
 * The list is bounded (`maxAlerts`); cleared alerts are dropped first, oldest first. So that it stays
 * readable, at most `maxNewPerMinute` new alerts of one kind on one book are added within any minute
 * (price and feed alerts are never held back); the next one that gets through carries `heldBack`, the
 * number held back before it.
 *
 * Listeners get an AlertEvent for every change: `raised`, `updated`, `cleared`, `acknowledged`. The
 * alert in an event is a copy; its shape is AlertSchema in src/shared/analytics.ts.
 */
import type { RuleChannels } from '../../shared/alert-routing';
import type { Alert, AlertKind, AlertList, AlertQuery, AlertSeverity, Evidence } from '../../shared/analytics';
import type { VenueId } from '../../shared/market';
import type { AlertBookConfig } from './config';

export interface AlertEvent {
  type: 'raised' | 'updated' | 'cleared' | 'acknowledged';
  alert: Alert;
}

export type AlertListener = (event: AlertEvent) => void;

export interface RaiseSpec {
  key: string;
  kind: AlertKind;
  venue: VenueId;
  symbol: string;
  severity: AlertSeverity;
  title: string;
  evidence: Evidence;
  ts: number;
  /** A user rule's own channels (src/shared/alert-routing.ts); absent or null: by kind. */
  channels?: RuleChannels;
}

interface AlertRecord extends Alert {
  /** When an update was last reported to listeners. */
  reportedAt: number;
}

export class AlertBook {
  private readonly records: AlertRecord[] = [];
  private readonly byId = new Map<string, AlertRecord>();
  private readonly byKey = new Map<string, AlertRecord>();
  private readonly listeners = new Set<AlertListener>();
  private seq = 0;
  private activeCount = 0;
  /** Per kind and book: when its recent new alerts were raised (within the last minute). */
  private readonly recentRaises = new Map<string, number[]>();
  /** Per kind and book: new alerts held back by the rate limit since the last one let through. */
  private readonly heldBack = new Map<string, number>();
  /** Bumped on every change (streams use it to know when to send). */
  version = 0;

  constructor(
    private readonly config: AlertBookConfig,
    private readonly onListenerError: (error: unknown) => void = () => {},
  ) {}

  onAlert(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isActive(key: string): boolean {
    return this.byKey.get(key)?.state === 'active';
  }

  get(id: string): Alert | undefined {
    const rec = this.byId.get(id);
    return rec ? copy(rec) : undefined;
  }

  /**
   * Raise a condition, or update (or reopen) the alert that already stands for it. Null when a new
   * alert is held back by the per-kind rate limit (raising it again later may let it through).
   */
  raise(spec: RaiseSpec): Alert | null {
    const existing = this.byKey.get(spec.key);
    if (existing && existing.state === 'active') {
      existing.evidence = { ...spec.evidence };
      existing.title = spec.title;
      existing.severity = spec.severity;
      existing.updatedAt = Math.max(existing.updatedAt, spec.ts);
      existing.updates++;
      this.version++;
      if (spec.ts - existing.reportedAt >= this.config.minUpdateIntervalMs) {
        existing.reportedAt = spec.ts;
        this.emit('updated', existing);
      }
      return copy(existing);
    }
    if (existing && existing.clearedAt !== null && spec.ts - existing.clearedAt <= this.config.reopenWithinMs) {
      existing.state = 'active';
      existing.clearedAt = null;
      existing.outcome = null;
      existing.evidence = { ...spec.evidence };
      existing.title = spec.title;
      existing.severity = spec.severity;
      existing.updatedAt = spec.ts;
      existing.updates++;
      existing.acknowledged = false;
      existing.reportedAt = spec.ts;
      this.activeCount++;
      this.version++;
      this.emit('updated', existing);
      return copy(existing);
    }
    const heldBack = this.rateLimit(spec);
    if (heldBack === null) return null;
    const rec: AlertRecord = {
      id: `a${++this.seq}`,
      key: spec.key,
      kind: spec.kind,
      venue: spec.venue,
      symbol: spec.symbol,
      severity: spec.severity,
      state: 'active',
      title: spec.title,
      raisedAt: spec.ts,
      updatedAt: spec.ts,
      clearedAt: null,
      updates: 0,
      acknowledged: false,
      evidence: heldBack > 0 ? { ...spec.evidence, heldBack } : { ...spec.evidence },
      outcome: null,
      reportedAt: spec.ts,
      ...(spec.channels != null ? { channels: [...spec.channels] } : {}),
    };
    this.records.push(rec);
    this.byId.set(rec.id, rec);
    this.byKey.set(rec.key, rec);
    this.activeCount++;
    this.version++;
    this.evict();
    this.emit('raised', rec);
    return copy(rec);
  }

  /** Clear an active condition with an outcome; extra evidence is merged into the alert's. */
  clear(key: string, ts: number, outcome: string, evidence: Evidence = {}, title?: string): Alert | null {
    const rec = this.byKey.get(key);
    if (!rec || rec.state !== 'active') return null;
    rec.state = 'cleared';
    rec.clearedAt = Math.max(ts, rec.raisedAt);
    rec.updatedAt = rec.clearedAt;
    rec.outcome = outcome;
    rec.evidence = { ...rec.evidence, ...evidence };
    if (title !== undefined) rec.title = title;
    this.activeCount--;
    this.version++;
    this.emit('cleared', rec);
    return copy(rec);
  }

  /** Route the alert for a condition (a user rule's) elsewhere from now on; null: by kind. */
  setChannels(key: string, channels: RuleChannels): void {
    const rec = this.byKey.get(key);
    if (!rec) return;
    if (channels === null) delete rec.channels;
    else rec.channels = [...channels];
    this.version++;
  }

  /** Acknowledge alerts by id (or all); returns how many changed. */
  acknowledge(ids: readonly string[] | 'all'): number {
    let changed = 0;
    const targets = ids === 'all' ? this.records : ids.map((id) => this.byId.get(id)).filter((r): r is AlertRecord => r !== undefined);
    for (const rec of targets) {
      if (rec.acknowledged) continue;
      rec.acknowledged = true;
      changed++;
      this.emit('acknowledged', rec);
    }
    if (changed > 0) this.version++;
    return changed;
  }

  /** Newest raised first. */
  list(query: Partial<AlertQuery> = {}): AlertList {
    const limit = query.limit ?? 200;
    const alerts: Alert[] = [];
    for (let i = this.records.length - 1; i >= 0 && alerts.length < limit; i--) {
      const rec = this.records[i]!;
      if (query.activeOnly && rec.state !== 'active') continue;
      if (query.venue !== undefined && rec.venue !== query.venue) continue;
      if (query.symbol !== undefined && rec.symbol !== query.symbol) continue;
      alerts.push(copy(rec));
    }
    return { version: this.version, total: this.records.length, active: this.activeCount, alerts };
  }

  /**
   * Count a new alert against its kind's budget on its book: null when the budget for the last minute
   * is spent (the alert is held back), else how many were held back before this one.
   */
  private rateLimit(spec: RaiseSpec): number | null {
    if (spec.kind === 'price' || spec.kind === 'feed') return 0;
    const key = `${spec.kind}:${spec.venue}:${spec.symbol}`;
    const times = this.recentRaises.get(key) ?? [];
    while (times.length > 0 && spec.ts - times[0]! >= 60_000) times.shift();
    if (times.length >= this.config.maxNewPerMinute) {
      this.heldBack.set(key, (this.heldBack.get(key) ?? 0) + 1);
      this.recentRaises.set(key, times);
      return null;
    }
    times.push(spec.ts);
    this.recentRaises.set(key, times);
    const held = this.heldBack.get(key) ?? 0;
    this.heldBack.delete(key);
    return held;
  }

  private evict(): void {
    while (this.records.length > this.config.maxAlerts) {
      let index = this.records.findIndex((r) => r.state === 'cleared');
      if (index === -1) index = 0;
      const [rec] = this.records.splice(index, 1);
      if (!rec) return;
      this.byId.delete(rec.id);
      if (this.byKey.get(rec.key) === rec) this.byKey.delete(rec.key);
      if (rec.state === 'active') this.activeCount--;
    }
  }

  private emit(type: AlertEvent['type'], rec: AlertRecord): void {
    if (this.listeners.size === 0) return;
    const event: AlertEvent = { type, alert: copy(rec) };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}

function copy(rec: AlertRecord): Alert {
  return {
    id: rec.id,
    key: rec.key,
    kind: rec.kind,
    venue: rec.venue,
    symbol: rec.symbol,
    severity: rec.severity,
    state: rec.state,
    title: rec.title,
    raisedAt: rec.raisedAt,
    updatedAt: rec.updatedAt,
    clearedAt: rec.clearedAt,
    updates: rec.updates,
    acknowledged: rec.acknowledged,
    evidence: { ...rec.evidence },
    outcome: rec.outcome,
    ...(rec.channels != null ? { channels: [...rec.channels] } : {}),
  };
}
