import type { CaptureLine } from './format';
import type { HttpResponse, SocketHandlers, Transport, TransportSocket } from '../venues/transport';

export type CaptureSink = (line: CaptureLine) => void;

/**
 * Wraps a transport and writes everything that crosses it in the capture format: each socket's open
 * URL, every frame sent and received exactly as text, closes, and every REST response. Replaying the
 * result drives the same adapter to the same books.
 */
export class RecordingTransport implements Transport {
  readonly clock: Transport['clock'];
  private nextConn = 1;

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
    const socket = this.inner.connect(url, {
      onOpen: () => handlers.onOpen(),
      onMessage: (text, receivedAt) => {
        this.sink({ ts: receivedAt, conn, venue, kind: 'recv', data: text });
        handlers.onMessage(text, receivedAt);
      },
      onPing: () => handlers.onPing?.(),
      onClose: (code, reason) => {
        this.sink({ ts: this.clock.now(), conn, venue, kind: 'close', data: `${code} ${reason}`.trim() });
        handlers.onClose(code, reason);
      },
      onError: (error) => handlers.onError(error),
    });
    return {
      send: (text) => {
        this.sink({ ts: this.clock.now(), conn, venue, kind: 'send', data: text });
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
