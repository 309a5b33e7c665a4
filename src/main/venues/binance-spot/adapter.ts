/**
 * Binance spot adapter: combined-stream connections (up to SYMBOLS_PER_CONNECTION symbols each)
 * carrying `<sym>@depth@100ms` and `<sym>@bookTicker`, REST depth snapshots within the IP's request
 * weight budget, reconnect with back-off, a stale-feed watchdog, a planned reconnect before Binance's
 * 24-hour cut and on `serverShutdown`. The demo venue runs this same adapter over a synthetic exchange.
 */
import type { SymbolHealth } from '../../../shared/contract';
import type { Instrument, VenueId } from '../../../shared/market';
import type { Logger } from '../../log';
import { MalformedFrameError, type VenueAdapter } from '../adapter';
import { Backoff } from '../backoff';
import { SymbolFeed, type FeedListener } from '../symbol-feed';
import { FeedConnection } from '../connection';
import type { Transport } from '../transport';
import { parseExchangeInfo } from './instruments';
import { parseDepthSnapshot, parseStreamFrame } from './messages';
import { BinanceDepthSync, type DepthRules } from './sync';
import { weightBudgetFor, type RequestWeightBudget } from './weight-budget';

export interface BinanceEndpoints {
  /** WebSocket base, e.g. wss://stream.binance.com:9443 */
  ws: string;
  /** REST base, e.g. https://api.binance.com */
  rest: string;
}

/** What differs between Binance spot and USD-M futures (and the demo venue, which mimics spot). */
export interface BinanceFlavour {
  endpoints: BinanceEndpoints;
  depthPath: string;
  exchangeInfoPath: string;
  rules: DepthRules;
  /** REST snapshot depth (spot allows up to 5000; USD-M up to 1000). */
  snapshotLimit: number;
  /** Request weight of a depth snapshot of `limit` levels, and the IP's weight limit per minute. */
  snapshotWeight(limit: number): number;
  weightPerMinute: number;
}

export const BINANCE_SPOT: BinanceFlavour = {
  endpoints: { ws: 'wss://stream.binance.com:9443', rest: 'https://api.binance.com' },
  depthPath: '/api/v3/depth',
  exchangeInfoPath: '/api/v3/exchangeInfo',
  rules: 'spot',
  snapshotLimit: 1000,
  // rest-api.md "Order book": 1-100 → 5, 101-500 → 25, 501-1000 → 50, 1001-5000 → 250.
  snapshotWeight: (limit) => (limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250),
  weightPerMinute: 6000,
};

export interface BinanceAdapterOptions {
  venue: VenueId;
  transport: Transport;
  listener: FeedListener;
  logger: Logger;
  flavour: BinanceFlavour;
  /** Overrides the flavour's endpoints (fake exchanges in tests, the demo venue). */
  endpoints?: BinanceEndpoints;
  /** No frame or ping for this long counts as a dropped connection. */
  staleAfterMs?: number;
}

/** Binance allows 5 incoming messages per second per connection; stay under it. */
const SEND_INTERVAL_MS = 250;
/**
 * Symbols per connection. Binance allows 1024 streams (we use 2 per symbol); a smaller shard keeps a
 * reconnect's burst of snapshot requests and its resync small.
 */
export const SYMBOLS_PER_CONNECTION = 100;

/** One combined-stream connection and the symbols it carries. */
interface Shard {
  connection: FeedConnection;
  symbols: Set<string>;
  /** Increments per (re)connect so snapshot responses for an old connection are ignored. */
  generation: number;
}

interface Subscription {
  feed: SymbolFeed;
  sync: BinanceDepthSync;
  shard: Shard;
  snapshotBackoff: Backoff;
  snapshotTimer: unknown;
}

export class BinanceAdapter implements VenueAdapter {
  readonly venue: VenueId;
  private readonly transport: Transport;
  private readonly logger: Logger;
  private readonly endpoints: BinanceEndpoints;
  private readonly flavour: BinanceFlavour;
  private readonly listener: FeedListener;
  private readonly staleAfterMs: number;
  private readonly subs = new Map<string, Subscription>();
  private readonly shards: Shard[] = [];
  private readonly budget: RequestWeightBudget;
  private closed = false;
  private nextRequestId = 1;
  /** Frames we could not attribute to a symbol (not JSON, no stream name). */
  unattributedMalformed = 0;

  constructor(options: BinanceAdapterOptions) {
    this.venue = options.venue;
    this.transport = options.transport;
    this.logger = options.logger;
    this.listener = options.listener;
    this.flavour = options.flavour;
    this.endpoints = options.endpoints ?? options.flavour.endpoints;
    this.staleAfterMs = options.staleAfterMs ?? 65_000;
    this.budget = weightBudgetFor(this.endpoints.rest, this.flavour.weightPerMinute, this.transport.clock);
  }

