/**
 * The analytics part of the contract: microstructure metrics, their per-second series, alerts, user
 * price alerts and the market-impact calculator. contract.ts adds these to its command and stream maps.
 * Every metric's exact definition (with its reference) is in src/main/analytics/metrics.ts and ofi.ts.
 */
import { z } from 'zod';
import { RuleChannelsSchema } from './alert-routing';
import { VENUE_IDS } from './market';

const Venue = z.enum(VENUE_IDS);
const SymbolText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:/-]+$/, 'symbol may contain letters, digits and . _ : / - only');
/** A number that is absent when it cannot be computed (an empty side, no mid, too few levels). */
const Num = z.number().nullable();

export const BookRefSchema = z.object({ venue: Venue, symbol: SymbolText }).strict();

// ---- metrics -------------------------------------------------------------------------------------

export const MetricsParamsSchema = BookRefSchema;

export const DepthBandSchema = z.object({
  /** Half-width of the band around mid, in basis points. */
  bps: z.number(),
  /** Base size resting within the band on each side, and its quote notional. */
  bid: z.number(),
  ask: z.number(),
  bidNotional: z.number(),
  askNotional: z.number(),
  /** True when the band held more levels than are scanned per update (the sums are then lower bounds). */
  truncated: z.boolean(),
});

export const MetricsFrameSchema = z.object({
  venue: Venue,
  symbol: z.string(),
  state: z.string(),
  /** Local receive time of the book update these values describe (ms since the epoch); null before the first. */
  ts: Num,
  exchangeTs: Num,
  /** Book updates seen since the book was last (re)built. */
  updates: z.number(),
  bestBid: z.string().nullable(),
  bestAsk: z.string().nullable(),
  bidSize: Num,
  askSize: Num,
  mid: Num,
  microprice: Num,
  spread: Num,
  spreadBps: Num,
  /** spread / best ask: what the wide-spread alert compares with its threshold. */
  spreadOverAsk: Num,
  /** (bid depth − ask depth) / (bid depth + ask depth) over the top `imbalanceLevels`, in [-1, 1]. */
  imbalance: Num,
  imbalanceLevels: z.number().int(),
  depthTop: z.object({ bid: z.number(), ask: z.number() }),
  ofi: z.object({
    /** Start of the current second (ms since the epoch, event time). */
    second: Num,
    /** Cont–Kukanov–Stoikov best-level OFI summed over the current second, in base units. */
    best: z.number(),
    /** Multi-level OFI (sum over the top `levels.length` levels) over the current second. */
    multi: z.number(),
    /** Per-level OFI over the current second, level 1 first. */
    levels: z.array(z.number()),
    /** The last completed second's totals. */
    lastSecond: z.object({ best: z.number(), multi: z.number() }).nullable(),
  }),
  weightedPrice: z.object({ bid: Num, ask: Num, both: Num, levels: z.number().int() }),
  slope: z.object({ bid: Num, ask: Num, levels: z.number().int() }),
  depthBands: z.array(DepthBandSchema),
  /** Trades: the last print and, per read-out window, volume and delta (taker buy − taker sell). */
  flow: z.object({
    lastPrice: z.string().nullable(),
    lastSide: z.enum(['buy', 'sell', 'unknown']).nullable(),
    lastTs: Num,
    windows: z.array(
      z.object({ seconds: z.number().int(), volume: z.number(), buyVolume: z.number(), sellVolume: z.number(), delta: z.number(), trades: z.number() }),
    ),
  }),
});

export const SeriesParamsSchema = z
  .object({ venue: Venue, symbol: SymbolText, seconds: z.number().int().min(10).max(600).default(180) })
  .strict();

/** Completed seconds, oldest first, one array per column (all the same length). */
export const SeriesFrameSchema = z.object({
  venue: Venue,
  symbol: z.string(),
  seconds: z.number().int(),
  /** Start of each second, ms since the epoch (event time). */
  t: z.array(z.number()),
  /** Values at the end of each second. */
  mid: z.array(Num),
  microprice: z.array(Num),
  spreadBps: z.array(Num),
  imbalance: z.array(Num),
  /** Top-N depth per side at the end of each second (base units). */
  depthBid: z.array(Num),
  depthAsk: z.array(Num),
  /** OFI summed over each second. */
  ofi: z.array(z.number()),
  ofiMulti: z.array(z.number()),
  /** Book updates in each second. */
  updates: z.array(z.number()),
  /** Traded volume in each second (base units), and its taker-buy and taker-sell parts. */
  volume: z.array(z.number()),
  buyVolume: z.array(z.number()),
  sellVolume: z.array(z.number()),
  /** Trade records in each second. */
  trades: z.array(z.number()),
  /** Volume-weighted average trade price of each second (null without trades). */
  vwap: z.array(Num),
  /** (taker buy − taker sell) / (taker buy + taker sell) of each second, −1…1 (null without sided trades). */
  tradeImbalance: z.array(Num),
});

