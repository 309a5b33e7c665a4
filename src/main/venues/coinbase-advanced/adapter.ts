/**
 * Coinbase Advanced Trade adapter (advanced-trade-ws.coinbase.com), public market data:
 *   - one connection that carries only the book: `heartbeats` (without it Coinbase idle-closes channels
 *     after 60-90 s) and `level2` for every subscribed product, one channel per subscribe message, at
 *     most one outgoing message per 150 ms (Coinbase allows 8 unauthenticated messages/s per IP);
 *   - `sequence_num` is checked for continuity across every message on the connection: PROTOCOLS §2.5
 *     reports it as one counter per connection shared by all its channels, which is also why no other
 *     channel shares this socket. A gap unsubscribes and subscribes `level2` again, rebuilding every
 *     book on the connection from fresh snapshots;
 *   - heartbeats missing for a few seconds: subscribe `heartbeats` again; still missing after that:
 *     reconnect. Nothing at all for `staleAfterMs`: reconnect (FeedConnection);
 *   - level2 snapshots are the whole book and can be several MB: the transport must accept large
 *     frames (LiveTransport's default limit is 64 MB).
 * PROTOCOLS.md §2.
 */
import type { SymbolHealth } from '../../../shared/contract';
import type { Instrument, VenueId } from '../../../shared/market';
import type { Logger } from '../../log';
import { MalformedFrameError, type AdapterOptions, type VenueAdapter } from '../adapter';
import { FeedConnection } from '../connection';
import { MalformedFrames } from '../frames';
import type { VenueModule } from '../registry';
import { RepeatingTimer } from '../repeating-timer';
import { restGetOnce, type RestTarget } from '../rest';
import { connectionLost, feedsOf, healthOf } from '../subscriptions';
import { SymbolFeed, type FeedListener } from '../symbol-feed';
import type { Transport } from '../transport';
import { parseAdvancedProducts } from './instruments';
import { namesProduct } from '../coinbase/messages';
import { channelFrame, parseEnvelope, productsFromSubscribe, type Envelope } from './messages';
import { AdvancedBookSync } from './sync';

export const ADVANCED_ENDPOINTS = { ws: 'wss://advanced-trade-ws.coinbase.com', rest: 'https://api.coinbase.com' };

export interface AdvancedAdapterOptions extends AdapterOptions {
  endpoints?: { ws: string; rest: string };
  /** Nothing at all received for this long: the connection is dead (heartbeats come every second). */
  staleAfterMs?: number;
  /** No heartbeat for this long: subscribe heartbeats again (and reconnect if that does not help). */
  heartbeatTimeoutMs?: number;
  /** No snapshot this long after subscribing a product: subscribe it again. */
  snapshotTimeoutMs?: number;
}

/** 8 unauthenticated messages per second per IP: one every 150 ms stays below it. */
export const ADVANCED_SEND_INTERVAL_MS = 150;
const PRODUCTS_PER_MESSAGE = 50;
const TICK_MS = 250;

interface Product {
  id: string;
  feed: SymbolFeed;
  sync: AdvancedBookSync;
  active: boolean;
  subscribedAt: number;
}

export class CoinbaseAdvancedAdapter implements VenueAdapter {
  readonly venue: VenueId = 'coinbase-advanced';
  private readonly transport: Transport;
  private readonly logger: Logger;
  private readonly listener: FeedListener;
  private readonly endpoints: { ws: string; rest: string };
  private readonly heartbeatTimeoutMs: number;
  private readonly snapshotTimeoutMs: number;
  private readonly products = new Map<string, Product>();
  private readonly connection: FeedConnection;
  private readonly rest: RestTarget;
  private readonly malformed: MalformedFrames;
  /** The sequence_num the next message on this connection must carry; null until the first one. */
  private expectedSeq: number | null = null;
  private lastHeartbeatAt = 0;
  /** Heartbeats were already subscribed again once in the current silence. */
  private heartbeatRetried = false;
  /** Heartbeat, snapshot-wait (and ticker-probe) checks while a connection is up. */
  private readonly checks: RepeatingTimer;
  private closed = false;

