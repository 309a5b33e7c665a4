/** The whole-or-nothing write both candle exports use (the app's worker and `npm run export -- --candles`). */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../src/main/store/atomic-file';

describe('writeFileAtomic', () => {
  it('replaces the file with the whole data and leaves no partial file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const file = join(dir, 'candles.csv');
    writeFileSync(file, 'old');
    const data = Buffer.from('t,open\n' + '1,2.5\n'.repeat(100_000), 'utf8');
    writeFileAtomic(file, data);
    expect(readFileSync(file).equals(data)).toBe(true);
    expect(readdirSync(dir)).toEqual(['candles.csv']);
  });

  it('on a failed rename throws, removes its partial file and leaves what stood there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    // A non-empty folder under the name: the rename over it fails.
    mkdirSync(join(dir, 'out.csv'));
    writeFileSync(join(dir, 'out.csv', 'keep'), 'x');
    expect(() => writeFileAtomic(join(dir, 'out.csv'), Buffer.from('a,b\n'))).toThrow();
    expect(readdirSync(dir)).toEqual(['out.csv']);
    expect(readdirSync(join(dir, 'out.csv'))).toEqual(['keep']);
  });
});