// ---- alerts --------------------------------------------------------------------------------------

export const ALERT_KINDS = ['wall', 'layering', 'exhaustion', 'wide-spread', 'feed', 'price', 'iceberg', 'large-trade', 'sweep'] as const;
export const AlertKindSchema = z.enum(ALERT_KINDS);
export const AlertSeveritySchema = z.enum(['info', 'warning', 'critical']);
export const EvidenceSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

/**
 * One alert. It is raised once per condition, updated while the condition lasts (at most once a
 * second is reported), and cleared with an outcome; a condition that returns soon after clearing
 * reopens the same alert instead of adding another.
 */
export const AlertSchema = z.object({
  id: z.string(),
  /** What condition this is: kind, book and subject (e.g. "wall:binance-spot:BTCUSDT:bid@64000.5"). */
  key: z.string(),
  kind: AlertKindSchema,
  venue: Venue,
  symbol: z.string(),
  severity: AlertSeveritySchema,
  state: z.enum(['active', 'cleared']),
  /** One line for people. */
  title: z.string(),
  raisedAt: z.number(),
  updatedAt: z.number(),
  clearedAt: Num,
  /** How many times the condition was updated or reopened after it was raised. */
  updates: z.number().int(),
  acknowledged: z.boolean(),
  /** The numbers that raised (and last updated or cleared) it. */
  evidence: EvidenceSchema,
  /** Why it cleared: pulled, traded-through, shrunk, resolved, reverted, feed-reset, removed… */
  outcome: z.string().nullable(),
  /** The channels the user rule that raised it chose (src/shared/alert-routing.ts); absent: by kind. */
  channels: RuleChannelsSchema.optional(),
});

export const AlertQuerySchema = z
  .object({
    activeOnly: z.boolean().default(false),
    limit: z.number().int().min(1).max(1000).default(200),
    venue: Venue.optional(),
    symbol: SymbolText.optional(),
  })
  .strict();

export const AlertListSchema = z.object({
  /** Changes whenever any alert changes. */
  version: z.number(),
  total: z.number().int(),
  active: z.number().int(),
  /** Newest first. */
  alerts: z.array(AlertSchema),
});

export const AlertAckRequestSchema = z
  .object({ ids: z.array(z.string().max(64)).max(1000).optional(), all: z.boolean().optional() })
  .strict()
  .refine((r) => (r.ids !== undefined) !== (r.all === true), { message: 'give either ids or all: true' });

const PriceText = z
  .string()
  .max(40)
  .regex(/^\d+(\.\d+)?$/, 'price must be a plain positive decimal such as 64000.5')
  .refine((s) => Number(s) > 0, 'price must be above zero');

export const PriceRuleRequestSchema = z
  .object({
    venue: Venue,
    symbol: SymbolText,
    price: PriceText,
    /** above: fires when the best bid reaches the price; below: when the best ask reaches it. Default: from the current mid. */
    direction: z.enum(['above', 'below']).optional(),
    /** Re-arm after the price moves back across the level (default: fire once). */
    repeat: z.boolean().default(false),
    note: z.string().max(200).optional(),
    /** Where its alerts go (sound, notification, webhook, telegram); null or absent: by kind. */
    channels: RuleChannelsSchema.default(null),
  })
  .strict();

export const PriceRuleRouteRequestSchema = z.object({ id: z.string().min(1).max(64), channels: RuleChannelsSchema }).strict();

export const PriceRuleSchema = z.object({
  id: z.string(),
  venue: Venue,
  symbol: z.string(),
  price: z.string(),
  direction: z.enum(['above', 'below']),
  repeat: z.boolean(),
  note: z.string().nullable(),
  createdAt: z.number(),
  state: z.enum(['armed', 'triggered']),
  triggeredAt: Num,
  triggers: z.number().int(),
  channels: RuleChannelsSchema,
});

// ---- impact --------------------------------------------------------------------------------------

