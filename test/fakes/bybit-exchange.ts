/**
 * A fake Bybit v5 exchange on 127.0.0.1 for both categories: the public WebSocket (`/v5/public/spot`,
 * `/v5/public/linear`: subscribe/unsubscribe with acks, `{"op":"ping"}` pongs in each category's shape,
 * `orderbook.{depth}.{symbol}` snapshot then deltas with consecutive `u`) and REST instruments-info
 * (linear paginated by cursor). Prices come from the synthetic market; each topic streams the top
 * `depth` levels exactly as Bybit does: a delta carries every level that changed inside the window,
 * entered it, or left it (size "0"). Faults are injected on command.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { formatScaled } from '../../src/shared/decimal';
import { DEMO_SYMBOLS, SyntheticMarket } from '../../src/main/venues/demo/market';
import { FakeExchangeServer, sendJson, type FakeClient } from './fake-exchange-server';

export type Category = 'spot' | 'linear';
type Level = [string, string];

export interface FakeBybitOptions {
  stepMs?: number;
  seed?: number;
  /** Largest instruments-info page the fake serves (small, so pagination is exercised). */
  pageSize?: number;
}

/** A half-open client gets no data, no pong and no ack either. */
interface Client extends FakeClient {
  category: Category;
  topics: Set<string>;
}

interface TopicState {
  category: Category;
  depth: number;
  symbol: string;
  name: string;
  u: number;
  /** The window the subscribers hold: price → size, as last sent. */
  bids: Map<string, string>;
  asks: Map<string, string>;
  /** Update ids to skip before the next delta (fault: a sequence gap). */
  skip: number;
}

const DEPTHS: Record<Category, number[]> = { spot: [1, 50, 200, 1000], linear: [1, 50, 200, 1000] };

export class FakeBybitExchange extends FakeExchangeServer<Client> {
  readonly markets: Record<Category, SyntheticMarket>;
  private readonly topics = new Map<string, TopicState>();
  private answerPings = true;
  private snapshotsToSwallow = 0;
  pings = 0;
  /** Every subscribe request's args, in arrival order. */
  readonly subscribeRequests: string[][] = [];
  readonly restRequests: string[] = [];

  constructor(private readonly options: FakeBybitOptions = {}) {
    super();
    const seed = options.seed ?? 11;
    this.markets = { spot: new SyntheticMarket(undefined, seed), linear: new SyntheticMarket(undefined, seed + 1) };
    this.every(options.stepMs ?? 20, () => this.step());
  }

  /** The window a subscriber of `orderbook.{depth}.{symbol}` should hold now, best first, and its u. */
  window(category: Category, symbol: string, depth: number): { u: number; bids: Level[]; asks: Level[] } | null {
    const t = this.topics.get(topicKey(category, depth, symbol));
    if (!t) return null;
    return { u: t.u, bids: sorted(t.bids, true), asks: sorted(t.asks, false) };
  }

  /** The market's true top `depth` levels (what the window must equal after every step). */
  trueTop(category: Category, symbol: string, depth: number): { bids: Level[]; asks: Level[] } {
    const snap = this.markets[category].snapshot(symbol, depth)!;
    return { bids: snap.bids, asks: snap.asks };
  }

