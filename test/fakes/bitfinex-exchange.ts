/**
 * A fake Bitfinex v2 exchange on 127.0.0.1: the public WebSocket (`/ws/2`: an `info` greeting, `conf`
 * flags, subscribe/unsubscribe of `book` and `trades` with `subscribed` events and channel ids, book
 * snapshot then one message per changed level, `cs` checksums, `te` then `tu` trades, heartbeats, and
 * with SEQ_ALL the connection's sequence number on every channel message) and the REST pair list.
 * Prices come from the synthetic market (the true book); each book subscription holds the top `len`
 * levels of it and is sent what Bitfinex sends: levels that changed or entered that window, and a
 * delete (count 0) for levels that left it. Numbers are written as JavaScript prints them, as
 * Bitfinex does (`8.5e-7`). Faults are injected on command.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import type { WebSocket } from 'ws';
import { canonicalDecimal } from '../../src/shared/decimal';
import { SyntheticMarket, type DemoSymbolSpec } from '../../src/main/venues/demo/market';
import { FakeExchangeServer, sendJson, type FakeClient } from './fake-exchange-server';

type Level = [string, string];

export const BITFINEX_FAKE_SPECS: DemoSymbolSpec[] = [
  { symbol: 'BTCUSD', base: 'BTC', quote: 'USD', mid: 64_250, priceDecimals: 1, sizeDecimals: 8, typicalSize: 0.8, density: 0.5, volatilityTicks: 4 },
  // Prices below 1e-6: on the wire as exponents (8.5e-7), as JavaScript prints them.
  { symbol: 'SHIB:USD', base: 'SHIB', quote: 'USD', mid: 0.00000085, priceDecimals: 10, sizeDecimals: 0, typicalSize: 2_000_000, density: 0.7, volatilityTicks: 2 },
];

const FLAG_SEQ_ALL = 65536;
const FLAG_OB_CHECKSUM = 131072;

export interface FakeBitfinexOptions {
  stepMs?: number;
  seed?: number;
  /** Every channel gets a heartbeat this often. */
  heartbeatMs?: number;
}

interface BookSub {
  kind: 'book';
  chanId: number;
  symbol: string;
  len: number;
  /** The window this client holds: price → amount text (negative for asks), as last sent. */
  held: Map<string, string>;
}

interface TradesSub {
  kind: 'trades';
  chanId: number;
  symbol: string;
}

interface Client extends FakeClient {
  flags: number;
  seq: number;
  subs: Map<number, BookSub | TradesSub>;
}

interface FakeTrade {
  id: number;
  mts: number;
  amount: string;
  price: string;
}

/** A number as JavaScript writes it (what Bitfinex puts on the wire). */
const js = (text: string): string => String(Number(text));

/** While paused the market stands still; heartbeats go on, as on a quiet Bitfinex channel. */
export class FakeBitfinexExchange extends FakeExchangeServer<Client> {
  readonly market: SyntheticMarket;
  private nextChanId = 17_000;
  private nextTradeId = 600_000_000;
  private readonly recentTrades = new Map<string, FakeTrade[]>();
  private dropNextMessage = false;
  private repeatNextSeq = false;
  private readonly corruptNext = new Set<string>();
  /** `te` trades sent per symbol, in order (what a client's tape must hold). */
  readonly tradesSent = new Map<string, FakeTrade[]>();
  /** Book subscribe requests per symbol (a resubscribe shows here). */
  readonly bookSubscribes = new Map<string, number>();
  /** conf requests received, with their flags. */
  readonly confs: number[] = [];

  constructor(options: FakeBitfinexOptions = {}) {
    super('/ws/2');
    this.market = new SyntheticMarket(BITFINEX_FAKE_SPECS, options.seed ?? 21);
    this.every(options.stepMs ?? 20, () => this.step());
    this.every(options.heartbeatMs ?? 15_000, () => this.heartbeats());
  }

