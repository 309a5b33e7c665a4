/**
 * What every venue's frame handling shares: reading JSON defensively (a frame or REST body that is
 * not what the protocol says becomes a MalformedFrameError with a readable message), and counting a
 * frame the parser refused on the books it names, so a bad frame is skipped and seen, never fatal.
 */
import type { VenueId } from '../../shared/market';
import type { Logger } from '../log';
import { MalformedFrameError } from './adapter';
import type { SymbolFeed } from './symbol-feed';

/** A price level as the venue wrote it: [price, size] text. */
export type LevelPair = [string, string];

/** A JSON object: not null, not an array. */
export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A list of [price, size, ...] arrays whose first two entries are strings. */
export function isLevelArray(x: unknown): x is LevelPair[] {
  if (!Array.isArray(x)) return false;
  for (const level of x) {
    if (!Array.isArray(level) || typeof level[0] !== 'string' || typeof level[1] !== 'string') return false;
  }
  return true;
}

/** `JSON.parse`, with a syntax error reported as a MalformedFrameError saying `notJson`. */
export function parseJson(text: string, notJson: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedFrameError(notJson);
  }
}

/** A JSON object, else MalformedFrameError "`what` is not valid JSON" / "`what` is not a JSON object". */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  const msg = parseJson(text, `${what} is not valid JSON`);
  if (!isObject(msg)) throw new MalformedFrameError(`${what} is not a JSON object`);
  return msg;
}

/**
 * An adapter's account of malformed frames: each is counted on the books it names (with the reason
 * as their lastError) or, when it names none, as unattributed, and logged.
 */
export class MalformedFrames {
  /** Malformed frames that named no subscribed book. */
  unattributed = 0;

  constructor(
    private readonly venue: VenueId,
    private readonly logger: Logger,
  ) {}

  /**
   * `parse(text)`, or undefined when the parser refused the frame (counted on the feed `named(text)`
   * returns). Errors other than MalformedFrameError are bugs and propagate.
   */
  parse<T>(text: string, parse: (text: string) => T, named: (text: string) => SymbolFeed | undefined): T | undefined {
    try {
      return parse(text);
    } catch (error) {
      if (!(error instanceof MalformedFrameError)) throw error;
      const feed = named(text);
      this.count(text, error.message, feed ? [feed] : []);
      return undefined;
    }
  }

  /** Count one skipped frame on `feeds` (or as unattributed when there are none) and log it. */
  count(text: string, reason: string, feeds: readonly SymbolFeed[]): void {
    for (const feed of feeds) {
      feed.health.malformed++;
      feed.health.lastError = `malformed frame skipped: ${reason}`;
    }
    if (feeds.length === 0) this.unattributed++;
    this.logger.log('warn', 'malformed-frame', { venue: this.venue, error: reason, bytes: text.length });
  }
}
