import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isoTimeError, parseIsoTime } from '../../../../src/main/cli/iso-time';
import { checkOutputFile, OutputFileError } from '../../../../src/main/cli/output-file';

describe('strict ISO times for command-line options', () => {
  it('reads dates as midnight UTC and times with their zone', () => {
    expect(parseIsoTime('2021-10-12')).toBe(Date.UTC(2021, 9, 12));
    expect(parseIsoTime('2021-10-12T00:28:40Z')).toBe(Date.UTC(2021, 9, 12, 0, 28, 40));
    expect(parseIsoTime('2021-10-12T02:28:40.5+02:00')).toBe(Date.UTC(2021, 9, 12, 0, 28, 40, 500));
    expect(parseIsoTime('2021-10-11T21:58-02:30')).toBe(Date.UTC(2021, 9, 12, 0, 28));
    // What toISOString writes reads back to the same millisecond.
    expect(parseIsoTime(new Date(1633998512320).toISOString())).toBe(1633998512320);
    expect(parseIsoTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it('refuses what Date.parse would roll over or read as local time', () => {
    expect(Date.parse('2021-02-30')).toBe(Date.UTC(2021, 2, 2)); // why this module exists
    expect(isoTimeError('2021-02-30')).toMatch(/is not a day of the calendar \(2021-02 has 28 days\)/);
    expect(isoTimeError('2023-02-29')).toMatch(/2023-02 has 28 days/);
    expect(isoTimeError('2021-13-01')).toMatch(/has no month 13/);
    expect(isoTimeError('2021-10-12T24:00Z')).toMatch(/is not a time of day/);
    expect(isoTimeError('2021-10-12T10:60Z')).toMatch(/is not a time of day/);
    expect(isoTimeError('2021-10-12T10:00:00')).toMatch(/has no time zone/);
    expect(isoTimeError('12/10/2021')).toMatch(/is not an ISO date\/time/);
    expect(isoTimeError('2021-10-12 10:00Z')).toMatch(/is not an ISO date\/time/);
    expect(() => parseIsoTime('yesterday')).toThrow(/"yesterday" is not an ISO date\/time/);
  });
});

describe('output file checks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'obm-out-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a new file in an existing folder, and an existing regular file only with force', () => {
    expect(checkOutputFile(join(dir, 'new.csv'), { force: false })).toBe(join(dir, 'new.csv'));
    const existing = join(dir, 'existing.csv');
    writeFileSync(existing, 'x');
    expect(() => checkOutputFile(existing, { force: false })).toThrow(`--out ${existing} already exists; pass --force to replace it`);
    expect(checkOutputFile(existing, { force: true })).toBe(existing);
  });

  it('refuses folders, links and devices even with force, and a folder that does not exist', () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const link = join(dir, 'link.csv');
    symlinkSync(join(dir, 'existing.csv'), link);
    expect(() => checkOutputFile(sub, { force: true })).toThrow(/is a folder, not a regular file/);
    expect(() => checkOutputFile(link, { force: true })).toThrow(/is a symbolic link, not a regular file/);
    expect(() => checkOutputFile('/dev/null', { force: true })).toThrow(/is a character device, not a regular file/);
    expect(() => checkOutputFile(join(dir, 'absent', 'x.csv'), { force: true, option: '--to-file' })).toThrow(
      new OutputFileError(`--to-file ${join(dir, 'absent', 'x.csv')}: folder ${join(dir, 'absent')} does not exist; create it first`),
    );
    writeFileSync(join(dir, 'plain'), '');
    expect(() => checkOutputFile(join(dir, 'plain', 'x.csv'), { force: false })).toThrow(/plain is not a folder/);
  });
});
