/**
 * One venue's instrument list: fetched from the venue, saved on disk after every successful fetch,
 * and, while the venue cannot be reached, served from the last saved list (or the venue's fallback)
 * with a message saying why. A failed fetch is retried in the background with capped, jittered
 * back-off until one succeeds, so one bad moment at start-up does not cost the whole session its list.
 */
import { ContractError } from '../../shared/contract';
import type { Instrument, VenueId } from '../../shared/market';
import type { Logger } from '../log';
import { Backoff } from '../venues/backoff';
import type { InstrumentCache } from './instrument-cache';

export interface RetryPolicy {
  /** First delay after a failure; doubles per failure up to `maxMs` (half fixed, half jitter). */
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

/** 2 s, 4 s, … up to a minute between attempts (the old fixed wait after a failure was a minute). */
export const DEFAULT_INSTRUMENT_RETRY: RetryPolicy = { baseMs: 2_000, maxMs: 60_000 };

export interface InstrumentCatalogOptions {
  venue: VenueId;
  fetchList: () => Promise<Instrument[]>;
  logger: Logger;
  cache?: InstrumentCache | null;
  /** Instruments to offer when the list cannot be fetched and none is saved. */
  fallback?: Instrument[];
  retry?: RetryPolicy;
}

export class InstrumentCatalog {
  private fetched: Instrument[] | null = null;
  /** Served while the venue cannot be reached: the saved list or the fallback; null when there is neither. */
  private standIn: Instrument[] | null = null;
  private error: string | null = null;
  private loading: Promise<Instrument[]> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly backoff: Backoff;
  private closed = false;
  /** Fetch attempts so far (tests and the log). */
  attempts = 0;

  constructor(private readonly options: InstrumentCatalogOptions) {
    const retry = options.retry ?? DEFAULT_INSTRUMENT_RETRY;
    this.backoff = new Backoff(retry.baseMs, retry.maxMs, retry.random);
  }

  /** The list as fetched from the venue in this session; null until a fetch succeeds. */
  get instruments(): Instrument[] | null {
    return this.fetched;
  }

  /** Why the list is missing or old (null once a fetch has succeeded). */
  get message(): string | null {
    return this.error;
  }

  /**
   * The list: the fetched one; else, while a retry is scheduled, the saved or fallback list without
   * asking the venue sooner; rejects (ContractError 'unavailable') when there is no list at all.
   */
  list(): Promise<Instrument[]> {
    if (this.fetched) return Promise.resolve(this.fetched);
    if (this.loading) return this.loading;
    if (this.retryTimer !== null) return this.standInOrThrow();
    return this.fetch();
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private fetch(): Promise<Instrument[]> {
    const { venue, logger } = this.options;
    this.attempts++;
    this.loading = this.options.fetchList().then(
      (list) => {
        this.loading = null;
        this.fetched = list;
        this.error = null;
        this.standIn = null;
        this.backoff.reset();
        const saveError = this.options.cache?.save(venue, list) ?? null;
        if (saveError) logger.log('warn', 'instrument-cache-write-failed', { venue, error: saveError });
        return list;
      },
      (error: Error) => {
        this.loading = null;
        this.useStandIn(error.message);
        this.scheduleRetry();
        return this.standInOrThrow();
      },
    );
    return this.loading;
  }

  private useStandIn(reason: string): void {
    const { venue, logger } = this.options;
    logger.log('error', 'instruments-failed', { venue, error: reason, attempt: this.attempts });
    const cached = this.options.cache?.load(venue);
    if (cached) {
      this.standIn = cached.instruments;
      this.error = `${reason}; showing the instrument list saved ${new Date(cached.savedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
      return;
    }
    this.standIn = this.options.fallback ?? null;
    this.error = reason;
  }

  private standInOrThrow(): Promise<Instrument[]> {
    if (this.standIn) return Promise.resolve(this.standIn);
    return Promise.reject(new ContractError('unavailable', this.error ?? `${this.options.venue}: no instrument list`));
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer !== null) return;
    const delay = this.backoff.next();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      // A failure schedules the next attempt itself; nobody waits on this one.
      this.fetch().catch(() => {});
    }, delay);
    // Never keep a CLI or test process alive for a retry.
    this.retryTimer.unref?.();
  }
}
