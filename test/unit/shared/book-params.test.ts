/**
 * The book params the per-book streams share (src/shared/book-params.ts): the cross-venue and
 * order-flow streams check venue and symbol alike, and each keeps its own options and strictness.
 */
import { describe, expect, it } from 'vitest';
import { CrossBookParamsSchema, LeadLagParamsSchema } from '../../../src/shared/cross-venue';
import { FootprintParamsSchema, TradedProfileParamsSchema } from '../../../src/shared/order-flow';

const STREAM_PARAMS = { CrossBookParamsSchema, LeadLagParamsSchema, FootprintParamsSchema, TradedProfileParamsSchema };

const issues = (schema: (typeof STREAM_PARAMS)[keyof typeof STREAM_PARAMS], value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => [i.path.join('.'), i.message]);
};

describe('book params shared by the cross-venue and order-flow streams', () => {
  for (const [name, schema] of Object.entries(STREAM_PARAMS)) {
    it(`${name}: venue from the venue list, symbol of at most 64 plain characters`, () => {
      expect(issues(schema, { venue: 'kraken', symbol: 'XBT/USD' })).toEqual([]);
      expect(issues(schema, { venue: 'kraken', symbol: 'XBT USD' })).toEqual([['symbol', 'symbol may contain letters, digits and . _ : / - only']]);
      expect(issues(schema, { venue: 'kraken', symbol: 'X'.repeat(65) }).map(([path]) => path)).toEqual(['symbol']);
      expect(new Set(issues(schema, { venue: 'kraken', symbol: '' }).map(([path]) => path))).toEqual(new Set(['symbol']));
      expect(issues(schema, { venue: 'mtgox', symbol: 'BTCUSD' }).map(([path]) => path)).toEqual(['venue']);
      expect(issues(schema, { symbol: 'BTCUSD' }).map(([path]) => path)).toEqual(['venue']);
    });
  }

  it('each stream keeps its own options and defaults; the order-flow params stay strict', () => {
    expect(CrossBookParamsSchema.parse({ venue: 'demo', symbol: 'BTCUSDT', other: 1 })).toEqual({ venue: 'demo', symbol: 'BTCUSDT', quoteFamily: false, levels: 20, group: 1, points: 50, rangeBps: 0 });
    expect(FootprintParamsSchema.parse({ venue: 'demo', symbol: 'BTCUSDT' })).toMatchObject({ venue: 'demo', symbol: 'BTCUSDT', intervalMs: 60_000, candles: 40 });
    expect(issues(FootprintParamsSchema, { venue: 'demo', symbol: 'BTCUSDT', other: 1 })).toHaveLength(1);
    expect(issues(TradedProfileParamsSchema, { venue: 'demo', symbol: 'BTCUSDT', other: 1 })).toHaveLength(1);
    expect(issues(TradedProfileParamsSchema, { venue: 'demo', symbol: 'BTCUSDT', period: 'range', from: 2, to: 1 })).toEqual([['', 'a range needs from before to']]);
  });
});
