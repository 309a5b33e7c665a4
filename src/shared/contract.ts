/**
 * The typed contract between the main-process services and every window. Commands are
 * request → response; streams deliver frames for a subscription. What a window sends is validated by
 * the host with these schemas before anything runs: every message's shape, every command request and
 * every stream's parameters (ContractHost). What the host sends back (responses and frames, built by
 * our own code, frames many times a second) is typed by these schemas but not re-validated at runtime;
 * test/unit/main/publish/stream-frames.test.ts parses a real frame of every stream against its schema. Both hosts
 * (Electron IPC and the web host's WebSocket) carry exactly this contract, so the renderer cannot tell
 * which one it runs in.
 */
import { z } from 'zod';
import { analyticsCommands, analyticsStreams } from './analytics';
import { alertDeliveryCommands } from './alert-delivery';
import { crossVenueStreams } from './cross-venue';
import { orderFlowStreams } from './order-flow';
import type { CommandName as DeclaredCommand, StreamName as DeclaredStream } from './contract-names';
import { CANDLE_INTERVAL_NAMES } from './candles';
import { VENUE_IDS } from './market';
import { marketMakerCommands, marketMakerStreams } from './market-maker';
import { settingsCommands } from './settings';
import { windowBoundsCommands } from './window-bounds';

export { COMMAND_NAMES, STREAM_NAMES, isCommandName, isStreamName } from './contract-names';

export const VenueIdSchema = z.enum(VENUE_IDS);

const SymbolSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:/-]+$/, 'symbol may contain letters, digits and . _ : / - only');

export const SyncStateSchema = z.enum(['idle', 'connecting', 'buffering', 'synced', 'resyncing', 'failed']);

export const InstrumentSchema = z.object({
  venue: VenueIdSchema,
  symbol: z.string(),
  display: z.string(),
  base: z.string(),
  quote: z.string(),
  tickSize: z.string().nullable(),
  lotSize: z.string().nullable(),
  pricePrecision: z.number().int().nullable(),
  sizePrecision: z.number().int().nullable(),
  status: z.string(),
});

export const VenueInfoSchema = z.object({
  id: VenueIdSchema,
  name: z.string(),
  /** live: real exchange; demo: synthetic market; replay: a capture file. */
  mode: z.enum(['live', 'demo', 'replay']),
  status: z.enum(['ok', 'degraded', 'unreachable']),
  message: z.string().nullable(),
});

/** A message's hops, in order (see main/latency/hops.ts); the collector hops fill only behind a collector. */
export const LatencyHopNameSchema = z.enum(['exchangeToReceipt', 'receiptToCollectorPublish', 'collectorPublishToDeskReceipt', 'receiptToFrame']);
export type LatencyHopName = z.infer<typeof LatencyHopNameSchema>;
/** One hop's latency over the sliding window (last minute, at most 4,096 samples): exact nearest-rank percentiles, ms. */
export const LatencyHopStatsSchema = z.object({ count: z.number(), p50: z.number(), p99: z.number(), max: z.number(), perSec: z.number() });
export type LatencyHopStats = z.infer<typeof LatencyHopStatsSchema>;

export const SymbolHealthSchema = z.object({
  venue: VenueIdSchema,
  symbol: z.string(),
  state: SyncStateSchema,
  messages: z.number(),
  levelUpdates: z.number(),
  msgsPerSec: z.number(),
  levelUpdatesPerSec: z.number(),
  latencyMs: z.number().nullable(),
  gaps: z.number(),
  resyncs: z.number(),
  checksumOk: z.number(),
  checksumFailed: z.number(),
  bboOk: z.number(),
  bboFailed: z.number(),
  crossed: z.number(),
  reconnects: z.number(),
  malformed: z.number(),
  /** Live trades accepted on the symbol's trade channel (history and duplicates not counted). */
  trades: z.number().default(0),
  /** Holes in the trade-id sequence where the venue numbers trades consecutively: lost trades. */
  tradeGaps: z.number().default(0),
  /** Trades printed through a price the book still showed on the other side. */
  tradeAnomalies: z.number().default(0),
  bufferSize: z.number(),
  /** Update rate far outside the venue's nominal rate: 'high' (a burst or a loop), 'low' (gone quiet). */
  rateAnomaly: z.enum(['none', 'low', 'high']),
  snapshotAgeMs: z.number().nullable(),
  lastMessageAgeMs: z.number().nullable(),
  lastError: z.string().nullable(),
  /** A replayed book whose capture has played to its end: nothing more will arrive (rates read 0). */
  ended: z.boolean().optional(),
  /** Per hop: p50/p99/max and throughput over the sliding window; null for a hop with no samples. */
  hops: z.record(LatencyHopNameSchema, LatencyHopStatsSchema.nullable()).optional(),
});

