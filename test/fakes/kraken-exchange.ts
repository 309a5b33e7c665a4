/**
 * A fake Kraken spot exchange on 127.0.0.1: the WebSocket v2 protocol (`/v2`: subscribe/unsubscribe
 * with acks, `instrument` snapshot with each pair's precision, `book` snapshot then updates at the
 * subscribed depth with correct CRC32 checksums, heartbeats, `ping` → `pong`, a `status` greeting)
 * and REST AssetPairs. Prices come from the synthetic market (the true book); each subscription holds
 * a window of the top `depth` levels and is sent exactly what Kraken sends: levels that changed or
 * entered the window, deletions of levels that left the book, and nothing for levels merely pushed
 * out of range (the client truncates). Prices and quantities are JSON number literals with the
 * instrument's full precision ("64250.0", "0.80000000"). Faults are injected on command.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import type { WebSocket } from 'ws';
import { formatScaled } from '../../src/shared/decimal';
import { SyntheticMarket, type DemoSymbolSpec } from '../../src/main/venues/demo/market';
import { FakeExchangeServer, sendJson, type FakeClient } from './fake-exchange-server';

type Level = [string, string];

export const KRAKEN_FAKE_SPECS: DemoSymbolSpec[] = [
  // One price decimal: integer prices end in ".0", which a float would lose.
  { symbol: 'BTC/USD', base: 'BTC', quote: 'USD', mid: 64_250, priceDecimals: 1, sizeDecimals: 8, typicalSize: 0.8, density: 0.5, volatilityTicks: 4 },
  { symbol: 'ETH/USD', base: 'ETH', quote: 'USD', mid: 3_150, priceDecimals: 2, sizeDecimals: 8, typicalSize: 12, density: 0.6, volatilityTicks: 3 },
];

const DEPTHS = [10, 25, 100, 500, 1000];

export interface FakeKrakenOptions {
  stepMs?: number;
  seed?: number;
  heartbeatMs?: number;
}

interface BookSub {
  symbol: string;
  depth: number;
  /** The window this client holds: price → qty, as last sent. */
  bids: Map<string, string>;
  asks: Map<string, string>;
}

interface Client extends FakeClient {
  books: Map<string, BookSub>;
  trades: Set<string>;
}

/** One print, as the fake keeps it (the trade snapshot on subscribe sends the latest of them). */
interface Print {
  id: number;
  price: string;
  qty: string;
  side: 'buy' | 'sell';
  timestamp: string;
}

/** While paused, heartbeats and pongs go on, as on a quiet Kraken book. */
export class FakeKrakenExchange extends FakeExchangeServer<Client> {
  readonly market: SyntheticMarket;
  /** Every print per symbol, in order (trade ids consecutive unless a test skips some). */
  private readonly prints = new Map<string, Print[]>();
  /** Symbols whose next book update carries a wrong checksum. */
  private readonly corruptNext = new Set<string>();
  private rateLimitInBody = false;
  pings = 0;
  /** Book subscribe requests per symbol (a resubscribe shows here). */
  readonly bookSubscribes = new Map<string, number>();

  constructor(options: FakeKrakenOptions = {}) {
    super('/v2');
    this.market = new SyntheticMarket(KRAKEN_FAKE_SPECS, options.seed ?? 11);
    this.every(options.stepMs ?? 20, () => this.step());
    this.every(options.heartbeatMs ?? 1000, () => this.sendRaw('{"channel":"heartbeat"}'));
  }

