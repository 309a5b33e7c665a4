import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { csvField, splitCsvLine, toMicros } from '../../../../src/main/bridges/tardis/csv';
import { tardisExchange, venueOfTardisExchange } from '../../../../src/main/bridges/tardis/exchanges';
import { replayTardis } from '../../../../src/main/bridges/tardis/replay';

const HEADER = 'exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount';

/** Rows in the shape tardis.dev publishes (a snapshot, updates, then a reconnect's new snapshot). */
const BOOK_ROWS = [
  HEADER,
  'binance-futures,BTCUSDT,1600000000000000,1600000000001000,true,bid,10000.10,1.5',
  'binance-futures,BTCUSDT,1600000000000000,1600000000001000,true,bid,10000.00,2',
  'binance-futures,BTCUSDT,1600000000000000,1600000000001000,true,ask,10000.20,0.7',
  'binance-futures,BTCUSDT,1600000000100000,1600000000101000,false,bid,10000.10,0',
  'binance-futures,BTCUSDT,1600000000100000,1600000000101000,false,ask,10000.30,4',
  // A crossing update, undone by the next message.
  'binance-futures,BTCUSDT,1600000000200000,1600000000201000,false,bid,10000.25,1',
  'binance-futures,BTCUSDT,1600000000300000,1600000000301000,false,bid,10000.25,0',
  // Reconnected: a new snapshot replaces the book.
  'binance-futures,BTCUSDT,1600000001000000,1600000001001000,true,bid,9999.50,3',
  'binance-futures,BTCUSDT,1600000001000000,1600000001001000,true,ask,10001.00,5',
  'binance-futures,BTCUSDT,1600000001100000,1600000001101000,false,ask,10000.90,1.25',
];

describe('tardis.dev CSV replay', () => {
  it('rebuilds books from tardis.dev rows: snapshot runs restart the book, messages grouped by local_timestamp', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tardis-unit-'));
    writeFileSync(join(dir, 'binance-futures_incremental_book_L2_2020-09-13_BTCUSDT.csv.gz'), gzipSync(BOOK_ROWS.join('\n') + '\n'));
    writeFileSync(
      join(dir, 'binance-futures_trades_2020-09-13_BTCUSDT.csv'),
      ['exchange,symbol,timestamp,local_timestamp,id,side,price,amount', 'binance-futures,BTCUSDT,1,2,100,buy,10000.2,0.5', 'binance-futures,BTCUSDT,3,4,101,sell,10000.1,0.25', 'binance-futures,BTCUSDT,5,6,102,unknown,10000.1,1'].join('\n'),
    );
    writeFileSync(join(dir, 'notes.txt'), 'not a tardis file');
    const result = await replayTardis(dir);
    expect(result.files.map((f) => [f.kind, f.rows])).toEqual([
      ['incremental_book_L2', 10],
      ['trades', 3],
    ]);
    expect(result.badRows.count).toBe(0);
    const [book] = result.books;
    expect(book).toMatchObject({ exchange: 'binance-futures', venue: 'binance-usdm', symbol: 'BTCUSDT', messages: 6, snapshots: 2, crossed: 1, trades: 3 });
    expect([...book!.book.levels('bid')].map((l) => [l.price, l.sizeText])).toEqual([['9999.50', '3']]);
    expect([...book!.book.levels('ask')].map((l) => [l.price, l.sizeText])).toEqual([
      ['10000.90', '1.25'],
      ['10001.00', '5'],
    ]);
    expect([book!.tradeVolume, book!.buyVolume, book!.sellVolume]).toEqual(['1.75', '0.5', '0.25']);
  });

  it('lists rows it cannot read and refuses a file that is not tardis CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tardis-unit-'));
    const file = join(dir, 'x_incremental_book_L2.csv');
    writeFileSync(file, [HEADER, 'kraken,XBT/USD,1,1,true,bid,100.0,1', 'kraken,XBT/USD,2,2,false,middle,100.0,1', 'kraken,XBT/USD,3,3,false,ask,abc,1'].join('\n'));
    const result = await replayTardis(file);
    expect(result.badRows.count).toBe(2);
    expect(result.badRows.rows.map((r) => r.line)).toEqual([3, 4]);
    expect(result.badRows.rows[0]!.error).toContain('side must be bid or ask');
    expect(result.books[0]).toMatchObject({ venue: 'kraken', rows: 1 });

    const other = join(dir, 'other_trades.csv');
    writeFileSync(other, 'a,b,c\n1,2,3\n');
    await expect(replayTardis(other)).rejects.toThrow(/not a tardis incremental_book_L2 or trades file/);
  });
});

describe('tardis CSV details', () => {
  it('writes microseconds, quotes only when needed, and reads quoted fields back', () => {
    expect(toMicros(1723161254036.05)).toBe('1723161254036050');
    expect(csvField('BTC/USD')).toBe('BTC/USD');
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(splitCsvLine('x,"a,""b""",z')).toEqual(['x', 'a,"b"', 'z']);
  });

  it('maps venues to tardis.dev exchange ids and back', () => {
    expect(tardisExchange('okx', 'BTC-USDT')).toBe('okex');
    expect(tardisExchange('okx', 'ETH-USDT-SWAP')).toBe('okex-swap');
    expect(tardisExchange('okx', 'BTC-USD-210924')).toBe('okex-futures');
    expect(tardisExchange('okx', 'BTC-USD-210924-40000-C')).toBe('okex-options');
    expect(tardisExchange('bitget', 'DASHUSDT_UMCBL')).toBe('bitget-futures');
    expect(tardisExchange('kraken-futures', 'PI_XRPUSD')).toBe('cryptofacilities');
    expect(venueOfTardisExchange('okex-options')).toBe('okx');
    expect(venueOfTardisExchange('binance')).toBe('binance-spot');
    expect(venueOfTardisExchange('kraken')).toBe('kraken');
    expect(venueOfTardisExchange('ftx')).toBeNull();
  });
});
