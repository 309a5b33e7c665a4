/**
 * The order-flow streams of the contract: footprint candles and the traded volume profile, built in
 * the main process from every print (src/main/analytics/footprint.ts, traded-profile.ts). Volumes
 * and prices are exact decimal texts; a window draws them, it never sums them.
 */
import { z } from 'zod';
import { BookParamsSchema, BookVenueSchema as VenueId } from './book-params';

/** Footprint intervals the app offers, in ms (each a multiple of the 5 s flow bucket). */
export const FOOTPRINT_INTERVALS_MS = [5_000, 15_000, 30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000] as const;
export const DEFAULT_FOOTPRINT_INTERVAL_MS = 60_000;
export const DEFAULT_IMBALANCE_RATIO = 3;
export const DEFAULT_VALUE_AREA_PERCENT = 70;

export const FootprintParamsSchema = BookParamsSchema.extend({
  intervalMs: z
    .number()
    .int()
    .refine((ms) => (FOOTPRINT_INTERVALS_MS as readonly number[]).includes(ms), `intervalMs must be one of ${FOOTPRINT_INTERVALS_MS.join(', ')}`)
    .default(DEFAULT_FOOTPRINT_INTERVAL_MS),
  /** Rows of this many ticks; 0 picks a size (1, 2 or 5 × 10^k ticks) that fits the candles in autoRows rows. */
  groupTicks: z.number().int().min(0).max(1_000_000).default(0),
  autoRows: z.number().int().min(5).max(1000).default(40),
  /** Diagonal imbalance when one side is at least this many times the other (3 = 3:1). */
  imbalanceRatio: z.number().min(1.1).max(100).default(DEFAULT_IMBALANCE_RATIO),
  /** The newest candles to send. */
  candles: z.number().int().min(1).max(200).default(40),
}).strict();

export const FootprintRowSchema = z.object({
  /** The row's lowest price (a multiple of the row step). */
  price: z.string(),
  sell: z.string(),
  buy: z.string(),
  /** buy - sell. */
  delta: z.string(),
  /** buy here ≥ ratio × sell one row below. */
  buyImbalance: z.boolean(),
  /** sell here ≥ ratio × buy one row above. */
  sellImbalance: z.boolean(),
});

export const FootprintCandleSchema = z.object({
  start: z.number(),
  /** Rows where something traded, highest price first. */
  rows: z.array(FootprintRowSchema),
  volume: z.string(),
  buyVolume: z.string(),
  sellVolume: z.string(),
  delta: z.string(),
  /** Point of control: the row with the most volume. */
  poc: z.string().nullable(),
});

export const FootprintFrameSchema = z.object({
  venue: VenueId,
  symbol: z.string(),
  intervalMs: z.number(),
  /** Price step of a row, exact text, and the ticks it spans (the automatic choice when asked for 0). */
  rowStep: z.string(),
  groupTicks: z.number().int().min(1),
  imbalanceRatio: z.number(),
  /** Decimals to show prices and volumes with (the instrument's, else the finest the prints carried). */
  priceDecimals: z.number().int().min(0),
  sizeDecimals: z.number().int().min(0),
  /** Oldest first; intervals without a print have no candle. */
  candles: z.array(FootprintCandleSchema),
  /** The feed's clock: time of its newest print (null before any). */
  newestTs: z.number().nullable(),
});

export const TradedProfileParamsSchema = BookParamsSchema.extend({
  /** Rows of this many ticks; 0 picks a size (1, 2 or 5 × 10^k ticks) that fits the period in autoRows rows. */
  groupTicks: z.number().int().min(0).max(1_000_000).default(0),
  autoRows: z.number().int().min(5).max(1000).default(120),
  /** 'session': the UTC day of the newest print; 'window': the last windowMs; 'range': [from, to). */
  period: z.enum(['session', 'window', 'range']).default('session'),
  windowMs: z.number().int().min(5_000).max(86_400_000).default(3_600_000),
  from: z.number().nonnegative().optional(),
  to: z.number().nonnegative().optional(),
  valueAreaPercent: z.number().min(1).max(100).default(DEFAULT_VALUE_AREA_PERCENT),
})
  .strict()
  .refine((p) => p.period !== 'range' || (p.from !== undefined && p.to !== undefined && p.from < p.to), 'a range needs from before to');

export const TradedProfileRowSchema = z.object({ price: z.string(), buy: z.string(), sell: z.string() });

export const TradedProfileFrameSchema = z.object({
  venue: VenueId,
  symbol: z.string(),
  /** The period the profile covers, [from, to) in ms since the epoch (null before any print). */
  from: z.number().nullable(),
  to: z.number().nullable(),
  rowStep: z.string(),
  groupTicks: z.number().int().min(1),
  priceDecimals: z.number().int().min(0),
  sizeDecimals: z.number().int().min(0),
  /** Rows where something traded, highest price first. */
  rows: z.array(TradedProfileRowSchema),
  volume: z.string(),
  buyVolume: z.string(),
  sellVolume: z.string(),
  poc: z.string().nullable(),
  valueAreaHigh: z.string().nullable(),
  valueAreaLow: z.string().nullable(),
  valueAreaVolume: z.string(),
  valueAreaPercent: z.number(),
  /** The newest print's price (null before any). */
  lastPrice: z.string().nullable(),
});

export const orderFlowStreams = {
  'flow.footprint': { params: FootprintParamsSchema, frame: FootprintFrameSchema },
  'flow.tradedProfile': { params: TradedProfileParamsSchema, frame: TradedProfileFrameSchema },
} as const;

export type FootprintParams = z.output<typeof FootprintParamsSchema>;
export type FootprintRow = z.output<typeof FootprintRowSchema>;
export type FootprintCandle = z.output<typeof FootprintCandleSchema>;
export type FootprintFrame = z.output<typeof FootprintFrameSchema>;
export type TradedProfileParams = z.output<typeof TradedProfileParamsSchema>;
export type TradedProfileRow = z.output<typeof TradedProfileRowSchema>;
export type TradedProfileFrame = z.output<typeof TradedProfileFrameSchema>;
