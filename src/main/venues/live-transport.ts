/**
 * The live transport: `ws` for sockets and `fetch` for REST, against the real venues. Through a
 * proxy, both go over the proxy's agent (REST then uses node:http/https, which take an agent).
 */
import WebSocket from 'ws';
import { sendHttpRequest } from '../net/http-request';
import type { ProxyRoute } from '../net/proxy-route';
import type { HttpResponse, SocketHandlers, Transport, TransportSocket } from './transport';
import { realClock } from './transport';

export interface LiveTransportOptions {
  /** Largest frame accepted; a bigger one closes the socket (1009) and counts as a drop. */
  maxFrameBytes?: number;
  handshakeTimeoutMs?: number;
  /** Send sockets and REST through this proxy (src/main/net); none: connect directly. */
  proxy?: ProxyRoute | null;
}

export class LiveTransport implements Transport {
  readonly clock = realClock;
  constructor(private readonly options: LiveTransportOptions = {}) {}

  connect(url: string, handlers: SocketHandlers): TransportSocket {
    const proxy = this.options.proxy ?? null;
    const agent = proxy?.agentFor(url);
    const ws = new WebSocket(url, {
      maxPayload: this.options.maxFrameBytes ?? 64 * 1024 * 1024,
      handshakeTimeout: this.options.handshakeTimeoutMs ?? 10_000,
      perMessageDeflate: false,
      ...(agent ? { agent } : {}),
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
    // Through a proxy, an error says whether the proxy failed (refused, unreachable) or the venue did.
    ws.on('error', (error: Error) => handlers.onError(agent && proxy ? proxy.explain(error, url) : error));
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

  private request(url: string, init: RequestInit): Promise<HttpResponse> {
    return sendHttpRequest(url, init, this.options.proxy ?? null);
  }
}

function rawToText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
