/**
 * A fake OKX v5 exchange on 127.0.0.1: the public WebSocket (`/ws/v5/public`: subscribe/unsubscribe
 * with acks and errors, book snapshot then updates with `prevSeqId`/`seqId` per instrument, the
 * no-change keep-alive, the legacy checksum or the post-2026 checksum 0, text `ping` → `pong`) and
 * REST instruments (SPOT, SWAP, FUTURES, OPTION by underlying). Prices come from the synthetic market
 * (the true book); sizes are strings as OKX sends them. Faults are injected on command.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import type { WebSocket } from 'ws';
import { formatScaled } from '../../src/shared/decimal';
import { SyntheticMarket, type DemoSymbolSpec } from '../../src/main/venues/demo/market';
import { FakeExchangeServer, sendJson, type FakeClient } from './fake-exchange-server';

type Level = [string, string];

export const OKX_FAKE_SPECS: DemoSymbolSpec[] = [
  { symbol: 'BTC-USDT', base: 'BTC', quote: 'USDT', mid: 64_250, priceDecimals: 1, sizeDecimals: 8, typicalSize: 0.8, density: 0.5, volatilityTicks: 4 },
  // Derivative sizes are whole contracts.
  { symbol: 'ETH-USDT-SWAP', base: 'ETH', quote: 'USDT', mid: 3_150, priceDecimals: 2, sizeDecimals: 0, typicalSize: 40, density: 0.6, volatilityTicks: 3 },
];

const BOOK_CHANNELS = new Set(['books', 'books-l2-tbt', 'books50-l2-tbt']);

export interface FakeOkxOptions {
  stepMs?: number;
  seed?: number;
  /** 'legacy': real CRC32 of the top 25 levels (older feeds); 'zero': the post-2026 deprecated field. */
  checksum?: 'legacy' | 'zero';
  /** An instrument without changes for this long gets a keep-alive update (OKX: about 60 s). */
  keepAliveMs?: number;
}

interface Client extends FakeClient {
  /** instId → channel it was subscribed on. */
  books: Map<string, string>;
}

interface InstState {
  seqId: number;
  lastPushAt: number;
}

/** While paused, keep-alive updates still go out after keepAliveMs. */
export class FakeOkxExchange extends FakeExchangeServer<Client> {
  readonly market: SyntheticMarket;
  private readonly inst = new Map<string, InstState>();
  private readonly rand: () => number;
  private answerProtocolPings = true;
  private readonly dropNext = new Set<string>();
  private readonly resetNext = new Set<string>();
  private readonly corruptNext = new Set<string>();
  /** Text pings received. */
  pings = 0;
  keepAlivesSent = 0;
  /** Book subscribe requests per instrument (a resubscribe shows here). */
  readonly bookSubscribes = new Map<string, number>();

