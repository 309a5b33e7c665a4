/**
 * Coinbase Advanced Trade adapter (advanced-trade-ws.coinbase.com), public market data:
 *   - one connection that carries only the book: `heartbeats` (without it Coinbase idle-closes channels
 *     after 60-90 s) and `level2` for every subscribed product, at most one outgoing message per 200 ms
 *     (Coinbase allows 8 unauthenticated messages/s per IP);
 *   - `sequence_num` is one counter per connection shared by all its channels (which is also why no
 *     other channel shares this socket): a gap rebuilds every book on the connection;
 *   - heartbeats missing for a few seconds: subscribe `heartbeats` again; still missing: reconnect;
 *   - level2 snapshots are the whole book and can be several MB (LiveTransport accepts 64 MB frames);
 *   - trades (`market_trades`, with `heartbeats` to keep it open) travel on a trade connection of their
 *     own, so that their messages never share the book connection's `sequence_num` count.
 * docs/venues.md#coinbase-advanced.
 */
import type { Instrument } from '../../../shared/market';
import type { SessionOptions } from '../adapter';
import { namesProduct } from '../coinbase/messages';
import { RepeatingTimer } from '../repeating-timer';
import { restGetOnce } from '../rest';
import { inBatches, VenueSession, type ConnectionSpec, type RestSpec, type Link, type Note, type SessionEntry, type TradeConnectionSpec, type VenueProtocol } from '../session';
import type { SymbolFeed } from '../symbol-feed';
import { parseAdvancedProducts } from './instruments';
import { channelFrame, parseEnvelope, type Envelope } from './messages';
import { AdvancedBookSync } from './sync';

export const ADVANCED_ENDPOINTS = { ws: 'wss://advanced-trade-ws.coinbase.com', rest: 'https://api.coinbase.com' };

export interface AdvancedAdapterOptions extends SessionOptions {
  /** No heartbeat for this long: subscribe heartbeats again (and reconnect if that does not help). */
  heartbeatTimeoutMs?: number;
}

/**
 * 8 unauthenticated messages per second per IP, counted where they arrive: one every 200 ms here and
 * one a second on the trade connection (6/s together) leave room for messages bunched up on the way.
 */
export const ADVANCED_SEND_INTERVAL_MS = 200;
const PRODUCTS_PER_MESSAGE = 50;

type Entry = SessionEntry<AdvancedBookSync>;
class AdvancedProtocol implements VenueProtocol<AdvancedBookSync, Envelope> {
  readonly connection: ConnectionSpec;
  readonly tradeConnection: TradeConnectionSpec<AdvancedBookSync>;
  readonly rest: RestSpec;
  /** The sequence_num the next message on the trade connection must carry; null until the first one. */
  private expectedTradeSeq: number | null = null;
  private readonly subscribedAt = new Map<string, number>();
  /** The sequence_num the next message on this connection must carry; null until the first one. */
  private expectedSeq: number | null = null;
  private lastHeartbeatAt = 0;
  /** Heartbeats were already subscribed again once in the current silence. */
  private heartbeatRetried = false;
  private link: Link | null = null;
  /** Heartbeat and snapshot-wait checks while a connection is up (every 250 ms). */
  private readonly checks: RepeatingTimer;
  private readonly heartbeatTimeoutMs: number;
  private readonly snapshotTimeoutMs: number;

  constructor(
    private readonly session: CoinbaseAdvancedAdapter,
    options: AdvancedAdapterOptions,
  ) {
    const endpoints = options.endpoints ?? ADVANCED_ENDPOINTS;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 5000;
    this.snapshotTimeoutMs = options.snapshotTimeoutMs ?? 15_000;
    this.rest = { base: endpoints.rest };
    this.connection = { url: () => endpoints.ws, staleAfterMs: options.staleAfterMs ?? 10_000, sendIntervalMs: ADVANCED_SEND_INTERVAL_MS };
    // The limit of 8 messages/s is per IP, shared with the book connection (at most 5/s): the trade
    // connection, which only subscribes, sends at most one message a second.
    this.tradeConnection = {
      ...this.connection,
      sendIntervalMs: 1000,
      subscribeFrames: (entries) => inBatches(entries.map((e) => e.symbol), PRODUCTS_PER_MESSAGE).map((batch) => channelFrame('subscribe', 'market_trades', batch)),
    };
    this.checks = new RepeatingTimer(session.clock, 250, (now) => this.tick(now));
  }

  createSync(feed: SymbolFeed, note: Note): AdvancedBookSync {
    return new AdvancedBookSync(feed, { resubscribe: (reason) => this.resubscribe(this.session.list((e) => e.feed === feed), reason), note });
  }

