/**
 * The venue session: everything a venue adapter used to repeat, in one piece. It keeps an entry per
 * subscribed symbol (its feed and its sync), the connection(s) carrying them, the accounting of
 * malformed frames, the REST target, the resubscribe timers, and closing down. What is particular to
 * a venue comes from its protocol (`VenueProtocol`): how to subscribe, how to read a frame and whom
 * it is for, and its sync rules. A venue adapter is a session built with its protocol.
 *
 * A symbol's entry is where per-symbol handlers hang; a parsed message reaches them through the
 * protocol's `route`, which looks the entry up: book messages go to the entry's sync, trade messages
 * to its feed (`routeTrades`). Trades travel on the book's connection where the venue allows it; a
 * venue that serves them elsewhere (Binance USD-M's `/market` path) or whose book connection must
 * carry nothing else (Coinbase Advanced) declares a `tradeConnection`, and the session keeps those
 * connections like the book's: per symbol, reconnecting, subscribing on every open.
 */
import type { SymbolHealth } from '../../shared/contract';
import type { Instrument, VenueId } from '../../shared/market';
import type { Logger } from '../log';
import type { TradeBatch } from '../trades/batch';
import { MalformedFrameError, type AdapterOptions, type SubscribeOptions, type VenueAdapter } from './adapter';
import { FeedConnection, type ConnectionOptions } from './connection';
import { ResubscribeTimers } from './resubscribe';
import type { RestTarget } from './rest';
import { SymbolFeed } from './symbol-feed';
import type { Clock } from './transport';

/** A venue's per-symbol book rules. The feed holds the state; the sync holds the venue's sequence. */
export interface BookSync {
  /** The venue has been asked for this book (subscribed, or the stream opened): forget what was held. */
  start(): void;
}

/** Log a sync event (gap, resync, checksum failure...) for one symbol. */
export type Note = (event: string, fields: Record<string, unknown>) => void;

/** One connection and the symbols it carries. */
export interface Link {
  /** What it carries: books (and trades, unless the venue has a trade connection), or trades only. */
  readonly carries: 'book' | 'trades';
  readonly connection: FeedConnection;
  readonly symbols: Set<string>;
  /** Symbols the URL of the current connection subscribed (venues that subscribe in the URL). */
  readonly inUrl: Set<string>;
  /** Bumped on every open and drop: work begun for an earlier connection is stale. */
  generation: number;
}

export interface SessionEntry<S extends BookSync> {
  readonly symbol: string;
  readonly feed: SymbolFeed;
  readonly sync: S;
  readonly link: Link;
  /** The connection carrying this symbol's trades when it is not `link` (venues with a trade connection). */
  readonly tradeLink: Link | null;
  /** Resubscribe back-off and snapshot wait, for venues that rebuild a book by resubscribing. */
  readonly timers: ResubscribeTimers | null;
}

export interface ConnectionSpec extends Pick<ConnectionOptions, 'staleAfterMs' | 'sendIntervalMs' | 'keepAlive' | 'maxLifetimeMs'> {
  /** The URL to (re)connect to, carrying these symbols; asked afresh on every connect. */
  url(symbols: readonly string[]): string;
  /** The URL itself subscribes the symbols it names (Binance combined streams). */
  subscribesInUrl?: boolean;
  /** Symbols per connection (Binance); one connection carries every symbol when omitted. */
  maxSymbols?: number;
}

/** A connection that carries trades only, for venues that serve trades apart from the book. */
export interface TradeConnectionSpec<S extends BookSync> extends ConnectionSpec {
  /** Frames that subscribe these symbols' trades on an open trade connection. */
  subscribeFrames(entries: ReadonlyArray<SessionEntry<S>>): string[];
}

/** The venue's REST base URL and request timeout (10 s when not given). */
export interface RestSpec {
  base: string;
  timeoutMs?: number;
}

/** How a venue that rebuilds a book by resubscribing does it (Kraken, OKX). */
export interface Resubscription<S extends BookSync> {
  /** A (re)subscribed symbol without a snapshot after this long is subscribed again. */
  snapshotTimeoutMs: number;
  /** The frames that unsubscribe and subscribe the symbol again. */
  frames(entry: SessionEntry<S>): string[];
}

