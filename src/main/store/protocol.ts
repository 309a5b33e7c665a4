/**
 * The messages between the store's two sides: the client on the main thread (client/) and the worker
 * threads (worker/): how a worker is started, what the main thread posts, what the workers answer,
 * and the named queries with their parameters and results. Everything here crosses the thread
 * boundary by structured clone, so it is plain data.
 *
 * Rows travel as one flat array of primitives per batch rather than an array of objects (the hot
 * path, top of book): cloning is several times cheaper.
 */
import type { CandleIntervalName } from '../../shared/candles';
import type { Instrument } from '../../shared/market';
import type { AlertPhase, AlertSeverity, AlertToWrite, FeedEventKind, FeedEventRecord, RetentionSetting, StoreStatus } from './types';

/** Fields per top-of-book row in a flat batch: venue, symbol, exchangeTs, localTs, bid, bidSize, ask, askSize. */
export const TOB_FIELDS = 8;

/** Fields per trade in a flat batch: venue, symbol, exchangeTs, localTs, tradeId, price, size, side, fills. */
export const TRADE_FIELDS = 9;

/** What a worker thread is started with (its workerData). `writer` lives as long as the store; `export` writes one CSV and exits. */
export type WorkerInit =
  | {
      role: 'writer';
      path: string;
      retention: RetentionSetting;
      maxTransactionRows?: number;
      retentionIntervalMs?: number;
      retentionDelayMs?: number;
      statusIntervalMs?: number;
    }
  | { role: 'export'; path: string; request: CsvExportRequest };

/** Export worker → main thread. */
export type FromExport =
  | { t: 'progress'; rows: number; totalRows: number; bytes: number }
  | { t: 'done'; file: string; rows: number; bytes: number }
  | { t: 'failed'; error: string };

/** Main thread → writer worker. */
export type ToWriter =
  | {
      t: 'write';
      /** Increases by one per message; the worker acknowledges commits by it. */
      seq: number;
      tob: Array<string | number | null>;
      /** Flat, TRADE_FIELDS per trade; absent in batches without trades. */
      trades?: Array<string | number | null>;
      alerts: AlertToWrite[];
      feed: FeedEventRecord[];
      instruments: Instrument[];
    }
  | { t: 'query'; id: number; name: QueryName; params: unknown }
  | { t: 'close' };

/** Writer worker → main thread. */
export type FromWriter =
  /** Every write message up to `seq` is done: `rows` committed, `dropped` given up on (a bug, logged). */
  | { t: 'committed'; seq: number; rows: number; dropped: number }
  | { t: 'status'; status: WorkerStatus }
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: string }
  | { t: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; event: string; fields: Record<string, unknown> }
  | { t: 'closed' };

/** The part of the status the worker knows (the main thread adds its own queue counters). */
export type WorkerStatus = Omit<StoreStatus, 'queuedRows' | 'droppedRows'> & { queuedRowsInWorker: number };

export type QueryName = 'topOfBook' | 'trades' | 'alerts' | 'feedHistory' | 'setRetention' | 'runRetention' | 'status' | 'checkpoint';

// ---- named queries (answered by the writer worker; see worker/queries.ts) ----

export interface TopOfBookQuery {
  venue: string;
  symbol: string;
  /** ms since the epoch, inclusive. */
  from: number;
  /** ms since the epoch, exclusive. */
  to: number;
  limit: number;
}

export interface TopOfBookPoint {
  localTs: number;
  exchangeTs: number | null;
  bid: string | null;
  bidSize: string | null;
  ask: string | null;
  askSize: string | null;
}

export interface TopOfBookRange {
  venue: string;
  symbol: string;
  rows: TopOfBookPoint[];
  /** More rows exist in the window than the limit allowed. */
  truncated: boolean;
}

export interface TradesQuery {
  venue: string;
  symbol: string;
  /** ms since the epoch of local receive time, inclusive. */
  from: number;
  /** ms since the epoch of local receive time, exclusive. */
  to: number;
  limit: number;
  /** The newest `limit` trades of the window instead of the oldest (still returned oldest first). */
  newest?: boolean;
}

/** A recorded trade, in the contract's TradePrint shape. */
export interface StoredTrade {
  id: string | null;
  price: string;
  size: string;
  side: 'buy' | 'sell' | 'unknown';
  /** The venue's trade time; the local receive time where the venue sent none. */
  exchangeTs: number;
  localTs: number;
  /** Present when the row stands for more than one venue trade. */
  fills?: number;
}

export interface TradesRange {
  venue: string;
  symbol: string;
  rows: StoredTrade[];
  /** More trades exist in the window than the limit allowed. */
  truncated: boolean;
}

export interface AlertsQuery {
  venue?: string | undefined;
  symbol?: string | undefined;
  /** Only alerts not yet cleared. */
  activeOnly: boolean;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
}

export interface AlertStep {
  phase: AlertPhase;
  ts: number;
  severity: AlertSeverity;
  message: string;
  evidence: unknown;
}

export interface StoredAlert {
  id: string;
  venue: string;
  symbol: string;
  kind: string;
  severity: AlertSeverity;
  state: AlertPhase;
  raisedTs: number;
  updatedTs: number;
  clearedTs: number | null;
  message: string;
  evidence: unknown;
  steps: AlertStep[];
}

export interface FeedHistoryQuery {
  venue?: string | undefined;
  symbol?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
}

export interface FeedHistoryEntry {
  venue: string;
  symbol: string;
  ts: number;
  kind: FeedEventKind;
  from: string;
  to: string;
  reason: string;
}

// ---- CSV export (one export worker per job; see worker/csv-export.ts) ----

export type CsvTable = 'top-of-book' | 'trades' | 'candles';

export interface CsvExportRequest {
  /** What to export (default top of book). */
  table?: CsvTable;
  /** With table 'candles': the interval (default 1m). */
  interval?: CandleIntervalName;
  venue: string;
  symbol: string;
  /** ms since the epoch, inclusive; null for the beginning. */
  from: number | null;
  /** ms since the epoch, exclusive; null for the end. */
  to: number | null;
  /** Destination file. */
  out: string;
}

export interface CsvExportProgress {
  rows: number;
  totalRows: number;
  bytes: number;
}

export interface CsvExportResult {
  file: string;
  rows: number;
  bytes: number;
}
