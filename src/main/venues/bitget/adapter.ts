/**
 * Bitget v2 public adapter, spot and USDT futures (docs/venues.md#bitget). One session per market,
 * each with its own connection(s) to `/v2/ws/public`: the two markets share instrument ids, and a
 * capture recorded on v1 (one stream per market) replays the same way. Per instrument it subscribes
 * `books` (snapshot, then updates, each with the CRC32 of the top 25 levels) and `trade`. A failed
 * check resubscribes that instrument's book. A text `ping` goes out every 30 s (Bitget closes a
 * connection without one for 2 minutes) and is answered `pong`; nothing received for 60 s is a dead
 * connection. Instruments come from REST v2.
 */
import type { Instrument, VenueId } from '../../../shared/market';
import type { TradeBatch } from '../../trades/batch';
import { MalformedFrameError, type SessionOptions, type SubscribeOptions, type VenueAdapter } from '../adapter';
import { restGetRetrying } from '../rest';
import { inBatches, VenueSession, type ConnectionSpec, type Note, type RestSpec, type Resubscription, type SessionEntry, type VenueProtocol } from '../session';
import { routeBookMessage } from '../resubscribe-sync';
import type { SymbolFeed } from '../symbol-feed';
import { parseSpotSymbols, parseUsdtFuturesContracts, SPOT_SYMBOLS_PATH, USDT_FUTURES_CONTRACTS_PATH } from './instruments';
import { BITGET_SPOT, BITGET_USDT_FUTURES, instIdOf, marketOfInstType, marketOfSymbol, symbolOf, type BitgetMarket } from './markets';
import { BOOK_CHANNEL, parseBitgetFrame, symbolOfFrame, TRADE_CHANNEL, type BitgetMessage } from './messages';
import { BitgetBookSync } from './sync';
import { parseBitgetTrades } from './trades';

export const BITGET_ENDPOINTS = { ws: 'wss://ws.bitget.com/v2/ws/public', rest: 'https://api.bitget.com' };

export interface BitgetAdapterOptions extends SessionOptions {
  /** Send the text `ping` this often (Bitget: every 30 s; it closes a connection after 2 min without). */
  pingEveryMs?: number;
}

/** Bitget advises at most 50 channels per connection; each instrument takes two (books, trade). */
const SYMBOLS_PER_CONNECTION = 25;
/** Channels per subscribe request (Bitget allows 240 requests per hour per connection). */
const ARGS_PER_REQUEST = 50;
/** Bitget accepts 10 messages per second per connection, pings included. */
const SEND_INTERVAL_MS = 110;
const MAX_RATE_LIMIT_RETRIES = 2;

interface Arg {
  instType: string;
  channel: string;
  instId: string;
}

class BitgetProtocol implements VenueProtocol<BitgetBookSync, BitgetMessage> {
  readonly connection: ConnectionSpec;
  readonly rest: RestSpec;
  readonly resubscription: Resubscription<BitgetBookSync>;

  constructor(
    private readonly session: BitgetSession,
    readonly market: BitgetMarket,
    options: BitgetAdapterOptions,
  ) {
    const endpoints = options.endpoints ?? BITGET_ENDPOINTS;
    this.rest = { base: endpoints.rest, timeoutMs: options.restTimeoutMs };
    this.connection = {
      url: () => endpoints.ws,
      staleAfterMs: options.staleAfterMs ?? 60_000,
      sendIntervalMs: SEND_INTERVAL_MS,
      keepAlive: { everyMs: options.pingEveryMs ?? 30_000, message: () => 'ping' },
      maxSymbols: SYMBOLS_PER_CONNECTION,
    };
    // Unsubscribe and subscribe the book channel only: Bitget answers with a fresh snapshot, and the
    // trade channel (whose resubscribe would resend history) stays as it is.
    this.resubscription = {
      snapshotTimeoutMs: options.snapshotTimeoutMs ?? 15_000,
      frames: (entry) => [this.request('unsubscribe', [this.arg(entry.symbol, BOOK_CHANNEL)]), this.request('subscribe', [this.arg(entry.symbol, BOOK_CHANNEL)])],
    };
  }

  createSync(feed: SymbolFeed, note: Note): BitgetBookSync {
    return new BitgetBookSync(feed, { resubscribe: (reason) => this.session.scheduleResubscribe(feed.symbol, reason), note });
  }

  subscribeFrames(entries: ReadonlyArray<SessionEntry<BitgetBookSync>>): string[] {
    const args = entries.flatMap((e) => [this.arg(e.symbol, BOOK_CHANNEL), this.arg(e.symbol, TRADE_CHANNEL)]);
    return inBatches(args, ARGS_PER_REQUEST).map((batch) => this.request('subscribe', batch));
  }

  readonly parse: (text: string) => BitgetMessage = parseBitgetFrame;

  readonly symbolsIn: (text: string) => string[] = symbolOfFrame;