export const HealthReportSchema = z.object({
  uptimeSec: z.number(),
  memory: z.object({
    rssBytes: z.number(),
    heapUsedBytes: z.number(),
    /** Taken a minute after start (null before); growth is judged against it. */
    baselineRssBytes: z.number().nullable().default(null),
    baselineHeapUsedBytes: z.number().nullable().default(null),
    rssGrowthPct: z.number().nullable().default(null),
    heapGrowthPct: z.number().nullable().default(null),
    /** Set while RSS or heap is more than 50% over its baseline. */
    alert: z.string().nullable().default(null),
  }),
  venues: z.array(VenueInfoSchema),
  symbols: z.array(SymbolHealthSchema),
  /** The SQLite store's state (null where the app runs without a data folder). */
  store: z.lazy(() => StoreStatusSchema).nullable().default(null),
});

const LevelPairSchema = z.tuple([z.string(), z.string()]);

export const LadderFrameSchema = z.object({
  venue: VenueIdSchema,
  symbol: z.string(),
  state: SyncStateSchema,
  /** Best first on each side: [price text, size text]. */
  bids: z.array(LevelPairSchema),
  asks: z.array(LevelPairSchema),
  bidLevels: z.number(),
  askLevels: z.number(),
  /** Decimal places needed to show every price in the book exactly. */
  priceDecimals: z.number().int(),
  /** Decimal places for sizes (the instrument's lot precision, capped for readability). */
  sizeDecimals: z.number().int(),
  spread: z.string().nullable(),
  /** Book change counter; increases with every applied update. */
  version: z.number(),
  exchangeTs: z.number().nullable(),
  localTs: z.number(),
  message: z.string().nullable(),
  /**
   * Traded volume over the last 5 minutes at each price from the frame's farthest bid to its farthest
   * ask, highest first: [price, taker-buy volume, taker-sell volume], exact decimal texts.
   */
  traded: z.array(z.tuple([z.string(), z.string(), z.string()])).optional(),
  /** The feed's newest print (a history print included); absent before any. */
  lastTrade: z
    .object({ price: z.string(), size: z.string(), side: z.enum(['buy', 'sell', 'unknown']), ts: z.number() })
    .optional(),
});

export const LadderParamsSchema = z.object({
  venue: VenueIdSchema,
  symbol: SymbolSchema,
  depth: z.number().int().min(1).max(500).default(20),
  /** Group prices into rows of this many ticks (1 = every price level). */
  group: z.number().int().min(1).max(1_000_000).default(1),
});

export const DepthParamsSchema = z.object({
  venue: VenueIdSchema,
  symbol: SymbolSchema,
  /** How far from mid to show, in basis points; 0 picks a range that shows the top 100 levels. */
  rangeBps: z.number().min(0).max(5000).default(0),
  /** Buckets per side. */
  points: z.number().int().min(10).max(400).default(100),
});

/** Resting size per distance-from-mid bucket; cumulative curves are prefix sums of these. */
export const DepthFrameSchema = z.object({
  venue: VenueIdSchema,
  symbol: z.string(),
  state: SyncStateSchema,
  mid: z.number().nullable(),
  bucketBps: z.number(),
  /** Index 0 is the bucket nearest mid. */
  bidSizes: z.array(z.number()),
  askSizes: z.array(z.number()),
  /** Size resting beyond the range (not in the buckets). */
  bidBeyond: z.number(),
  askBeyond: z.number(),
});

