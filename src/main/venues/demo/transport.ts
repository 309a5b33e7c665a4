/**
 * An in-process "exchange" for the demo venue: answers the Binance adapter's WebSocket and REST
 * requests from a SyntheticMarket, with the same framing and timing shape as the real venue, so the
 * demo goes through exactly the adapter path live data does.
 */
import { symbolsFromStreamUrl } from '../binance/messages';
import type { HttpResponse, SocketHandlers, Transport, TransportSocket } from '../transport';
import { realClock } from '../transport';
import { DEMO_SYMBOLS, SyntheticMarket, type DemoSymbolSpec, type MarketFrames, type MidFollower } from './market';

export interface DemoOptions {
  /** Milliseconds between depth batches (Binance: 100). */
  intervalMs?: number;
  /** Seconds between bursts and how long each lasts; 0 disables bursts. */
  burstEverySec?: number;
  burstLengthSec?: number;
  /** Batch-size multiplier during a burst. */
  burstIntensity?: number;
  seed?: number;
  /**
   * Messages per second to deliver across all subscribed symbols (benchmarks, soak): the market takes
   * as many steps per tick as it needs to reach this rate (ticks every 10 ms at most). Without it,
   * one step per tick.
   */
  messagesPerSec?: number;
  /** The symbols to list (default: demo's six; demo-b passes DEMO_B_SYMBOLS). */
  symbols?: DemoSymbolSpec[];
  /** A market whose past mids this one follows (demo-b follows demo). */
  follow?: MidFollower;
}

export const DEMO_REST = 'https://demo.invalid';
export const DEMO_WS = 'wss://demo.invalid';

export class DemoTransport implements Transport {
  readonly clock = realClock;
  readonly market: SyntheticMarket;
  private readonly sockets = new Set<DemoSocket>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly startedAt = Date.now();

  constructor(private readonly options: DemoOptions = {}) {
    this.market = new SyntheticMarket(options.symbols ?? DEMO_SYMBOLS, options.seed ?? Date.now() % 100_000, options.follow ?? null);
  }

  connect(url: string, handlers: SocketHandlers): TransportSocket {
    const socket = new DemoSocket(this, handlers, new Set(symbolsFromStreamUrl(url)), new Set(tradeSymbolsFromStreamUrl(url)));
    this.sockets.add(socket);
    setTimeout(() => {
      if (!socket.closed) handlers.onOpen();
    }, 5);
    this.ensureTicking();
    return socket;
  }