  subscribeFrames(entries: readonly Entry[]): string[] {
    const now = this.session.clock.now();
    for (const e of entries) this.subscribedAt.set(e.symbol, now);
    return this.level2('subscribe', entries);
  }

  readonly parse: (text: string, receivedAt: number) => Envelope = parseEnvelope;

  /**
   * Products a frame names. Advanced Trade sends `-USD` data for `-USDC` products (docs/venues.md#coinbase-advanced),
   * so a `BTC-USD` event also feeds a subscribed `BTC-USDC` book.
   */
  symbolsIn(text: string): string[] {
    return [...text.slice(0, 4096).matchAll(/"product_id"\s*:\s*"([A-Za-z0-9-]+)"/g)].flatMap((m) => aliases(m[1]!));
  }

  route(msg: Envelope, receivedAt: number, link: Link): void {
    if (link.carries === 'trades') return this.routeTradeConnection(msg);
    if (msg.seq !== null && !this.sequenceContinues(msg.seq)) return;
    switch (msg.kind) {
      case 'trades':
        return this.session.routeTrades(msg.batch, aliases);
      case 'l2':
        for (const ev of msg.events) for (const e of this.entriesFor([ev.productId])) e.sync.onEvent(ev, receivedAt);
        return;
      case 'heartbeats':
        this.lastHeartbeatAt = receivedAt;
        this.heartbeatRetried = false;
        return;
      case 'subscriptions': {
        const level2 = new Set(msg.channels.level2 ?? []);
        const missing = this.session.list((e) => !level2.has(e.symbol) && e.feed.state === 'synced');
        if (missing.length > 0) this.session.logger.log('warn', 'subscription-missing', { venue: 'coinbase-advanced', symbols: missing.map((e) => e.symbol) });
        return;
      }
      case 'error':
        return this.onVenueError(msg.message);
      case 'other':
        return;
    }
  }

  async listInstruments(): Promise<Instrument[]> {
    return parseAdvancedProducts('coinbase-advanced', await restGetOnce(this.session.rest, '/api/v3/brokerage/market/products', 'product list'));
  }

  onOpen(link: Link): void {
    if (link.carries === 'trades') {
      this.expectedTradeSeq = null;
      // Heartbeats keep the trade channel from being idle-closed on a quiet product.
      this.session.send(channelFrame('subscribe', 'heartbeats'), link);
      return;
    }
    this.link = link;
    this.expectedSeq = null;
    this.lastHeartbeatAt = this.session.clock.now();
    this.heartbeatRetried = false;
    // Heartbeats first: they keep the level2 channel from being idle-closed.
    this.session.send(channelFrame('subscribe', 'heartbeats'), link);
    this.checks.start();
  }

  onDown(link: Link): void {
    if (link.carries === 'trades') return;
    this.checks.stop();
  }

  close(): void {
    this.checks.stop();
  }

  /**
   * A skipped frame that used a sequence number would otherwise read as a gap at the next message.
   * If it carried book data, the books it named (all of them, if none can be named) are rebuilt; a
   * frame whose number cannot be read is left to the gap check.
   */
  onMalformed(text: string, reason: string, named: readonly Entry[], link: Link): void {
    const seq = /"sequence_num"\s*:\s*(\d+)/.exec(text.slice(0, 4096));
    if (!seq) return;
    // Each connection has its own count; a skipped trade message touches no book.
    if (link.carries === 'trades') {
      this.expectedTradeSeq = Number(seq[1]) + 1;
      return;
    }
    this.expectedSeq = Number(seq[1]) + 1;
    if (!/"channel"\s*:\s*"l2_data"/.test(text.slice(0, 4096))) return;
    const why = `unreadable book message skipped: ${reason}`;
    if (named.length === 0) return this.resyncAll(why);
    for (const e of named) if (e.feed.state === 'synced' || e.feed.state === 'buffering') e.sync.resync(why);
  }

  /**
   * A message on the trade connection: trades go to their products. Its own `sequence_num` count
   * tells of lost trade messages; market trade ids are not consecutive, so this is the only sign.
   */
  private routeTradeConnection(msg: Envelope): void {
    if (msg.seq !== null) {
      const expected = this.expectedTradeSeq;
      this.expectedTradeSeq = msg.seq + 1;
      if (expected !== null && msg.seq !== expected) {
        this.session.logger.log('warn', 'trade-sequence-gap', { venue: 'coinbase-advanced', expected, got: msg.seq });
        for (const e of this.active()) e.feed.tradesInterrupted(`trade messages lost: expected sequence_num ${expected}, got ${msg.seq}`);
      }
    }
    if (msg.kind === 'trades') this.session.routeTrades(msg.batch, aliases);
    else if (msg.kind === 'error') this.onVenueError(msg.message);
  }