  constructor(options: AdvancedAdapterOptions) {
    this.transport = options.transport;
    this.logger = options.logger;
    this.listener = options.listener;
    this.endpoints = options.endpoints ?? ADVANCED_ENDPOINTS;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 5000;
    this.snapshotTimeoutMs = options.snapshotTimeoutMs ?? 15_000;
    this.rest = { venue: this.venue, transport: this.transport, base: this.endpoints.rest, timeoutMs: 10_000 };
    this.malformed = new MalformedFrames(this.venue, this.logger);
    this.checks = new RepeatingTimer(this.transport.clock, TICK_MS, (now) => this.tick(now));
    this.connection = new FeedConnection({
      venue: this.venue,
      transport: this.transport,
      logger: this.logger,
      url: () => this.endpoints.ws,
      staleAfterMs: options.staleAfterMs ?? 10_000,
      sendIntervalMs: ADVANCED_SEND_INTERVAL_MS,
      handlers: {
        onOpen: () => this.onOpen(),
        onFrame: (text, receivedAt) => this.onFrame(text, receivedAt),
        onDown: (reason) => this.onDown(reason),
      },
    });
  }

  get unattributedMalformed(): number {
    return this.malformed.unattributed;
  }

  subscribe(symbols: readonly string[]): void {
    if (this.closed) return;
    const added: Product[] = [];
    for (const raw of symbols) {
      const id = raw.toUpperCase();
      if (this.products.has(id)) continue;
      const feed = new SymbolFeed(this.venue, id, this.listener);
      const sync = new AdvancedBookSync(feed, {
        resubscribe: (reason) => this.resubscribe([id], reason),
        note: (event, fields) => this.logger.log(event === 'resync' ? 'warn' : 'info', event, { venue: this.venue, symbol: id, ...fields }),
      });
      const product: Product = { id, feed, sync, active: true, subscribedAt: 0 };
      this.products.set(id, product);
      feed.setState('connecting', 'subscribed');
      added.push(product);
    }
    if (added.length === 0) return;
    if (!this.connection.isStarted) {
      this.connection.start();
    } else if (this.connection.isOpen) {
      const now = this.transport.clock.now();
      for (const p of added) {
        p.sync.awaitSnapshot('buffering', 'subscribed');
        p.subscribedAt = now;
      }
      this.sendLevel2('subscribe', added.map((p) => p.id));
    }
  }

  feed(symbol: string): SymbolFeed | undefined {
    return this.products.get(symbol.toUpperCase())?.feed;
  }

  feeds(): Iterable<SymbolFeed> {
    return feedsOf(this.products);
  }

  health(): SymbolHealth[] {
    return healthOf(this.products, this.transport.clock.now());
  }

  async listInstruments(): Promise<Instrument[]> {
    return parseAdvancedProducts(this.venue, await restGetOnce(this.rest, '/api/v3/brokerage/market/products', 'product list'));
  }

  close(): void {
    this.closed = true;
    this.checks.stop();
    this.connection.close();
  }

  // ---- connection ------------------------------------------------------------------------------

  private activeProducts(): Product[] {
    return [...this.products.values()].filter((p) => p.active);
  }

  private onOpen(): void {
    this.expectedSeq = null;
    const now = this.transport.clock.now();
    this.lastHeartbeatAt = now;
    this.heartbeatRetried = false;
    const active = this.activeProducts();
    for (const p of active) {
      p.sync.awaitSnapshot('buffering', 'connected, subscribing');
      p.subscribedAt = now;
    }
    // Heartbeats first: they keep the level2 channel from being idle-closed.
    this.connection.send(channelFrame('subscribe', 'heartbeats'));
    this.sendLevel2('subscribe', active.map((p) => p.id));
    this.checks.start();
  }

