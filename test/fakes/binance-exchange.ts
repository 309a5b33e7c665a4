/**
 * A fake Binance spot exchange on 127.0.0.1: combined-stream WebSocket and REST depth/exchangeInfo,
 * fed by the synthetic market, with faults injected on command. Tests point an adapter at it through
 * the live transport and check that the adapter's book equals the fake's true book after each fault.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { SyntheticMarket } from '../../src/main/venues/demo/market';

export interface FakeBinanceOptions {
  stepMs?: number;
  seed?: number;
}

interface Client {
  ws: WebSocket;
  symbols: Set<string>;
  /** Half-open: the connection stays up but nothing more is sent. */
  silent: boolean;
}

export class FakeBinanceExchange {
  readonly market: SyntheticMarket;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private paused = false;
  /** Fault state. */
  private staleSnapshotsLeft = 0;
  private staleSnapshotBody: string | null = null;
  private rateLimitedLeft = 0;
  private restDelayMs = 0;
  connections = 0;
  snapshotRequests = 0;
  pongs = 0;
  port = 0;

  constructor(private readonly options: FakeBinanceOptions = {}) {
    this.market = new SyntheticMarket(undefined, options.seed ?? 7);
    this.http = createServer((req, res) => void this.onRest(req.url ?? '/', res));
    // Pongs are sent by hand so a half-open connection can stop answering, as a dead link would.
    this.wss = new WebSocketServer({ server: this.http, autoPong: false });
    this.wss.on('connection', (ws, req) => this.onSocket(ws, req.url ?? '/'));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
    this.timer = setInterval(() => this.step(), this.options.stepMs ?? 20);
  }

  get endpoints(): { ws: string; rest: string } {
    return { ws: `ws://127.0.0.1:${this.port}`, rest: `http://127.0.0.1:${this.port}` };
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const c of this.clients) c.ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

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

  /** Keep connections open but stop sending on them. */
  goHalfOpen(): void {
    for (const c of this.clients) c.silent = true;
  }

  /** Skip update ids before the next diff. */
  injectGap(ids = 5): void {
    this.market.injectGap(ids);
  }

  /** Serve the current snapshot (soon stale) for the next `n` requests. */
  serveStaleSnapshots(n: number): void {
    this.staleSnapshotBody = JSON.stringify(this.market.snapshot(this.market.symbols()[0]!, 1000));
    this.staleSnapshotsLeft = n;
  }

  rateLimitNext(n: number): void {
    this.rateLimitedLeft = n;
  }

  slowRest(ms: number): void {
    this.restDelayMs = ms;
  }

  /** Ping every client as Binance does every 20 s; a client must answer with a pong. */
  pingClients(): void {
    for (const c of this.clients) c.ws.ping('keepalive');
  }

  sendRaw(text: string): void {
    for (const c of this.clients) c.ws.send(text);
  }

  // ---- protocol -------------------------------------------------------------------------------

  private onSocket(ws: WebSocket, url: string): void {
    this.connections++;
    const streams = new URL(url, 'http://x').searchParams.get('streams') ?? '';
    const symbols = new Set(
      streams
        .split('/')
        .filter((s) => s.split('@')[1] === 'depth')
        .map((s) => s.split('@')[0]!.toUpperCase()),
    );
    const client: Client = { ws, symbols, silent: false };
    this.clients.add(client);
    ws.on('message', (data) => {
      try {
        const msg = JSON.parse(data.toString()) as { method?: string; params?: string[]; id?: number };
        if (msg.method === 'SUBSCRIBE') {
          for (const p of msg.params ?? []) if (p.split('@')[1] === 'depth') symbols.add(p.split('@')[0]!.toUpperCase());
          ws.send(JSON.stringify({ result: null, id: msg.id }));
        }
      } catch {
        ws.send(JSON.stringify({ error: { code: 2, msg: 'Invalid request' }, id: null }));
      }
    });
    ws.on('pong', () => this.pongs++);
    ws.on('ping', (data) => {
      if (!client.silent) ws.pong(data);
    });
    ws.on('close', () => this.clients.delete(client));
  }

  private step(): void {
    if (this.paused) return;
    const frames = this.market.step(Date.now());
    for (const c of this.clients) {
      if (c.silent || c.ws.readyState !== c.ws.OPEN) continue;
      for (const f of frames) {
        if (!c.symbols.has(f.symbol)) continue;
        const s = f.symbol.toLowerCase();
        c.ws.send(JSON.stringify({ stream: `${s}@depth@100ms`, data: f.depth }));
        if (f.bookTicker) c.ws.send(JSON.stringify({ stream: `${s}@bookTicker`, data: f.bookTicker }));
      }
    }
  }

  private async onRest(url: string, res: ServerResponse): Promise<void> {
    const u = new URL(url, 'http://x');
    if (this.restDelayMs > 0) await new Promise((r) => setTimeout(r, this.restDelayMs));
    const send = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    if (u.pathname === '/api/v3/exchangeInfo') return send(200, this.market.exchangeInfo());
    if (u.pathname === '/api/v3/depth') {
      this.snapshotRequests++;
      if (this.rateLimitedLeft > 0) {
        this.rateLimitedLeft--;
        return send(429, '{"code":-1003,"msg":"Too many requests"}', { 'retry-after': '1' });
      }
      const symbol = u.searchParams.get('symbol') ?? '';
      if (this.staleSnapshotsLeft > 0 && this.staleSnapshotBody && symbol === this.market.symbols()[0]) {
        this.staleSnapshotsLeft--;
        return send(200, this.staleSnapshotBody);
      }
      const snap = this.market.snapshot(symbol, Number(u.searchParams.get('limit') ?? 100));
      if (!snap) return send(400, '{"code":-1121,"msg":"Invalid symbol."}');
      return send(200, JSON.stringify(snap));
    }
    send(404, '{}');
  }
}