export const HeatmapParamsSchema = z.object({
  venue: VenueIdSchema,
  symbol: SymbolSchema,
  /** Rows (price buckets) per column. */
  rows: z.number().int().min(20).max(400).default(120),
  /**
   * Price span of a column around mid, in basis points; fixes the row height on the first frame.
   * 0 picks a span that shows the top 50 levels.
   */
  spanBps: z.number().min(0).max(5000).default(0),
  /** One column every intervalMs. */
  intervalMs: z.number().int().min(100).max(5000).default(250),
});

/**
 * Trade bubbles of one heatmap column: [price, taker-buy volume, taker-sell volume] per price row
 * (the price is the row's volume-weighted trade price), lowest price first.
 */
export const HeatmapTradeCellsSchema = z.array(z.tuple([z.number(), z.number(), z.number()]));

/** One column of the liquidity heatmap: resting size per price row at one moment. */
export const HeatmapFrameSchema = z.object({
  venue: VenueIdSchema,
  symbol: z.string(),
  state: SyncStateSchema,
  ts: z.number(),
  /** Price of row 0's lower edge, and the row height; rows go up in price. Fixed per subscription. */
  basePrice: z.number(),
  rowStep: z.number(),
  sizes: z.array(z.number()),
  bestBid: z.number().nullable(),
  bestAsk: z.number().nullable(),
  /** Prints of the column slot before this one and of this one so far (slot start times), where the host keeps them. */
  trades: z.array(z.object({ ts: z.number(), cells: HeatmapTradeCellsSchema })).optional(),
});

/** A past heatmap column from the main process's history: the frame's shape without venue and state. */
export const HeatmapColumnSchema = z.object({
  ts: z.number(),
  basePrice: z.number(),
  sizes: z.array(z.number()),
  bestBid: z.number().nullable(),
  bestAsk: z.number().nullable(),
});

export const HeatmapHistoryResponseSchema = z.object({
  venue: VenueIdSchema,
  symbol: z.string(),
  /** Row height of the columns: the one asked for, or the history's own when a finer one was asked. */
  rowStep: z.number(),
  /** Time one column covers (a multiple of the history's column width when columns were merged). */
  columnMs: z.number(),
  /** Oldest first. */
  columns: z.array(HeatmapColumnSchema),
  /**
   * Trade bubbles in the range, per column slot (spans of `columnMs` starting at its multiples) that
   * had prints, oldest first; absent where the host keeps no prints. Slots without a column (a book
   * that did not change) still have theirs.
   */
  trades: z.array(z.object({ ts: z.number(), cells: HeatmapTradeCellsSchema })).optional(),
  /** The oldest column the history holds (null when empty): where scrolling back ends. */
  oldestTs: z.number().nullable(),
});

export const TopOfBookParamsSchema = z.object({ venue: VenueIdSchema, symbol: SymbolSchema });

export const TopOfBookPointSchema = z.object({
  t: z.number(),
  bid: z.number().nullable(),
  ask: z.number().nullable(),
  bidSize: z.number().nullable(),
  askSize: z.number().nullable(),
});

/** Top-of-book changes since the previous frame, at most one point per 100 ms (the last in it). */
export const TopOfBookFrameSchema = z.object({
  venue: VenueIdSchema,
  symbol: z.string(),
  points: z.array(TopOfBookPointSchema),
});

/** Most prints one `trades` frame carries; more in one tick are counted in `dropped`, never queued. */
export const MAX_TRADES_PER_FRAME = 2000;

/** One print of the tape: price and size as the venue's exact text; side is the taker's. */
export const TradePrintSchema = z.object({
  id: z.string().nullable(),
  price: z.string(),
  size: z.string(),
  side: z.enum(['buy', 'sell', 'unknown']),
  exchangeTs: z.number(),
  localTs: z.number(),
  /** Venue trades this print stands for (Binance aggTrade, OKX `count`); absent means one. */
  fills: z.number().int().min(1).optional(),
  /** Sent on subscribe from before it (Coinbase `last_match`, Kraken snapshot): not live flow. */
  history: z.boolean().optional(),
});

export const TradesParamsSchema = z.object({
  venue: VenueIdSchema,
  symbol: SymbolSchema,
  /** Recent prints from before the subscription to put in the first frame. */
  backlog: z.number().int().min(0).max(MAX_TRADES_PER_FRAME).default(200),
});

