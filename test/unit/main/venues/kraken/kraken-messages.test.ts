import { describe, expect, it } from 'vitest';
import { MalformedFrameError } from '../../../../../src/main/venues/adapter';
import { bookSubscription, parseKrakenFrame } from '../../../../../src/main/venues/kraken/messages';
import { quoteNumberFields } from '../../../../../src/main/venues/kraken/number-text';

const KEYS = new Set(['price', 'qty']);
const parse = (text: string): unknown => JSON.parse(quoteNumberFields(text, KEYS));

describe('quoteNumberFields: exact digits of price/qty number literals', () => {
  it('keeps trailing zeros and every digit', () => {
    expect(parse('{"price":45281.0,"qty":0.07990000}')).toEqual({ price: '45281.0', qty: '0.07990000' });
    expect(parse('{"price":0.000022890,"qty":31.75709827}')).toEqual({ price: '0.000022890', qty: '31.75709827' });
    // Beyond what a double can hold: still exact.
    expect(parse('{"price":12345678901234567890.123456789012,"qty":1}')).toEqual({ price: '12345678901234567890.123456789012', qty: '1' });
  });

  it('handles whitespace, exponents and negative literals as JSON allows them', () => {
    expect(parse('{ "price" :\n 1.50 ,\t"qty" : 2.000 }')).toEqual({ price: '1.50', qty: '2.000' });
    expect(parse('{"price":1.5e-7,"qty":-0.0}')).toEqual({ price: '1.5e-7', qty: '-0.0' });
    expect(parse('{"price":2E+3,"qty":0}')).toEqual({ price: '2E+3', qty: '0' });
  });

  it('leaves other keys, strings, arrays and literals alone', () => {
    expect(parse('{"checksum":3310070434,"depth":10,"price":1.0}')).toEqual({ checksum: 3310070434, depth: 10, price: '1.0' });
    expect(parse('{"price":"1.0","qty":null}')).toEqual({ price: '1.0', qty: null });
    expect(parse('{"price":[1.0,2.0],"qty":true}')).toEqual({ price: [1, 2], qty: true });
    // "price" as an array element is not a key.
    expect(parse('["price",1.0,"qty",2.50]')).toEqual(['price', 1, 'qty', 2.5]);
  });

  it('is not fooled by key names inside string values, escaped quotes included', () => {
    expect(parse('{"note":"\\"price\\":1.0","price":2.10}')).toEqual({ note: '"price":1.0', price: '2.10' });
    expect(parse('{"note":"a\\\\","qty":3.30}')).toEqual({ note: 'a\\', qty: '3.30' });
  });

  it('recognises a key spelled with escapes', () => {
    expect(parse('{"pri\\u0063e":3.0}')).toEqual({ price: '3.0' });
  });

  it('works on nested book levels', () => {
    const text = '{"data":[{"symbol":"ADA/XBT","bids":[{"price":0.000022890,"qty":31.75709827}],"asks":[{"price":0.000022900,"qty":2600.00000000}]}]}';
    expect(parse(text)).toEqual({
      data: [{ symbol: 'ADA/XBT', bids: [{ price: '0.000022890', qty: '31.75709827' }], asks: [{ price: '0.000022900', qty: '2600.00000000' }] }],
    });
  });

  it('returns the very same text when there is nothing to rewrite', () => {
    const text = '{"channel":"heartbeat"}';
    expect(quoteNumberFields(text, KEYS)).toBe(text);
  });

  it('never repairs invalid JSON', () => {
    // A leading zero is not a JSON number: it stays unquoted and JSON.parse rejects it.
    expect(() => parse('{"price":01.5}')).toThrow(SyntaxError);
    expect(() => parse('{"price":1.2.3}')).toThrow(SyntaxError);
    expect(() => parse('{"price":-}')).toThrow(SyntaxError);
    const unterminated = '{"price":1.0,"note":"abc';
    expect(() => parse(unterminated)).toThrow(SyntaxError);
  });
});

describe('parseKrakenFrame', () => {
  it('reads a book update with exact level text, checksum and timestamp', () => {
    const msg = parseKrakenFrame(
      '{"channel":"book","type":"update","data":[{"symbol":"MATIC/USD","bids":[{"price":0.5657,"qty":1098.3947558}],"asks":[],"checksum":2114181697,"timestamp":"2023-10-06T17:35:55.440295Z"}]}',
    );
    expect(msg).toEqual({
      kind: 'book',
      type: 'update',
      entries: [{ symbol: 'MATIC/USD', bids: [['0.5657', '1098.3947558']], asks: [], checksum: 2114181697, exchangeTs: Date.parse('2023-10-06T17:35:55.440Z') }],
    });
  });

  it('reads instrument precision, heartbeats, responses and status', () => {
    expect(parseKrakenFrame('{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[{"symbol":"BTC/USD","price_precision":1,"qty_precision":8,"price_increment":0.1}]}}')).toEqual({
      kind: 'instrument',
      type: 'snapshot',
      pairs: [{ symbol: 'BTC/USD', pricePrecision: 1, qtyPrecision: 8, priceIncrement: '0.1', qtyIncrement: null, base: null, quote: null, status: null }],
    });
    expect(parseKrakenFrame('{"channel":"heartbeat"}')).toEqual({ kind: 'heartbeat' });
    expect(parseKrakenFrame('{"method":"subscribe","success":false,"error":"Currency pair not supported","symbol":"FOO/BAR"}')).toMatchObject({
      kind: 'response',
      success: false,
      symbol: 'FOO/BAR',
    });
    expect(parseKrakenFrame('{"method":"pong","req_id":3}')).toMatchObject({ kind: 'response', method: 'pong', success: true });
    expect(parseKrakenFrame('{"channel":"status","type":"update","data":[{"system":"online","api_version":"v2"}]}')).toEqual({ kind: 'status', system: 'online' });
  });

  it('rejects what the protocol does not allow', () => {
    const bad = [
      'not json',
      '[1,2]',
      '{"foo":1}',
      '{"channel":"book","type":"delta","data":[]}',
      '{"channel":"book","type":"update","data":[{"bids":[]}]}',
      '{"channel":"book","type":"update","data":[{"symbol":"A/B","bids":[{"price":"x","qty":1}]}]}',
      '{"channel":"book","type":"update","data":[{"symbol":"A/B","bids":[{"price":true,"qty":1}]}]}',
      '{"channel":"book","type":"update","data":[{"symbol":"A/B","bids":[],"asks":[],"checksum":-1}]}',
    ];
    for (const text of bad) expect(() => parseKrakenFrame(text), text).toThrow(MalformedFrameError);
  });

  it('reads symbols and depth from a recorded subscribe frame', () => {
    expect(bookSubscription('{"method":"subscribe","params":{"channel":"book","symbol":["XBT/CHF","ADA/XBT"],"depth":1000,"snapshot":true}}')).toEqual({
      symbols: ['XBT/CHF', 'ADA/XBT'],
      depth: 1000,
    });
    expect(bookSubscription('{"method":"subscribe","params":{"channel":"book","symbol":["A/B"],"depth":7}}')).toEqual({ symbols: ['A/B'], depth: undefined });
    expect(bookSubscription('{"method":"subscribe","params":{"channel":"instrument"}}').symbols).toEqual([]);
    expect(bookSubscription('ping').symbols).toEqual([]);
  });
});
