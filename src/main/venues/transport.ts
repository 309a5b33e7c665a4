/**
 * What an adapter is given instead of owning sockets and HTTP itself. Live, it is `ws` and `fetch`;
 * in replay, a capture file; in tests, a fake exchange on 127.0.0.1. The same parsing and sync code
 * runs on all three.
 */

export interface SocketHandlers {
  onOpen(): void;
  /** A text frame, with the local receive time in ms since the epoch. */
  onMessage(text: string, receivedAt: number): void;
  onClose(code: number, reason: string): void;
  onError(error: Error): void;
  /** The server pinged us (the transport answers with a pong itself), or answered our ping. */
  onPing?(): void;
}

export interface TransportSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  /** Send a WebSocket protocol ping; the peer's pong arrives as onPing. Optional (replay has none). */
  ping?(): void;
}

export interface HttpResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Transport {
  readonly clock: Clock;
  connect(url: string, handlers: SocketHandlers): TransportSocket;
  get(url: string, options?: { timeoutMs?: number }): Promise<HttpResponse>;
  /**
   * POST a JSON body (Hyperliquid's `info` endpoint answers nothing else). Optional: only the live
   * transport has it; a venue that needs it says so when it is missing.
   */
  post?(url: string, jsonBody: string, options?: { timeoutMs?: number }): Promise<HttpResponse>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // Feed timers must never keep a CLI or test process alive on their own.
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A clock driven by recorded timestamps: timers fire when replayed time passes them. */
export class VirtualClock implements Clock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Move time forward (never back), firing every timer that falls due, in time order. */
  advanceTo(t: number): void {
    if (!(t > this.time)) return;
    for (;;) {
      let dueId = -1;
      let dueAt = Infinity;
      for (const [id, timer] of this.timers) {
        if (timer.at <= t && timer.at < dueAt) {
          dueAt = timer.at;
          dueId = id;
        }
      }
      if (dueId === -1) break;
      const timer = this.timers.get(dueId)!;
      this.timers.delete(dueId);
      this.time = Math.max(this.time, timer.at);
      timer.fn();
    }
    this.time = t;
  }
}