/** What a venue supplies; everything else is the session's. */
export interface VenueProtocol<S extends BookSync, M> {
  readonly connection: ConnectionSpec;
  /** Trades on connections of their own (absent: the book's connection carries them). */
  readonly tradeConnection?: TradeConnectionSpec<S>;
  readonly rest: RestSpec;
  /**
   * Rebuild a book by unsubscribing and subscribing it again (the venue answers with a snapshot):
   * the frames that do it, and how long a (re)subscribed symbol may wait for its snapshot.
   */
  readonly resubscription?: Resubscription<S>;
  /** The key a symbol is kept under: upper case unless the venue's symbols are case-sensitive. */
  key?(symbol: string): string;
  createSync(feed: SymbolFeed, note: Note, options: SubscribeOptions | undefined): S;
  /** Frames that subscribe these symbols on an open connection (called whenever they are subscribed). */
  subscribeFrames(entries: ReadonlyArray<SessionEntry<S>>): string[];
  /**
   * Read one frame (received at `receivedAt`, the local time trades carry); a MalformedFrameError
   * skips it (counted on the symbols `symbolsIn` names).
   */
  parse(text: string, receivedAt: number): M;
  /** Best-effort symbols a frame the parser refused names. */
  symbolsIn(text: string): string[];
  route(message: M, receivedAt: number, link: Link): void;
  listInstruments(): Promise<Instrument[]>;
  /** A connection opened (book or trade connection: see `link.carries`), before its symbols are subscribed. */
  onOpen?(link: Link): void;
  /** A connection went down (book or trade connection), before its symbols are told. */
  onDown?(link: Link, reason: string): void;
  /** A malformed frame on `link` was counted on `entries` (none: it named no symbol). */
  onMalformed?(text: string, reason: string, entries: ReadonlyArray<SessionEntry<S>>, link: Link): void;
  close?(): void;
}

/** `items` in runs of at most `size` (a venue's limit of symbols per subscribe request). */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Sync events logged as warnings; the rest are info. */
const WARNINGS = new Set(['gap', 'resync', 'checksum-failed', 'bbo-mismatch']);

export class VenueSession<S extends BookSync, M, P extends VenueProtocol<S, M> = VenueProtocol<S, M>> implements VenueAdapter {
  readonly protocol: P;
  readonly clock: Clock;
  readonly logger: Logger;
  private readonly entries = new Map<string, SessionEntry<S>>();
  private readonly links: Link[] = [];
  /** Connections that carry trades only (venues with a `tradeConnection`). */
  private readonly tradeLinks: Link[] = [];
  private isClosed = false;
  /** Malformed frames that named no subscribed symbol. */
  unattributedMalformed = 0;