  openConnections(category?: Category): number {
    return [...this.clients].filter((c) => !category || c.category === category).length;
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** Keep streaming but stop answering `{"op":"ping"}`. */
  ignorePings(ignore = true): void {
    this.answerPings = !ignore;
  }

  /** Skip `n` update ids before the next delta of every topic. */
  injectGap(n = 5): void {
    for (const t of this.topics.values()) t.skip = n;
  }

  /**
   * The market moves without deltas being sent, then every topic gets a new `snapshot` mid-stream
   * (what Bybit does after a problem on its side). A client that merged it like a delta would keep
   * levels the snapshot no longer has.
   */
  snapshotMidStream(): void {
    this.moveSilently();
    for (const t of this.topics.values()) {
      this.refreshWindow(t);
      t.u += 1;
      this.broadcast(t, this.message(t, 'snapshot', sorted(t.bids, true), sorted(t.asks, false)));
    }
  }

  /**
   * A service restart: the market moves unseen, then every topic restarts at `u = 1` with its whole
   * window in a message typed `delta` (the docs call u = 1 snapshot data; the type is the worst case).
   */
  restartService(): void {
    this.moveSilently();
    for (const t of this.topics.values()) {
      this.refreshWindow(t);
      t.u = 1;
      this.broadcast(t, this.message(t, 'delta', sorted(t.bids, true), sorted(t.asks, false)));
    }
  }

  /** A delta with the next u whose level cannot be read (valid JSON, invalid content). */
  sendUnreadableLevel(category: Category, symbol: string, depth: number): void {
    const t = this.topics.get(topicKey(category, depth, symbol));
    if (!t) return;
    t.u += 1;
    this.broadcast(t, this.message(t, 'delta', [['not-a-price', '1']], []));
  }

  /** Acknowledge the next `n` subscriptions but never send their snapshot (nor their deltas). */
  swallowSnapshots(n: number): void {
    this.snapshotsToSwallow = n;
  }

  // ---- WebSocket ------------------------------------------------------------------------------

  protected onSocket(ws: WebSocket, url: string): void {
    const path = new URL(url, 'http://x').pathname;
    const category: Category | null = path === '/v5/public/spot' ? 'spot' : path === '/v5/public/linear' ? 'linear' : null;
    if (!category) {
      ws.close(1008, 'unknown path');
      return;
    }
    const client: Client = { ws, category, topics: new Set(), silent: false };
    this.accept(client, (text) => this.onRequest(client, text));
  }

  private send(client: Client, body: Record<string, unknown>): void {
    this.sendText(client, JSON.stringify(body));
  }

  private onRequest(client: Client, text: string): void {
    let req: { op?: unknown; args?: unknown; req_id?: unknown };
    try {
      req = JSON.parse(text) as typeof req;
    } catch {
      this.send(client, { success: false, ret_msg: 'error:request not json', op: '' });
      return;
    }
    const reqId = typeof req.req_id === 'string' ? req.req_id : '';
    const conn = `fake-${this.port}`;
    if (req.op === 'ping') {
      this.pings++;
      if (!this.answerPings) return;
      // Spot's pong has no req_id; linear's carries it (as documented on the Connect page).
      const pong = client.category === 'spot' ? { success: true, ret_msg: 'pong', conn_id: conn, op: 'ping' } : { success: true, ret_msg: 'pong', conn_id: conn, req_id: reqId, op: 'ping' };
      this.send(client, pong);
      return;
    }
    const args = Array.isArray(req.args) ? req.args.filter((a): a is string => typeof a === 'string') : [];
    if (req.op === 'unsubscribe') {
      for (const a of args) client.topics.delete(a);
      this.send(client, { success: true, ret_msg: '', conn_id: conn, req_id: reqId, op: 'unsubscribe' });
      return;
    }
    if (req.op !== 'subscribe') {
      this.send(client, { success: false, ret_msg: `error:unknown op ${String(req.op)}`, conn_id: conn, req_id: reqId, op: String(req.op) });
      return;
    }
    this.subscribeRequests.push(args);
    if (client.category === 'spot' && args.length > 10) {
      this.send(client, { success: false, ret_msg: 'error:args count exceeds 10', conn_id: conn, req_id: reqId, op: 'subscribe' });
      return;
    }
    const refused: string[] = [];
    const added: TopicState[] = [];
    for (const arg of args) {
      // Trade topics are accepted; this fake prints no trades.
      if (/^publicTrade\.\w+$/.test(arg) && this.markets[client.category].has(arg.slice('publicTrade.'.length))) continue;
      const m = /^orderbook\.(\d+)\.(\w+)$/.exec(arg);
      const depth = Number(m?.[1]);
      const symbol = m?.[2] ?? '';
      if (!m || !DEPTHS[client.category].includes(depth) || !this.markets[client.category].has(symbol)) {
        refused.push(arg);
        continue;
      }
      if (client.topics.has(arg)) {
        refused.push(`already subscribed,topic:${arg}`);
        continue;
      }
      // The topic is brought up to date before this client counts as its subscriber.
      const topic = this.topicFor(client.category, depth, symbol);
      if (this.snapshotsToSwallow > 0) {
        this.snapshotsToSwallow--;
        continue;
      }
      added.push(topic);
      client.topics.add(arg);
    }
    this.send(
      client,
      refused.length > 0
        ? { success: false, ret_msg: `error:handler not found,topic:${refused.join(',')}`, conn_id: conn, req_id: reqId, op: 'subscribe' }
        : { success: true, ret_msg: client.category === 'spot' ? 'subscribe' : '', conn_id: conn, req_id: reqId, op: 'subscribe' },
    );
    for (const t of added) this.send(client, this.message(t, 'snapshot', sorted(t.bids, true), sorted(t.asks, false)));
  }

  private topicFor(category: Category, depth: number, symbol: string): TopicState {
    const key = topicKey(category, depth, symbol);
    let t = this.topics.get(key);
    if (!t) {
      t = { category, depth, symbol, name: `orderbook.${depth}.${symbol}`, u: 5_000_000 + depth, bids: new Map(), asks: new Map(), skip: 0 };
      this.topics.set(key, t);
      this.refreshWindow(t);
    } else if (!this.hasSubscribers(t)) {
      // Nobody listened while the market moved: the window is simply current again.
      if (this.refreshWindow(t)) t.u += 1;
    }
    return t;
  }

  private hasSubscribers(t: TopicState): boolean {
    for (const c of this.clients) if (c.category === t.category && c.topics.has(t.name)) return true;
    return false;
  }

  /** Set the topic's window to the market's top levels; returns the changes (as a Bybit delta would carry them). */
  private refreshWindow(t: TopicState): { bids: Level[]; asks: Level[] } | null {
    const top = this.trueTop(t.category, t.symbol, t.depth);
    const bids = diff(t.bids, top.bids);
    const asks = diff(t.asks, top.asks);
    return bids.length + asks.length > 0 ? { bids, asks } : null;
  }

  private message(t: TopicState, type: 'snapshot' | 'delta', bids: Level[], asks: Level[]): Record<string, unknown> {
    const now = Date.now();
    // Spot puts ts before type, linear after: clients must not depend on key order.
    const data = { s: t.symbol, b: bids, a: asks, u: t.u, seq: now * 10 };
    return t.category === 'spot' ? { topic: t.name, ts: now, type, data, cts: now - 1 } : { topic: t.name, type, ts: now, data, cts: now - 1 };
  }

  private broadcast(t: TopicState, body: Record<string, unknown>): void {
    const text = JSON.stringify(body);
    for (const c of this.clients) {
      if (c.silent || c.category !== t.category || !c.topics.has(t.name) || c.ws.readyState !== c.ws.OPEN) continue;
      c.ws.send(text);
    }
  }

  private moveSilently(): void {
    for (const m of Object.values(this.markets)) for (let i = 0; i < 3; i++) m.step(Date.now());
  }

  private step(): void {
    if (this.paused) return;
    const now = Date.now();
    for (const m of Object.values(this.markets)) m.step(now);
    for (const t of this.topics.values()) {
      if (!this.hasSubscribers(t)) continue;
      const changes = this.refreshWindow(t);
      if (!changes) continue;
      t.u += 1 + t.skip;
      t.skip = 0;
      this.broadcast(t, this.message(t, 'delta', changes.bids, changes.asks));
    }
  }

  // ---- REST -----------------------------------------------------------------------------------

  protected async onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    this.restRequests.push(url);
    const u = new URL(url, 'http://x');
    await this.restDelay();
    if (u.pathname !== '/v5/market/instruments-info') return sendJson(res, 404, { retCode: 10001, retMsg: 'route not found' });
    if (this.takeRateLimit()) {
      return sendJson(res, 429, { retCode: 10018, retMsg: 'Exceeded the IP Rate Limit' }, { 'retry-after': '1' });
    }
    const category = u.searchParams.get('category');
    if (category !== 'spot' && category !== 'linear') return sendJson(res, 200, { retCode: 10001, retMsg: 'params error: category', result: {} });
    const all = this.instruments(category);
    if (category === 'spot') return sendJson(res, 200, { retCode: 0, retMsg: 'OK', result: { category, list: all }, time: Date.now() });
    const pageSize = Math.min(Number(u.searchParams.get('limit') ?? 500), this.options.pageSize ?? 4);
    const offset = Number(Buffer.from(u.searchParams.get('cursor') ?? '', 'base64').toString() || 0);
    const list = all.slice(offset, offset + pageSize);
    const next = offset + pageSize < all.length ? Buffer.from(String(offset + pageSize)).toString('base64') : '';
    sendJson(res, 200, { retCode: 0, retMsg: 'OK', result: { category, list, nextPageCursor: next }, time: Date.now() });
  }