  private onDown(reason: string): void {
    this.checks.stop();
    for (const p of this.products.values()) {
      if (p.active) connectionLost(p, reason);
    }
  }

  private sendLevel2(type: 'subscribe' | 'unsubscribe', ids: string[]): void {
    for (let i = 0; i < ids.length; i += PRODUCTS_PER_MESSAGE) {
      const chunk = ids.slice(i, i + PRODUCTS_PER_MESSAGE);
      this.connection.send(channelFrame(type, 'level2', chunk));
      this.logger.log('info', type, { venue: this.venue, symbols: chunk, channel: 'level2' });
    }
  }

  /** Unsubscribe and subscribe `level2` again for these products: the venue sends fresh snapshots. */
  private resubscribe(ids: string[], reason: string): void {
    if (!this.connection.isOpen || ids.length === 0) return;
    this.logger.log('warn', 'resubscribe', { venue: this.venue, symbols: ids, reason });
    const now = this.transport.clock.now();
    for (const id of ids) {
      const p = this.products.get(id);
      if (p) p.subscribedAt = now;
    }
    this.sendLevel2('unsubscribe', ids);
    this.sendLevel2('subscribe', ids);
  }

  /** Rebuild every book on the connection (after a sequence gap). */
  private resyncAll(reason: string): void {
    const active = this.activeProducts();
    for (const p of active) {
      p.feed.health.lastError = reason;
      p.sync.awaitSnapshot('resyncing', reason);
    }
    this.resubscribe(
      active.map((p) => p.id),
      reason,
    );
  }

  private tick(now: number): void {
    const silent = now - this.lastHeartbeatAt;
    if (silent > this.heartbeatTimeoutMs) {
      const seconds = Math.round(silent / 100) / 10;
      if (!this.heartbeatRetried) {
        this.heartbeatRetried = true;
        this.lastHeartbeatAt = now;
        this.logger.log('warn', 'heartbeat-missing', { venue: this.venue, silentMs: silent, action: 'resubscribe heartbeats' });
        for (const p of this.activeProducts()) p.feed.health.lastError = `no heartbeat for ${seconds} s; subscribed to heartbeats again`;
        this.connection.send(channelFrame('subscribe', 'heartbeats'));
      } else {
        this.logger.log('warn', 'heartbeat-missing', { venue: this.venue, silentMs: silent, action: 'reconnect' });
        this.connection.restart(`no heartbeat for ${seconds} s after subscribing to heartbeats again`);
        return;
      }
    }
    const late = this.activeProducts().filter(
      (p) => (p.feed.state === 'buffering' || p.feed.state === 'resyncing') && now - p.subscribedAt > this.snapshotTimeoutMs,
    );
    for (const p of late) p.sync.awaitSnapshot('resyncing', 'no snapshot after subscribing');
    this.resubscribe(
      late.map((p) => p.id),
      `no snapshot within ${Math.round(this.snapshotTimeoutMs / 1000)} s of subscribing`,
    );
  }

  // ---- frames ----------------------------------------------------------------------------------

  private onFrame(text: string, receivedAt: number): void {
    let msg: Envelope;
    try {
      msg = parseEnvelope(text);
    } catch (error) {
      if (!(error instanceof MalformedFrameError)) throw error;
      this.onMalformed(text, error.message);
      return;
    }
    if (msg.seq !== null && !this.sequenceContinues(msg.seq)) return;
    switch (msg.kind) {
      case 'l2':
        for (const ev of msg.events) {
          for (const p of this.productsFor(ev.productId)) p.sync.onEvent(ev, receivedAt);
        }
        return;
      case 'heartbeats':
        this.lastHeartbeatAt = receivedAt;
        this.heartbeatRetried = false;
        return;
      case 'subscriptions': {
        const level2 = new Set(msg.channels.level2 ?? []);
        const missing = this.activeProducts().filter((p) => !level2.has(p.id) && p.feed.state === 'synced');
        if (missing.length > 0) this.logger.log('warn', 'subscription-missing', { venue: this.venue, symbols: missing.map((p) => p.id) });
        return;
      }
      case 'error':
        this.onVenueError(msg.message);
        return;
      case 'other':
        return;
    }
  }