/** The prints since the previous frame, oldest first (the first frame: up to `backlog` recent ones). */
export const TradesFrameSchema = z.object({
  venue: VenueIdSchema,
  symbol: z.string(),
  trades: z.array(TradePrintSchema).max(MAX_TRADES_PER_FRAME),
  /** Prints left out of this frame because more than MAX_TRADES_PER_FRAME arrived in one tick (the oldest). */
  dropped: z.number().int().min(0),
  /** Decimals to show prices and sizes with (the instrument's precision); null where not known. */
  priceDecimals: z.number().int().min(0).nullable(),
  sizeDecimals: z.number().int().min(0).nullable(),
});

// ---- Candles (src/main/analytics/live-candles.ts) ----

export const CandleIntervalSchema = z.enum(CANDLE_INTERVAL_NAMES);

/** Most candles one `candles` frame carries, and most a chart keeps (the newest). */
export const MAX_CANDLES = 3000;

/** One time candle: prices and volumes as exact decimal text, the statistics the chart's studies need as numbers. */
export const CandleBarSchema = z.object({
  /** Interval start, ms since the epoch (bucketed by the venue's trade time). */
  t: z.number(),
  open: z.string(),
  high: z.string(),
  low: z.string(),
  close: z.string(),
  /** Σ size, and its taker-buy and taker-sell parts (exact). */
  volume: z.string(),
  buyVolume: z.string(),
  sellVolume: z.string(),
  trades: z.number().int().min(0),
  /** Σ price×size / Σ size to 12 significant digits; null when Σ size is 0. */
  vwap: z.string().nullable(),
  /** Σ size×(price − the candle's VWAP)²: with the VWAP and volume, the volume-weighted price variance. */
  m2: z.number(),
  /** Highest and lowest running taker delta (buy − sell) within the candle, from 0 at its start. */
  deltaHigh: z.number(),
  deltaLow: z.number(),
});

export const CandlesParamsSchema = z.object({
  venue: VenueIdSchema,
  symbol: SymbolSchema,
  interval: CandleIntervalSchema.default('1m'),
});

/** reset: `candles` replaces what the chart holds; otherwise it holds the candles that changed since the last frame. */
export const CandlesFrameSchema = z.object({
  venue: VenueIdSchema,
  symbol: z.string(),
  interval: CandleIntervalSchema,
  reset: z.boolean(),
  candles: z.array(CandleBarSchema).max(MAX_CANDLES),
  priceDecimals: z.number().int().min(0).nullable(),
  sizeDecimals: z.number().int().min(0).nullable(),
  /** Where the chart's history stands: recorded trades read from the store before the live ones. */
  history: z.object({
    state: z.enum(['loading', 'done', 'none', 'failed']),
    /** Recorded trades read from the store. */
    trades: z.number().int().min(0),
    /** True when more were recorded than a chart reads (the oldest were left out). */
    truncated: z.boolean(),
    message: z.string().nullable(),
  }),
});

const Empty = z.object({}).strict();

export const RecordingStatusSchema = z.object({
  active: z.boolean(),
  path: z.string().nullable(),
  venue: VenueIdSchema.nullable(),
  symbols: z.array(z.string()),
  lines: z.number(),
  bytes: z.number(),
  startedAt: z.number().nullable(),
  error: z.string().nullable(),
});

// ---- Store: recorded history and exports (src/main/store) ----

/** ms since the epoch. */
const TimeMsSchema = z.number().nonnegative();

export const StoreStatusSchema = z.object({
  /** ok: recording; degraded: recording, but something needs attention; failed: not recording now (retrying). */
  state: z.enum(['starting', 'ok', 'degraded', 'failed', 'closed']),
  message: z.string().nullable(),
  path: z.string(),
  sizeBytes: z.number(),
  rows: z.object({ topOfBook: z.number(), trades: z.number().default(0), alerts: z.number(), alertEvents: z.number(), feedEvents: z.number(), instruments: z.number() }),
  lastWriteTs: z.number().nullable(),
  queuedRows: z.number(),
  droppedRows: z.number(),
  committedRows: z.number(),
  errors: z.number(),
  lastError: z.string().nullable(),
  lastErrorTs: z.number().nullable(),
  retention: z.object({ days: z.number().nullable(), maxBytes: z.number().nullable(), lastRunTs: z.number().nullable(), deletedRows: z.number() }),
  /** Damaged database files moved aside (kept for recovery) since the app started. */
  movedAside: z.array(z.string()),
});