  private instruments(category: Category): Array<Record<string, unknown>> {
    return DEMO_SYMBOLS.map((s) => {
      const tickSize = formatScaled(1, s.priceDecimals);
      const step = s.sizeDecimals === 0 ? '1' : formatScaled(1, s.sizeDecimals);
      return category === 'spot'
        ? { symbol: s.symbol, baseCoin: s.base, quoteCoin: s.quote, status: 'Trading', lotSizeFilter: { basePrecision: step }, priceFilter: { tickSize } }
        : {
            symbol: s.symbol,
            contractType: 'LinearPerpetual',
            status: 'Trading',
            baseCoin: s.base,
            quoteCoin: s.quote,
            priceFilter: { tickSize },
            lotSizeFilter: { qtyStep: step },
          };
    });
  }
}

function topicKey(category: Category, depth: number, symbol: string): string {
  return `${category}|${depth}|${symbol}`;
}

function sorted(side: Map<string, string>, descending: boolean): Level[] {
  return [...side].sort((a, b) => (descending ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])));
}

/** Make `held` equal `target` and return the changes: new or changed levels with their size, removed ones with "0". */
function diff(held: Map<string, string>, target: Level[]): Level[] {
  const changes: Level[] = [];
  const next = new Map(target);
  for (const [price] of held) if (!next.has(price)) changes.push([price, '0']);
  for (const [price, size] of next) if (held.get(price) !== size) changes.push([price, size]);
  held.clear();
  for (const [price, size] of next) held.set(price, size);
  return changes;
}