  /** The top `depth` levels of the true book, best first: what a correct client holds. */
  view(symbol: string, depth: number): { bids: Level[]; asks: Level[] } {
    const truth = this.market.trueBook(symbol)!;
    return { bids: truth.bids.slice(0, depth), asks: truth.asks.slice(0, depth) };
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** The next book update of `symbol` (to every client) carries a wrong checksum. */
  corruptNextChecksum(symbol: string): void {
    this.corruptNext.add(symbol);
  }

  /** The next `n` REST requests are rate limited: HTTP 429 with Retry-After, or (inBody) Kraken's own 200 + EAPI error. */
  override rateLimitNext(n: number, inBody = false): void {
    super.rateLimitNext(n);
    this.rateLimitInBody = inBody;
  }

  // ---- protocol -------------------------------------------------------------------------------

  protected onSocket(ws: WebSocket): void {
    const client: Client = { ws, books: new Map(), trades: new Set(), silent: false };
    this.accept(client, (text) => this.onRequest(client, text));
    ws.send(JSON.stringify({ channel: 'status', type: 'update', data: [{ api_version: 'v2', connection_id: this.connections, system: 'online', version: '2.0.0' }] }));
  }

  /**
   * Print `n` trades on `symbol` to its trade subscribers, one message each; `skipIds` trade ids are
   * skipped before the first of them (trades a client never gets: a gap it must count).
   */
  printTrades(symbol: string, n: number, skipIds = 0): void {
    const list = this.prints.get(symbol) ?? [];
    this.prints.set(symbol, list);
    let id = (list.at(-1)?.id ?? 1000) + skipIds;
    for (let i = 0; i < n; i++) {
      const print: Print = { id: ++id, price: '45281.0', qty: '0.01000000', side: i % 2 === 0 ? 'buy' : 'sell', timestamp: new Date().toISOString() };
      list.push(print);
      for (const c of this.clients) if (c.trades.has(symbol)) this.sendText(c, this.tradeFrame('update', symbol, [print]));
    }
  }

  /** Connections that subscribe `symbol`'s trades. */
  tradeSubscribers(symbol: string): number {
    return [...this.clients].filter((c) => c.trades.has(symbol)).length;
  }

  /** A v2 trade message; price and qty as number literals with the digits Kraken sends. */
  private tradeFrame(type: 'snapshot' | 'update', symbol: string, prints: readonly Print[]): string {
    const data = prints.map(
      (p) => `{"symbol":"${symbol}","side":"${p.side}","price":${p.price},"qty":${p.qty},"ord_type":"market","trade_id":${p.id},"timestamp":"${p.timestamp}"}`,
    );
    return `{"channel":"trade","type":"${type}","data":[${data.join(',')}]}`;
  }

  private onRequest(client: Client, text: string): void {
    let msg: { method?: string; params?: { channel?: string; symbol?: string[]; depth?: number; snapshot?: boolean }; req_id?: number };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      this.sendText(client, JSON.stringify({ error: 'Malformed request', method: 'unknown', success: false }));
      return;
    }
    const now = new Date().toISOString();
    const reply = (body: Record<string, unknown>): void => {
      this.sendText(client, JSON.stringify({ ...body, req_id: msg.req_id, time_in: now, time_out: new Date().toISOString() }));
    };
    if (msg.method === 'ping') {
      this.pings++;
      reply({ method: 'pong' });
      return;
    }
    const params = msg.params ?? {};
    if (msg.method === 'subscribe' && params.channel === 'instrument') {
      reply({ method: 'subscribe', result: { channel: 'instrument', snapshot: true }, success: true });
      this.sendText(client, this.instrumentSnapshot());
      return;
    }
    if (msg.method === 'subscribe' && params.channel === 'trade') {
      for (const symbol of params.symbol ?? []) {
        if (!this.market.has(symbol)) {
          reply({ method: 'subscribe', error: `Currency pair not supported ${symbol}`, success: false, symbol });
          continue;
        }
        client.trades.add(symbol);
        reply({ method: 'subscribe', result: { channel: 'trade', snapshot: params.snapshot === true, symbol }, success: true });
        // Kraken's trade snapshot: the latest 50 prints, from before this subscription.
        const recent = (this.prints.get(symbol) ?? []).slice(-50);
        if (params.snapshot === true && recent.length > 0) this.sendText(client, this.tradeFrame('snapshot', symbol, recent));
      }
      return;
    }
    if ((msg.method === 'subscribe' || msg.method === 'unsubscribe') && params.channel === 'book') {
      const depth = params.depth ?? 10;
      for (const symbol of params.symbol ?? []) {
        if (!this.market.has(symbol)) {
          reply({ method: msg.method, error: `Currency pair not supported ${symbol}`, success: false, symbol });
          continue;
        }
        if (!DEPTHS.includes(depth)) {
          reply({ method: msg.method, error: 'Invalid depth', success: false, symbol });
          continue;
        }
        if (msg.method === 'unsubscribe') {
          client.books.delete(symbol);
          reply({ method: 'unsubscribe', result: { channel: 'book', depth, symbol }, success: true });
          continue;
        }
        this.bookSubscribes.set(symbol, (this.bookSubscribes.get(symbol) ?? 0) + 1);
        reply({ method: 'subscribe', result: { channel: 'book', depth, snapshot: true, symbol }, success: true });
        const sub: BookSub = { symbol, depth, bids: new Map(), asks: new Map() };
        client.books.set(symbol, sub);
        const view = this.view(symbol, depth);
        for (const [p, q] of view.bids) sub.bids.set(p, q);
        for (const [p, q] of view.asks) sub.asks.set(p, q);
        this.sendText(client, this.bookFrame('snapshot', symbol, view.bids, view.asks, checksum(view.bids, view.asks)));
      }
      return;
    }
    reply({ method: msg.method ?? 'unknown', error: 'Unsupported request', success: false });
  }

  private instrumentSnapshot(): string {
    const pairs = KRAKEN_FAKE_SPECS.map((s) => {
      const tick = formatScaled(1, s.priceDecimals);
      const lot = formatScaled(1, s.sizeDecimals);
      return `{"symbol":"${s.symbol}","base":"${s.base}","quote":"${s.quote}","status":"online","price_precision":${s.priceDecimals},"qty_precision":${s.sizeDecimals},"price_increment":${tick},"qty_increment":${lot},"qty_min":${lot},"marginable":false,"has_index":true}`;
    });
    return `{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[${pairs.join(',')}]}}`;
  }

