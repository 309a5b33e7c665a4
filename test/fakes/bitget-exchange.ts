/**
 * A fake Bitget v2 exchange on 127.0.0.1: the public WebSocket (`/v2/ws/public`: subscribe and
 * unsubscribe with acknowledgements and errors, `books` snapshot then updates carrying the CRC32 of
 * the top 25 levels and an increasing `seq`, `trade` history snapshot then live trades, text `ping`
 * → `pong`) and REST v2 instruments (spot symbols, USDT-futures contracts). The same instrument id,
 * BTCUSDT, is both a spot pair and a perpetual, with different books. Prices come from the synthetic
 * market (the true book). Faults are injected on command.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import type { WebSocket } from 'ws';
import { SyntheticMarket, type DemoSymbolSpec } from '../../src/main/venues/demo/market';
import { FakeExchangeServer, sendJson, type FakeClient } from './fake-exchange-server';

type Level = [string, string];

/** Market keys are `instType/instId`. */
export const BITGET_FAKE_SPECS: DemoSymbolSpec[] = [
  { symbol: 'SPOT/BTCUSDT', base: 'BTC', quote: 'USDT', mid: 64_250, priceDecimals: 2, sizeDecimals: 4, typicalSize: 0.8, density: 0.5, volatilityTicks: 4 },
  { symbol: 'USDT-FUTURES/BTCUSDT', base: 'BTC', quote: 'USDT', mid: 64_281, priceDecimals: 1, sizeDecimals: 3, typicalSize: 3, density: 0.6, volatilityTicks: 3 },
];

export const bitgetKey = (instType: string, instId: string): string => `${instType}/${instId}`;

export interface FakeBitgetOptions {
  stepMs?: number;
  seed?: number;
  /** A live trade on every instrument every this many steps. */
  tradeEverySteps?: number;
}

interface Client extends FakeClient {
  books: Set<string>;
  trades: Set<string>;
}

export interface FakeTrade {
  ts: string;
  price: string;
  size: string;
  side: 'buy' | 'sell';
  tradeId: string;
}

export class FakeBitgetExchange extends FakeExchangeServer<Client> {
  readonly market: SyntheticMarket;
  private readonly seq = new Map<string, number>();
  private readonly rand: () => number;
  private answerTextPings = true;
  private answerProtocolPings = true;
  private readonly dropNext = new Set<string>();
  private readonly corruptNext = new Set<string>();
  private readonly repeatSeqNext = new Set<string>();
  private steps = 0;
  private nextTradeId = 1_116_461_060_594_000;
  pings = 0;
  /** Book subscribe requests per key (a resubscribe shows here). */
  readonly bookSubscribes = new Map<string, number>();
  /** Live trades pushed per key, in order (history sent on subscribe is not listed). */
  readonly liveTrades = new Map<string, FakeTrade[]>();

