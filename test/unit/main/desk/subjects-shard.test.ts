import { describe, expect, it } from 'vitest';
import { fnv1a, inShard, parseShard } from '../../../../src/main/desk/shard';
import {
  MalformedMessageError,
  decodeToken,
  encodeToken,
  parseBook,
  parseSnapshotKey,
  parseSubject,
  snapshotKey,
  subjectOf,
} from '../../../../src/main/desk/subjects';

const KRAKEN = ['WAVES/EUR', 'XMR/USD', 'KSM/XBT', 'GRT/ETH', 'SC/EUR', 'ETH/CHF', 'OCEAN/XBT', 'OMG/USD', 'XBT/CHF', 'ADA/XBT'];

describe('desk subjects', () => {
  it('encodes every venue symbol into one subject token and back', () => {
    for (const symbol of [...KRAKEN, 'tTESTBTC:TESTUSD', 'BTC-USD-210924-66000-C', 'FI_XBTUSD_210924', 'a.b*c>d e=f', 'ÄBC']) {
      const token = encodeToken(symbol);
      expect(token).toMatch(/^[A-Za-z0-9_=-]+$/);
      expect(decodeToken(token)).toBe(symbol);
    }
    expect(subjectOf('kraken', 'XBT/CHF', 'book')).toBe('obm.kraken.XBT=2FCHF.book');
    expect(parseSubject('obm.kraken.XBT=2FCHF.trade')).toEqual({ venue: 'kraken', symbol: 'XBT/CHF', kind: 'trade' });
    expect(parseSubject('obm.nowhere.X.book')).toBeNull();
    expect(parseSubject('obm.kraken.X.gossip')).toBeNull();
    expect(parseSnapshotKey(snapshotKey('bitfinex', 'tTESTBTC:TESTUSD'))).toEqual({ venue: 'bitfinex', symbol: 'tTESTBTC:TESTUSD' });
  });

  it('refuses malformed book messages with a reason', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(() => parseBook(bytes('{"run": 1'))).toThrow(MalformedMessageError);
    expect(() => parseBook(bytes('{"run":"r","seq":1,"kind":"delta","bids":[[1,2]],"asks":[],"n":[1,0],"exchangeTs":null,"localTs":1}'))).toThrow(/malformed levels/);
    const ok = parseBook(bytes('{"run":"r","seq":1,"kind":"delta","bids":[["1.5","2"]],"asks":[],"n":[1,0],"exchangeTs":null,"localTs":1}'));
    expect(ok.bids).toEqual([['1.5', '2']]);
  });
});

describe('desk shards', () => {
  it('parses I/N and refuses the rest', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'x', '1-3']) expect(() => parseShard(bad)).toThrow(/--shard/);
  });

  it('splits a universe into disjoint shares that cover it, the same on every run', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    const universe: Array<readonly [string, string]> = [...KRAKEN.map((s) => ['kraken', s] as const), ...['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'SOLUSDT'].map((s) => ['binance-spot', s] as const)];
    const shares = [1, 2, 3].map((index) => universe.filter(([v, s]) => inShard({ index, count: 3 }, v, s)));
    expect(shares.flat().length).toBe(universe.length);
    expect(new Set(shares.flat()).size).toBe(universe.length);
    for (const share of shares) expect(share.length).toBeGreaterThan(0);
  });
});
