/**
 * The market service: the running venues (one adapter per enabled venue, books created on demand when
 * a window or the recorder asks for a symbol), their instrument catalogs, the live/replay switch (a
 * capture playing in the app stands in for the live books), and the health report.
 */
import { ContractError, type HealthReport, type ReplayStatus, type VenueInfo } from '../../shared/contract';
import type { BookEvent, Instrument, SyncState, Trade, VenueId } from '../../shared/market';
import type { Logger } from '../log';
import type { AdapterContext, VenueAdapter } from '../venues/adapter';
import { venueModule, type VenueCredentials } from '../venues/registry';
import type { FeedListener, SymbolFeed } from '../venues/symbol-feed';
import type { Transport } from '../venues/transport';
import { statSync } from 'node:fs';
import { isTardisPath, TardisPlayer } from '../bridges/tardis/player';
import { ReplayPlayer } from '../capture/player';
import type { InstrumentCache } from './instrument-cache';
import { InstrumentCatalog, type RetryPolicy } from './instrument-catalog';
import { MemoryWatch } from './memory-watch';

const IDLE_REPLAY: ReplayStatus = {
  active: false,
  path: null,
  name: null,
  paused: false,
  speed: 1,
  progress: 0,
  captureTime: null,
  done: false,
  error: null,
  messages: 0,
  corruptLines: 0,
  symbols: [],
};

export interface VenueConfig {
  id: VenueId;
  mode: VenueInfo['mode'];
  transport: Transport;
  endpoints?: { ws: string; rest: string };
  /** Instruments to offer when the venue's list cannot be fetched (a clear message is shown too). */
  fallbackInstruments?: Instrument[];
  /** API key for venues whose better channels need one (Coinbase Exchange `level2`). */
  credentials?: VenueCredentials;
  /** Builds the venue's adapter instead of its module (books taken from a desk's NATS: src/main/desk). */
  createAdapter?: (ctx: AdapterContext) => VenueAdapter;
  /** The list changes while the app runs (a desk's collectors add books): ask the adapter every time. */
  uncachedList?: boolean;
}

interface VenueRuntime {
  config: VenueConfig;
  name: string;
  adapter: VenueAdapter;
  catalog: InstrumentCatalog;
}

export interface MarketOptions {
  /** Back-off between instrument-list attempts after a failure (default 2 s doubling to 60 s). */
  instrumentRetry?: RetryPolicy;
}

export type BookListener = (feed: SymbolFeed, event: BookEvent) => void;
export type StateListener = (feed: SymbolFeed, from: SyncState, to: SyncState, reason: string) => void;
export type TradeListener = (feed: SymbolFeed, trade: Trade) => void;

/** The listener the service hands every adapter (live and replayed): it always takes trades. */
type MarketFeedListener = Required<Omit<FeedListener, 'onReceived'>>;

export class MarketService {
  private readonly venuesById = new Map<VenueId, VenueRuntime>();
  private readonly bookListeners = new Set<BookListener>();
  private readonly stateListeners = new Set<StateListener>();
  private readonly tradeListeners = new Set<TradeListener>();
  private readonly releasedListeners = new Set<(feeds: readonly SymbolFeed[]) => void>();
  private readonly startedAt = Date.now();
  private readonly listener: MarketFeedListener;
  /**
   * A capture playing in the app. While it plays, its venues' books replace the live ones for every
   * window (lookups go to the replay first); the live feeds keep running underneath, so stopping the
   * replay brings the windows straight back to live books.
   */
  private replay: ReplayPlayer | TardisPlayer | null = null;
  /** RSS and heap against their settled baseline, in the health report (memory-watch.ts). */
  readonly memory: MemoryWatch;