  constructor(private readonly options: FakeBitgetOptions = {}) {
    super('/v2/ws/public');
    this.market = new SyntheticMarket(BITGET_FAKE_SPECS, options.seed ?? 7);
    let seed = options.seed ?? 7;
    this.rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const s of BITGET_FAKE_SPECS) this.seq.set(s.symbol, 5_000 + Math.floor(this.rand() * 1000));
    this.every(options.stepMs ?? 20, () => this.step());
  }

  /** The true book, best first: what a correct client holds. */
  book(key: string): { bids: Level[]; asks: Level[] } {
    const truth = this.market.trueBook(key)!;
    return { bids: truth.bids, asks: truth.asks };
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** Answer no WebSocket protocol ping (only the text ping then keeps a quiet connection alive). */
  ignoreProtocolPings(ignore = true): void {
    this.answerProtocolPings = !ignore;
  }

  /** Answer no text `ping`. */
  ignoreTextPings(ignore = true): void {
    this.answerTextPings = !ignore;
  }

  /** The next update of `key` that changes the top 25 levels is lost on the way to every client. */
  dropNextTopUpdate(key: string): void {
    this.dropNext.add(key);
  }

  corruptNextChecksum(key: string): void {
    this.corruptNext.add(key);
  }

  /** The next update of `key` repeats the seq of the one before (it does not increase). */
  repeatNextSeq(key: string): void {
    this.repeatSeqNext.add(key);
  }

  // ---- protocol -------------------------------------------------------------------------------

  protected onSocket(ws: WebSocket): void {
    const client: Client = { ws, books: new Set(), trades: new Set(), silent: false };
    this.accept(client, (text) => this.onRequest(client, text), () => this.answerProtocolPings);
  }

  private onRequest(client: Client, text: string): void {
    if (text === 'ping') {
      this.pings++;
      if (this.answerTextPings) this.sendText(client, 'pong');
      return;
    }
    let msg: { op?: string; args?: Array<{ instType?: string; channel?: string; instId?: string }> };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      this.sendText(client, JSON.stringify({ event: 'error', code: 30012, msg: 'Invalid request' }));
      return;
    }
    if ((msg.op !== 'subscribe' && msg.op !== 'unsubscribe') || !Array.isArray(msg.args)) {
      this.sendText(client, JSON.stringify({ event: 'error', code: 30012, msg: `Invalid op ${String(msg.op)}` }));
      return;
    }
    for (const a of msg.args) {
      const arg = { instType: a.instType ?? '', channel: a.channel ?? '', instId: a.instId ?? '' };
      const key = bitgetKey(arg.instType, arg.instId);
      if ((arg.channel !== 'books' && arg.channel !== 'trade') || !this.market.has(key)) {
        this.sendText(client, JSON.stringify({ event: 'error', arg, code: 30001, msg: `instType:${arg.instType},channel:${arg.channel},instId:${arg.instId} doesn't exist`, op: msg.op }));
        continue;
      }
      this.sendText(client, JSON.stringify({ event: msg.op, arg }));
      const channels = arg.channel === 'books' ? client.books : client.trades;
      if (msg.op === 'unsubscribe') {
        channels.delete(key);
        continue;
      }
      channels.add(key);
      if (arg.channel === 'books') {
        this.bookSubscribes.set(key, (this.bookSubscribes.get(key) ?? 0) + 1);
        const truth = this.book(key);
        this.sendText(client, this.bookFrame(arg, 'snapshot', truth.bids, truth.asks, this.seq.get(key)!, this.checksumOf(key)));
      } else {
        // History: three trades from before the subscription, newest first.
        const history = [0, 1, 2].map((i) => this.makeTrade(key, Date.now() - 1000 * (i + 1)));
        this.sendText(client, JSON.stringify({ action: 'snapshot', arg, data: history, ts: Date.now() }));
      }
    }
  }

  private checksumOf(key: string): number {
    const { bids, asks } = this.book(key);
    // Written independently of the adapter: 25 levels per side, interleaved, signed CRC32.
    const parts: string[] = [];
    for (let i = 0; i < 25; i++) {
      if (bids[i]) parts.push(bids[i]![0], bids[i]![1]);
      if (asks[i]) parts.push(asks[i]![0], asks[i]![1]);
    }
    return crc32(parts.join(':')) | 0;
  }

  private argOf(key: string): { instType: string; channel: string; instId: string } {
    const [instType, instId] = key.split('/') as [string, string];
    return { instType, channel: 'books', instId };
  }

  private bookFrame(arg: object, action: 'snapshot' | 'update', bids: Level[], asks: Level[], seq: number, checksum: number): string {
    const ts = String(Date.now());
    return JSON.stringify({ action, arg, data: [{ asks, bids, checksum, seq, ts }], ts: Number(ts) });
  }

  private makeTrade(key: string, ts: number): FakeTrade {
    const truth = this.book(key);
    const side = this.rand() < 0.5 ? 'buy' : 'sell';
    const price = side === 'buy' ? truth.asks[0]![0] : truth.bids[0]![0];
    return { ts: String(ts), price, size: (0.001 + Math.floor(this.rand() * 500) / 1000).toFixed(3), side, tradeId: String(this.nextTradeId++) };
  }

  private step(): void {
    if (this.paused) return;
    this.steps++;
    const now = Date.now();
    // The checksums before this step: an update that changes its key's is one that touches the top 25.
    const before = new Map(BITGET_FAKE_SPECS.map((s) => [s.symbol, this.checksumOf(s.symbol)]));
    for (const frame of this.market.step(now)) {
      const key = frame.symbol;
      const prevSeq = this.seq.get(key)!;
      const seq = this.repeatSeqNext.delete(key) ? prevSeq : prevSeq + 1 + Math.floor(this.rand() * 3);
      this.seq.set(key, seq);
      let checksum = this.checksumOf(key);
      if (this.dropNext.has(key) && checksum !== before.get(key)) {
        this.dropNext.delete(key);
        continue;
      }
      if (this.corruptNext.delete(key)) checksum = (checksum + 1) | 0;
      const depth = frame.depth as { b: Level[]; a: Level[] };
      const arg = this.argOf(key);
      for (const c of this.clients) if (c.books.has(key)) this.sendText(c, this.bookFrame(arg, 'update', depth.b, depth.a, seq, checksum));
    }
    if (this.steps % (this.options.tradeEverySteps ?? 10) !== 0) return;
    for (const spec of BITGET_FAKE_SPECS) {
      const key = spec.symbol;
      const subscribed = [...this.clients].filter((c) => c.trades.has(key));
      if (subscribed.length === 0) continue;
      const trade = this.makeTrade(key, now);
      const list = this.liveTrades.get(key) ?? [];
      list.push(trade);
      this.liveTrades.set(key, list);
      const arg = { ...this.argOf(key), channel: 'trade' };
      for (const c of subscribed) this.sendText(c, JSON.stringify({ action: 'update', arg, data: [trade], ts: now }));
    }
  }

  protected async onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    await this.restDelay();
    if (this.takeRateLimit()) return sendJson(res, 429, { code: '429', msg: 'Too Many Requests', requestTime: Date.now(), data: null });
    if (u.pathname === '/api/v2/spot/public/symbols') {
      return sendJson(res, 200, {
        code: '00000',
        msg: 'success',
        requestTime: Date.now(),
        data: [
          { symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT', pricePrecision: '2', quantityPrecision: '4', status: 'online' },
          { symbol: 'OLDUSDT', baseCoin: 'OLD', quoteCoin: 'USDT', pricePrecision: '5', quantityPrecision: '0', status: 'offline' },
        ],
      });
    }
    if (u.pathname === '/api/v2/mix/market/contracts') {
      if (u.searchParams.get('productType')?.toUpperCase() !== 'USDT-FUTURES') return sendJson(res, 400, { code: '40034', msg: 'Parameter productType error', data: null });
      return sendJson(res, 200, {
        code: '00000',
        msg: 'success',
        requestTime: Date.now(),
        data: [{ symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT', pricePlace: '1', priceEndStep: '1', volumePlace: '3', sizeMultiplier: '0.001', symbolType: 'perpetual', symbolStatus: 'normal' }],
      });
    }
    return sendJson(res, 404, { code: '40404', msg: 'Request URL NOT FOUND', data: null });
  }
}