  route(msg: BitgetMessage, receivedAt: number): void {
    if (msg.kind === 'event') return this.onEvent(msg);
    if (msg.kind === 'book') {
      const entry = msg.market === this.market ? this.session.entry(msg.symbol) : undefined;
      if (!entry) return;
      routeBookMessage(entry, msg.action, msg.data, receivedAt);
      return;
    }
    if (msg.kind === 'trade') {
      const entry = this.session.entry(msg.symbol);
      if (!entry) return;
      let batch: TradeBatch | null;
      try {
        batch = parseBitgetTrades(msg.message, receivedAt);
      } catch (error) {
        if (!(error instanceof MalformedFrameError)) throw error;
        entry.feed.malformed(error.message);
        this.session.logger.log('warn', 'malformed-frame', { venue: 'bitget', symbol: entry.symbol, error: error.message });
        return;
      }
      if (batch) entry.feed.trades(batch);
    }
  }

  async listInstruments(): Promise<Instrument[]> {
    if (this.market === BITGET_SPOT) return parseSpotSymbols(await this.restGet(SPOT_SYMBOLS_PATH, 'spot symbols'));
    return parseUsdtFuturesContracts(await this.restGet(USDT_FUTURES_CONTRACTS_PATH, 'USDT futures contracts'));
  }

  /** GET with the venue's error message on failure and Retry-After honoured on HTTP 429. */
  private restGet(pathAndQuery: string, what: string): Promise<string> {
    return restGetRetrying(this.session.rest, pathAndQuery, what, { logger: this.session.logger, retries: MAX_RATE_LIMIT_RETRIES });
  }

  private arg(symbol: string, channel: string): Arg {
    return { instType: this.market.instType, channel, instId: instIdOf(symbol) };
  }

  private request(op: 'subscribe' | 'unsubscribe', args: readonly Arg[]): string {
    return JSON.stringify({ op, args });
  }

  private onEvent(msg: Extract<BitgetMessage, { kind: 'event' }>): void {
    if (msg.event !== 'error') return;
    const text = msg.msg ?? 'error';
    const { logger } = this.session;
    logger.log('error', 'request-failed', { venue: 'bitget', market: this.market.id, code: msg.code ?? undefined, error: text });
    // The error names its instrument in `arg`, or only in the text ("instType:SPOT,channel:books,instId:FOO doesn't exist").
    const named = msg.symbol ?? symbolInErrorText(text);
    const entry = named === null ? undefined : this.session.entry(named);
    if (entry) this.session.refuse(entry, `bitget refused ${instIdOf(entry.symbol)} (${this.market.instType}): ${text}${msg.code ? ` (code ${msg.code})` : ''}`);
  }
}

function symbolInErrorText(text: string): string | null {
  const instId = /instId:([A-Za-z0-9_]+)/.exec(text)?.[1];
  const market = marketOfInstType(/instType:([A-Za-z-]+)/.exec(text)?.[1] ?? '');
  return instId && market ? symbolOf(market, instId) : null;
}

export type BitgetSession = VenueSession<BitgetBookSync, BitgetMessage, BitgetProtocol>;

/**
 * The adapter: one session per market, each symbol on the session of its market (`_UMCBL`: USDT
 * futures). A session opens its connection only when it has a symbol.
 */
export class BitgetAdapter implements VenueAdapter {
  readonly venue: VenueId = 'bitget';
  readonly spot: BitgetSession;
  readonly futures: BitgetSession;

  constructor(options: BitgetAdapterOptions) {
    this.spot = new VenueSession('bitget', options, (session) => new BitgetProtocol(session, BITGET_SPOT, options));
    this.futures = new VenueSession('bitget', options, (session) => new BitgetProtocol(session, BITGET_USDT_FUTURES, options));
  }

  subscribe(symbols: readonly string[], options?: SubscribeOptions): void {
    const spot = symbols.filter((s) => marketOfSymbol(s) === BITGET_SPOT);
    const futures = symbols.filter((s) => marketOfSymbol(s) === BITGET_USDT_FUTURES);
    if (spot.length > 0) this.spot.subscribe(spot, options);
    if (futures.length > 0) this.futures.subscribe(futures, options);
  }

  feed(symbol: string): SymbolFeed | undefined {
    return this.sessionOf(symbol).feed(symbol);
  }

  *feeds(): Iterable<SymbolFeed> {
    yield* this.spot.feeds();
    yield* this.futures.feeds();
  }

  health(): ReturnType<VenueAdapter['health']> {
    return [...this.spot.health(), ...this.futures.health()];
  }

  /** Spot pairs and USDT futures; either list failing fails the whole (a partial catalog would hide a market). */
  async listInstruments(): Promise<Instrument[]> {
    return [...(await this.spot.listInstruments()), ...(await this.futures.listInstruments())];
  }

  get unattributedMalformed(): number {
    return this.spot.unattributedMalformed + this.futures.unattributedMalformed;
  }

  close(): void {
    this.spot.close();
    this.futures.close();
  }

  private sessionOf(symbol: string): BitgetSession {
    return marketOfSymbol(symbol) === BITGET_SPOT ? this.spot : this.futures;
  }
}

export const createBitgetAdapter = (options: BitgetAdapterOptions): BitgetAdapter => new BitgetAdapter(options);
