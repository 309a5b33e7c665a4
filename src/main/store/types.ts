/**
 * What the store records (rows, alert steps, feed events) and its status and settings, as both threads
 * see them. The messages between the threads are in protocol.ts.
 */
import type { SyncState, VenueId } from '../../shared/market';

/** One top-of-book change. Prices and sizes are the venue's exact text; null when a side is empty. */
export interface TopOfBookRow {
  venue: string;
  symbol: string;
  /** Exchange event time (ms since the epoch), when the venue sends one. */
  exchangeTs: number | null;
  /** Local receive time (ms since the epoch, may carry a fraction). */
  localTs: number;
  bid: string | null;
  bidSize: string | null;
  ask: string | null;
  askSize: string | null;
}

export type AlertPhase = 'raised' | 'updated' | 'cleared';
export type AlertSeverity = 'info' | 'warning' | 'critical';

/**
 * An alert lifecycle step, as analytics reports it to `Store.recordAlert`. The same `id` is used for
 * every step of one alert (raised → updated* → cleared); the store keeps the alert's latest state and
 * every step with its evidence.
 */
export interface AlertRecord {
  /** Stable id of the alert across its lifecycle, unique per alert (e.g. `wall:binance-spot:BTCUSDT:1723161254036`). */
  id: string;
  venue: VenueId;
  symbol: string;
  /** Detector name, e.g. `wall`, `spread-widening`, `liquidity-drop`. */
  kind: string;
  severity: AlertSeverity;
  phase: AlertPhase;
  /** When this step happened (ms since the epoch). */
  ts: number;
  /** One line for a trader. */
  message: string;
  /** What the detector saw (prices, sizes, thresholds); any JSON-serialisable value. */
  evidence: unknown;
}

/** An alert step on its way to the worker: evidence already serialised on the main thread. */
export type AlertToWrite = Omit<AlertRecord, 'evidence'> & { evidence: string };

/** What a feed state change means for a trader reviewing history. */
export type FeedEventKind = 'subscribed' | 'connected' | 'resynced' | 'gap' | 'disconnected' | 'failed' | 'stopped' | 'state';

export interface FeedEventRecord {
  venue: string;
  symbol: string;
  ts: number;
  kind: FeedEventKind;
  from: SyncState;
  to: SyncState;
  reason: string;
}

/** Classify a sync-state change (see venues/binance/sync.ts for when each one happens). */
export function feedEventKind(from: SyncState, to: SyncState): FeedEventKind {
  switch (to) {
    case 'synced':
      return from === 'resyncing' ? 'resynced' : 'connected';
    case 'resyncing':
      return 'gap';
    case 'connecting':
      return from === 'idle' ? 'subscribed' : 'disconnected';
    case 'buffering':
      return 'subscribed';
    case 'failed':
      return 'failed';
    case 'idle':
      return 'stopped';
  }
}

export interface RetentionSetting {
  /** Delete rows older than this many days; null keeps them by age. */
  days: number | null;
  /** Keep the database's used size under this many bytes by deleting the oldest top-of-book and trade rows; null for no cap. */
  maxBytes: number | null;
}

export const DEFAULT_RETENTION: RetentionSetting = { days: 30, maxBytes: 10 * 1024 ** 3 };

export type StoreState = 'starting' | 'ok' | 'degraded' | 'failed' | 'closed';

export interface StoreStatus {
  state: StoreState;
  /** What the user should know when state is not ok (and what happens next). */
  message: string | null;
  path: string;
  /** Database file plus its WAL, in bytes. */
  sizeBytes: number;
  rows: { topOfBook: number; trades: number; alerts: number; alertEvents: number; feedEvents: number; instruments: number };
  /** Time of the last committed transaction (ms since the epoch). */
  lastWriteTs: number | null;
  /** Rows accepted but not yet committed (waiting on the main thread or in the worker). */
  queuedRows: number;
  /** Top-of-book and trade rows dropped because the queue was full (the writer could not keep up, or the disk failed for long). */
  droppedRows: number;
  /** Rows committed since the store started. */
  committedRows: number;
  /** Write errors since the store started, and the last one. */
  errors: number;
  lastError: string | null;
  lastErrorTs: number | null;
  retention: RetentionSetting & { lastRunTs: number | null; deletedRows: number };
  /** Damaged database files moved aside (never deleted) since the store started. */
  movedAside: string[];
}
