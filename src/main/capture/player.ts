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
import { ReplayClock } from './replay-clock';

export class ReplayPlayer {
  private readonly driver: ReplayDriver;
  /** Paces the lines by their recorded time; pause, resume and speed changes act on it. */
  readonly clock: ReplayClock;
  /** First and last recorded time in the file, once scanned (progress is by recorded time, not bytes). */
  private span: { start: number; end: number } | null = null;
  private done = false;
  private error: string | null = null;

  constructor(
    readonly path: string,
    listener: FeedListener,
    private readonly logger: Logger,
    speed = 1,
  ) {
    this.clock = new ReplayClock(speed);
    this.driver = new ReplayDriver(listener, logger);
  }

  /** Start playing; resolves when the file is done, stopped, or failed. */
  async play(): Promise<void> {
    // The time span needs the whole file read (decompressed); it runs beside the playback.
    captureTimeSpan(this.path, () => this.clock.stopped).then(
      (span) => (this.span = span),
      () => {},
    );
    try {
      for await (const entry of readCapture(this.path)) {
        if (this.clock.stopped) return;
        if ('error' in entry) {
          this.driver.corruptLine(entry.lineNo, entry.error, entry.endsEarly);
          continue;
        }
        const line = entry.line;
        // A line without a recorded time (ts 0) plays at once, after the one before it.
        await this.clock.waitFor(line.ts > 0 ? line.ts : null);
        if (this.clock.stopped) return;
        if (line.ts > 0) this.clock.played(line.ts);
        if (this.driver.handle(line)) await nextMacrotask();
        await this.clock.yieldIfBusy();
      }
      this.driver.end();
      this.done = true;
      this.logger.log('info', 'replay-finished', { path: this.path, messages: this.driver.messages });
    } catch (error) {
      this.error = `replay stopped: ${(error as Error).message}`;
      this.logger.log('error', 'replay-failed', { path: this.path, error: (error as Error).message });
    }
  }

  stop(): void {
    this.clock.stop();
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
    const position = this.clock.position;
    if (!span || position === null) return 0;
    if (span.end <= span.start) return 0;
    return Math.min(1, Math.max(0, (position - span.start) / (span.end - span.start)));
  }

  status(): ReplayStatus {
    return {
      active: !this.clock.stopped,
      path: this.path,
      name: basename(this.path),
      paused: this.clock.paused,
      speed: this.clock.speed,
      progress: this.progress(),
      captureTime: this.clock.position,
      done: this.done,
      error: this.error ?? this.endedEarlyMessage() ?? (this.driver.unsupported.size > 0 ? this.driver.unsupportedReport()[0]!.message : null),
      messages: this.driver.messages,
      corruptLines: this.driver.corruptCount,
      symbols: this.feeds().map((f) => ({ venue: f.venue, symbol: f.symbol })),
    };
  }
}
