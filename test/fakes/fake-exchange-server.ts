/**
 * What every fake exchange shares: one HTTP server on 127.0.0.1 (an ephemeral port) answering REST,
 * with the venue's WebSocket on the same port; the connected clients; timers that run while the fake
 * is started; and the faults any venue can suffer (dropped or half-open connections, slow or rate
 * limited REST). Each fake adds its protocol: what a client's messages get, what REST answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeClient {
  ws: WebSocket;
  /** Half-open: the connection stays up but nothing more is sent (no data, no pong). */
  silent: boolean;
}

export abstract class FakeExchangeServer<C extends FakeClient> {
  protected readonly clients = new Set<C>();
  protected paused = false;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly intervals: Array<{ everyMs: number; run: () => void }> = [];
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private restDelayMs = 0;
  private rateLimitedLeft = 0;
  connections = 0;
  port = 0;

  /** `wsPath`: the one path the WebSocket answers on (e.g. `/v2`), or every path when omitted. */
  constructor(private readonly wsPath = '') {
    this.http = createServer((req, res) => void this.onRest(req, res));
    // Protocol pings are answered by hand (accept) so that a half-open connection can stop answering them, as a dead link would.
    this.wss = new WebSocketServer({ server: this.http, ...(wsPath ? { path: wsPath } : {}), autoPong: false });
    this.wss.on('connection', (ws, req) => this.onSocket(ws, req.url ?? '/'));
  }

  /** A client connected (at `url`); call accept() to keep it. */
  protected abstract onSocket(ws: WebSocket, url: string): void;

  protected abstract onRest(req: IncomingMessage, res: ServerResponse): Promise<void>;

  /** Run `run` every `everyMs` while the fake is started (call from the constructor). */
  protected every(everyMs: number, run: () => void): void {
    this.intervals.push({ everyMs, run });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
    for (const { everyMs, run } of this.intervals) this.timers.push(setInterval(run, everyMs));
  }

  get endpoints(): { ws: string; rest: string } {
    return { ws: `ws://127.0.0.1:${this.port}${this.wsPath}`, rest: `http://127.0.0.1:${this.port}` };
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const c of this.clients) c.ws.terminate();
    this.wss.close();
    // Do not wait for keep-alive or delayed REST connections to wind down.
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Stop moving the market (what else goes on while paused is each venue's own). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** Close every connection abruptly (no close frame). */
  dropConnections(): void {
    for (const c of this.clients) c.ws.terminate();
  }

  /** Keep connections open but send nothing more on them (no data, no pong). */
  goHalfOpen(): void {
    for (const c of this.clients) c.silent = true;
  }

  /** Send this text as it is to every client that is not half-open. */
  sendRaw(text: string): void {
    for (const c of this.clients) this.sendText(c, text);
  }

  /** REST answers come this much later. */
  slowRest(ms: number): void {
    this.restDelayMs = ms;
  }

  /** The next `n` REST requests are rate limited (each fake answers as its venue does). */
  rateLimitNext(n: number): void {
    this.rateLimitedLeft = n;
  }

  // ---- for the fakes --------------------------------------------------------------------------

  /**
   * Count and keep a new client: its messages go to `onMessage`, and its protocol pings are answered
   * while it is not half-open and `answerPing()` allows.
   */
  protected accept(client: C, onMessage: (text: string) => void, answerPing: () => boolean = () => true): void {
    this.connections++;
    this.clients.add(client);
    client.ws.on('message', (data) => onMessage(data.toString()));
    client.ws.on('ping', (data) => {
      if (!client.silent && answerPing()) client.ws.pong(data);
    });
    client.ws.on('close', () => this.clients.delete(client));
  }

  /** Send to one client unless it is half-open or no longer open; says whether it was sent. */
  protected sendText(client: C, text: string): boolean {
    if (client.silent || client.ws.readyState !== client.ws.OPEN) return false;
    client.ws.send(text);
    return true;
  }

  /** Wait out the slow-REST fault, if set. */
  protected async restDelay(): Promise<void> {
    if (this.restDelayMs > 0) await new Promise((r) => setTimeout(r, this.restDelayMs));
  }

  /** Whether this REST request is one of the rate-limited ones (and count it). */
  protected takeRateLimit(): boolean {
    if (this.rateLimitedLeft <= 0) return false;
    this.rateLimitedLeft--;
    return true;
  }
}

/** Answer a REST request with JSON (a string is sent as it is), unless the client already went away. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