  constructor(
    configs: VenueConfig[],
    private readonly logger: Logger,
    cache: InstrumentCache | null = null,
    options: MarketOptions = {},
  ) {
    this.memory = new MemoryWatch({ logger });
    this.memory.start();
    const listener: MarketFeedListener = (this.listener = {
      onBook: (feed, event) => {
        for (const l of this.bookListeners) l(feed, event);
      },
      onTrade: (feed, trade) => {
        for (const l of this.tradeListeners) l(feed, trade);
      },
      onState: (feed, from, to, reason) => {
        this.logger.log(to === 'resyncing' ? 'warn' : 'info', 'state', { venue: feed.venue, symbol: feed.symbol, from, to, reason });
        for (const l of this.stateListeners) l(feed, from, to, reason);
      },
    });
    for (const config of configs) {
      const mod = venueModule(config.id);
      if (!mod) throw new Error(`venue "${config.id}" is not supported yet`);
      const context: AdapterContext = { transport: config.transport, listener, logger, endpoints: config.endpoints, credentials: config.credentials };
      const adapter = config.createAdapter ? config.createAdapter(context) : mod.createAdapter(context);
      const catalog = new InstrumentCatalog({
        venue: config.id,
        fetchList: () => adapter.listInstruments(),
        logger,
        cache,
        fallback: config.fallbackInstruments,
        retry: options.instrumentRetry,
      });
      this.venuesById.set(config.id, { config, name: mod.name, adapter, catalog });
    }
  }

  onBook(listener: BookListener): () => void {
    this.bookListeners.add(listener);
    return () => this.bookListeners.delete(listener);
  }

  /** Every print of every feed, live or replayed in the app (tell them apart with isReplayFeed). */
  onTrade(listener: TradeListener): () => void {
    this.tradeListeners.add(listener);
    return () => this.tradeListeners.delete(listener);
  }

  /** Feeds the market let go of (a replay that ended): whoever kept state per feed drops it. */
  onReleased(listener: (feeds: readonly SymbolFeed[]) => void): () => void {
    this.releasedListeners.add(listener);
    return () => this.releasedListeners.delete(listener);
  }

  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  venueIds(): VenueId[] {
    return [...this.venuesById.keys()];
  }

  venues(): VenueInfo[] {
    const replayed = this.replay?.venues() ?? [];
    const replay = this.replay?.status();
    const replayInfo: VenueInfo[] = replayed.map((id) => ({
      id: id as VenueId,
      name: `${venueModule(id)?.name ?? id} (replay)`,
      mode: 'replay',
      status: 'ok',
      message: replay?.done ? `${replay.name} · ended` : (replay?.name ?? null),
    }));
    return [...replayInfo, ...this.liveVenues().filter((v) => !replayed.includes(v.id))];
  }

  /**
   * A venue's status follows its books: unreachable while every book is still connecting, degraded
   * while some are out of sync, ok when all are synced (a missing instrument list then only shows in
   * the message; the catalog keeps retrying). Before any book exists, the instrument list is all we
   * know: unreachable if it could not be fetched.
   */
  private liveVenues(): VenueInfo[] {
    return [...this.venuesById.values()].map((v) => {
      const feeds = [...v.adapter.feeds()];
      const listMessage = v.catalog.message;
      let status: VenueInfo['status'] = 'ok';
      let message: string | null = listMessage;
      if (feeds.length === 0) {
        if (listMessage) status = 'unreachable';
      } else if (feeds.every((f) => f.state === 'connecting')) {
        status = 'unreachable';
        message = feeds[0]?.health.lastError ?? 'connecting';
      } else {
        const troubled = feeds.filter((f) => f.state !== 'synced').length;
        if (troubled > 0) {
          status = 'degraded';
          message = `${troubled} of ${feeds.length} books not in sync`;
        }
      }
      return { id: v.config.id, name: v.name, mode: v.config.mode, status, message };
    });
  }

  private runtime(venue: VenueId): VenueRuntime {
    const v = this.venuesById.get(venue);
    if (!v) throw new ContractError('not-found', `venue "${venue}" is not enabled in this session`);
    return v;
  }

  /**
   * The venue's instruments: fetched once per session and saved on disk; when the venue cannot be
   * reached, the last saved list (with a message saying how old it is), so the picker works offline,
   * while the catalog retries in the background.
   */
  async instruments(venue: VenueId): Promise<Instrument[]> {
    if (this.replay?.hasVenue(venue)) {
      // A capture carries no instrument list: offer the symbols it streams.
      return this.replay.feeds().map((f) => ({
        venue: f.venue,
        symbol: f.symbol,
        display: f.symbol,
        base: '',
        quote: '',
        tickSize: null,
        lotSize: null,
        pricePrecision: null,
        sizePrecision: null,
        status: 'replay',
      }));
    }
    const runtime = this.runtime(venue);
    if (runtime.config.uncachedList) return runtime.adapter.listInstruments();
    return runtime.catalog.list();
  }

