/** Structured logging: one JSON object per line with level, venue, symbol and event. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogFields {
  venue?: string;
  symbol?: string;
  [key: string]: unknown;
}

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}

export const nullLogger: Logger = { log: () => {} };

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes JSON lines through `write` for entries at or above `minLevel`. */
export function jsonLineLogger(write: (line: string) => void, minLevel: LogLevel = 'info'): Logger {
  return {
    log(level, event, fields = {}) {
      if (ORDER[level] < ORDER[minLevel]) return;
      write(JSON.stringify({ ts: new Date().toISOString(), level, event, ...fields }) + '\n');
    },
  };
}
