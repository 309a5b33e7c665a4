/**
 * The cross-venue part of the contract: one asset's books on several venues seen as one book
 * (instrument groups, the consolidated ladder and depth, the verified NBBO with arbitrage, depth
 * bands and lead/lag). contract.ts adds these streams to its map; src/main/crossvenue builds them.
 */
import { z } from 'zod';
import { BookParamsSchema, BookVenueSchema as Venue } from './book-params';
import { VENUE_IDS, type Instrument, type VenueId } from './market';

// ---- instrument groups ---------------------------------------------------------------------------

/** Quotes that count as one family when the user asks for it (off by default: USDT is not USD). */
export const USD_QUOTE_FAMILY = ['USD', 'USDT', 'USDC'] as const;

/** Venue spellings of one asset (Kraken and Kraken Futures call bitcoin XBT). */
const BASE_ALIASES: Record<string, string> = { XBT: 'BTC' };

export function normalizeAsset(asset: string): string {
  const upper = asset.toUpperCase();
  return BASE_ALIASES[upper] ?? upper;
}

/**
 * The group an instrument belongs to: "BTC/USDT", or with the USD family "BTC/USD(T)" for any of
 * USD, USDT and USDC. Null for an instrument without base or quote (a replayed capture's symbols).
 */
export function groupKeyOf(instrument: Pick<Instrument, 'base' | 'quote'>, quoteFamily: boolean): string | null {
  if (!instrument.base || !instrument.quote) return null;
  const base = normalizeAsset(instrument.base);
  const quote = normalizeAsset(instrument.quote);
  const family = quoteFamily && (USD_QUOTE_FAMILY as readonly string[]).includes(quote);
  return `${base}/${family ? 'USD(T)' : quote}`;
}

export interface InstrumentGroup {
  key: string;
  /** One instrument per venue (a venue listing the asset twice, spot and perpetual, keeps its first). */
  members: Array<{ venue: VenueId; symbol: string }>;
}

/** Every group with instruments on at least two venues, largest first, then by key. */
export function instrumentGroups(instruments: readonly Instrument[], quoteFamily: boolean): InstrumentGroup[] {
  const byKey = new Map<string, InstrumentGroup>();
  for (const i of instruments) {
    const key = groupKeyOf(i, quoteFamily);
    if (!key) continue;
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = { key, members: [] }));
    if (!group.members.some((m) => m.venue === i.venue)) group.members.push({ venue: i.venue, symbol: i.symbol });
  }
  return [...byKey.values()].filter((g) => g.members.length >= 2).sort((a, b) => b.members.length - a.members.length || a.key.localeCompare(b.key));
}

// ---- the consolidated book stream ------------------------------------------------------------------

/** The group around one instrument (the "anchor": the symbol the panel or dashboard shows). */
export const CrossGroupParamsSchema = BookParamsSchema.extend({
  /** Only these venues (a subset of the group); absent: every enabled venue listing the asset. */
  venues: z.array(Venue).min(1).max(VENUE_IDS.length).optional(),
  /** USD, USDT and USDC as one quote family. */
  quoteFamily: z.boolean().default(false),
});

export const CrossBookParamsSchema = CrossGroupParamsSchema.extend({
  /** Merged rows per side. */
  levels: z.number().int().min(1).max(200).default(20),
  /** Rows this many common ticks tall (the common tick is the coarsest member's tick). */
  group: z.number().int().min(1).max(100_000).default(1),
  /** Depth curve: buckets per side, and how far from mid (0: 50 bps). */
  points: z.number().int().min(10).max(200).default(50),
  rangeBps: z.number().min(0).max(5000).default(0),
});

export const CrossMemberSchema = z.object({
  venue: Venue,
  symbol: z.string(),
  state: z.string(),
  /** True when this book's levels are in the merged book (it is synced). */
  included: z.boolean(),
  /** Why the book is left out ("resyncing: sequence gap"); null when included. */
  reason: z.string().nullable(),
  bid: z.string().nullable(),
  ask: z.string().nullable(),
  /** Milliseconds since this book last changed (local receive time). */
  ageMs: z.number().nullable(),
  tickSize: z.string().nullable(),
  /** Taker fee used for arbitrage, as a fraction (0.001 = 10 bps). */
  takerFee: z.number(),
});

