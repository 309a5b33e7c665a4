/** The web host's entry: a clear refusal of a weak token, and errors that escape every handler logged, not fatal. */
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogFields, Logger, LogLevel } from '../../../../src/main/log';
import { installCrashGuard } from '../../../../src/main/web/crash-guard';
import { repoRoot } from '../../../support/paths';

function recordingLogger(): Logger & { entries: Array<{ level: LogLevel; event: string; fields?: LogFields }> } {
  const entries: Array<{ level: LogLevel; event: string; fields?: LogFields }> = [];
  return { entries, log: (level, event, fields) => entries.push({ level, event, fields }) };
}

describe('web host crash guard', () => {
  it('logs an uncaught exception or unhandled rejection and keeps going', () => {
    const proc = new EventEmitter();
    const logger = recordingLogger();
    const reasons: string[] = [];
    installCrashGuard(proc, logger, { giveUp: (r) => reasons.push(r) });
    proc.emit('uncaughtException', new URIError('URI malformed'));
    proc.emit('unhandledRejection', 'a plain reason');
    expect(logger.entries.map((e) => e.event)).toEqual(['uncaught-exception', 'unhandled-rejection']);
    expect(String(logger.entries[0]!.fields!.error)).toContain('URIError: URI malformed');
    expect(logger.entries[1]!.fields!.error).toBe('a plain reason');
    expect(reasons).toEqual([]);
  });

  it('gives up once when errors repeat within the window, and forgets old ones', () => {
    const proc = new EventEmitter();
    const logger = recordingLogger();
    const reasons: string[] = [];
    let t = 0;
    installCrashGuard(proc, logger, { giveUp: (r) => reasons.push(r), maxErrors: 3, windowMs: 1000, now: () => t });
    proc.emit('uncaughtException', new Error('one'));
    t = 600;
    proc.emit('uncaughtException', new Error('two'));
    t = 1200; // 'one' has aged out
    proc.emit('uncaughtException', new Error('three'));
    expect(reasons).toEqual([]);
    t = 1300;
    proc.emit('uncaughtException', new Error('four'));
    proc.emit('uncaughtException', new Error('five'));
    expect(reasons).toEqual(['3 uncaught errors within 1 s']);
  });

  it('refuses a one-character --token at start with a clear message (exit 2)', () => {
    const data = mkdtempSync(join(tmpdir(), 'obm-token-'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/web/main.ts', '--host', '0.0.0.0', '--port', '0', '--token', 'a', '--data', data], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, ORDERBOOK_TOKEN: '' },
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('web: the token (--token or ORDERBOOK_TOKEN) must be at least 16 characters, got 1');
  });
});
