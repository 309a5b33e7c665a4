/**
 * Binance adapter (spot, USD-M futures, and the demo venue, which speaks spot's wire format):
 * combined-stream connections of up to SYMBOLS_PER_CONNECTION symbols carrying `<sym>@depth@100ms`,
 * `<sym>@bookTicker` and, on spot, `<sym>@trade`; USD-M trades (`<sym>@aggTrade`) come from the
 * `/market` path on trade connections of their own. REST depth snapshots within the IP's request weight (./snapshots.ts), a
 * planned reconnect before Binance's 24-hour cut and on `serverShutdown`. docs/venues.md#binance.
 */
import type { Instrument } from '../../../shared/market';
import type { SessionOptions } from '../adapter';
import { restGetOnce } from '../rest';
import { VenueSession, type ConnectionSpec, type RestSpec, type Link, type Note, type SessionEntry, type TradeConnectionSpec, type VenueProtocol } from '../session';
import type { SymbolFeed } from '../symbol-feed';
import { parseExchangeInfo } from './instruments';
import type { BinanceMarket } from './markets';
import { parseStreamFrame, type StreamMessage } from './messages';
import { SnapshotRequests } from './snapshots';
import { BinanceDepthSync } from './sync';
import type { BinanceTradeVenue } from './trades';
import { weightBudgetFor } from './weight-budget';

export interface BinanceAdapterOptions extends SessionOptions {
  venue: BinanceTradeVenue;
  market: BinanceMarket;
}

/**
 * Symbols per connection. Binance allows 1024 streams (we use at most 3 per symbol); a smaller shard keeps a
 * reconnect's burst of snapshot requests and its resync small.
 */
export const SYMBOLS_PER_CONNECTION = 100;

class BinanceProtocol implements VenueProtocol<BinanceDepthSync, StreamMessage> {
  readonly connection: ConnectionSpec;
  readonly tradeConnection?: TradeConnectionSpec<BinanceDepthSync>;
  readonly rest: RestSpec;
  private readonly market: BinanceMarket;
  private readonly venue: BinanceTradeVenue;
  private readonly snapshots: SnapshotRequests;
  private nextRequestId = 1;

  constructor(
    private readonly session: BinanceAdapter,
    options: BinanceAdapterOptions,
  ) {
    const endpoints = options.endpoints ?? options.market.endpoints;
    this.market = options.market;
    this.venue = options.venue;
    this.rest = { base: endpoints.rest, timeoutMs: options.restTimeoutMs };
    this.connection = {
      url: (symbols) => `${endpoints.ws}/stream?streams=${symbols.flatMap((s) => this.bookStreams(s)).join('/')}`,
      subscribesInUrl: true,
      maxSymbols: SYMBOLS_PER_CONNECTION,
      staleAfterMs: options.staleAfterMs ?? 65_000,
      // Binance allows 5 incoming messages per second per connection; stay under it.
      sendIntervalMs: 250,
      // Binance closes every connection at 24 h: reconnect on our own terms a little before.
      maxLifetimeMs: 23.5 * 60 * 60 * 1000,
    };
    const tradeWs = this.market.tradeWs?.(endpoints.ws);
    if (tradeWs !== undefined) {
      this.tradeConnection = {
        ...this.connection,
        url: (symbols) => `${tradeWs}/stream?streams=${symbols.map((s) => this.tradeStreamName(s)).join('/')}`,
        subscribeFrames: (entries) => [this.subscribeFrame(entries.map((e) => this.tradeStreamName(e.symbol)))],
      };
    }
    this.snapshots = new SnapshotRequests(session, this.market, weightBudgetFor(endpoints.rest, this.market.weightPerMinute, session.clock));
  }

  createSync(feed: SymbolFeed, note: Note): BinanceDepthSync {
    return new BinanceDepthSync(feed, { requestSnapshot: (reason) => this.snapshots.request(feed.symbol, reason), note }, this.market.rules);
  }

  /** A live SUBSCRIBE for symbols the connection's URL did not name; its URL names them on any reconnect. */
  subscribeFrames(entries: ReadonlyArray<SessionEntry<BinanceDepthSync>>): string[] {
    return [this.subscribeFrame(entries.flatMap((e) => this.bookStreams(e.symbol)))];
  }

  parse(text: string, receivedAt: number): StreamMessage {
    return parseStreamFrame(text, receivedAt, this.venue);
  }

  /** Best-effort symbol of a malformed combined-stream frame, from its `"stream":"sym@..."` text. */
  symbolsIn(text: string): string[] {
    const m = /"stream"\s*:\s*"([a-z0-9]+)@/i.exec(text.slice(0, 200));
    return m ? [m[1]!] : [];
  }

  route(msg: StreamMessage, receivedAt: number, link: Link): void {
    switch (msg.kind) {
      case 'depth':
        return this.session.entry(msg.symbol)?.sync.onDepth(msg.data, receivedAt);
      case 'bookTicker':
        return this.session.entry(msg.symbol)?.sync.onTicker(msg.data, receivedAt);
      case 'trades':
        return this.session.routeTrades(msg.batch);
      case 'serverShutdown':
        this.session.logger.log('warn', 'server-shutdown', { venue: this.session.venue });
        return link.connection.restart('server announced shutdown');
      case 'response':
        if (msg.error) this.session.logger.log('error', 'subscribe-error', { venue: this.session.venue, error: msg.error });
        return;
      case 'other':
        return;
    }
  }

  async listInstruments(): Promise<Instrument[]> {
    return parseExchangeInfo(this.session.venue, await restGetOnce(this.session.rest, this.market.exchangeInfoPath, 'instrument list'));
  }

  close(): void {
    this.snapshots.close();
  }

  /** The streams of a symbol's book connection: depth, bookTicker, and trades unless they travel apart. */
  private bookStreams(symbol: string): string[] {
    const s = symbol.toLowerCase();
    const streams = [`${s}@depth@100ms`, `${s}@bookTicker`];
    if (!this.tradeConnection) streams.push(this.tradeStreamName(symbol));
    return streams;
  }

  private tradeStreamName(symbol: string): string {
    return `${symbol.toLowerCase()}@${this.market.tradeStream}`;
  }

  private subscribeFrame(streams: string[]): string {
    return JSON.stringify({ method: 'SUBSCRIBE', params: streams, id: this.nextRequestId++ });
  }
}

/** The adapter: a session speaking this protocol. */
export type BinanceAdapter = VenueSession<BinanceDepthSync, StreamMessage, BinanceProtocol>;
export const createBinanceAdapter = (options: BinanceAdapterOptions): BinanceAdapter => new VenueSession(options.venue, options, (session) => new BinanceProtocol(session, options));