  constructor(
    readonly venue: VenueId,
    private readonly options: AdapterOptions,
    protocol: (session: VenueSession<S, M, P>) => P,
  ) {
    this.clock = options.transport.clock;
    this.logger = options.logger;
    this.protocol = protocol(this);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get rest(): RestTarget {
    const { base, timeoutMs = 10_000 } = this.protocol.rest;
    return { venue: this.venue, transport: this.options.transport, base, timeoutMs };
  }

  /** Book connections in use (tests check the per-connection symbol limit). */
  get connectionCount(): number {
    return this.links.length;
  }

  /** Trade-only connections in use. */
  get tradeConnectionCount(): number {
    return this.tradeLinks.length;
  }

  // ---- VenueAdapter -----------------------------------------------------------------------------

  subscribe(symbols: readonly string[], options?: SubscribeOptions): void {
    if (this.isClosed) return;
    const added: Array<SessionEntry<S>> = [];
    for (const raw of symbols) {
      const symbol = this.key(raw);
      if (this.entries.has(symbol)) continue;
      const link = this.linkWithRoom('book');
      link.symbols.add(symbol);
      const tradeLink = this.protocol.tradeConnection ? this.linkWithRoom('trades') : null;
      tradeLink?.symbols.add(symbol);
      const feed = new SymbolFeed(this.venue, symbol, this.options.listener, this.logger);
      const note: Note = (event, fields) => this.logger.log(WARNINGS.has(event) ? 'warn' : 'info', event, { venue: this.venue, symbol, ...fields });
      const entry: SessionEntry<S> = { symbol, feed, link, tradeLink, sync: this.protocol.createSync(feed, note, options), timers: this.timersFor(feed, link) };
      this.entries.set(symbol, entry);
      feed.connecting('subscribed');
      added.push(entry);
    }
    if (added.length === 0) return;
    this.logger.log('info', 'subscribe', { venue: this.venue, symbols: added.map((e) => e.symbol) });
    for (const link of new Set(added.map((e) => e.link))) {
      // Subscribed while the connection opens: its open subscribes every symbol of the link then.
      if (!link.connection.isStarted) link.connection.start();
      else if (link.connection.isOpen) this.start(link, added.filter((e) => e.link === link));
    }
    for (const link of new Set(added.flatMap((e) => e.tradeLink ?? []))) {
      if (!link.connection.isStarted) link.connection.start();
      else if (link.connection.isOpen) this.startTrades(link, added.filter((e) => e.tradeLink === link));
    }
  }

  feed(symbol: string): SymbolFeed | undefined {
    return this.entries.get(this.key(symbol))?.feed;
  }

  *feeds(): Iterable<SymbolFeed> {
    for (const entry of this.entries.values()) yield entry.feed;
  }

  health(): SymbolHealth[] {
    const now = this.clock.now();
    return [...this.entries.values()].map((e) => e.feed.healthSnapshot(now));
  }

  listInstruments(): Promise<Instrument[]> {
    return this.protocol.listInstruments();
  }

  close(): void {
    this.isClosed = true;
    this.protocol.close?.();
    for (const entry of this.entries.values()) entry.timers?.clear();
    for (const link of [...this.links, ...this.tradeLinks]) {
      link.generation++;
      link.connection.close();
    }
  }

  // ---- for protocols ----------------------------------------------------------------------------

  entry(symbol: string): SessionEntry<S> | undefined {
    return this.entries.get(this.key(symbol));
  }

  /** Every entry, or those in a state `which` accepts. */
  list(which: (entry: SessionEntry<S>) => boolean = () => true): Array<SessionEntry<S>> {
    return [...this.entries.values()].filter(which);
  }

  /** Queue a frame on a connection (the first, for venues with one). */
  send(text: string, link: Link | undefined = this.links[0]): void {
    link?.connection.send(text);
  }

  /** Subscribe these entries again on their connection (the venue answers with snapshots). */
  resend(entries: ReadonlyArray<SessionEntry<S>>): void {
    for (const link of new Set(entries.map((e) => e.link))) {
      for (const frame of this.protocol.subscribeFrames(entries.filter((e) => e.link === link))) link.connection.send(frame);
    }
  }

  /**
   * Hand each trade of a parsed trade message to its symbol's feed (trades for symbols not subscribed
   * are ignored). `symbolsFor` maps a venue symbol to the subscribed symbols it feeds, where one
   * venue symbol feeds several (Coinbase Advanced `-USD` data for `-USDC` products).
   */
  routeTrades(batch: TradeBatch, symbolsFor: (symbol: string) => readonly string[] = (s) => [s]): void {
    for (const trade of batch.trades) {
      for (const symbol of symbolsFor(trade.symbol)) this.entries.get(this.key(symbol))?.feed.trade(trade, batch.stream, batch.consecutiveIds);
    }
  }

  /** The venue refused the symbol: it fails, and nothing is asked for it again. */
  refuse(entry: SessionEntry<S>, reason: string): void {
    entry.timers?.clear();
    entry.feed.fail(reason);
  }

  /** Have the venue rebuild a book (resubscribe venues): after a back-off that grows while nothing improves. */
  scheduleResubscribe(symbol: string, reason: string): void {
    this.entries.get(symbol)?.timers?.schedule(reason);
  }

  // ---- connections and frames -------------------------------------------------------------------

  private key(symbol: string): string {
    return this.protocol.key ? this.protocol.key(symbol) : symbol.toUpperCase();
  }

  private timersFor(feed: SymbolFeed, link: Link): ResubscribeTimers | null {
    const resubscription = this.protocol.resubscription;
    if (!resubscription) return null;
    const context = {
      venue: this.venue,
      logger: this.logger,
      clock: this.clock,
      snapshotTimeoutMs: resubscription.snapshotTimeoutMs,
      isClosed: () => this.isClosed,
      isOpen: () => link.connection.isOpen,
    };
    return new ResubscribeTimers(context, feed, () => {
      const entry = this.entries.get(feed.symbol);
      if (entry) for (const frame of resubscription.frames(entry)) link.connection.send(frame);
    });
  }

  /** Ask the venue for these books on an open connection and wait for their snapshots. */
  private start(link: Link, entries: ReadonlyArray<SessionEntry<S>>): void {
    const toAsk = this.protocol.connection.subscribesInUrl ? entries.filter((e) => !link.inUrl.has(e.symbol)) : entries;
    if (toAsk.length > 0) for (const frame of this.protocol.subscribeFrames(toAsk)) link.connection.send(frame);
    for (const entry of entries) {
      entry.sync.start();
      entry.timers?.armSnapshotTimer();
    }
  }

  /** Ask the venue for these symbols' trades on an open trade connection. */
  private startTrades(link: Link, entries: ReadonlyArray<SessionEntry<S>>): void {
    const spec = this.protocol.tradeConnection;
    if (!spec) return;
    const toAsk = spec.subscribesInUrl ? entries.filter((e) => !link.inUrl.has(e.symbol)) : entries;
    if (toAsk.length > 0) for (const frame of spec.subscribeFrames(toAsk)) link.connection.send(frame);
  }

  private linkWithRoom(carries: Link['carries']): Link {
    const links = carries === 'book' ? this.links : this.tradeLinks;
    const spec = carries === 'book' ? this.protocol.connection : this.protocol.tradeConnection!;
    const last = links.at(-1);
    const max = spec.maxSymbols ?? Infinity;
    if (last && last.symbols.size < max) return last;
    const symbols = new Set<string>();
    const inUrl = new Set<string>();
    const link: Link = {
      carries,
      symbols,
      inUrl,
      generation: 0,
      connection: new FeedConnection({
        venue: this.venue,
        transport: this.options.transport,
        logger: this.logger,
        staleAfterMs: spec.staleAfterMs,
        sendIntervalMs: spec.sendIntervalMs,
        keepAlive: spec.keepAlive,
        maxLifetimeMs: spec.maxLifetimeMs,
        url: () => {
          inUrl.clear();
          if (spec.subscribesInUrl) for (const s of symbols) inUrl.add(s);
          return spec.url([...symbols]);
        },
        handlers: {
          onOpen: () => this.onOpen(link),
          onFrame: (text, receivedAt) => this.onFrame(link, text, receivedAt),
          onDown: (reason) => this.onDown(link, reason),
        },
      }),
    };
    links.push(link);
    return link;
  }

  private entriesOf(link: Link): Array<SessionEntry<S>> {
    return [...link.symbols].map((s) => this.entries.get(s)!).filter((e) => e.feed.state !== 'failed');
  }

  private onOpen(link: Link): void {
    link.generation++;
    this.protocol.onOpen?.(link);
    if (link.carries === 'trades') this.startTrades(link, this.entriesOf(link));
    else this.start(link, this.entriesOf(link));
  }

  private onDown(link: Link, reason: string): void {
    link.generation++;
    this.protocol.onDown?.(link, reason);
    if (link.carries === 'trades') {
      // The books are untouched; the trades missed until the reconnect show as id gaps.
      for (const entry of this.entriesOf(link)) entry.feed.tradesInterrupted(reason);
      return;
    }
    for (const entry of this.entriesOf(link)) {
      entry.timers?.clear();
      entry.feed.connectionLost(reason);
    }
  }

  private onFrame(link: Link, text: string, receivedAt: number): void {
    let message: M;
    try {
      message = this.protocol.parse(text, receivedAt);
    } catch (error) {
      if (!(error instanceof MalformedFrameError)) throw error;
      this.countMalformed(link, text, error.message);
      return;
    }
    this.protocol.route(message, receivedAt, link);
  }

  /** Count a skipped frame on the symbols it names or, naming none, on every symbol of its connection. */
  private countMalformed(link: Link, text: string, reason: string): void {
    const named = [...new Set(this.protocol.symbolsIn(text).map((s) => this.key(s)))].flatMap((s) => this.entries.get(s) ?? []);
    for (const entry of named) entry.feed.malformed(reason);
    if (named.length === 0) {
      this.unattributedMalformed++;
      for (const entry of this.entriesOf(link)) entry.feed.connectionMalformed(reason);
    }
    this.logger.log('warn', 'malformed-frame', { venue: this.venue, error: reason, bytes: text.length });
    this.protocol.onMalformed?.(text, reason, named, link);
  }
}