  /** The top `len` levels of the true book, best first, as canonical decimals: what a correct client holds. */
  view(symbol: string, len: number): { bids: Level[]; asks: Level[] } {
    const truth = this.market.trueBook(pairOf(symbol))!;
    const canonical = (levels: Level[]): Level[] => levels.slice(0, len).map(([p, s]) => [canonicalDecimal(p), canonicalDecimal(s)]);
    return { bids: canonical(truth.bids), asks: canonical(truth.asks) };
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** The next channel message to every client is lost: its sequence number is used, the message never sent. */
  loseNextMessage(): void {
    this.dropNextMessage = true;
  }

  /** The next channel message repeats the previous sequence number (the sequence goes back). */
  repeatSequence(): void {
    this.repeatNextSeq = true;
  }

  /** The next checksum of `symbol`'s book is wrong. */
  corruptNextChecksum(symbol: string): void {
    this.corruptNext.add(symbol);
  }

  /** Bitfinex's "stop/restart websocket server, please reconnect" notice. */
  announceRestart(): void {
    this.sendRaw(JSON.stringify({ event: 'info', code: 20051, msg: 'Stopping. Please try to reconnect' }));
  }

  // ---- protocol -------------------------------------------------------------------------------

  protected onSocket(ws: WebSocket): void {
    const client: Client = { ws, silent: false, flags: 0, seq: 0, subs: new Map() };
    this.accept(client, (text) => this.onRequest(client, text));
    this.sendText(client, JSON.stringify({ event: 'info', version: 2, serverId: 'fake', platform: { status: 1 } }));
  }

  private onRequest(client: Client, text: string): void {
    let msg: { event?: string; flags?: number; channel?: string; symbol?: string; len?: string; chanId?: number };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      this.sendText(client, JSON.stringify({ event: 'error', msg: 'invalid', code: 10000 }));
      return;
    }
    if (msg.event === 'conf') {
      client.flags = msg.flags ?? 0;
      this.confs.push(client.flags);
      this.sendText(client, JSON.stringify({ event: 'conf', status: 'OK', flags: client.flags }));
      return;
    }
    if (msg.event === 'unsubscribe') {
      const sub = client.subs.get(msg.chanId ?? -1);
      if (!sub) return void this.sendText(client, JSON.stringify({ event: 'error', msg: 'unsubscribe: invalid', code: 10400 }));
      client.subs.delete(sub.chanId);
      this.sendText(client, JSON.stringify({ event: 'unsubscribed', status: 'OK', chanId: sub.chanId }));
      return;
    }
    if (msg.event !== 'subscribe') return;
    const symbol = msg.symbol ?? '';
    const channel = msg.channel ?? '';
    if ((channel !== 'book' && channel !== 'trades') || !symbol.startsWith('t') || !this.market.has(pairOf(symbol))) {
      this.sendText(client, JSON.stringify({ event: 'error', msg: 'symbol: invalid', code: 10300, channel, symbol }));
      return;
    }
    if ([...client.subs.values()].some((s) => s.kind === channel && s.symbol === symbol)) {
      this.sendText(client, JSON.stringify({ event: 'error', msg: 'subscribe: dup', code: 10301, channel, symbol }));
      return;
    }
    const chanId = this.nextChanId++;
    const pair = pairOf(symbol);
    if (channel === 'trades') {
      client.subs.set(chanId, { kind: 'trades', chanId, symbol });
      this.sendText(client, JSON.stringify({ event: 'subscribed', channel, chanId, symbol, pair }));
      const history = (this.recentTrades.get(symbol) ?? []).slice(-5).reverse();
      this.sendChannel(client, chanId, `[${history.map(tradeEntry).join(',')}]`);
      return;
    }
    const len = Number(msg.len ?? '25');
    this.bookSubscribes.set(symbol, (this.bookSubscribes.get(symbol) ?? 0) + 1);
    const sub: BookSub = { kind: 'book', chanId, symbol, len, held: new Map() };
    client.subs.set(chanId, sub);
    this.sendText(client, JSON.stringify({ event: 'subscribed', channel, chanId, symbol, prec: 'P0', freq: 'F0', len: String(len), pair }));
    const view = this.view(symbol, len);
    const entries: string[] = [];
    for (const [p, s] of view.bids) {
      sub.held.set(p, s);
      entries.push(bookEntry(p, s));
    }
    for (const [p, s] of view.asks) {
      sub.held.set(p, `-${s}`);
      entries.push(bookEntry(p, `-${s}`));
    }
    this.sendChannel(client, chanId, `[${entries.join(',')}]`);
    this.sendChecksum(client, sub);
  }

  /** Send `[chanId, body]` (or `[chanId, "tag", body]`), with the next sequence number when the client asked. */
  private sendChannel(client: Client, chanId: number, body: string, tag?: string): void {
    if (this.repeatNextSeq && client.seq > 0) this.repeatNextSeq = false;
    else client.seq++;
    if (this.dropNextMessage) {
      this.dropNextMessage = false;
      return;
    }
    const seq = client.flags & FLAG_SEQ_ALL ? `,${client.seq}` : '';
    this.sendText(client, tag === undefined ? `[${chanId},${body}${seq}]` : `[${chanId},"${tag}"${body === '' ? '' : `,${body}`}${seq}]`);
  }

