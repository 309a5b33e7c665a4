/** The live transport: `ws` for sockets and `fetch` for REST, against the real venues. */
import WebSocket from 'ws';
import type { HttpResponse, SocketHandlers, Transport, TransportSocket } from './transport';
import { realClock } from './transport';

export interface LiveTransportOptions {
  /** Largest frame accepted; a bigger one closes the socket (1009) and counts as a drop. */
  maxFrameBytes?: number;
  handshakeTimeoutMs?: number;
}

export class LiveTransport implements Transport {
  readonly clock = realClock;
  constructor(private readonly options: LiveTransportOptions = {}) {}

  connect(url: string, handlers: SocketHandlers): TransportSocket {
    const ws = new WebSocket(url, {
      maxPayload: this.options.maxFrameBytes ?? 64 * 1024 * 1024,
      handshakeTimeout: this.options.handshakeTimeoutMs ?? 10_000,
      perMessageDeflate: false,
    });
    let closed = false;
    ws.on('open', () => handlers.onOpen());
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      const receivedAt = Date.now();
      const text = isBinary ? '' : rawToText(data);
      handlers.onMessage(text, receivedAt);
    });
    // ws answers pings with pongs by itself; we only note that the server is alive. A pong
    // answering our own ping proves the same.
    ws.on('ping', () => handlers.onPing?.());
    ws.on('pong', () => handlers.onPing?.());
    ws.on('error', (error: Error) => handlers.onError(error));
    ws.on('close', (code: number, reason: Buffer) => {
      if (closed) return;
      closed = true;
      handlers.onClose(code, reason.toString());
    });
    return {
      send: (text) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(text);
      },
      ping: () => {
        if (ws.readyState === WebSocket.OPEN) ws.ping();
      },
      close: (code = 1000, reason = '') => {
        if (ws.readyState === WebSocket.CONNECTING) {
          ws.terminate();
        } else if (ws.readyState === WebSocket.OPEN) {
          ws.close(code, reason);
          // A half-open peer never answers the close handshake: do not wait for it.
          setTimeout(() => ws.terminate(), 2000).unref();
        }
      },
    };
  }

  get(url: string, options: { timeoutMs?: number } = {}): Promise<HttpResponse> {
    return this.request(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  }

  post(url: string, jsonBody: string, options: { timeoutMs?: number } = {}): Promise<HttpResponse> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: jsonBody,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  }

  private async request(url: string, init: RequestInit): Promise<HttpResponse> {
    const response = await fetch(url, init);
    const body = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    return { status: response.status, body, headers };
  }
}

function rawToText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
