import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { jsonLineLogger, type Logger, type LogLevel } from './log';

/**
 * JSON-lines log in `<dir>/monitor.log`, rotated at `maxBytes` keeping `keep` old files
 * (monitor.log.1 … .N). Logging never throws: a full or read-only disk must not stop the feeds.
 */
export function rotatingFileLogger(dir: string, minLevel: LogLevel = 'info', maxBytes = 10 * 1024 * 1024, keep = 3): Logger {
  const path = join(dir, 'monitor.log');
  let size = 0;
  let broken = false;
  try {
    mkdirSync(dir, { recursive: true });
    size = statSync(path).size;
  } catch {
    size = 0;
  }
  const rotate = (): void => {
    for (let i = keep - 1; i >= 1; i--) {
      try {
        renameSync(`${path}.${i}`, `${path}.${i + 1}`);
      } catch {
        /* missing older file */
      }
    }
    try {
      renameSync(path, `${path}.1`);
    } catch {
      /* nothing to rotate */
    }
    size = 0;
  };
  return jsonLineLogger((line) => {
    if (broken) return;
    try {
      if (size + line.length > maxBytes) rotate();
      appendFileSync(path, line);
      size += line.length;
    } catch (error) {
      broken = true;
      process.stderr.write(`logging to ${path} stopped: ${(error as Error).message}\n`);
    }
  }, minLevel);
}

/** Send every entry to each logger. */
export function teeLogger(...loggers: Logger[]): Logger {
  return { log: (level, event, fields) => loggers.forEach((l) => l.log(level, event, fields)) };
}
