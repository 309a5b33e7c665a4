/**
 * A fake Binance spot exchange on 127.0.0.1: combined-stream WebSocket (symbols in the URL and by
 * live SUBSCRIBE; `@depth`, `@bookTicker`, `@trade`) and REST depth/exchangeInfo, fed by the
 * synthetic market, with faults injected on command (sequence gaps, lost trades, trades resent after
 * a reconnect). Tests point an adapter at it through the live transport and check that the adapter's book
 * equals the fake's true book after each fault.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { SyntheticMarket } from '../../src/main/venues/demo/market';
import { FakeExchangeServer, sendJson, type FakeClient } from './fake-exchange-server';

export interface FakeBinanceOptions {
  stepMs?: number;
  seed?: number;
}

interface Client extends FakeClient {
  symbols: Set<string>;
  tradeSymbols: Set<string>;
}

export class FakeBinanceExchange extends FakeExchangeServer<Client> {
  readonly market: SyntheticMarket;
  private staleSnapshotsLeft = 0;
  private staleSnapshotBody: string | null = null;
  snapshotRequests = 0;
  pongs = 0;
  /** The last trade frames sent per symbol, and how many of them a new connection gets again. */
  private readonly recentTrades = new Map<string, string[]>();
  private resendOnConnect = 0;

  constructor(options: FakeBinanceOptions = {}) {
    super();
    this.market = new SyntheticMarket(undefined, options.seed ?? 7);
    this.every(options.stepMs ?? 20, () => this.step());
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** Skip update ids before the next diff. */
  injectGap(ids = 5): void {
    this.market.injectGap(ids);
  }

  /** Skip trade ids before the next print: trades the client never gets. */
  injectTradeGap(ids = 3): void {
    this.market.injectTradeGap(ids);
  }

  /** Every later connection first gets the last `n` trades of its symbols again (duplicates). */
  resendTradesOnConnect(n: number): void {
    this.resendOnConnect = n;
  }

  /** Serve the current snapshot (soon stale) for the next `n` requests. */
  serveStaleSnapshots(n: number): void {
    this.staleSnapshotBody = JSON.stringify(this.market.snapshot(this.market.symbols()[0]!, 1000));
    this.staleSnapshotsLeft = n;
  }

  /** Ping every client as Binance does every 20 s; a client must answer with a pong. */
  pingClients(): void {
    for (const c of this.clients) c.ws.ping('keepalive');
  }

  // ---- protocol -------------------------------------------------------------------------------

  protected onSocket(ws: WebSocket, url: string): void {
    const streams = new URL(url, 'http://x').searchParams.get('streams') ?? '';
    const names = streams.split('/');
    const client: Client = { ws, symbols: new Set(depthSymbols(names)), tradeSymbols: new Set(tradeSymbols(names)), silent: false };
    this.accept(client, (text) => {
      try {
        const msg = JSON.parse(text) as { method?: string; params?: string[]; id?: number };
        if (msg.method !== 'SUBSCRIBE') return;
        for (const symbol of depthSymbols(msg.params ?? [])) client.symbols.add(symbol);
        for (const symbol of tradeSymbols(msg.params ?? [])) client.tradeSymbols.add(symbol);
        this.sendText(client, JSON.stringify({ result: null, id: msg.id }));
      } catch {
        this.sendText(client, JSON.stringify({ error: { code: 2, msg: 'Invalid request' }, id: null }));
      }
    });
    ws.on('pong', () => this.pongs++);
    if (this.resendOnConnect > 0) {
      for (const symbol of client.tradeSymbols) for (const frame of (this.recentTrades.get(symbol) ?? []).slice(-this.resendOnConnect)) this.sendText(client, frame);
    }
  }

  private step(): void {
    if (this.paused) return;
    const frames = this.market.step(Date.now());
    const tradeFrames = new Map<string, string[]>();
    for (const f of frames) {
      const texts = f.trades.map((t) => JSON.stringify({ stream: `${f.symbol.toLowerCase()}@trade`, data: t }));
      tradeFrames.set(f.symbol, texts);
      if (texts.length > 0) this.recentTrades.set(f.symbol, [...(this.recentTrades.get(f.symbol) ?? []), ...texts].slice(-20));
    }
    for (const c of this.clients) {
      for (const f of frames) {
        if (c.tradeSymbols.has(f.symbol)) for (const text of tradeFrames.get(f.symbol)!) this.sendText(c, text);
        if (!c.symbols.has(f.symbol)) continue;
        const s = f.symbol.toLowerCase();
        this.sendText(c, JSON.stringify({ stream: `${s}@depth@100ms`, data: f.depth }));
        if (f.bookTicker) this.sendText(c, JSON.stringify({ stream: `${s}@bookTicker`, data: f.bookTicker }));
      }
    }
  }

  protected async onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    await this.restDelay();
    if (u.pathname === '/api/v3/exchangeInfo') return sendJson(res, 200, this.market.exchangeInfo());
    if (u.pathname !== '/api/v3/depth') return sendJson(res, 404, {});
    this.snapshotRequests++;
    if (this.takeRateLimit()) return sendJson(res, 429, { code: -1003, msg: 'Too many requests' }, { 'retry-after': '1' });
    const symbol = u.searchParams.get('symbol') ?? '';
    if (this.staleSnapshotsLeft > 0 && this.staleSnapshotBody && symbol === this.market.symbols()[0]) {
      this.staleSnapshotsLeft--;
      return sendJson(res, 200, this.staleSnapshotBody);
    }
    const snap = this.market.snapshot(symbol, Number(u.searchParams.get('limit') ?? 100));
    if (!snap) return sendJson(res, 400, { code: -1121, msg: 'Invalid symbol.' });
    sendJson(res, 200, snap);
  }
}

/** Symbols with a trade stream among stream names (`btcusdt@trade`). */
function tradeSymbols(streams: readonly string[]): string[] {
  return streams.filter((s) => s.split('@')[1] === 'trade').map((s) => s.split('@')[0]!.toUpperCase());
}

/** Symbols with a depth stream among stream names (`btcusdt@depth@100ms`). */
function depthSymbols(streams: readonly string[]): string[] {
  return streams.filter((s) => s.split('@')[1] === 'depth').map((s) => s.split('@')[0]!.toUpperCase());
}
