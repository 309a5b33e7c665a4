/**
 * REST requests for instrument lists, with the messages a user reads when they fail: the venue is
 * unreachable, it rate limited us, or it answered with another HTTP status.
 */
import type { VenueId } from '../../shared/market';
import type { Logger } from '../log';
import { Backoff } from './backoff';
import type { HttpResponse, Transport } from './transport';

export interface RestTarget {
  venue: VenueId;
  transport: Transport;
  /** REST base URL; the path is appended. */
  base: string;
  timeoutMs: number;
}

/** GET `base + path`; a request that gets no answer fails with "venue: cannot reach base (why)". */
export async function restGet(target: RestTarget, path: string): Promise<HttpResponse> {
  try {
    return await target.transport.get(`${target.base}${path}`, { timeoutMs: target.timeoutMs });
  } catch (error) {
    throw new Error(`${target.venue}: cannot reach ${target.base} (${(error as Error).message})`, { cause: error });
  }
}

export interface RateLimitRetries {
  logger: Logger;
  /** Retries after a rate-limited answer before the answer is taken as it is. */
  retries: number;
  /** Whether an answer means "too many requests" (HTTP 429 unless the venue says otherwise). */
  isRateLimited?(response: HttpResponse): boolean;
}

/**
 * The body of a 200 answer to `base + path`. A rate-limited answer is retried after the server's
 * Retry-After (at most 30 s), else 1 s doubling; any other status, or a rate limit that outlasts the
 * retries, fails with "venue: <what> request failed with HTTP n".
 */
export async function restGetRetrying(target: RestTarget, path: string, what: string, limits: RateLimitRetries): Promise<string> {
  const isRateLimited = limits.isRateLimited ?? ((response: HttpResponse) => response.status === 429);
  for (let attempt = 0; ; attempt++) {
    const response = await restGet(target, path);
    if (isRateLimited(response) && attempt < limits.retries) {
      const retryAfter = Number(response.headers['retry-after']);
      const delay = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : 1000 * 2 ** attempt;
      limits.logger.log('warn', 'instruments-rate-limited', { venue: target.venue, retryMs: delay });
      await new Promise<void>((resolve) => target.transport.clock.setTimeout(resolve, delay));
      continue;
    }
    if (response.status !== 200) throw new Error(`${target.venue}: ${what} request failed with HTTP ${response.status}`);
    return response.body;
  }
}

/**
 * The body of a 200 answer to `base + path`, asked once: a rate limit fails with a message that says
 * so ("try again shortly"), any other status with "venue: <what> request failed with HTTP n".
 */
export async function restGetOnce(target: RestTarget, path: string, what: string): Promise<string> {
  const response = await restGet(target, path);
  if (response.status === 429) throw new Error(`${target.venue}: the ${what} request was rate limited (HTTP 429); try again shortly`);
  if (response.status !== 200) throw new Error(`${target.venue}: ${what} request failed with HTTP ${response.status}`);
  return response.body;
}

/**
 * The timeout of a request retried until it succeeds (a REST depth snapshot). Each timeout in a row
 * lengthens the next one the way reconnects back off (doubling, capped, with jitter), so a venue
 * that has become slow gets the time it needs instead of the same too-short timeout forever.
 */
export class GrowingTimeout {
  private readonly backoff: Backoff;
  private currentMs: number;

  constructor(
    private readonly baseMs: number,
    maxMs = 6 * baseMs,
    random?: () => number,
  ) {
    // Backoff's first value lies in [ceiling/2, ceiling]: after one timeout, between 1x and 2x the base.
    this.backoff = new Backoff(2 * baseMs, maxMs, random);
    this.currentMs = baseMs;
  }

  /** The timeout for the next attempt. */
  get ms(): number {
    return this.currentMs;
  }

  timedOut(): void {
    this.currentMs = this.backoff.next();
  }

  /** An answer came in time: back to the base timeout. */
  answered(): void {
    this.backoff.reset();
    this.currentMs = this.baseMs;
  }
}

/** Whether a transport error is a request that ran out of time (fetch's AbortSignal.timeout). */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}