  /** A book frame written by hand: Kraken's number literals keep trailing zeros, JSON.stringify would not. */
  private bookFrame(type: 'snapshot' | 'update', symbol: string, bids: Level[], asks: Level[], sum: number): string {
    const side = (levels: Level[]): string => `[${levels.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(',')}]`;
    const ts = type === 'update' ? `,"timestamp":"${new Date().toISOString()}"` : '';
    return `{"channel":"book","type":"${type}","data":[{"symbol":"${symbol}","bids":${side(bids)},"asks":${side(asks)},"checksum":${sum}${ts}}]}`;
  }

  private step(): void {
    if (this.paused) return;
    this.market.step(Date.now());
    const views = new Map<string, { bids: Level[]; asks: Level[] }>();
    const corrupted = new Set<string>();
    for (const client of this.clients) {
      for (const sub of client.books.values()) {
        const key = `${sub.symbol}@${sub.depth}`;
        let view = views.get(key);
        if (!view) {
          view = this.view(sub.symbol, sub.depth);
          views.set(key, view);
        }
        const bids = windowChanges(sub.bids, view.bids, sub.symbol, 'bid', this.market);
        const asks = windowChanges(sub.asks, view.asks, sub.symbol, 'ask', this.market);
        if (bids.length === 0 && asks.length === 0) continue;
        let sum = checksum(view.bids, view.asks);
        if (this.corruptNext.has(sub.symbol)) {
          corrupted.add(sub.symbol);
          sum = (sum + 1) >>> 0;
        }
        this.sendText(client, this.bookFrame('update', sub.symbol, bids, asks, sum));
      }
    }
    for (const symbol of corrupted) this.corruptNext.delete(symbol);
  }

  protected async onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    await this.restDelay();
    if (u.pathname !== '/0/public/AssetPairs') return sendJson(res, 404, '{"error":["EGeneral:Unknown method"]}');
    if (this.takeRateLimit()) {
      if (this.rateLimitInBody) return sendJson(res, 200, '{"error":["EAPI:Rate limit exceeded"]}');
      return sendJson(res, 429, '{"error":["EGeneral:Too many requests"]}', { 'retry-after': '1' });
    }
    // Without assetVersion=1 Kraken answers with its legacy names (XBT), as the real API does.
    const v2Names = u.searchParams.get('assetVersion') === '1';
    const result: Record<string, unknown> = {};
    for (const s of KRAKEN_FAKE_SPECS) {
      const base = !v2Names && s.base === 'BTC' ? 'XBT' : s.base;
      result[`${base}${s.quote}`] = {
        altname: `${base}${s.quote}`,
        wsname: `${base}/${s.quote}`,
        base,
        quote: s.quote,
        pair_decimals: s.priceDecimals,
        lot_decimals: s.sizeDecimals,
        tick_size: formatScaled(1, s.priceDecimals),
        ordermin: '0.0001',
        status: 'online',
      };
    }
    sendJson(res, 200, { error: [], result });
  }
}

/**
 * What Kraken sends to move a client's window to `top`: every level of `top` that is new or changed,
 * and a deletion for every level that left the book; a level pushed below the window by better ones
 * is not mentioned (the client's truncation drops it). Updates `held` to the new window.
 */
function windowChanges(held: Map<string, string>, top: Level[], symbol: string, side: 'bid' | 'ask', market: SyntheticMarket): Level[] {
  const out: Level[] = [];
  const next = new Map(top);
  for (const [price, qty] of top) if (held.get(price) !== qty) out.push([price, qty]);
  let stillListed: Set<string> | null = null;
  for (const price of held.keys()) {
    if (next.has(price)) continue;
    if (stillListed === null) {
      const truth = market.trueBook(symbol)!;
      stillListed = new Set((side === 'bid' ? truth.bids : truth.asks).map(([p]) => p));
    }
    if (!stillListed.has(price)) out.push([price, zeroLike(held.get(price)!)]);
  }
  held.clear();
  for (const [p, q] of top) held.set(p, q);
  return out;
}

/** Zero written with the quantity's decimals ("0.00000000"), as Kraken writes a deletion. */
function zeroLike(qty: string): string {
  const dot = qty.indexOf('.');
  return dot === -1 ? '0' : `0.${'0'.repeat(qty.length - dot - 1)}`;
}

/** Kraken's CRC32 (written independently of the adapter's): top 10 asks then top 10 bids, '.' removed, leading zeros stripped. */
function checksum(bids: Level[], asks: Level[]): number {
  const digits = (text: string): string => text.replace('.', '').replace(/^0+/, '');
  let input = '';
  for (const [p, q] of asks.slice(0, 10)) input += digits(p) + digits(q);
  for (const [p, q] of bids.slice(0, 10)) input += digits(p) + digits(q);
  return crc32(input) >>> 0;
}