/** A recorded top of book: prices and sizes as the venue's exact text. */
export const StoredTopOfBookSchema = z.object({
  localTs: z.number(),
  exchangeTs: z.number().nullable(),
  bid: z.string().nullable(),
  bidSize: z.string().nullable(),
  ask: z.string().nullable(),
  askSize: z.string().nullable(),
});

const AlertPhaseSchema = z.enum(['raised', 'updated', 'cleared']);
const AlertSeveritySchema = z.enum(['info', 'warning', 'critical']);

export const StoredAlertSchema = z.object({
  id: z.string(),
  venue: z.string(),
  symbol: z.string(),
  kind: z.string(),
  severity: AlertSeveritySchema,
  state: AlertPhaseSchema,
  raisedTs: z.number(),
  updatedTs: z.number(),
  clearedTs: z.number().nullable(),
  message: z.string(),
  evidence: z.unknown(),
  steps: z.array(z.object({ phase: AlertPhaseSchema, ts: z.number(), severity: AlertSeveritySchema, message: z.string(), evidence: z.unknown() })),
});

export const FeedHistoryEntrySchema = z.object({
  venue: z.string(),
  symbol: z.string(),
  ts: z.number(),
  /** subscribed, connected, resynced, gap, disconnected, failed, stopped or state. */
  kind: z.string(),
  from: z.string(),
  to: z.string(),
  reason: z.string(),
});

export const ExportJobSchema = z.object({
  id: z.string(),
  kind: z.literal('csv'),
  state: z.enum(['running', 'done', 'failed']),
  name: z.string(),
  /** Where the file is on the host's disk. */
  file: z.string(),
  rows: z.number(),
  totalRows: z.number(),
  bytes: z.number(),
  error: z.string().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  /** Web host: where the browser can download the finished file; null in the desktop app. */
  downloadUrl: z.string().nullable(),
});

const RangeFilter = { from: TimeMsSchema.optional(), to: TimeMsSchema.optional() };
const rangeOrdered = (r: { from?: number | undefined; to?: number | undefined }): boolean => r.from === undefined || r.to === undefined || r.from < r.to;