  async get(url: string): Promise<HttpResponse> {
    // A little latency, so diffs buffer while the snapshot is "in flight", as they do live.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const u = new URL(url);
    if (u.pathname.endsWith('/exchangeInfo')) return { status: 200, body: this.market.exchangeInfo(), headers: {} };
    if (u.pathname.endsWith('/depth')) {
      const symbol = u.searchParams.get('symbol') ?? '';
      const snap = this.market.snapshot(symbol, Number(u.searchParams.get('limit') ?? 100));
      if (!snap) return { status: 400, body: '{"code":-1121,"msg":"Invalid symbol."}', headers: {} };
      return { status: 200, body: JSON.stringify(snap), headers: {} };
    }
    return { status: 404, body: '{}', headers: {} };
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const s of this.sockets) s.close();
  }

  remove(socket: DemoSocket): void {
    this.sockets.delete(socket);
    if (this.sockets.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** Messages delivered since the transport started (benchmarks read the rate they got). */
  delivered = 0;
  private owed = 0;
  private lastTickAt = 0;

  private ensureTicking(): void {
    if (this.timer) return;
    const rate = this.options.messagesPerSec;
    const interval = rate ? Math.min(this.options.intervalMs ?? 10, 10) : (this.options.intervalMs ?? 100);
    this.lastTickAt = Date.now();
    this.owed = 0;
    this.timer = setInterval(() => (rate ? this.tickAtRate(rate) : this.tick()), interval);
    this.timer.unref?.();
  }

  /** Symbols some socket streams; only these are stepped. */
  private subscribedSymbols(): Set<string> {
    const out = new Set<string>();
    for (const socket of this.sockets) for (const s of socket.symbols) out.add(s);
    return out;
  }

  private tickAtRate(rate: number): void {
    const now = Date.now();
    // Owed messages for the time since the last tick, capped at one second's worth after a stall.
    this.owed = Math.min(rate, this.owed + (rate * (now - this.lastTickAt)) / 1000);
    this.lastTickAt = now;
    const only = this.subscribedSymbols();
    if (only.size === 0) return;
    const intensity = this.intensity(now);
    while (this.owed >= 1) {
      const sent = this.deliver(this.market.step(now, intensity, only));
      if (sent === 0) break;
      this.owed -= sent;
    }
  }

  private intensity(now: number): number {
    const every = this.options.burstEverySec ?? 20;
    if (every <= 0) return 1;
    const length = this.options.burstLengthSec ?? 3;
    const phase = ((now - this.startedAt) / 1000) % every;
    return phase > every - length ? (this.options.burstIntensity ?? 8) : 1;
  }

  private tick(): void {
    const now = Date.now();
    this.deliver(this.market.step(now, this.intensity(now)));
  }

  /** Send frames to the sockets that stream their symbols; returns how many messages went out. */
  private deliver(frames: MarketFrames[]): number {
    let sent = 0;
    for (const socket of this.sockets) {
      for (const f of frames) {
        if (!socket.symbols.has(f.symbol)) continue;
        const s = f.symbol.toLowerCase();
        if (f.bookTicker) {
          socket.deliver(JSON.stringify({ stream: `${s}@bookTicker`, data: f.bookTicker }));
          sent++;
        }
        // Binance sends a print before the diff that takes its size off the book.
        if (socket.tradeSymbols.has(f.symbol)) {
          for (const trade of f.trades) socket.deliver(JSON.stringify({ stream: `${s}@trade`, data: trade }));
          sent += f.trades.length;
        }
        socket.deliver(JSON.stringify({ stream: `${s}@depth@100ms`, data: f.depth }));
        sent++;
      }
    }
    this.delivered += sent;
    return sent;
  }
}

class DemoSocket implements TransportSocket {
  closed = false;
  constructor(
    private readonly owner: DemoTransport,
    private readonly handlers: SocketHandlers,
    readonly symbols: Set<string>,
    /** Symbols whose `@trade` stream this socket asked for. */
    readonly tradeSymbols: Set<string>,
  ) {}

  deliver(text: string): void {
    if (!this.closed) this.handlers.onMessage(text, Date.now());
  }

  send(text: string): void {
    // Live SUBSCRIBE: add the symbols' streams and acknowledge like Binance does.
    try {
      const msg = JSON.parse(text) as { method?: string; params?: string[]; id?: number };
      if (msg.method === 'SUBSCRIBE' && Array.isArray(msg.params)) {
        for (const p of msg.params) {
          const [sym, kind] = p.split('@');
          if (sym && kind === 'depth') this.symbols.add(sym.toUpperCase());
          if (sym && kind === 'trade') this.tradeSymbols.add(sym.toUpperCase());
        }
      }
      setTimeout(() => this.deliver(JSON.stringify({ result: null, id: msg.id ?? null })), 1);
    } catch {
      /* the real venue ignores junk too */
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.remove(this);
    setTimeout(() => this.handlers.onClose(1000, 'closed'), 0);
  }
}

/** Symbols with a `@trade` stream in a combined-stream URL. */
function tradeSymbolsFromStreamUrl(url: string): string[] {
  const streams = new URLSearchParams(url.split('?')[1] ?? '').get('streams') ?? '';
  return streams
    .split('/')
    .filter((name) => name.split('@')[1] === 'trade')
    .map((name) => name.split('@')[0]!.toUpperCase());
}