export const MergedLevelSchema = z.object({
  /** The row's price on the common tick (bids rounded down, asks up). */
  price: z.string(),
  /** Exact sum of every venue's size in the row. */
  total: z.string(),
  /** Each contributing venue's size, exact decimal text. */
  venues: z.record(z.string(), z.string()),
});

export const NbboSideSchema = z.object({ price: z.string(), size: z.string(), venue: Venue, ageMs: z.number() });

export const ArbitrageSchema = z.object({
  /** Buy on askVenue (lift its offers), sell on bidVenue (hit its bids). */
  buyVenue: Venue,
  sellVenue: Venue,
  /** Base size crossable at a profit before fees (walking both books while bid > ask). */
  size: z.number(),
  /** Gross quote profit of that size before fees; fees: both taker fees on both legs' notional. */
  gross: z.number(),
  fees: z.number(),
  net: z.number(),
  /** Best bid minus best ask in bps of the ask. */
  edgeBps: z.number(),
});

export const DepthBandRowSchema = z.object({
  bps: z.number(),
  /** Quote notional resting within ±bps of each venue's own mid, both sides together. */
  venues: z.record(z.string(), z.number()),
  total: z.number(),
});

export const CrossBookFrameSchema = z.object({
  key: z.string().nullable(),
  members: z.array(CrossMemberSchema),
  /** The common tick rows are grouped to (times `group`). */
  tick: z.string(),
  priceDecimals: z.number().int(),
  bids: z.array(MergedLevelSchema),
  asks: z.array(MergedLevelSchema),
  nbbo: z.object({ bid: NbboSideSchema.nullable(), ask: NbboSideSchema.nullable(), crossed: z.boolean(), arbitrage: ArbitrageSchema.nullable() }),
  bands: z.array(DepthBandRowSchema),
  /** Depth by distance from the NBBO mid, per venue: index 0 nearest mid, base units. */
  depth: z.object({
    mid: z.number().nullable(),
    bucketBps: z.number(),
    bids: z.record(z.string(), z.array(z.number())),
    asks: z.record(z.string(), z.array(z.number())),
  }),
  ts: z.number(),
});

export const LeadLagParamsSchema = CrossGroupParamsSchema.extend({
  /** Rolling window and bin width of the mid-change series; lags tried up to maxLagMs each way. */
  windowSec: z.number().int().min(10).max(600).default(60),
  binMs: z.number().int().min(20).max(1000).default(100),
  maxLagMs: z.number().int().min(0).max(10_000).default(2000),
});

export const LeadLagPairSchema = z.object({
  a: Venue,
  b: Venue,
  /** Lag (ms) at which a's mid changes best match b's later ones; negative: b moves first. */
  lagMs: z.number().nullable(),
  /** Correlation at that lag (null until enough moves). */
  correlation: z.number().nullable(),
  /** The venue that moves first, when the best lag is not 0. */
  leader: Venue.nullable(),
  /** Bins in the window where both had a mid. */
  samples: z.number().int(),
});

export const LeadLagFrameSchema = z.object({
  key: z.string().nullable(),
  binMs: z.number(),
  windowSec: z.number(),
  pairs: z.array(LeadLagPairSchema),
  ts: z.number(),
});

export const crossVenueStreams = {
  'cross.book': { params: CrossBookParamsSchema, frame: CrossBookFrameSchema },
  'cross.leadlag': { params: LeadLagParamsSchema, frame: LeadLagFrameSchema },
} as const;

export type CrossGroupParams = z.output<typeof CrossGroupParamsSchema>;
export type CrossBookParams = z.output<typeof CrossBookParamsSchema>;
export type CrossBookFrame = z.output<typeof CrossBookFrameSchema>;
export type CrossMember = z.output<typeof CrossMemberSchema>;
export type MergedLevel = z.output<typeof MergedLevelSchema>;
export type NbboSide = z.output<typeof NbboSideSchema>;
export type Arbitrage = z.output<typeof ArbitrageSchema>;
export type DepthBandRow = z.output<typeof DepthBandRowSchema>;
export type LeadLagParams = z.output<typeof LeadLagParamsSchema>;
export type LeadLagFrame = z.output<typeof LeadLagFrameSchema>;
export type LeadLagPair = z.output<typeof LeadLagPairSchema>;
