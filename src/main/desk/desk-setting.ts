/**
 * Taking the books from a desk at start when the user asked for it: the `--nats` flag, else the
 * settings page's "NATS URL (desk)" (effectiveSettingsOptions decides which). The web host waits for the
 * desk as long as it takes; the desktop app waits a bounded time and otherwise connects to the venues.
 */
import type { Logger } from '../log';
import { connectDeskSubscriber, type DeskSource } from './subscriber';

/** `--nats URL` or `--nats=URL` among the process arguments (the desktop app has no other parser for it). */
export function natsFlagFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--nats') return argv[i + 1];
    if (arg.startsWith('--nats=')) return arg.slice('--nats='.length);
  }
  return undefined;
}

/**
 * The desk at `natsUrl`, or a rejection with a message a user can read when it is not usable within
 * `timeoutMs` (NATS unreachable, or no collector has published a book yet).
 */
export async function connectDeskWithin(natsUrl: string, logger: Logger, timeoutMs: number): Promise<DeskSource> {
  const giveUp = new AbortController();
  let last = 'no answer';
  const timer = setTimeout(() => giveUp.abort(), timeoutMs);
  try {
    return await connectDeskSubscriber(natsUrl, {
      logger,
      signal: giveUp.signal,
      name: 'obm-desktop',
      onWait: (message) => {
        last = message;
        logger.log('warn', 'desk-wait', { message });
      },
    });
  } catch (error) {
    throw new Error(`the desk at ${natsUrl} could not be used within ${Math.round(timeoutMs / 1000)} s: ${giveUp.signal.aborted ? last : (error as Error).message}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