  /** Checksum of what this subscription holds, computed from the held window (independently of the adapter). */
  private sendChecksum(client: Client, sub: BookSub): void {
    if (!(client.flags & FLAG_OB_CHECKSUM)) return;
    const bids = [...sub.held].filter(([, a]) => !a.startsWith('-')).sort((x, y) => Number(y[0]) - Number(x[0]));
    const asks = [...sub.held].filter(([, a]) => a.startsWith('-')).sort((x, y) => Number(x[0]) - Number(y[0]));
    const parts: string[] = [];
    for (let i = 0; i < 25; i++) {
      if (bids[i]) parts.push(bids[i]![0], js(bids[i]![1]));
      if (asks[i]) parts.push(asks[i]![0], js(asks[i]![1]));
    }
    let checksum = crc32(parts.join(':')) | 0;
    if (this.corruptNext.delete(sub.symbol)) checksum = (checksum + 1) | 0;
    this.sendChannel(client, sub.chanId, String(checksum), 'cs');
  }

  private heartbeats(): void {
    for (const c of this.clients) for (const chanId of c.subs.keys()) this.sendChannel(c, chanId, '', 'hb');
  }

  private step(): void {
    if (this.paused) return;
    const now = Date.now();
    for (const frame of this.market.step(now)) {
      const symbol = `t${frame.symbol}`;
      for (const c of this.clients) {
        for (const sub of c.subs.values()) if (sub.kind === 'book' && sub.symbol === symbol) this.sendBookChanges(c, sub);
      }
      this.maybeTrade(symbol, now);
    }
  }

  /** Bring a subscription's window up to the true book, one message per level. */
  private sendBookChanges(client: Client, sub: BookSub): void {
    const view = this.view(sub.symbol, sub.len);
    const wanted = new Map<string, string>([...view.bids.map(([p, s]): Level => [p, s]), ...view.asks.map(([p, s]): Level => [p, `-${s}`])]);
    let changed = false;
    for (const [price, amount] of sub.held) {
      if (wanted.has(price) && wanted.get(price)!.startsWith('-') === amount.startsWith('-')) continue;
      sub.held.delete(price);
      this.sendChannel(client, sub.chanId, `[${js(price)},0,${amount.startsWith('-') ? -1 : 1}]`);
      changed = true;
    }
    for (const [price, amount] of wanted) {
      if (sub.held.get(price) === amount) continue;
      sub.held.set(price, amount);
      this.sendChannel(client, sub.chanId, bookEntry(price, amount));
      changed = true;
    }
    if (changed) this.sendChecksum(client, sub);
  }

  /** Now and then a trade at the touch: `te` at once, `tu` right after, as Bitfinex does. */
  private maybeTrade(symbol: string, now: number): void {
    if (Math.random() > 0.3) return;
    const view = this.view(symbol, 1);
    const buy = Math.random() < 0.5;
    const level = buy ? view.asks[0] : view.bids[0];
    if (!level) return;
    const size = canonicalDecimal(String(Math.max(1e-8, Number(level[1]) / 10).toFixed(8)));
    const trade: FakeTrade = { id: this.nextTradeId++, mts: now, amount: buy ? size : `-${size}`, price: level[0] };
    const recent = this.recentTrades.get(symbol) ?? [];
    recent.push(trade);
    if (recent.length > 30) recent.shift();
    this.recentTrades.set(symbol, recent);
    let sent = false;
    for (const c of this.clients) {
      for (const sub of c.subs.values()) {
        if (sub.kind !== 'trades' || sub.symbol !== symbol) continue;
        this.sendChannel(c, sub.chanId, tradeEntry(trade), 'te');
        this.sendChannel(c, sub.chanId, tradeEntry(trade), 'tu');
        sent = true;
      }
    }
    if (sent) this.tradesSent.set(symbol, [...(this.tradesSent.get(symbol) ?? []), trade]);
  }

  protected async onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    await this.restDelay();
    if (this.takeRateLimit()) return sendJson(res, 429, ['error', 11010, 'ratelimit: error']);
    if (u.pathname !== '/v2/conf/pub:list:pair:exchange') return sendJson(res, 404, ['error', 10020, 'not found']);
    return sendJson(res, 200, [BITFINEX_FAKE_SPECS.map((s) => s.symbol)]);
  }
}

/** The market's name of a Bitfinex trading symbol (`tBTCUSD` → `BTCUSD`). */
function pairOf(symbol: string): string {
  return symbol.startsWith('t') ? symbol.slice(1) : symbol;
}

function bookEntry(price: string, amount: string): string {
  // Count: how many orders rest at the level; any positive number will do for a P0 book.
  return `[${js(price)},${1 + (price.length % 3)},${js(amount)}]`;
}

function tradeEntry(t: FakeTrade): string {
  return `[${t.id},${t.mts},${js(t.amount)},${js(t.price)}]`;
}