  private active(): Entry[] {
    return this.session.list((e) => e.feed.state !== 'failed');
  }

  private entriesFor(ids: readonly string[]): Entry[] {
    return ids.flatMap(aliases).flatMap((id) => this.session.entry(id) ?? []).filter((e) => e.feed.state !== 'failed');
  }

  private level2(type: 'subscribe' | 'unsubscribe', entries: readonly Entry[]): string[] {
    return inBatches(entries, PRODUCTS_PER_MESSAGE).map((batch) => {
      const symbols = batch.map((e) => e.symbol);
      this.session.logger.log('info', type, { venue: 'coinbase-advanced', symbols, channel: 'level2' });
      return channelFrame(type, 'level2', symbols);
    });
  }

  /** Unsubscribe and subscribe `level2` again for these products: the venue sends fresh snapshots. */
  private resubscribe(entries: readonly Entry[], reason: string): void {
    if (!this.link?.connection.isOpen || entries.length === 0) return;
    this.session.logger.log('warn', 'resubscribe', { venue: 'coinbase-advanced', symbols: entries.map((e) => e.symbol), reason });
    for (const frame of [...this.level2('unsubscribe', entries), ...this.subscribeFrames(entries)]) this.session.send(frame, this.link);
  }

  /** Rebuild every book on the connection (after a sequence gap). */
  private resyncAll(reason: string): void {
    const active = this.active();
    for (const e of active) e.feed.resync(reason);
    this.resubscribe(active, reason);
  }

  private tick(now: number): void {
    const silent = now - this.lastHeartbeatAt;
    if (silent > this.heartbeatTimeoutMs) {
      const seconds = Math.round(silent / 100) / 10;
      const action = this.heartbeatRetried ? 'reconnect' : 'resubscribe heartbeats';
      this.session.logger.log('warn', 'heartbeat-missing', { venue: 'coinbase-advanced', silentMs: silent, action });
      if (this.heartbeatRetried) return this.link?.connection.restart(`no heartbeat for ${seconds} s after subscribing to heartbeats again`);
      this.heartbeatRetried = true;
      this.lastHeartbeatAt = now;
      for (const e of this.active()) e.feed.error(`no heartbeat for ${seconds} s; subscribed to heartbeats again`);
      this.session.send(channelFrame('subscribe', 'heartbeats'), this.link ?? undefined);
    }
    const waiting = (e: Entry): boolean => e.feed.state === 'buffering' || e.feed.state === 'resyncing';
    const late = this.active().filter((e) => waiting(e) && now - (this.subscribedAt.get(e.symbol) ?? 0) > this.snapshotTimeoutMs);
    for (const e of late) e.feed.resync('no snapshot after subscribing');
    this.resubscribe(late, `no snapshot within ${Math.round(this.snapshotTimeoutMs / 1000)} s of subscribing`);
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
    this.session.logger.log('warn', 'gap', { venue: 'coinbase-advanced', expected, got: seq });
    for (const e of this.active()) e.feed.gap();
    this.resyncAll(`sequence gap: expected sequence_num ${expected}, got ${seq}`);
    return false;
  }

  private onVenueError(text: string): void {
    this.session.logger.log('error', 'venue-error', { venue: 'coinbase-advanced', error: text });
    const active = this.active();
    const refused = active.filter((e) => namesProduct(text, e.symbol));
    for (const e of refused) this.session.refuse(e, `${e.symbol} cannot be streamed from Coinbase Advanced Trade: ${text}`);
    if (refused.length > 0) return this.session.resend(active.filter((e) => e.feed.state !== 'failed' && e.feed.state !== 'synced'));
    for (const e of active) e.feed.error(`Coinbase Advanced Trade error: ${text}`);
  }
}

/** A product id and the `-USDC` product its `-USD` data also feeds. */
function aliases(id: string): string[] {
  const upper = id.toUpperCase();
  return upper.endsWith('-USD') ? [upper, `${upper}C`] : [upper];
}

/** The adapter: a session speaking this protocol. */
export type CoinbaseAdvancedAdapter = VenueSession<AdvancedBookSync, Envelope, AdvancedProtocol>;
export const createCoinbaseAdvancedAdapter = (options: AdvancedAdapterOptions): CoinbaseAdvancedAdapter => new VenueSession('coinbase-advanced', options, (session) => new AdvancedProtocol(session, options));
