import type { CaptureLine } from './format';
import type { HttpResponse, SocketHandlers, Transport, TransportSocket } from '../venues/transport';

export type CaptureSink = (line: CaptureLine) => void;

/** Fields of an outgoing frame that carry credentials (Coinbase key/passphrase/signature, JWTs). */
const SECRET_FIELDS = new Set(['key', 'passphrase', 'signature', 'secret', 'jwt', 'apiKey', 'api_key', 'sign', 'token']);

/**
 * A sent frame as it may be written to disk: any credential field replaced with "[redacted]", at any
 * depth. A capture is a file users share; it must never carry their API keys.
 */
export function redactSent(text: string): string {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return text;
  }
  let changed = false;
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) {
        if (SECRET_FIELDS.has(k) && typeof v === 'string') {
          out[k] = '[redacted]';
          changed = true;
        } else {
          out[k] = walk(v);
        }
      }
      return out;
    }
    return x;
  };
  const redacted = walk(msg);
  return changed ? JSON.stringify(redacted) : text;
}

/**
 * Wraps a transport and writes everything that crosses it in the capture format: each socket's open
 * URL, every frame sent and received exactly as text, closes, and every REST response. Replaying the
 * result drives the same adapter to the same books.
 */
export class RecordingTransport implements Transport {
  readonly clock: Transport['clock'];
  private nextConn = 1;
  /** What became of the connections, so a recording that received nothing can say why. */
  readonly connections = { attempted: 0, opened: 0, failed: 0, lastError: null as string | null };

  constructor(
    private readonly inner: Transport,
    private readonly venue: string,
    private readonly sink: CaptureSink,
  ) {
    this.clock = inner.clock;
  }

  connect(url: string, handlers: SocketHandlers): TransportSocket {
    const conn = `c${this.nextConn++}`;
    const venue = this.venue;
    this.sink({ ts: this.clock.now(), conn, venue, kind: 'open', url });
    const connections = this.connections;
    connections.attempted++;
    let opened = false;
    const socket = this.inner.connect(url, {
      onOpen: () => {
        opened = true;
        connections.opened++;
        handlers.onOpen();
      },
      onMessage: (text, receivedAt) => {
        this.sink({ ts: receivedAt, conn, venue, kind: 'recv', data: text });
        handlers.onMessage(text, receivedAt);
      },
      onPing: () => handlers.onPing?.(),
      onClose: (code, reason) => {
        this.sink({ ts: this.clock.now(), conn, venue, kind: 'close', data: `${code} ${reason}`.trim() });
        handlers.onClose(code, reason);
      },
      onError: (error) => {
        // An error before the socket opened is a failed connection (refused, unresolvable, TLS...).
        if (!opened) connections.failed++;
        connections.lastError = error.message;
        handlers.onError(error);
      },
    });
    return {
      send: (text) => {
        this.sink({ ts: this.clock.now(), conn, venue, kind: 'send', data: redactSent(text) });
        socket.send(text);
      },
      close: (code, reason) => socket.close(code, reason),
    };
  }

  async get(url: string, options?: { timeoutMs?: number }): Promise<HttpResponse> {
    const response = await this.inner.get(url, options);
    const line: CaptureLine = { ts: this.clock.now(), conn: 'rest', venue: this.venue, kind: 'rest', url, data: response.body };
    if (response.status !== 200) line.status = response.status;
    this.sink(line);
    return response;
  }
}
