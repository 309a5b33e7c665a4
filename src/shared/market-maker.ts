/**
 * The paper market maker's settings, their validation, and what its stream carries. Shared by the
 * engine (main), the command line and the panel, so a setting means the same thing everywhere.
 */
import { z } from 'zod';
import { isDecimalText } from './decimal';
import { compareDecimal } from './decimal-sum';
import { VENUE_IDS } from './market';

export type QueueModelName = 'risk-averse' | 'prob';
export const QUEUE_MODELS: readonly QueueModelName[] = ['risk-averse', 'prob'];
export type QuoteReference = 'mid' | 'micro';

export interface MarketMakerSettings {
  /** Price the quotes are centred on: mid, or microprice (size-weighted toward the thinner side). */
  reference: QuoteReference;
  /** Distance between our bid and our ask, in basis points of the reference (exact decimal text); or null to use ticks. */
  spreadBps: string | null;
  /** Distance between our bid and our ask in price ticks; used when spreadBps is null. */
  spreadTicks: number | null;
  /** Size of each quote, base units (contracts where the venue counts in contracts). */
  size: string;
  /** Largest position either way; the side that would exceed it stops quoting. */
  maxInventory: string;
  /** Inventory skew: at a position of ±maxInventory both quotes move by skew × half the spread against it. */
  skew: string;
  /** Replace a working quote only when its wanted price moved by at least this many ticks. */
  requoteTicks: number;
  /** Time from deciding an order to it resting on the book, ms. */
  entryLatencyMs: number;
  /** Time from deciding a cancel to the order leaving the book, ms (it can still fill meanwhile). */
  cancelLatencyMs: number;
  /** Fees in basis points of notional (negative: a rebate). */
  makerFeeBps: string;
  takerFeeBps: string;
  queue: QueueModelName;
  /** Price step; null: the finest step the book's prices show (10^-decimals). */
  tickSize: string | null;
}

export const DEFAULT_MARKET_MAKER_SETTINGS: Readonly<MarketMakerSettings> = {
  reference: 'mid',
  spreadBps: null,
  spreadTicks: 2,
  size: '1',
  maxInventory: '5',
  skew: '1',
  requoteTicks: 1,
  entryLatencyMs: 50,
  cancelLatencyMs: 50,
  makerFeeBps: '0',
  takerFeeBps: '0',
  queue: 'risk-averse',
  tickSize: null,
};

/** Every problem with a set of settings, one sentence each; empty when they can run. */
export function marketMakerSettingsProblems(s: MarketMakerSettings): string[] {
  const problems: string[] = [];
  const positive = (name: string, text: string): void => {
    if (!isDecimalText(text)) problems.push(`${name} must be a decimal number, got ${JSON.stringify(text)}`);
    else if (compareDecimal(text, '0') <= 0) problems.push(`${name} must be greater than zero, got ${text}`);
  };
  const decimal = (name: string, text: string): void => {
    if (!isDecimalText(text)) problems.push(`${name} must be a decimal number, got ${JSON.stringify(text)}`);
  };
  const wholeAtLeast = (name: string, n: number, min: number): void => {
    if (!Number.isInteger(n) || n < min) problems.push(`${name} must be a whole number of at least ${min}, got ${n}`);
  };
  if (s.reference !== 'mid' && s.reference !== 'micro') problems.push(`reference must be "mid" or "micro", got ${JSON.stringify(s.reference)}`);
  if (s.spreadBps === null && s.spreadTicks === null) problems.push('give a spread in bps or in ticks');
  if (s.spreadBps !== null && s.spreadTicks !== null) problems.push('give the spread in bps or in ticks, not both');
  if (s.spreadBps !== null) positive('spread-bps', s.spreadBps);
  if (s.spreadTicks !== null) wholeAtLeast('spread-ticks', s.spreadTicks, 1);
  positive('size', s.size);
  positive('max-inventory', s.maxInventory);
  decimal('skew', s.skew);
  if (isDecimalText(s.skew) && compareDecimal(s.skew, '0') < 0) problems.push(`skew must not be negative, got ${s.skew}`);
  wholeAtLeast('requote-ticks', s.requoteTicks, 1);
  if (!Number.isFinite(s.entryLatencyMs) || s.entryLatencyMs < 0) problems.push(`entry latency must be zero or more ms, got ${s.entryLatencyMs}`);
  if (!Number.isFinite(s.cancelLatencyMs) || s.cancelLatencyMs < 0) problems.push(`cancel latency must be zero or more ms, got ${s.cancelLatencyMs}`);
  decimal('maker-fee-bps', s.makerFeeBps);
  decimal('taker-fee-bps', s.takerFeeBps);
  if (!QUEUE_MODELS.includes(s.queue)) problems.push(`unknown queue model ${JSON.stringify(s.queue)} (use ${QUEUE_MODELS.join(' or ')})`);
  if (s.tickSize !== null) positive('tick', s.tickSize);
  return problems;
}

