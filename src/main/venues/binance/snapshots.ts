/**
 * REST depth snapshots for Binance books (docs/venues.md#binance). Each request first reserves its
 * weight in the IP's per-minute budget and waits when the minute is spent; a failure is retried with
 * back-off (a rate limit after the server's Retry-After); a request that times out is retried with a
 * longer timeout, growing like a reconnect back-off. An answer meant for an earlier connection is
 * dropped and the sync asks again when the next diff arrives.
 */
import type { VenueId } from '../../../shared/market';
import type { Logger } from '../../log';
import { Backoff } from '../backoff';
import { GrowingTimeout, isTimeout, type RestTarget } from '../rest';
import type { SessionEntry } from '../session';
import type { Clock, HttpResponse } from '../transport';
import type { BinanceMarket } from './markets';
import { parseDepthSnapshot } from './messages';
import type { BinanceDepthSync } from './sync';
import type { RequestWeightBudget } from './weight-budget';

/** What the requests need from the session. */
export interface SnapshotHost {
  readonly venue: VenueId;
  readonly rest: RestTarget;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly closed: boolean;
  entry(symbol: string): SessionEntry<BinanceDepthSync> | undefined;
}

interface Retry {
  backoff: Backoff;
  timeout: GrowingTimeout;
  timer: unknown;
}

export class SnapshotRequests {
  private readonly retries = new Map<string, Retry>();

  constructor(
    private readonly host: SnapshotHost,
    private readonly market: BinanceMarket,
    private readonly budget: RequestWeightBudget,
  ) {}

  /** Fetch a snapshot for `symbol` within the weight budget; the answer goes to its sync. */
  request(symbol: string, reason: string): void {
    const entry = this.host.entry(symbol);
    if (!entry || this.host.closed) return;
    const wait = this.budget.reserve(this.market.snapshotWeight(this.market.snapshotLimit));
    if (wait === 0) {
      this.fetch(entry, reason);
      return;
    }
    this.host.logger.log('warn', 'snapshot-deferred', { venue: this.host.venue, symbol, waitMs: wait, reason: 'request weight budget' });
    this.later(entry, wait, () => this.fetch(entry, reason));
  }

  close(): void {
    for (const retry of this.retries.values()) this.host.clock.clearTimeout(retry.timer);
  }

  private retryOf(symbol: string): Retry {
    let retry = this.retries.get(symbol);
    if (!retry) {
      retry = { backoff: new Backoff(500, 30_000), timeout: new GrowingTimeout(this.host.rest.timeoutMs), timer: null };
      this.retries.set(symbol, retry);
    }
    return retry;
  }

  /** Run `then` after `delayMs` if the connection is still the same one; otherwise let the sync ask again. */
  private later(entry: SessionEntry<BinanceDepthSync>, delayMs: number, then: () => void): void {
    const retry = this.retryOf(entry.symbol);
    const generation = entry.link.generation;
    this.host.clock.clearTimeout(retry.timer);
    retry.timer = this.host.clock.setTimeout(() => {
      if (generation === entry.link.generation && !this.host.closed) then();
      else entry.sync.onSnapshotFailed();
    }, delayMs);
  }

  private fetch(entry: SessionEntry<BinanceDepthSync>, reason: string): void {
    const { venue, logger, rest } = this.host;
    const { symbol, sync, feed, link } = entry;
    const retry = this.retryOf(symbol);
    const generation = link.generation;
    const current = (): boolean => generation === link.generation && !this.host.closed;
    const again = (why: string, delayMs = retry.backoff.next()): void => {
      feed.error(`snapshot failed: ${why}; retrying in ${Math.round(delayMs / 100) / 10} s`);
      logger.log('warn', 'snapshot-failed', { venue, symbol, error: why, retryMs: delayMs, nextTimeoutMs: retry.timeout.ms });
      this.later(entry, delayMs, () => this.request(symbol, 'retry'));
    };
    const answered = (response: HttpResponse): void => {
      retry.timeout.answered();
      this.budget.observeUsed(Number(response.headers['x-mbx-used-weight-1m']));
      if (!current()) return sync.onSnapshotFailed();
      if (response.status === 429 || response.status === 418) {
        // Rate limited (418: the IP is banned for repeating it). Honour Retry-After, in seconds.
        const retryAfter = Number(response.headers['retry-after']);
        return again(`HTTP ${response.status} rate limit`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
      }
      if (response.status !== 200) return again(`HTTP ${response.status}`);
      let snapshot;
      try {
        snapshot = parseDepthSnapshot(response.body);
      } catch (error) {
        return again((error as Error).message);
      }
      retry.backoff.reset();
      sync.onSnapshot(snapshot, this.host.clock.now());
    };
    const url = `${rest.base}${this.market.depthPath}?symbol=${symbol}&limit=${this.market.snapshotLimit}`;
    logger.log('info', 'snapshot-request', { venue, symbol, reason, timeoutMs: retry.timeout.ms });
    rest.transport.get(url, { timeoutMs: retry.timeout.ms }).then(answered, (error: Error) => {
      if (isTimeout(error)) retry.timeout.timedOut();
      if (!current()) return sync.onSnapshotFailed();
      again(error.message);
    });
  }
}