  subscribe(symbols: readonly string[]): void {
    if (this.closed) return;
    const added = new Map<Shard, string[]>();
    for (const raw of symbols) {
      const symbol = raw.toUpperCase();
      if (this.subs.has(symbol)) continue;
      const shard = this.shardWithRoom();
      shard.symbols.add(symbol);
      const feed = new SymbolFeed(this.venue, symbol, this.listener);
      const sync = new BinanceDepthSync(
        feed,
        {
          requestSnapshot: (reason) => this.requestSnapshot(symbol, reason),
          note: (event, fields) =>
            this.logger.log(event === 'gap' || event === 'resync' ? 'warn' : 'info', event, { venue: this.venue, symbol, ...fields }),
        },
        this.flavour.rules,
      );
      this.subs.set(symbol, { feed, sync, shard, snapshotBackoff: new Backoff(500, 30_000), snapshotTimer: null });
      feed.setState('connecting', 'subscribed');
      added.set(shard, [...(added.get(shard) ?? []), symbol]);
    }
    for (const [shard, list] of added) {
      this.logger.log('info', 'subscribe', { venue: this.venue, symbols: list });
      if (!shard.connection.isStarted) {
        shard.connection.start();
      } else if (shard.connection.isOpen) {
        // Live subscribe on the open connection; its URL covers these symbols on any reconnect.
        shard.connection.send(JSON.stringify({ method: 'SUBSCRIBE', params: list.flatMap(streamNames), id: this.nextRequestId++ }));
        for (const symbol of list) this.subs.get(symbol)!.sync.start();
      }
    }
  }

  private shardWithRoom(): Shard {
    const last = this.shards.at(-1);
    if (last && last.symbols.size < SYMBOLS_PER_CONNECTION) return last;
    const shard: Shard = { symbols: new Set(), generation: 0, connection: null as unknown as FeedConnection };
    shard.connection = new FeedConnection({
      venue: this.venue,
      transport: this.transport,
      logger: this.logger,
      url: () => `${this.endpoints.ws}/stream?streams=${[...shard.symbols].flatMap(streamNames).join('/')}`,
      staleAfterMs: this.staleAfterMs,
      sendIntervalMs: SEND_INTERVAL_MS,
      // Binance closes every connection at 24 h: reconnect on our own terms a little before.
      maxLifetimeMs: 23.5 * 60 * 60 * 1000,
      handlers: {
        onOpen: () => {
          shard.generation++;
          for (const symbol of shard.symbols) this.subs.get(symbol)?.sync.start();
        },
        onFrame: (text, receivedAt) => this.onFrame(shard, text, receivedAt),
        onDown: (reason) => {
          shard.generation++;
          for (const symbol of shard.symbols) {
            const sub = this.subs.get(symbol);
            if (!sub) continue;
            sub.feed.health.reconnects++;
            sub.feed.health.lastError = reason;
            sub.sync.disconnected(reason);
          }
        },
      },
    });
    this.shards.push(shard);
    return shard;
  }

  /** Connections in use (tests check the per-connection symbol limit). */
  get connectionCount(): number {
    return this.shards.length;
  }

  feed(symbol: string): SymbolFeed | undefined {
    return this.subs.get(symbol.toUpperCase())?.feed;
  }

  *feeds(): Iterable<SymbolFeed> {
    for (const sub of this.subs.values()) yield sub.feed;
  }

  health(): SymbolHealth[] {
    const now = this.transport.clock.now();
    return [...this.subs.values()].map((s) => s.feed.healthSnapshot(now));
  }

  async listInstruments(): Promise<Instrument[]> {
    const url = `${this.endpoints.rest}${this.flavour.exchangeInfoPath}`;
    let response;
    try {
      response = await this.transport.get(url, { timeoutMs: 10_000 });
    } catch (error) {
      throw new Error(`${this.venue}: cannot reach ${this.endpoints.rest} (${(error as Error).message})`, { cause: error });
    }
    if (response.status !== 200) throw new Error(`${this.venue}: instrument list request failed with HTTP ${response.status}`);
    return parseExchangeInfo(this.venue, response.body);
  }

  close(): void {
    this.closed = true;
    for (const sub of this.subs.values()) this.transport.clock.clearTimeout(sub.snapshotTimer);
    for (const shard of this.shards) {
      shard.generation++;
      shard.connection.close();
    }
  }