const storeCommands = {
  'store.status.get': { request: z.object({}).strict(), response: StoreStatusSchema },
  /** Recorded top of book of one symbol in [from, to), oldest first, at most `limit` rows. */
  'store.topOfBook': {
    request: z
      .object({ venue: VenueIdSchema, symbol: SymbolSchema, from: TimeMsSchema, to: TimeMsSchema, limit: z.number().int().min(1).max(20_000).default(5000) })
      .strict()
      .refine(rangeOrdered, 'from must be before to'),
    response: z.object({ venue: z.string(), symbol: z.string(), rows: z.array(StoredTopOfBookSchema), truncated: z.boolean() }),
  },
  /** Recorded trades of one symbol in [from, to), oldest first, at most `limit` rows. */
  'store.trades': {
    request: z
      .object({ venue: VenueIdSchema, symbol: SymbolSchema, from: TimeMsSchema, to: TimeMsSchema, limit: z.number().int().min(1).max(20_000).default(5000) })
      .strict()
      .refine(rangeOrdered, 'from must be before to'),
    response: z.object({ venue: z.string(), symbol: z.string(), rows: z.array(TradePrintSchema), truncated: z.boolean() }),
  },
  /** Alerts, most recently updated first, each with its lifecycle steps and evidence. */
  'store.alerts': {
    request: z
      .object({ venue: VenueIdSchema.optional(), symbol: SymbolSchema.optional(), activeOnly: z.boolean().default(false), ...RangeFilter, limit: z.number().int().min(1).max(1000).default(200) })
      .strict()
      .refine(rangeOrdered, 'from must be before to'),
    response: z.array(StoredAlertSchema),
  },
  /** Feed history (connects, gaps, resyncs, disconnects), newest first. */
  'store.feedHistory': {
    request: z
      .object({ venue: VenueIdSchema.optional(), symbol: SymbolSchema.optional(), ...RangeFilter, limit: z.number().int().min(1).max(1000).default(200) })
      .strict()
      .refine(rangeOrdered, 'from must be before to'),
    response: z.array(FeedHistoryEntrySchema),
  },
  /** Retention: delete history older than `days`, keep the database under `maxMegabytes`; null disables either. */
  'store.retention.set': {
    request: z.object({ days: z.number().int().min(1).max(36_500).nullable(), maxMegabytes: z.number().int().min(16).max(100_000_000).nullable() }).strict(),
    response: z.object({ days: z.number().nullable(), maxBytes: z.number().nullable() }),
  },
  /**
   * Start exporting one symbol's recorded top of book (or, with table 'trades', its trades; with
   * 'candles', time candles of its trades in the CLI's candle CSV format) as CSV;
   * follow it with the export.progress stream.
   */
  'export.csv.start': {
    request: z
      .object({
        venue: VenueIdSchema,
        symbol: SymbolSchema,
        table: z.enum(['top-of-book', 'trades', 'candles']).default('top-of-book'),
        ...RangeFilter,
        /** With table 'candles': the candle interval (default 1m). */
        interval: CandleIntervalSchema.optional(),
      })
      .strict()
      .refine(rangeOrdered, 'from must be before to'),
    response: ExportJobSchema,
  },
  /** Write the current top `levels` of a live book as JSON (atomically). */
  'export.depth': {
    request: z.object({ venue: VenueIdSchema, symbol: SymbolSchema, levels: z.number().int().min(1).max(1000).default(40) }).strict(),
    response: z.object({ name: z.string(), file: z.string(), bytes: z.number(), state: SyncStateSchema, bids: z.number(), asks: z.number(), downloadUrl: z.string().nullable() }),
  },
} as const;

const storeStreams = {
  'store.status': { params: z.object({}).strict(), frame: StoreStatusSchema },
  'export.progress': { params: z.object({ exportId: z.string().regex(/^[0-9a-f]{6,32}$/) }).strict(), frame: ExportJobSchema },
} as const;

export type StoreStatusInfo = z.output<typeof StoreStatusSchema>;
export type ExportJobInfo = z.output<typeof ExportJobSchema>;

export const ReplayStatusSchema = z.object({
  active: z.boolean(),
  path: z.string().nullable(),
  name: z.string().nullable(),
  paused: z.boolean(),
  /** Playback speed: 1, 10… ; 0 = as fast as possible. */
  speed: z.number(),
  /** Share of the capture's recorded time played, 0..1 (0 until the file's time span is known). */
  progress: z.number(),
  /** The recorded time of the last frame played (ms since the epoch). */
  captureTime: z.number().nullable(),
  done: z.boolean(),
  error: z.string().nullable(),
  messages: z.number(),
  corruptLines: z.number(),
  symbols: z.array(z.object({ venue: VenueIdSchema, symbol: z.string() })),
});

export const CaptureFileSchema = z.object({ name: z.string(), bytes: z.number(), modified: z.number() });

/** Largest capture a browser may upload to the web host's recordings folder (POST /api/recordings). */
export const MAX_CAPTURE_UPLOAD_BYTES = 256 * 1024 * 1024;

/** Something the host asks a window to do (from the desktop app's menus). */
export const UiCommandSchema = z.object({
  id: z.number(),
  action: z.enum(['export-csv', 'export-trades-csv', 'export-depth', 'toggle-recording', 'focus-symbol-search', 'export-candles-csv']),
  /** export-candles-csv: the candle interval chosen in the menu. */
  interval: CandleIntervalSchema.optional(),
});