  /** Why the instrument list is missing or old, if it is. */
  instrumentsMessage(venue: VenueId): string | null {
    return this.venuesById.get(venue)?.catalog.message ?? null;
  }

  /** Start (or keep) streaming a symbol. Rejects a symbol the venue does not list. */
  async ensure(venue: VenueId, symbol: string): Promise<SymbolFeed> {
    if (this.replay?.hasVenue(venue)) {
      const replayed = this.replay.feed(venue, symbol);
      if (!replayed) throw new ContractError('not-found', `${symbol} is not in the capture being replayed (${this.replay.status().name})`);
      return replayed;
    }
    const v = this.runtime(venue);
    const existing = v.adapter.feed(symbol);
    if (existing) return existing;
    let list: Instrument[] | null = null;
    try {
      list = await this.instruments(venue);
    } catch {
      // Venue list unreachable: try the symbol anyway; its feed will show why it cannot connect.
    }
    if (list && !list.some((i) => i.symbol.toUpperCase() === symbol.toUpperCase())) {
      throw new ContractError('not-found', `${symbol} is not listed on ${v.name}`);
    }
    v.adapter.subscribe([symbol]);
    const feed = v.adapter.feed(symbol);
    if (!feed) throw new ContractError('internal', `${v.name} did not start a feed for ${symbol}`);
    return feed;
  }

  /** How a venue is reached (the recorder opens its own connection the same way). */
  venueConfig(venue: VenueId): VenueConfig {
    return this.runtime(venue).config;
  }

  /** The book windows see for venue:symbol: the replay's while a capture plays, else the live one. */
  feed(venue: VenueId, symbol: string): SymbolFeed | undefined {
    if (this.replay?.hasVenue(venue)) return this.replay.feed(venue, symbol);
    return this.venuesById.get(venue)?.adapter.feed(symbol);
  }

  // ---- replay in the app -------------------------------------------------------------------

  /**
   * Play a capture in every window; replaces a replay already playing. A folder or a .csv(.gz) file
   * is tardis.dev CSV (src/main/bridges/tardis/player.ts), anything else a capture.
   */
  startReplay(path: string, speed: number): ReplayStatus {
    this.stopReplay();
    const player = isTardisPath(path, statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false)
      ? new TardisPlayer(path, this.listener, this.logger, speed)
      : new ReplayPlayer(path, this.listener, this.logger, speed);
    this.replay = player;
    this.logger.log('info', 'replay-started', { path, speed });
    void player.play();
    return player.status();
  }

  controlReplay(action: 'pause' | 'resume' | 'stop' | 'speed', speed?: number): ReplayStatus {
    const player = this.replay;
    if (!player) return IDLE_REPLAY;
    if (action === 'pause') player.clock.pause();
    else if (action === 'resume') player.clock.resume();
    else if (action === 'speed' && speed !== undefined) player.clock.setSpeed(speed);
    else if (action === 'stop') {
      this.stopReplay();
      return IDLE_REPLAY;
    }
    return player.status();
  }

  stopReplay(): void {
    if (!this.replay) return;
    this.logger.log('info', 'replay-stopped', { path: this.replay.path });
    const feeds = this.replay.feeds();
    this.replay.stop();
    this.replay = null;
    for (const l of this.releasedListeners) l(feeds);
  }

  replayStatus(): ReplayStatus {
    return this.replay?.status() ?? IDLE_REPLAY;
  }

  /** True for books fed by a replayed capture (the store does not record them as live data). */
  isReplayFeed(feed: SymbolFeed): boolean {
    return this.replay?.ownsFeed(feed) ?? false;
  }

  instrument(venue: VenueId, symbol: string): Instrument | undefined {
    const v = this.venuesById.get(venue);
    return v?.catalog.instruments?.find((i) => i.symbol === symbol) ?? v?.adapter.instrument?.(symbol);
  }

  /** Feeds and memory; the services add the store's state (see compose.ts). */
  health(): HealthReport {
    return {
      uptimeSec: Math.round((Date.now() - this.startedAt) / 1000),
      memory: this.memory.report(),
      venues: this.venues(),
      symbols: [...(this.replay?.health() ?? []), ...[...this.venuesById.values()].flatMap((v) => v.adapter.health())],
      store: null,
    };
  }

  close(): void {
    this.memory.stop();
    this.stopReplay();
    for (const v of this.venuesById.values()) {
      v.catalog.close();
      v.adapter.close();
    }
  }
}
