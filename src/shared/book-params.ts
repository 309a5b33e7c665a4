/**
 * The params that name one book (venue and symbol), which every per-book stream extends with its
 * own options. cross-venue.ts and order-flow.ts build their stream params on it.
 */
import { z } from 'zod';
import { VENUE_IDS } from './market';

export const BookVenueSchema = z.enum(VENUE_IDS);

export const BookSymbolSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:/-]+$/, 'symbol may contain letters, digits and . _ : / - only');

/** One book; a stream's params schema is `BookParamsSchema.extend({ ...its options })`. */
export const BookParamsSchema = z.object({ venue: BookVenueSchema, symbol: BookSymbolSchema });
