/**
 * The web host's last line of defence: an error that escaped every handler is logged and the host keeps
 * serving, because one bad request must not stop the monitor for every window. If such errors repeat
 * (a loop gone wrong, state that may be corrupt), continuing is no longer safe: the host exits with
 * code 1 so a supervisor restarts it clean.
 */
import type { Logger } from '../log';

export interface CrashGuardOptions {
  /** Escaped errors tolerated within `windowMs` before giving up. */
  maxErrors?: number;
  windowMs?: number;
  /** Called once when giving up (the web host closes what it can, then exits with code 1). */
  giveUp: (reason: string) => void;
  now?: () => number;
}

interface ProcessEvents {
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

export function installCrashGuard(proc: ProcessEvents, logger: Logger, options: CrashGuardOptions): void {
  const maxErrors = options.maxErrors ?? 10;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const recent: number[] = [];
  let gaveUp = false;

  const escaped = (kind: string, error: unknown): void => {
    logger.log('error', kind, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    const t = now();
    recent.push(t);
    while (recent.length > 0 && recent[0]! <= t - windowMs) recent.shift();
    if (recent.length >= maxErrors && !gaveUp) {
      gaveUp = true;
      const reason = `${recent.length} uncaught errors within ${Math.round(windowMs / 1000)} s`;
      logger.log('error', 'giving-up', { reason });
      options.giveUp(reason);
    }
  };

  proc.on('uncaughtException', (error) => escaped('uncaught-exception', error));
  proc.on('unhandledRejection', (reason) => escaped('unhandled-rejection', reason));
}
