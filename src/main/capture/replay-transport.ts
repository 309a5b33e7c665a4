import type { HttpResponse, SocketHandlers, Transport, TransportSocket } from '../venues/transport';
import { VirtualClock } from '../venues/transport';

/**
 * A transport that plays a capture back: sockets are bound to recorded connections, frames arrive
 * as the replay reaches them, and snapshot requests are answered with the next recorded `rest` line
 * for the same endpoint and symbol, when the replay reaches it. Time is the recorded time.
 */
export class ReplayTransport implements Transport {
  readonly clock = new VirtualClock();
  private readonly available = new Map<string, HttpResponse[]>();
  private readonly waiting = new Map<string, Array<{ resolve: (r: HttpResponse) => void; reject: (e: Error) => void }>>();
  /** Recorded connections opened but not yet claimed by an adapter's connect(). */
  private readonly unclaimedConns: string[] = [];
  /** Adapter sockets waiting for a recorded connection to open. */
  private readonly unboundSockets: ReplaySocket[] = [];
  private readonly byConn = new Map<string, ReplaySocket>();
  private readonly pendingOpens: ReplaySocket[] = [];
  /**
   * Frames recorded on a connection no adapter socket has claimed yet. In the recording the adapter
   * reconnected at once; in replay its back-off timer may fire after the recorded reopen, so the
   * frames wait here and are delivered, in order, when the adapter's socket claims the connection.
   */
  private readonly heldFrames = new Map<string, Array<{ data: string; ts: number }>>();
  private ended = false;
  /** Frames the adapters sent (ignored by the replay, kept for tests). */
  readonly sent: string[] = [];

  connect(_url: string, handlers: SocketHandlers): TransportSocket {
    const socket = new ReplaySocket(handlers, this.sent);
    const conn = this.unclaimedConns.shift();
    if (conn !== undefined) this.bind(socket, conn);
    else this.unboundSockets.push(socket);
    return socket;
  }

  get(url: string): Promise<HttpResponse> {
    const key = restKey(url);
    const ready = this.available.get(key);
    if (ready && ready.length > 0) return Promise.resolve(ready.shift()!);
    if (this.ended) return Promise.reject(new Error('capture has no further recorded response'));
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(key) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(key, list);
    });
  }

  /** Replay driver: a recorded connection opened. */
  open(conn: string): void {
    const socket = this.unboundSockets.shift();
    if (socket) this.bind(socket, conn);
    else this.unclaimedConns.push(conn);
  }

  /** Replay driver: fire onOpen for sockets bound since the last call, then any frames held for them. */
  flushOpens(): void {
    while (this.pendingOpens.length > 0) {
      const socket = this.pendingOpens.shift()!;
      if (socket.closed) continue;
      socket.handlers.onOpen();
      const held = socket.conn === null ? undefined : this.heldFrames.get(socket.conn);
      if (held) {
        this.heldFrames.delete(socket.conn!);
        for (const f of held) if (!socket.closed) socket.handlers.onMessage(f.data, f.ts);
      }
    }
  }

  /** Deliver a recorded frame; returns false when no socket will ever see it (counted as skipped). */
  recv(conn: string, data: string, ts: number): boolean {
    this.clock.advanceTo(ts);
    this.flushOpens();
    const socket = this.byConn.get(conn);
    if (!socket) {
      if (!this.unclaimedConns.includes(conn)) return false;
      const held = this.heldFrames.get(conn) ?? [];
      if (held.length >= MAX_HELD_FRAMES) return false;
      held.push({ data, ts });
      this.heldFrames.set(conn, held);
      return true;
    }
    if (socket.closed) return false;
    socket.handlers.onMessage(data, ts);
    return true;
  }

  rest(url: string, body: string, ts: number, status = 200): void {
    this.clock.advanceTo(ts);
    const key = restKey(url);
    const response: HttpResponse = { status, body, headers: {} };
    const waiter = this.waiting.get(key)?.shift();
    if (waiter) {
      waiter.resolve(response);
      return;
    }
    const list = this.available.get(key) ?? [];
    list.push(response);
    this.available.set(key, list);
  }

  close(conn: string, ts: number): void {
    this.clock.advanceTo(ts);
    const unclaimed = this.unclaimedConns.indexOf(conn);
    if (unclaimed !== -1) {
      // Closed before any adapter socket claimed it: nobody will see its frames.
      this.unclaimedConns.splice(unclaimed, 1);
      this.heldFrames.delete(conn);
      return;
    }
    const socket = this.byConn.get(conn);
    if (!socket || socket.closed) return;
    socket.closed = true;
    this.byConn.delete(conn);
    socket.handlers.onClose(1006, 'recorded connection closed');
  }

  advance(ts: number): void {
    this.clock.advanceTo(ts);
  }

  /** No more lines: requests still waiting for a response will not get one. */
  end(): void {
    this.ended = true;
    for (const list of this.waiting.values()) {
      for (const w of list) w.reject(new Error('capture ended before a recorded response'));
    }
    this.waiting.clear();
  }

  private bind(socket: ReplaySocket, conn: string): void {
    socket.conn = conn;
    this.byConn.set(conn, socket);
    this.pendingOpens.push(socket);
  }
}

/** Frames held for one unclaimed connection at most (bounded memory for a capture the adapter never reconnects to). */
const MAX_HELD_FRAMES = 200_000;

class ReplaySocket implements TransportSocket {
  closed = false;
  conn: string | null = null;
  constructor(
    readonly handlers: SocketHandlers,
    private readonly sent: string[],
  ) {}
  send(text: string): void {
    this.sent.push(text);
  }
  close(): void {
    this.closed = true;
  }
}

/**
 * Which recorded response answers a request: the same endpoint and the same instrument, whatever the
 * other parameters (an adapter may ask for a different depth than the recording did) and whatever the
 * API version in the path: Binance's `/api/v1/depth` and `/api/v3/depth` (or `/fapi/v1/depth` and
 * `/fapi/v2/depth`) are the same order book snapshot, so a capture recorded against an older version
 * still answers today's adapter.
 */
export function restKey(url: string): string {
  try {
    const u = new URL(url);
    const instrument =
      u.searchParams.get('symbol') ?? u.searchParams.get('instId') ?? u.searchParams.get('product_id') ?? u.searchParams.get('pair') ?? '';
    return `${endpointPath(u.pathname)}?${instrument.toUpperCase()}`;
  } catch {
    return url;
  }
}

/** A URL path with every version segment (v1, v3, ...) replaced by `v*`, so versions of one endpoint compare equal. */
export function endpointPath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => (/^v\d+$/i.test(segment) ? 'v*' : segment))
    .join('/');
}
