/**
 * The query the feed routes share (/api/book, /api/trades, /api/book?…&merge=1): the same checks
 * and messages for one feed and for several, and the HTTP status each error becomes.
 */
import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../../src/shared/contract';
import { answerAsJson, parseFeedQuery, type FeedQueryOptions } from '../../../../src/main/web/feed-query';

const ENABLED = ['demo', 'demo-b'] as const;
const BOOK: FeedQueryOptions & { several?: false } = { count: 'levels', default: 20, max: 5000 };
const TRADES: FeedQueryOptions & { several?: false } = { count: 'limit', default: 100, max: 2000 };
const MERGED: FeedQueryOptions & { several: true } = { count: 'levels', default: 20, max: 200, extra: ['merge', 'tick'], several: true };

function errorOf(parse: () => unknown): { code: string; message: string } {
  try {
    parse();
  } catch (error) {
    if (error instanceof ContractError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('parsed without an error');
}

const one = (query: string, options = BOOK) => parseFeedQuery(new URLSearchParams(query), ENABLED, options);
const several = (query: string) => parseFeedQuery(new URLSearchParams(query), ENABLED, MERGED);

describe('parseFeedQuery, one feed', () => {
  it('reads venue, symbol and the count, with the default when the count is absent and the token allowed', () => {
    expect(one('venue=demo&symbol=XBT/CHF&levels=5000')).toEqual({ venue: 'demo', symbol: 'XBT/CHF', count: 5000 });
    expect(one('venue=demo&symbol=BTCUSDT')).toEqual({ venue: 'demo', symbol: 'BTCUSDT', count: 20 });
    expect(one('venue=demo&symbol=BTCUSDT&token=a&token=b', TRADES)).toEqual({ venue: 'demo', symbol: 'BTCUSDT', count: 100 });
  });

  it('refuses a malformed query with the message the routes have always given', () => {
    const cases: Array<[string, FeedQueryOptions & { several?: false }, string]> = [
      ['venue=demo&symbol=BTCUSDT&depth=3', BOOK, 'unknown parameter "depth"; use venue, symbol and levels'],
      ['venue=demo&symbol=BTCUSDT&side=buy', TRADES, 'unknown parameter "side"; use venue, symbol and limit'],
      ['venue=demo&venue=demo&symbol=BTCUSDT', TRADES, 'give venue once'],
      ['symbol=BTCUSDT', BOOK, 'venue is required (e.g. venue=binance-spot)'],
      ['venue=&symbol=BTCUSDT', BOOK, 'venue is required (e.g. venue=binance-spot)'],
      ['venue=demo', BOOK, 'symbol is required (e.g. symbol=BTCUSDT)'],
      ['venue=demo&symbol=ETH USDT', TRADES, 'symbol may contain letters, digits and . _ : / - only (at most 64)'],
      ['venue=demo&symbol=BTCUSDT,ETHUSDT', BOOK, 'symbol may contain letters, digits and . _ : / - only (at most 64)'],
      ['venue=demo&symbol=BTCUSDT&levels=0', BOOK, 'levels must be a whole number from 1 to 5000, got "0"'],
      ['venue=demo&symbol=BTCUSDT&levels=5001', BOOK, 'levels must be a whole number from 1 to 5000, got "5001"'],
      ['venue=demo&symbol=BTCUSDT&limit=2001', TRADES, 'limit must be a whole number from 1 to 2000, got "2001"'],
      ['venue=demo&symbol=BTCUSDT&limit=1.5', TRADES, 'limit must be a whole number from 1 to 2000, got "1.5"'],
      ['venue=demo&symbol=BTCUSDT&limit=0100', TRADES, 'limit must be a whole number from 1 to 2000, got "0100"'],
    ];
    for (const [query, options, message] of cases) expect([query, errorOf(() => one(query, options))]).toEqual([query, { code: 'bad-request', message }]);
  });

  it('a venue not enabled here is not-found, after the form is checked', () => {
    expect(errorOf(() => one('venue=kraken&symbol=XBT/USD'))).toEqual({ code: 'not-found', message: 'venue "kraken" is not enabled in this session; enabled: demo, demo-b' });
    expect(errorOf(() => one('venue=nope&symbol=BTCUSDT'))).toEqual({ code: 'not-found', message: 'venue "nope" is not enabled in this session; enabled: demo, demo-b' });
    expect(errorOf(() => one('venue=kraken&symbol=XBT/USD&levels=0')).code).toBe('bad-request');
  });
});

describe('parseFeedQuery, several feeds (the merged book)', () => {
  it('pairs venues with one symbol or one symbol each, trimmed', () => {
    expect(several('venue=demo, demo-b&symbol=BTCUSDT&merge=1&levels=200&tick=0.5')).toEqual({
      books: [
        { venue: 'demo', symbol: 'BTCUSDT' },
        { venue: 'demo-b', symbol: 'BTCUSDT' },
      ],
      count: 200,
    });
    expect(several('venue=demo,demo-b&symbol=A,B&merge=1').books).toEqual([
      { venue: 'demo', symbol: 'A' },
      { venue: 'demo-b', symbol: 'B' },
    ]);
  });

  it('refuses a malformed query with the merged book\'s messages', () => {
    const cases: Array<[string, string]> = [
      ['venue=demo&symbol=BTCUSDT&merge=1&depth=3', 'unknown parameter "depth"; use venue, symbol, levels, merge and tick'],
      ['venue=demo&symbol=BTCUSDT&merge=1&tick=1&tick=2', 'give tick once (several venues or symbols go comma-separated)'],
      ['symbol=BTCUSDT&merge=1', 'venue is required (e.g. venue=demo,demo-b)'],
      ['venue=demo&symbol=,&merge=1', 'symbol is required (e.g. symbol=BTCUSDT, or one per venue: symbol=BTCUSDT,BTC-USD)'],
      ['venue=demo,demo-b&symbol=A,B,C&merge=1', 'give one symbol, or one per venue (2), got 3'],
      ['venue=demo&symbol=ETH USDT&merge=1', 'symbol "ETH USDT" may contain letters, digits and . _ : / - only (at most 64)'],
      ['venue=demo&symbol=BTCUSDT&merge=1&levels=201', 'levels must be a whole number from 1 to 200, got "201"'],
      ['venue=demo,demo&symbol=BTCUSDT&merge=1', 'give each venue once'],
    ];
    for (const [query, message] of cases) expect([query, errorOf(() => several(query))]).toEqual([query, { code: 'bad-request', message }]);
    expect(errorOf(() => several('venue=demo,okx&symbol=BTCUSDT&merge=1'))).toEqual({ code: 'not-found', message: 'venue "okx" is not enabled in this session; enabled: demo, demo-b' });
  });
});

describe('answerAsJson', () => {
  it('answers 200 with the body, and each error as { error } with its status', async () => {
    expect(await answerAsJson(async () => ({ ok: 1 }))).toEqual({ status: 200, body: { ok: 1 }, headers: {} });
    const statusOf = (fail: () => unknown) => answerAsJson(async () => fail());
    expect(await statusOf(() => one('venue=demo'))).toEqual({ status: 400, body: { error: 'symbol is required (e.g. symbol=BTCUSDT)' }, headers: {} });
    expect((await statusOf(() => one('venue=okx&symbol=BTCUSDT'))).status).toBe(404);
    expect(await statusOf(() => { throw new ContractError('unavailable', 'store down'); })).toEqual({ status: 503, body: { error: 'store down' }, headers: {} });
    expect(await statusOf(() => { throw new Error('boom'); })).toEqual({ status: 500, body: { error: 'boom' }, headers: {} });
  });
});
