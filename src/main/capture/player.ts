/**
 * Plays a capture back in the running app at 1×, 10× or full speed, with pause, so every window can
 * watch a recorded session. Lines go through the same ReplayDriver (and so the same adapters) as the
 * full-speed replay; timers inside the adapters run on the capture's own clock.
 */
import { basename } from 'node:path';
import type { ReplayStatus } from '../../shared/contract';
import type { Logger } from '../log';
import type { FeedListener, SymbolFeed } from '../venues/symbol-feed';
import { captureTimeSpan } from './probe';
import { readCapture } from './reader';
import { nextMacrotask, ReplayDriver } from './replay';

/** At full speed, hand the event loop back this often so the app stays responsive. */
const YIELD_EVERY_MS = 8;
/** Longest single sleep while waiting for a line's time, so pause and stop act promptly. */
const MAX_SLEEP_MS = 200;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class ReplayPlayer {
  private readonly driver: ReplayDriver;
  /** First and last recorded time in the file, once scanned (progress is by recorded time, not bytes). */
  private span: { start: number; end: number } | null = null;
  private speed: number;
  private paused = false;
  private stopped = false;
  private done = false;
  private error: string | null = null;
  private captureTime: number | null = null;
  /** Pacing anchor: capture time `anchorTs` is played at wall time `anchorWall`. */
  private anchorTs: number | null = null;
  private anchorWall = 0;
  private wake: (() => void) | null = null;

  constructor(
    readonly path: string,
    listener: FeedListener,
    private readonly logger: Logger,
    speed = 1,
  ) {
    this.speed = speed;
    this.driver = new ReplayDriver(listener, logger);
  }

  /** Start playing; resolves when the file is done, stopped, or failed. */
  async play(): Promise<void> {
    let lastYield = Date.now();
    // The time span needs the whole file read (decompressed); it runs beside the playback.
    captureTimeSpan(this.path, () => this.stopped).then(
      (span) => (this.span = span),
      () => {},
    );
    try {
      for await (const entry of readCapture(this.path)) {
        if (this.stopped) return;
        if ('error' in entry) {
          this.driver.corruptLine(entry.lineNo, entry.error, entry.endsEarly);
          continue;
        }
        const line = entry.line;
        await this.waitFor(line.ts);
        if (this.stopped) return;
        this.captureTime = line.ts > 0 ? line.ts : this.captureTime;
        if (this.driver.handle(line)) await nextMacrotask();
        if (Date.now() - lastYield > YIELD_EVERY_MS) {
          await nextMacrotask();
          lastYield = Date.now();
        }
      }
      this.driver.end();
      this.done = true;
      this.logger.log('info', 'replay-finished', { path: this.path, messages: this.driver.messages });
    } catch (error) {
      this.error = `replay stopped: ${(error as Error).message}`;
      this.logger.log('error', 'replay-failed', { path: this.path, error: (error as Error).message });
    }
  }

  /** Sleep until the capture time `ts` is due at the current speed (never for speed 0 = full speed). */
  private async waitFor(ts: number): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      if (this.paused) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if (this.speed <= 0 || ts <= 0) return;
      if (this.anchorTs === null) {
        this.anchorTs = ts;
        this.anchorWall = Date.now();
        return;
      }
      const dueAt = this.anchorWall + (ts - this.anchorTs) / this.speed;
      const wait = dueAt - Date.now();
      if (wait <= 0) return;
      await Promise.race([sleep(Math.min(wait, MAX_SLEEP_MS)), new Promise<void>((resolve) => (this.wake = resolve))]);
    }
  }

  private reanchor(): void {
    this.anchorTs = this.captureTime;
    this.anchorWall = Date.now();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.reanchor();
    this.wake?.();
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    this.reanchor();
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
    this.driver.close();
  }

  private endedEarlyMessage(): string | null {
    const early = this.driver.endedEarly;
    return early ? `the capture could not be read past line ${early.line - 1} (${early.error}); what followed is missing` : null;
  }

  hasVenue(venue: string): boolean {
    return this.driver.adapters.has(venue);
  }

  feed(venue: string, symbol: string): SymbolFeed | undefined {
    return this.driver.adapters.get(venue)?.feed(symbol);
  }

  feeds(): SymbolFeed[] {
    return this.driver.feeds();
  }

  venues(): string[] {
    return [...this.driver.adapters.keys()];
  }

  ownsFeed(feed: SymbolFeed): boolean {
    return this.feed(feed.venue, feed.symbol) === feed;
  }

  /**
   * The replayed books' health. Once the capture has played to its end the feeds have ended: rates
   * read 0 and the last latency (recorded clocks, sometimes negative) is no longer shown.
   */
  health(): ReturnType<SymbolFeed['healthSnapshot']>[] {
    const snapshots = [...this.driver.adapters.values()].flatMap((a) => a.health());
    if (!this.done && !this.error) return snapshots;
    return snapshots.map((h) => ({ ...h, msgsPerSec: 0, levelUpdatesPerSec: 0, latencyMs: null, rateAnomaly: 'none' as const, ended: true }));
  }

  /** Share of the capture's recorded time played: 1 at the end, 0 until the time span is known. */
  private progress(): number {
    if (this.done) return 1;
    const span = this.span;
    if (!span || this.captureTime === null) return 0;
    if (span.end <= span.start) return 0;
    return Math.min(1, Math.max(0, (this.captureTime - span.start) / (span.end - span.start)));
  }

  status(): ReplayStatus {
    return {
      active: !this.stopped,
      path: this.path,
      name: basename(this.path),
      paused: this.paused,
      speed: this.speed,
      progress: this.progress(),
      captureTime: this.captureTime,
      done: this.done,
      error: this.error ?? this.endedEarlyMessage() ?? (this.driver.unsupported.size > 0 ? this.driver.unsupportedReport()[0]!.message : null),
      messages: this.driver.messages,
      corruptLines: this.driver.corruptCount,
      symbols: this.feeds().map((f) => ({ venue: f.venue, symbol: f.symbol })),
    };
  }
}