export const ImpactRequestSchema = z
  .object({
    /** One book, or several books of the same asset to split the order over (best prices first). */
    books: z.array(BookRefSchema).min(1).max(8),
    side: z.enum(['buy', 'sell']),
    /** Order size in base units… (at least 1e-12: smaller is not an order, e.g. a denormal like 1e-320) */
    size: z.number().min(1e-12, 'must be at least 1e-12').max(1e15).optional(),
    /** …or in quote notional (exactly one of the two). */
    notional: z.number().min(1e-12, 'must be at least 1e-12').max(1e18).optional(),
    /** Taker fee in basis points (0–1000). */
    feeBps: z.number().min(0).max(1000).default(0),
  })
  .strict()
  .refine((r) => (r.size === undefined) !== (r.notional === undefined), { message: 'give exactly one of size or notional' });

export const ImpactFillSchema = z.object({
  venue: Venue,
  price: z.string(),
  size: z.number(),
  cost: z.number(),
  cumSize: z.number(),
  cumCost: z.number(),
});

export const ImpactResultSchema = z.object({
  side: z.enum(['buy', 'sell']),
  /** base: `requested` is a base size; quote: a quote notional. */
  mode: z.enum(['base', 'quote']),
  requested: z.number(),
  filledBase: z.number(),
  /** Quote value of the fill before fees. */
  filledQuote: z.number(),
  complete: z.boolean(),
  /** What could not be filled, in the request's unit. */
  remaining: z.number(),
  vwap: Num,
  bestPrice: z.string().nullable(),
  worstPrice: z.string().nullable(),
  mid: Num,
  /** Worse-than-reference amounts are positive: a buy above the reference, a sell below it. */
  slippageVsBest: Num,
  slippageVsBestBps: Num,
  slippageVsMid: Num,
  slippageVsMidBps: Num,
  levelsConsumed: z.number().int(),
  feeBps: z.number(),
  /** Fee in quote units. */
  fee: z.number(),
  /** Buy: quote paid including the fee; sell: quote received after the fee. */
  total: z.number(),
  /** total / filledBase. */
  effectivePrice: Num,
  fills: z.array(ImpactFillSchema),
  venues: z.array(
    z.object({ venue: Venue, symbol: z.string(), filledBase: z.number(), filledQuote: z.number(), vwap: Num, levels: z.number().int() }),
  ),
});

export type MetricsFrame = z.output<typeof MetricsFrameSchema>;
export type DepthBand = z.output<typeof DepthBandSchema>;
export type SeriesFrame = z.output<typeof SeriesFrameSchema>;
export type Alert = z.output<typeof AlertSchema>;
export type AlertKind = z.output<typeof AlertKindSchema>;
export type AlertSeverity = z.output<typeof AlertSeveritySchema>;
export type Evidence = z.output<typeof EvidenceSchema>;
export type AlertQuery = z.output<typeof AlertQuerySchema>;
export type AlertList = z.output<typeof AlertListSchema>;
export type PriceRule = z.output<typeof PriceRuleSchema>;
export type PriceRuleRequest = z.output<typeof PriceRuleRequestSchema>;
export type ImpactRequest = z.output<typeof ImpactRequestSchema>;
export type ImpactResult = z.output<typeof ImpactResultSchema>;
export type ImpactFill = z.output<typeof ImpactFillSchema>;

// ---- contract entries (contract.ts spreads these into its command and stream maps) ---------------

const Empty = z.object({}).strict();

export const analyticsCommands = {
  'alerts.list': { request: AlertQuerySchema, response: AlertListSchema },
  'alerts.ack': { request: AlertAckRequestSchema, response: z.object({ acknowledged: z.number().int() }) },
  'alerts.price.set': { request: PriceRuleRequestSchema, response: PriceRuleSchema },
  'alerts.price.remove': { request: z.object({ id: z.string().min(1).max(64) }).strict(), response: z.object({ removed: z.boolean() }) },
  'alerts.price.list': { request: Empty, response: z.array(PriceRuleSchema) },
  /** Change where a rule's alerts go (null: back to the per-kind routing). */
  'alerts.price.route': { request: PriceRuleRouteRequestSchema, response: PriceRuleSchema },
  'impact.simulate': { request: ImpactRequestSchema, response: ImpactResultSchema },
} as const;

export const analyticsStreams = {
  'analytics.metrics': { params: MetricsParamsSchema, frame: MetricsFrameSchema },
  'analytics.series': { params: SeriesParamsSchema, frame: SeriesFrameSchema },
  alerts: { params: AlertQuerySchema, frame: AlertListSchema },
} as const;
