/**
 * Hyperliquid adapter: one public connection carrying `l2Book` and `trades` for every subscribed
 * coin, one subscribe frame per channel and coin. Every `l2Book` frame is a whole book (./sync.ts),
 * so there is no snapshot to ask for and no resubscribe: a fault throws the book away and the next
 * frame rebuilds it. Hyperliquid closes a connection on which no message has passed for 60 s, so we
 * send `{"method":"ping"}` every 20 s (answered by `{"channel":"pong"}`); nothing received for 30 s is
 * a dead connection. Coins are case-sensitive (`kPEPE`, `@107`, `xyz:TSLA`). Instruments come from
 * `POST /info {"type":"meta"}`. docs/venues.md#hyperliquid.
 */
import type { Instrument } from '../../../shared/market';
import type { SessionOptions } from '../adapter';
import { VenueSession, type ConnectionSpec, type Note, type RestSpec, type SessionEntry, type VenueProtocol } from '../session';
import type { SymbolFeed } from '../symbol-feed';
import { INFO_PATH, META_REQUEST, parseMeta } from './instruments';
import { coinOfFrame, parseHyperliquidFrame, subscribeFrame, type HyperliquidMessage } from './messages';
import { HyperliquidBookSync } from './sync';

export const HYPERLIQUID_ENDPOINTS = { ws: 'wss://api.hyperliquid.xyz/ws', rest: 'https://api.hyperliquid.xyz' };

export const PING_FRAME = JSON.stringify({ method: 'ping' });

export interface HyperliquidAdapterOptions extends SessionOptions {
  /** Send `{"method":"ping"}` this often (Hyperliquid closes a connection with no message for 60 s). */
  pingEveryMs?: number;
}

/** Retries of the instrument list after HTTP 429 (weight 20 of 1200 a minute per IP). */
const MAX_RATE_LIMIT_RETRIES = 2;

class HyperliquidProtocol implements VenueProtocol<HyperliquidBookSync, HyperliquidMessage> {
  readonly connection: ConnectionSpec;
  readonly rest: RestSpec;
  pongs = 0;

  constructor(
    private readonly session: HyperliquidAdapter,
    options: HyperliquidAdapterOptions,
  ) {
    const endpoints = options.endpoints ?? HYPERLIQUID_ENDPOINTS;
    this.rest = { base: endpoints.rest, timeoutMs: options.restTimeoutMs };
    this.connection = {
      url: () => endpoints.ws,
      staleAfterMs: options.staleAfterMs ?? 30_000,
      // 2000 messages a minute per IP: 50 ms apart stays under it even when subscribing many coins.
      sendIntervalMs: 50,
      keepAlive: { everyMs: options.pingEveryMs ?? 20_000, message: () => PING_FRAME },
    };
  }

  /** Coins are case-sensitive on Hyperliquid: kept exactly as given. */
  key(symbol: string): string {
    return symbol;
  }

  createSync(feed: SymbolFeed, note: Note): HyperliquidBookSync {
    return new HyperliquidBookSync(feed, note);
  }

  subscribeFrames(entries: ReadonlyArray<SessionEntry<HyperliquidBookSync>>): string[] {
    return entries.flatMap((e) => [subscribeFrame('l2Book', e.symbol), subscribeFrame('trades', e.symbol)]);
  }

  readonly parse = (text: string, receivedAt: number): HyperliquidMessage => parseHyperliquidFrame(text, receivedAt);

  readonly symbolsIn = coinOfFrame;

  route(msg: HyperliquidMessage, receivedAt: number): void {
    switch (msg.kind) {
      case 'book':
        this.session.entry(msg.book.coin)?.sync.onBook(msg.book, receivedAt);
        return;
      case 'trades':
        this.session.routeTrades(msg.batch);
        return;
      case 'pong':
        this.pongs++;
        return;
      case 'error':
        this.onError(msg.text);
        return;
      default:
        return;
    }
  }

  /** Perpetuals on the first perp dex (`meta`); spot pairs and builder-deployed dexes are not listed. */
  async listInstruments(): Promise<Instrument[]> {
    const { transport, base, timeoutMs } = this.session.rest;
    if (!transport.post) throw new Error('hyperliquid: this connection cannot send the POST request the instrument list needs');
    const url = `${base}${INFO_PATH}`;
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await transport.post(url, META_REQUEST, { timeoutMs });
      } catch (error) {
        throw new Error(`hyperliquid: cannot reach ${base} (${(error as Error).message})`, { cause: error });
      }
      if (response.status === 429 && attempt < MAX_RATE_LIMIT_RETRIES) {
        const retryAfter = Number(response.headers['retry-after']);
        const delay = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : 1000 * 2 ** attempt;
        this.session.logger.log('warn', 'instruments-rate-limited', { venue: 'hyperliquid', retryMs: delay });
        await new Promise<void>((resolve) => transport.clock.setTimeout(resolve, delay));
        continue;
      }
      if (response.status !== 200) throw new Error(`hyperliquid: instrument list request failed with HTTP ${response.status}`);
      return parseMeta(response.body);
    }
  }

  /**
   * The venue's error text. "Invalid subscription {…"coin":"X"…}" refuses coin X (it stays failed);
   * anything else ("Already subscribed", an unknown method) is logged.
   */
  private onError(text: string): void {
    this.session.logger.log('error', 'venue-error', { venue: 'hyperliquid', error: text });
    if (!/^invalid subscription/i.test(text)) return;
    const coin = /"coin"\s*:\s*"([^"]+)"/.exec(text)?.[1];
    const entry = coin === undefined ? undefined : this.session.entry(coin);
    if (entry) this.session.refuse(entry, `hyperliquid refused ${coin}: ${text}`);
  }
}

/** The adapter: a session speaking this protocol. */
export type HyperliquidAdapter = VenueSession<HyperliquidBookSync, HyperliquidMessage, HyperliquidProtocol>;
export const createHyperliquidAdapter = (options: HyperliquidAdapterOptions): HyperliquidAdapter =>
  new VenueSession('hyperliquid', options, (session) => new HyperliquidProtocol(session, options));