export type FillSide = 'buy' | 'sell';
export type Liquidity = 'maker' | 'taker';

/** One paper fill, as the command line prints it and the panel lists it. */
export interface MarketMakerFill {
  ts: number;
  side: FillSide;
  price: string;
  size: string;
  /** When the order that filled became live on the book. */
  quoteTs: number;
  liquidity: Liquidity;
}

/** The account, every figure exact decimal text; pnl = cash + inventory × mark − fees. */
export interface MarketMakerSummary {
  fills: number;
  inventory: string;
  cash: string;
  fees: string;
  mark: string;
  pnl: string;
  turnover: string;
  maxInventory: string;
  maxDrawdown: string;
  realizedPnl: string;
  unrealizedPnl: string;
}

/** A working order as the panel draws it on the ladder. */
export interface MarketMakerQuote {
  side: FillSide;
  price: string;
  /** Size still open. */
  size: string;
  /** pending: sent, not yet on the book; live: resting; cancelling: cancel sent, can still fill. */
  state: 'pending' | 'live' | 'cancelling';
  /** Displayed size estimated ahead of it in the queue (live orders). */
  queueAhead: string | null;
}

/** One point of the PnL / inventory history. */
export interface MarketMakerPoint {
  ts: number;
  pnl: number;
  inventory: number;
}

// ---- the contract: mm.start / mm.stop / mm.settings and the mm stream ----------------------------

const DecimalText = z.string().min(1).max(40);

export const MarketMakerSettingsSchema = z
  .object({
    reference: z.enum(['mid', 'micro']),
    spreadBps: DecimalText.nullable(),
    spreadTicks: z.number().int().nullable(),
    size: DecimalText,
    maxInventory: DecimalText,
    skew: DecimalText,
    requoteTicks: z.number().int(),
    entryLatencyMs: z.number().min(0).max(60_000),
    cancelLatencyMs: z.number().min(0).max(60_000),
    makerFeeBps: DecimalText,
    takerFeeBps: DecimalText,
    queue: z.string().max(40),
    tickSize: DecimalText.nullable(),
  })
  .strict();

const FillSchema = z.object({
  ts: z.number(),
  side: z.enum(['buy', 'sell']),
  price: z.string(),
  size: z.string(),
  quoteTs: z.number(),
  liquidity: z.enum(['maker', 'taker']),
});

const SummarySchema = z.object({
  fills: z.number(),
  inventory: z.string(),
  cash: z.string(),
  fees: z.string(),
  mark: z.string(),
  pnl: z.string(),
  turnover: z.string(),
  maxInventory: z.string(),
  maxDrawdown: z.string(),
  realizedPnl: z.string(),
  unrealizedPnl: z.string(),
});

export const MarketMakerFrameSchema = z.object({
  running: z.boolean(),
  /** The book the strategy reads (null before the first start). */
  venue: z.enum(VENUE_IDS).nullable(),
  symbol: z.string().nullable(),
  /** The book is a replayed capture's. */
  replay: z.boolean(),
  settings: MarketMakerSettingsSchema,
  summary: SummarySchema.nullable(),
  quotes: z.array(
    z.object({
      side: z.enum(['buy', 'sell']),
      price: z.string(),
      size: z.string(),
      state: z.enum(['pending', 'live', 'cancelling']),
      queueAhead: z.string().nullable(),
    }),
  ),
  /** The latest fills, oldest first. */
  fills: z.array(FillSchema),
  /** PnL and inventory over time on the book's clock. */
  points: z.array(z.object({ ts: z.number(), pnl: z.number(), inventory: z.number() })),
  /** Why the strategy stopped on its own (its book went away), else null. */
  message: z.string().nullable(),
});
export type MarketMakerFrame = z.output<typeof MarketMakerFrameSchema>;

const StartRequestSchema = z
  .object({
    venue: z.enum(VENUE_IDS),
    symbol: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9._:/-]+$/),
    settings: MarketMakerSettingsSchema.partial().optional(),
  })
  .strict();

export const marketMakerCommands = {
  'mm.start': { request: StartRequestSchema, response: MarketMakerFrameSchema },
  'mm.stop': { request: z.object({}).strict(), response: MarketMakerFrameSchema },
  'mm.settings': { request: z.object({ settings: MarketMakerSettingsSchema.partial() }).strict(), response: MarketMakerSettingsSchema },
} as const;

export const marketMakerStreams = {
  /** overlay: for the ladder, tape and heatmap marks: the frame without the PnL history (points empty). */
  mm: { params: z.object({ overlay: z.boolean().default(false) }).strict(), frame: MarketMakerFrameSchema },
} as const;
