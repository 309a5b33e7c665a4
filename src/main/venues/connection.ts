/**
 * One venue WebSocket kept alive: connect, reconnect with capped exponential back-off and jitter
 * after any drop, a stale-feed watchdog (no frame or server ping within the venue's window counts as
 * a drop), an optional application-level keep-alive ping, and paced outgoing messages so the venue's
 * per-connection message limit is never exceeded. Every venue adapter builds on this; what to
 * subscribe and how to read frames stays in the adapter.
 */
import type { Logger } from '../log';
import { Backoff } from './backoff';
import type { Transport, TransportSocket } from './transport';

export interface ConnectionHandlers {
  /** Connected (first time or after a reconnect): send subscriptions now. */
  onOpen(): void;
  onFrame(text: string, receivedAt: number): void;
  /** The connection is gone (closed, errored, stale, or dropped on purpose); a reconnect follows. */
  onDown(reason: string): void;
}

export interface ConnectionOptions {
  venue: string;
  transport: Transport;
  logger: Logger;
  /** The URL to connect to, asked afresh on every (re)connect. */
  url: () => string;
  handlers: ConnectionHandlers;
  /** Nothing received (frame or server ping) for this long counts as a dropped connection. */
  staleAfterMs: number;
  /** Minimum spacing of outgoing messages (venue limits, e.g. Binance 5/s). */
  sendIntervalMs?: number;
  /** Application-level keep-alive: send `ping()` every `pingEveryMs` (Bybit, OKX, Kraken). */
  keepAlive?: { everyMs: number; message: () => string };
  /** Reconnect proactively after this long (Binance cuts connections at 24 h). */
  maxLifetimeMs?: number;
  backoff?: Backoff;
}

export class FeedConnection {
  private socket: TransportSocket | null = null;
  private open = false;
  /** Increments per connection so late callbacks from an old socket are ignored. */
  private generation = 0;
  private readonly backoff: Backoff;
  private reconnectTimer: unknown = null;
  private watchdogTimer: unknown = null;
  private keepAliveTimer: unknown = null;
  private lifetimeTimer: unknown = null;
  private sendTimer: unknown = null;
  private readonly sendQueue: string[] = [];
  private lastFrameAt = 0;
  private closed = false;
  private started = false;
  /** Completed reconnects (not counting the first connect). */
  reconnects = 0;
  /** Set once any frame arrived on the current connection; back-off resets then. */
  private sawFrame = false;

  constructor(private readonly options: ConnectionOptions) {
    this.backoff = options.backoff ?? new Backoff();
  }

  get isOpen(): boolean {
    return this.open;
  }