export const commands = {
  'app.info': {
    request: Empty,
    response: z.object({ name: z.string(), version: z.string(), host: z.enum(['electron', 'web']) }),
  },
  'venues.list': {
    request: Empty,
    response: z.array(VenueInfoSchema),
  },
  'instruments.list': {
    request: z.object({ venue: VenueIdSchema }).strict(),
    response: z.array(InstrumentSchema),
  },
  'health.get': {
    request: Empty,
    response: HealthReportSchema,
  },
  'recording.start': {
    request: z
      .object({
        venue: VenueIdSchema,
        symbols: z.array(SymbolSchema).min(1).max(200),
        /** gzip the capture (default true). */
        gzip: z.boolean().default(true),
      })
      .strict(),
    response: RecordingStatusSchema,
  },
  'recording.stop': { request: Empty, response: RecordingStatusSchema },
  /** Captures the app can replay: the recordings in the data folder. */
  'replay.list': { request: Empty, response: z.array(CaptureFileSchema) },
  'replay.open': {
    request: z
      .object({
        /** A file name from replay.list. */
        name: z.string().min(1).max(255),
        speed: z.number().min(0).max(1000).default(1),
      })
      .strict(),
    response: ReplayStatusSchema,
  },
  /** Desktop app only: save a finished export where the user chooses (a save dialog). */
  'file.saveAs': {
    request: z.object({ file: z.string().min(1).max(4096) }).strict(),
    response: z.object({ saved: z.string().nullable() }),
  },
  'replay.control': {
    request: z
      .object({
        action: z.enum(['pause', 'resume', 'stop', 'speed']),
        speed: z.number().min(0).max(1000).optional(),
      })
      .strict(),
    response: ReplayStatusSchema,
  },
  'recording.status': { request: Empty, response: RecordingStatusSchema },
  /** Past heatmap columns of a book in [from, to), kept in the main process (at least the last hour). */
  'heatmap.history': {
    request: z
      .object({
        venue: VenueIdSchema,
        symbol: SymbolSchema,
        from: TimeMsSchema,
        to: TimeMsSchema,
        /** Row height wanted (the live stream's rowStep); coarser than the history's is re-binned. */
        rowStep: z.number().positive().optional(),
        /** Longer ranges merge neighbouring columns to stay within this. */
        maxColumns: z.number().int().min(1).max(20_000).default(4000),
      })
      .strict()
      .refine(rangeOrdered, 'from must be before to'),
    response: HeatmapHistoryResponseSchema,
  },
  ...storeCommands,
  ...analyticsCommands,
  ...marketMakerCommands,
  ...alertDeliveryCommands,
  ...settingsCommands,
  ...windowBoundsCommands,
} as const;

export const streams = {
  'book.ladder': { params: LadderParamsSchema, frame: LadderFrameSchema },
  'book.depth': { params: DepthParamsSchema, frame: DepthFrameSchema },
  'book.heatmap': { params: HeatmapParamsSchema, frame: HeatmapFrameSchema },
  'book.top': { params: TopOfBookParamsSchema, frame: TopOfBookFrameSchema },
  trades: { params: TradesParamsSchema, frame: TradesFrameSchema },
  candles: { params: CandlesParamsSchema, frame: CandlesFrameSchema },
  health: { params: Empty, frame: HealthReportSchema },
  'replay.status': { params: Empty, frame: ReplayStatusSchema },
  /** Commands for one window: 'dashboard' or a detached panel's id. */
  'ui.commands': { params: z.object({ target: z.string().min(1).max(100) }).strict(), frame: z.object({ commands: z.array(UiCommandSchema) }) },
  ...storeStreams,
  ...analyticsStreams,
  ...marketMakerStreams,
  ...crossVenueStreams,
  ...orderFlowStreams,
} as const;

export type Commands = typeof commands;
export type Streams = typeof streams;
export type CommandName = keyof Commands;
export type StreamName = keyof Streams;

// The name lists in contract-names.ts and the schema maps here must declare exactly the same names.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const commandNamesMatch: Same<CommandName, DeclaredCommand> = true;
const streamNamesMatch: Same<StreamName, DeclaredStream> = true;
void commandNamesMatch;
void streamNamesMatch;
export type CommandRequest<C extends CommandName> = z.input<Commands[C]['request']>;
export type CommandResponse<C extends CommandName> = z.output<Commands[C]['response']>;
export type StreamParams<S extends StreamName> = z.input<Streams[S]['params']>;
export type StreamFrame<S extends StreamName> = z.output<Streams[S]['frame']>;