  /**
   * Check `sequence_num` against the connection's counter. A message that does not continue it (gap
   * or repeat) means messages were lost: every book on the connection is rebuilt; the counter then
   * continues from this message.
   */
  private sequenceContinues(seq: number): boolean {
    const expected = this.expectedSeq;
    this.expectedSeq = seq + 1;
    if (expected === null || seq === expected) return true;
    const reason = `sequence gap: expected sequence_num ${expected}, got ${seq}`;
    this.logger.log('warn', 'gap', { venue: this.venue, expected, got: seq });
    for (const p of this.activeProducts()) p.feed.health.gaps++;
    this.resyncAll(reason);
    return false;
  }

  private onMalformed(text: string, error: string): void {
    const ids = productsOfText(text);
    const hit = ids.flatMap((id) => this.productsFor(id));
    this.malformed.count(text, error, hit.map((p) => p.feed));
    // A skipped frame that used a sequence number would otherwise read as a gap at the next message.
    // If it carried book data, the books it named (all of them, if none can be named) are rebuilt;
    // a frame whose number cannot be read is left to the gap check.
    const seq = /"sequence_num"\s*:\s*(\d+)/.exec(text.slice(0, 4096));
    if (!seq) return;
    this.expectedSeq = Number(seq[1]) + 1;
    if (!/"channel"\s*:\s*"l2_data"/.test(text.slice(0, 4096))) return;
    const reason = `unreadable book message skipped: ${error}`;
    if (hit.length === 0) {
      this.resyncAll(reason);
      return;
    }
    for (const p of hit) if (p.feed.state === 'synced' || p.feed.state === 'buffering') p.sync.resync(reason);
  }

  /**
   * Feeds an event's product belongs to. Advanced Trade sends `-USD` data for `-USDC` products
   * (PROTOCOLS §2.2), so a `BTC-USD` event also feeds a subscribed `BTC-USDC` book.
   */
  private productsFor(id: string): Product[] {
    const out: Product[] = [];
    const direct = this.products.get(id);
    if (direct?.active) out.push(direct);
    if (id.endsWith('-USD')) {
      const alias = this.products.get(`${id}C`);
      if (alias?.active) out.push(alias);
    }
    return out;
  }

  private onVenueError(text: string): void {
    this.logger.log('error', 'venue-error', { venue: this.venue, error: text });
    const active = this.activeProducts();
    const refused = active.filter((p) => namesProduct(text, p.id));
    if (refused.length > 0) {
      for (const p of refused) {
        p.active = false;
        p.sync.fail(`${p.id} cannot be streamed from Coinbase Advanced Trade: ${text}`);
      }
      const waiting = active.filter((p) => p.active && p.feed.state !== 'synced');
      this.sendLevel2(
        'subscribe',
        waiting.map((p) => p.id),
      );
      return;
    }
    for (const p of active) p.feed.health.lastError = `Coinbase Advanced Trade error: ${text}`;
  }
}

export const coinbaseAdvancedVenue: VenueModule = {
  id: 'coinbase-advanced',
  name: 'Coinbase Advanced Trade',
  createAdapter: (ctx) => new CoinbaseAdvancedAdapter(ctx),
  captureSymbols: (kind, text) => (kind === 'send' ? productsFromSubscribe(text) : []),
};

/** Products a malformed frame mentions, from its `"product_id":"..."` texts. */
function productsOfText(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.slice(0, 4096).matchAll(/"product_id"\s*:\s*"([A-Za-z0-9-]+)"/g)) out.add(m[1]!.toUpperCase());
  return [...out];
}