  constructor(private readonly options: FakeOkxOptions = {}) {
    super('/ws/v5/public');
    this.market = new SyntheticMarket(OKX_FAKE_SPECS, options.seed ?? 5);
    let seed = options.seed ?? 5;
    this.rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const s of OKX_FAKE_SPECS) this.inst.set(s.symbol, { seqId: 1000 + Math.floor(this.rand() * 1000), lastPushAt: Date.now() });
    this.every(options.stepMs ?? 20, () => this.step());
  }

  /** The true book, best first: what a correct client holds. */
  book(instId: string): { bids: Level[]; asks: Level[] } {
    const truth = this.market.trueBook(instId)!;
    return { bids: truth.bids, asks: truth.asks };
  }

  seqId(instId: string): number {
    return this.inst.get(instId)!.seqId;
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** Stop answering WebSocket protocol pings (only the text `ping` keeps a quiet connection alive). */
  ignoreProtocolPings(ignore = true): void {
    this.answerProtocolPings = !ignore;
  }

  /** The next update of `instId` is lost on the way to every client: the one after it does not chain. */
  dropNextUpdate(instId: string): void {
    this.dropNext.add(instId);
  }

  /** The next update of `instId` restarts its sequence lower (seqId < prevSeqId), as after maintenance. */
  resetSequence(instId: string): void {
    this.resetNext.add(instId);
  }

  corruptNextChecksum(instId: string): void {
    this.corruptNext.add(instId);
  }

  // ---- protocol -------------------------------------------------------------------------------

  protected onSocket(ws: WebSocket): void {
    const client: Client = { ws, books: new Map(), silent: false };
    this.accept(client, (text) => this.onRequest(client, text), () => this.answerProtocolPings);
  }

  private onRequest(client: Client, text: string): void {
    if (text === 'ping') {
      this.pings++;
      this.sendText(client, 'pong');
      return;
    }
    const connId = `c${this.connections}`;
    let msg: { id?: string; op?: string; args?: Array<{ channel?: string; instId?: string }> };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      this.sendText(client, JSON.stringify({ event: 'error', code: '60012', msg: `Invalid request: ${text.slice(0, 50)}`, connId }));
      return;
    }
    if ((msg.op !== 'subscribe' && msg.op !== 'unsubscribe') || !Array.isArray(msg.args)) {
      this.sendText(client, JSON.stringify({ id: msg.id, event: 'error', code: '60012', msg: `Invalid request: ${text.slice(0, 50)}`, connId }));
      return;
    }
    for (const arg of msg.args) {
      const channel = arg.channel ?? '';
      const instId = arg.instId ?? '';
      if (channel === 'trades' && this.market.has(instId)) {
        // Trades are acknowledged; this fake prints none.
        this.sendText(client, JSON.stringify({ id: msg.id, event: msg.op, arg: { channel, instId }, connId }));
        continue;
      }
      if (!BOOK_CHANNELS.has(channel) || !this.market.has(instId)) {
        this.sendText(client, JSON.stringify({ id: msg.id, event: 'error', code: '60018', msg: `Wrong URL or channel:${channel},instId:${instId} doesn't exist.`, connId }));
        continue;
      }
      this.sendText(client, JSON.stringify({ id: msg.id, event: msg.op, arg: { channel, instId }, connId }));
      if (msg.op === 'unsubscribe') {
        client.books.delete(instId);
        continue;
      }
      this.bookSubscribes.set(instId, (this.bookSubscribes.get(instId) ?? 0) + 1);
      client.books.set(instId, channel);
      const truth = this.book(instId);
      this.sendText(client, this.bookFrame(channel, instId, 'snapshot', truth.bids, truth.asks, -1, this.seqId(instId), this.checksumOf(instId)));
    }
  }

  private checksumOf(instId: string): number {
    if (this.options.checksum === 'zero') return 0;
    const { bids, asks } = this.book(instId);
    // Written independently of the adapter: 25 levels per side, interleaved, signed CRC32.
    const parts: string[] = [];
    for (let i = 0; i < 25; i++) {
      if (bids[i]) parts.push(bids[i]![0], bids[i]![1]);
      if (asks[i]) parts.push(asks[i]![0], asks[i]![1]);
    }
    return crc32(parts.join(':')) | 0;
  }

  private bookFrame(channel: string, instId: string, action: 'snapshot' | 'update', bids: Level[], asks: Level[], prevSeqId: number, seqId: number, checksum: number): string {
    const wire = (levels: Level[]) => levels.map(([p, s]) => [p, s, '0', Number(s) === 0 ? '0' : '1']);
    return JSON.stringify({
      arg: { channel, instId },
      action,
      data: [{ asks: wire(asks), bids: wire(bids), ts: String(Date.now()), checksum, prevSeqId, seqId }],
    });
  }

  private push(instId: string, make: (channel: string) => string): void {
    for (const c of this.clients) {
      const channel = c.books.get(instId);
      if (channel) this.sendText(c, make(channel));
    }
  }

  private step(): void {
    const now = Date.now();
    const changed = new Set<string>();
    if (!this.paused) {
      for (const frame of this.market.step(now)) {
        const instId = frame.symbol;
        changed.add(instId);
        const st = this.inst.get(instId)!;
        const prevSeqId = st.seqId;
        st.seqId = this.resetNext.delete(instId) ? 1 + Math.floor(this.rand() * 5) : prevSeqId + 1 + Math.floor(this.rand() * 4);
        st.lastPushAt = now;
        let checksum = this.checksumOf(instId);
        if (this.corruptNext.delete(instId)) checksum = (checksum + 1) | 0;
        if (this.dropNext.delete(instId)) continue;
        const depth = frame.depth as { b: Level[]; a: Level[] };
        this.push(instId, (channel) => this.bookFrame(channel, instId, 'update', depth.b, depth.a, prevSeqId, st.seqId, checksum));
      }
    }
    const keepAliveMs = this.options.keepAliveMs ?? 60_000;
    for (const [instId, st] of this.inst) {
      if (changed.has(instId) || now - st.lastPushAt < keepAliveMs) continue;
      st.lastPushAt = now;
      this.keepAlivesSent++;
      const checksum = this.checksumOf(instId);
      this.push(instId, (channel) => this.bookFrame(channel, instId, 'update', [], [], st.seqId, st.seqId, checksum));
    }
  }

  protected async onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    await this.restDelay();
    if (this.takeRateLimit()) {
      // OKX answers a rate limit with HTTP 429 and code 50011, without Retry-After.
      return sendJson(res, 429, { code: '50011', msg: 'Too Many Requests', data: [] });
    }
    const instType = u.searchParams.get('instType');
    if (u.pathname === '/api/v5/public/underlying') return sendJson(res, 200, { code: '0', msg: '', data: [['BTC-USD']] });
    if (u.pathname !== '/api/v5/public/instruments') return sendJson(res, 404, { code: '404', msg: 'Not Found', data: [] });
    const row = (s: DemoSymbolSpec, type: string) => ({
      instType: type,
      instId: s.symbol,
      baseCcy: type === 'SPOT' ? s.base : '',
      quoteCcy: type === 'SPOT' ? s.quote : '',
      uly: type === 'SPOT' ? '' : `${s.base}-${s.quote}`,
      instFamily: type === 'SPOT' ? '' : `${s.base}-${s.quote}`,
      settleCcy: type === 'SPOT' ? '' : s.quote,
      tickSz: formatScaled(1, s.priceDecimals),
      lotSz: s.sizeDecimals === 0 ? '1' : formatScaled(1, s.sizeDecimals),
      minSz: s.sizeDecimals === 0 ? '1' : formatScaled(1, s.sizeDecimals),
      state: 'live',
    });
    switch (instType) {
      case 'SPOT':
        return sendJson(res, 200, { code: '0', msg: '', data: [row(OKX_FAKE_SPECS[0]!, 'SPOT')] });
      case 'SWAP':
        return sendJson(res, 200, { code: '0', msg: '', data: [row(OKX_FAKE_SPECS[1]!, 'SWAP')] });
      case 'FUTURES':
        return sendJson(res, 200, { code: '0', msg: '', data: [] });
      case 'OPTION':
        if (u.searchParams.get('uly') !== 'BTC-USD' && u.searchParams.get('instFamily') !== 'BTC-USD') {
          return sendJson(res, 400, { code: '51000', msg: 'Parameter uly or instFamily error', data: [] });
        }
        return sendJson(res, 200, {
          code: '0',
          msg: '',
          data: [{ instType: 'OPTION', instId: 'BTC-USD-260925-70000-C', uly: 'BTC-USD', instFamily: 'BTC-USD', settleCcy: 'BTC', tickSz: '0.0005', lotSz: '1', minSz: '1', state: 'live' }],
        });
      default:
        return sendJson(res, 400, { code: '51000', msg: 'Parameter instType error', data: [] });
    }
  }
}