  private onFrame(shard: Shard, text: string, receivedAt: number): void {
    let msg;
    try {
      msg = parseStreamFrame(text);
    } catch (error) {
      if (!(error instanceof MalformedFrameError)) throw error;
      const sub = this.subs.get(symbolOfStream(text));
      if (sub) {
        sub.feed.health.malformed++;
        sub.feed.health.lastError = `malformed frame skipped: ${error.message}`;
      } else {
        this.unattributedMalformed++;
      }
      this.logger.log('warn', 'malformed-frame', { venue: this.venue, error: error.message, bytes: text.length });
      return;
    }
    switch (msg.kind) {
      case 'depth': {
        const sub = this.subs.get(msg.symbol);
        if (sub) sub.sync.onDepth(msg.data, receivedAt);
        return;
      }
      case 'bookTicker': {
        const sub = this.subs.get(msg.symbol);
        if (sub) sub.sync.onTicker(msg.data, receivedAt);
        return;
      }
      case 'serverShutdown':
        this.logger.log('warn', 'server-shutdown', { venue: this.venue });
        shard.connection.restart('server announced shutdown');
        return;
      case 'response':
        if (msg.error) this.logger.log('error', 'subscribe-error', { venue: this.venue, error: msg.error });
        return;
      case 'other':
        return;
    }
  }

  /** Fetch a REST snapshot for a symbol, within the IP's request-weight budget, retrying with back-off. */
  private requestSnapshot(symbol: string, reason: string): void {
    const sub = this.subs.get(symbol);
    if (!sub || this.closed) return;
    const clock = this.transport.clock;
    const generation = sub.shard.generation;
    const current = (): boolean => generation === sub.shard.generation && !this.closed;
    const limit = this.flavour.snapshotLimit;
    const wait = this.budget.reserve(this.flavour.snapshotWeight(limit));
    if (wait > 0) {
      this.logger.log('warn', 'snapshot-deferred', { venue: this.venue, symbol, waitMs: wait, reason: 'request weight budget' });
      clock.clearTimeout(sub.snapshotTimer);
      sub.snapshotTimer = clock.setTimeout(() => {
        if (current()) this.fetchSnapshot(sub, symbol, limit, reason, generation);
        else sub.sync.onSnapshotFailed();
      }, wait);
      return;
    }
    this.fetchSnapshot(sub, symbol, limit, reason, generation);
  }

  private fetchSnapshot(sub: Subscription, symbol: string, limit: number, reason: string, generation: number): void {
    const clock = this.transport.clock;
    const current = (): boolean => generation === sub.shard.generation && !this.closed;
    const url = `${this.endpoints.rest}${this.flavour.depthPath}?symbol=${symbol}&limit=${limit}`;
    this.logger.log('info', 'snapshot-request', { venue: this.venue, symbol, reason });
    const retry = (why: string, delayMs?: number): void => {
      const delay = delayMs ?? sub.snapshotBackoff.next();
      sub.feed.health.lastError = `snapshot failed: ${why}; retrying in ${Math.round(delay / 100) / 10} s`;
      this.logger.log('warn', 'snapshot-failed', { venue: this.venue, symbol, error: why, retryMs: delay });
      clock.clearTimeout(sub.snapshotTimer);
      sub.snapshotTimer = clock.setTimeout(() => {
        if (current()) this.requestSnapshot(symbol, 'retry');
        else sub.sync.onSnapshotFailed();
      }, delay);
    };
    this.transport.get(url, { timeoutMs: 10_000 }).then(
      (response) => {
        this.budget.observeUsed(Number(response.headers['x-mbx-used-weight-1m']));
        if (!current()) {
          sub.sync.onSnapshotFailed();
          return;
        }
        if (response.status === 429 || response.status === 418) {
          // Rate limited (418: the IP is banned for repeating it). Honour Retry-After, in seconds.
          const retryAfter = Number(response.headers['retry-after']);
          retry(`HTTP ${response.status} rate limit`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
          return;
        }
        if (response.status !== 200) {
          retry(`HTTP ${response.status}`);
          return;
        }
        let snapshot;
        try {
          snapshot = parseDepthSnapshot(response.body);
        } catch (error) {
          retry((error as Error).message);
          return;
        }
        sub.snapshotBackoff.reset();
        sub.sync.onSnapshot(snapshot, clock.now());
      },
      (error: Error) => {
        if (!current()) {
          sub.sync.onSnapshotFailed();
          return;
        }
        retry(error.message);
      },
    );
  }
}

function streamNames(symbol: string): string[] {
  const s = symbol.toLowerCase();
  return [`${s}@depth@100ms`, `${s}@bookTicker`];
}

/** Best-effort symbol of a malformed combined-stream frame, from its `"stream":"sym@..."` text. */
function symbolOfStream(text: string): string {
  const m = /"stream"\s*:\s*"([a-z0-9]+)@/i.exec(text.slice(0, 200));
  return m ? m[1]!.toUpperCase() : '';
}