export type VenueInfo = z.output<typeof VenueInfoSchema>;
export type SymbolHealth = z.output<typeof SymbolHealthSchema>;
export type HealthReport = z.output<typeof HealthReportSchema>;
export type LadderFrame = z.output<typeof LadderFrameSchema>;
export type LadderParams = z.output<typeof LadderParamsSchema>;
export type RecordingStatus = z.output<typeof RecordingStatusSchema>;
export type ReplayStatus = z.output<typeof ReplayStatusSchema>;
export type CaptureFile = z.output<typeof CaptureFileSchema>;
export type UiCommand = z.output<typeof UiCommandSchema>;
export type DepthFrame = z.output<typeof DepthFrameSchema>;
export type HeatmapFrame = z.output<typeof HeatmapFrameSchema>;
export type HeatmapColumnInfo = z.output<typeof HeatmapColumnSchema>;
export type HeatmapHistoryResponse = z.output<typeof HeatmapHistoryResponseSchema>;
export type TopOfBookFrame = z.output<typeof TopOfBookFrameSchema>;
export type TopOfBookPoint = z.output<typeof TopOfBookPointSchema>;
export type TradePrint = z.output<typeof TradePrintSchema>;
export type TradesFrame = z.output<typeof TradesFrameSchema>;
export type TradesParams = z.output<typeof TradesParamsSchema>;
export type CandleBar = z.output<typeof CandleBarSchema>;
export type CandlesFrame = z.output<typeof CandlesFrameSchema>;
export type CandlesParams = z.output<typeof CandlesParamsSchema>;


/** The whole surface a window gets: the preload and the web bridge both implement exactly this. */
export interface OrderbookApi {
  invoke<C extends CommandName>(command: C, payload: CommandRequest<C>): Promise<CommandResponse<C>>;
  subscribe<S extends StreamName>(
    stream: S,
    params: StreamParams<S>,
    onFrame: (frame: StreamFrame<S>) => void,
    onError?: (error: ContractErrorInfo) => void,
  ): () => void;
}

export interface ContractErrorInfo {
  code: 'bad-request' | 'not-found' | 'unavailable' | 'internal';
  message: string;
}

/** An error a command or subscription reports to the window, with a message fit for a user. */
export class ContractError extends Error {
  constructor(
    readonly code: ContractErrorInfo['code'],
    message: string,
  ) {
    super(message);
  }
  toInfo(): ContractErrorInfo {
    return { code: this.code, message: this.message };
  }
}

/** Turn a zod failure into one readable line: "depth: Too big: expected number to be <=500". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export function parseCommandRequest<C extends CommandName>(command: C, payload: unknown): z.output<Commands[C]['request']> {
  const result = commands[command].request.safeParse(payload ?? {});
  if (!result.success) throw new ContractError('bad-request', `${command}: ${describeIssues(result.error)}`);
  return result.data as z.output<Commands[C]['request']>;
}

export function parseStreamParams<S extends StreamName>(stream: S, params: unknown): z.output<Streams[S]['params']> {
  const result = streams[stream].params.safeParse(params ?? {});
  if (!result.success) throw new ContractError('bad-request', `${stream}: ${describeIssues(result.error)}`);
  return result.data as z.output<Streams[S]['params']>;
}

/** Messages on the wire between a window and the host (IPC channels or the WebSocket). */
export type ClientMessage =
  | { t: 'invoke'; id: number; command: string; payload: unknown }
  | { t: 'sub'; id: number; stream: string; params: unknown }
  | { t: 'unsub'; id: number };

export type ServerMessage =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: ContractErrorInfo }
  | { t: 'frames'; frames: Array<{ id: number; frame: unknown }> }
  | { t: 'suberror'; id: number; error: ContractErrorInfo };

export const ClientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('invoke'), id: z.number().int(), command: z.string(), payload: z.unknown() }),
  z.object({ t: z.literal('sub'), id: z.number().int(), stream: z.string(), params: z.unknown() }),
  z.object({ t: z.literal('unsub'), id: z.number().int() }),
]);