  get isStarted(): boolean {
    return this.started;
  }

  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.connect();
  }

  /** Queue a message; sent when open, spaced by `sendIntervalMs`. Dropped if the connection goes down. */
  send(text: string): void {
    if (!this.open) return;
    this.sendQueue.push(text);
    if (this.sendTimer === null) this.flushSend();
  }

  /** Send a WebSocket protocol ping now, if open (venues that want the client to ping: Kraken Futures). */
  ping(): void {
    if (this.open) this.socket?.ping?.();
  }

  /** Drop the connection now and reconnect after back-off (server shutdown notice, failed checksum storm). */
  restart(reason: string): void {
    if (!this.socket) return;
    this.socket.close(1000, reason);
    this.down(reason);
  }

  close(): void {
    this.closed = true;
    const clock = this.options.transport.clock;
    for (const t of [this.reconnectTimer, this.watchdogTimer, this.keepAliveTimer, this.lifetimeTimer, this.sendTimer]) clock.clearTimeout(t);
    this.generation++;
    this.open = false;
    this.socket?.close(1000, 'closing');
    this.socket = null;
  }

  private connect(): void {
    const { transport, logger, venue } = this.options;
    const generation = ++this.generation;
    const url = this.options.url();
    this.open = false;
    this.sawFrame = false;
    // The socket's last error explains an abnormal close (e.g. "Max payload size exceeded" → 1009/1006).
    let lastError: string | null = null;
    logger.log('info', 'connect', { venue, url });
    this.socket = transport.connect(url, {
      onOpen: () => {
        if (generation !== this.generation) return;
        this.open = true;
        this.lastFrameAt = transport.clock.now();
        this.armTimers(generation);
        logger.log('info', 'open', { venue });
        this.options.handlers.onOpen();
      },
      onMessage: (text, receivedAt) => {
        if (generation !== this.generation) return;
        this.lastFrameAt = receivedAt;
        if (!this.sawFrame) {
          // A working connection: the next drop starts back-off afresh.
          this.sawFrame = true;
          this.backoff.reset();
        }
        this.options.handlers.onFrame(text, receivedAt);
      },
      onPing: () => {
        if (generation === this.generation) this.lastFrameAt = transport.clock.now();
      },
      onClose: (code, reason) => {
        if (generation !== this.generation) return;
        const why = reason || lastError;
        this.down(`socket closed (${code}${why ? ': ' + why : ''})`);
      },
      onError: (error) => {
        if (generation !== this.generation) return;
        lastError = error.message;
        logger.log('warn', 'socket-error', { venue, error: error.message });
      },
    });
  }

  private down(reason: string): void {
    const clock = this.options.transport.clock;
    this.generation++;
    this.socket = null;
    this.open = false;
    this.sendQueue.length = 0;
    for (const t of [this.watchdogTimer, this.keepAliveTimer, this.lifetimeTimer, this.sendTimer]) clock.clearTimeout(t);
    this.sendTimer = null;
    this.options.handlers.onDown(reason);
    if (this.closed) return;
    const delay = this.backoff.next();
    this.options.logger.log('warn', 'reconnect-scheduled', { venue: this.options.venue, reason, delayMs: delay });
    clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = clock.setTimeout(() => {
      this.reconnects++;
      this.connect();
    }, delay);
  }

  private armTimers(generation: number): void {
    const clock = this.options.transport.clock;
    const { staleAfterMs, keepAlive, maxLifetimeMs } = this.options;
    // Half-way through a silence we ping the server ourselves: a quiet but healthy connection
    // answers with a pong, a half-open one does not and is dropped at the full window.
    const half = staleAfterMs / 2;
    let pinged = false;
    const check = (): void => {
      if (generation !== this.generation) return;
      const silent = clock.now() - this.lastFrameAt;
      if (silent >= staleAfterMs) {
        this.options.logger.log('warn', 'stale-feed', { venue: this.options.venue, silentMs: silent });
        this.socket?.close(4000, 'stale feed');
        this.down(`stale feed: nothing received for ${Math.round(silent / 1000)} s`);
        return;
      }
      if (silent >= half && !pinged) {
        pinged = true;
        this.socket?.ping?.();
      } else if (silent < half) {
        pinged = false;
      }
      const next = silent < half ? half - silent : staleAfterMs - silent;
      this.watchdogTimer = clock.setTimeout(check, Math.max(250, next));
    };
    this.watchdogTimer = clock.setTimeout(check, half);
    if (keepAlive) {
      const ping = (): void => {
        if (generation !== this.generation) return;
        this.send(keepAlive.message());
        this.keepAliveTimer = clock.setTimeout(ping, keepAlive.everyMs);
      };
      this.keepAliveTimer = clock.setTimeout(ping, keepAlive.everyMs);
    }
    if (maxLifetimeMs) {
      this.lifetimeTimer = clock.setTimeout(() => {
        if (generation !== this.generation) return;
        this.options.logger.log('info', 'planned-reconnect', { venue: this.options.venue, afterMs: maxLifetimeMs });
        this.restart('connection lifetime limit');
      }, maxLifetimeMs);
    }
  }

  private flushSend(): void {
    const text = this.sendQueue.shift();
    if (text === undefined || !this.socket) {
      this.sendTimer = null;
      return;
    }
    this.socket.send(text);
    this.sendTimer = this.options.transport.clock.setTimeout(() => this.flushSend(), this.options.sendIntervalMs ?? 0);
  }
}
