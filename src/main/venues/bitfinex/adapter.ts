/**
 * Bitfinex v2 public WebSocket adapter (docs/venues.md#bitfinex): one connection per 12 trading pairs
 * (Bitfinex allows 25 channels per connection; each pair takes two), each pair on the `book` channel
 * (P0, real time, 100 levels unless asked otherwise) and the `trades` channel. On every connect the
 * first frame is `conf` with SEQ_ALL (every message carries the connection's next sequence number) and
 * OB_CHECKSUM (a `cs` message with the CRC32 of the top 25 levels after book changes). The sequence is
 * checked here, across every channel on the connection, before a message reaches a book; books are
 * kept and verified by ./sync.ts. A break, a failed checksum or a crossed book unsubscribes and
 * subscribes that book again (channel ids come from `subscribed` events). Heartbeats (`hb`) arrive on
 * quiet channels every 15 s, so silence means a dead connection. Instruments come from REST.
 */
import type { Instrument } from '../../../shared/market';
import { MalformedFrameError, type SessionOptions, type SubscribeOptions } from '../adapter';
import { restGetRetrying } from '../rest';
import { VenueSession, type ConnectionSpec, type Link, type Note, type RestSpec, type Resubscription, type SessionEntry, type VenueProtocol } from '../session';
import type { SymbolFeed } from '../symbol-feed';
import { PAIRS_PATH, parsePairs } from './instruments';
import {
  FLAG_OB_CHECKSUM,
  FLAG_SEQ_ALL,
  bookLevels,
  chanIdOfFrame,
  checksumOf,
  isBookLength,
  isSnapshot,
  parseBitfinexFrame,
  symbolKey,
  symbolOfEvent,
  type BitfinexEvent,
  type BitfinexMessage,
  type ChannelMessage,
} from './messages';
import { BitfinexBookSync } from './sync';
import { parseBitfinexTrades } from './trades';

export const BITFINEX_ENDPOINTS = { ws: 'wss://api-pub.bitfinex.com/ws/2', rest: 'https://api-pub.bitfinex.com' };

/** Book length subscribed unless a depth is asked for. */
export const DEFAULT_BITFINEX_DEPTH = 100;

/** Bitfinex: 25 channels per connection; each pair takes two (book and trades). */
const SYMBOLS_PER_CONNECTION = 12;

/** Info codes (docs ws-general "Info Messages"): the server restarts, or maintenance ended; both mean reconnect. */
const INFO_RECONNECT = 20051;
const INFO_MAINTENANCE_START = 20060;
const INFO_MAINTENANCE_END = 20061;
/** Error code for a subscribe to a channel the connection already has. */
const ERROR_ALREADY_SUBSCRIBED = 10301;

const MAX_RATE_LIMIT_RETRIES = 2;

export interface BitfinexAdapterOptions extends SessionOptions {
  /** Book length for symbols subscribed without one (25, 100 or 250). */
  depth?: number;
  /** Ask for book checksums (OB_CHECKSUM); on unless turned off. */
  checksums?: boolean;
}

/** Continuity of the connections' sequence numbers (SEQ_ALL), over all connections. */
export interface SequenceCounts {
  /** Messages whose number was checked to follow the previous message's by one. */
  checked: number;
  /** Numbers that jumped ahead (messages lost). */
  gaps: number;
  /** Numbers that did not move forward (repeated or earlier). */
  backwards: number;
}

interface ChannelInfo {
  channel: string;
  symbol: string;
}

/** What one connection has been told: its channel ids, and the last sequence number seen. */
interface LinkState {
  readonly channels: Map<number, ChannelInfo>;
  /** symbol → its book's channel id, for unsubscribing. */
  readonly bookChannels: Map<string, number>;
  lastSeq: number | null;
}

class BitfinexProtocol implements VenueProtocol<BitfinexBookSync, BitfinexMessage> {
  readonly connection: ConnectionSpec;
  readonly rest: RestSpec;
  readonly resubscription: Resubscription<BitfinexBookSync>;
  readonly sequence: SequenceCounts = { checked: 0, gaps: 0, backwards: 0 };
  private readonly defaultDepth: number;
  private readonly flags: number;
  private readonly links = new Map<Link, LinkState>();

  constructor(
    private readonly session: BitfinexAdapter,
    private readonly options: BitfinexAdapterOptions,
  ) {
    const endpoints = options.endpoints ?? BITFINEX_ENDPOINTS;
    this.defaultDepth = isBookLength(options.depth) ? options.depth : DEFAULT_BITFINEX_DEPTH;
    this.flags = FLAG_SEQ_ALL + (options.checksums === false ? 0 : FLAG_OB_CHECKSUM);
    this.rest = { base: endpoints.rest, timeoutMs: options.restTimeoutMs };
    this.connection = {
      url: () => endpoints.ws,
      // A quiet channel gets a heartbeat every 15 s; nothing at all for 25 s is a dead connection.
      staleAfterMs: options.staleAfterMs ?? 25_000,
      sendIntervalMs: 50,
      maxSymbols: SYMBOLS_PER_CONNECTION,
    };
    // Unsubscribe the book's channel and subscribe it again: Bitfinex answers with a fresh snapshot.
    this.resubscription = {
      snapshotTimeoutMs: options.snapshotTimeoutMs ?? 15_000,
      frames: (entry) => {
        // Rebuilt meanwhile (a reconnect, or in a replay the recorded new snapshot came first): nothing to ask.
        if (entry.feed.state === 'synced') return [];
        const state = this.links.get(entry.link);
        const chanId = state?.bookChannels.get(entry.symbol);
        const frames: string[] = [];
        if (state && chanId !== undefined) {
          // Frames still in flight on the old channel id are ignored from now on.
          state.bookChannels.delete(entry.symbol);
          state.channels.delete(chanId);
          frames.push(JSON.stringify({ event: 'unsubscribe', chanId }));
        }
        frames.push(this.bookRequest(entry));
        return frames;
      },
    };
  }

  key(symbol: string): string {
    return symbolKey(symbol);
  }

  createSync(feed: SymbolFeed, note: Note, options: SubscribeOptions | undefined): BitfinexBookSync {
    const hooks = { resubscribe: (reason: string) => this.session.scheduleResubscribe(feed.symbol, reason), note };
    return new BitfinexBookSync(feed, hooks, isBookLength(options?.depth) ? options.depth : this.defaultDepth);
  }

  subscribeFrames(entries: ReadonlyArray<SessionEntry<BitfinexBookSync>>): string[] {
    return entries.flatMap((e) => [this.bookRequest(e), JSON.stringify({ event: 'subscribe', channel: 'trades', symbol: e.symbol })]);
  }

  readonly parse: (text: string) => BitfinexMessage = parseBitfinexFrame;

  symbolsIn(text: string): string[] {
    const named = symbolOfEvent(text);
    if (named !== null) return [named];
    const chanId = chanIdOfFrame(text);
    if (chanId === null) return [];
    for (const state of this.links.values()) {
      const info = state.channels.get(chanId);
      if (info) return [info.symbol];
    }
    return [];
  }

  route(msg: BitfinexMessage, receivedAt: number, link: Link): void {
    const state = this.stateOf(link);
    if (msg.kind !== 'channel') return this.onEvent(msg, state, link);
    if (msg.seq !== null) this.checkSequence(state, link, msg.seq);
    const info = state.channels.get(msg.chanId);
    // A channel we never asked for, or one unsubscribed a moment ago.
    if (!info) return;
    const entry = this.session.entry(info.symbol);
    if (!entry) return;
    try {
      if (info.channel === 'book') this.onBook(entry, msg, receivedAt);
      else if (info.channel === 'trades') this.onTrades(entry, msg, receivedAt);
    } catch (error) {
      if (!(error instanceof MalformedFrameError)) throw error;
      entry.feed.malformed(error.message);
      this.session.logger.log('warn', 'malformed-frame', { venue: 'bitfinex', symbol: entry.symbol, error: error.message });
      // An unreadable book message may have changed the book: rebuild it rather than go on without it.
      if (info.channel === 'book') entry.sync.onUnreadable(error.message);
    }
  }

  async listInstruments(): Promise<Instrument[]> {
    return parsePairs(await restGetRetrying(this.session.rest, PAIRS_PATH, 'pair list', { logger: this.session.logger, retries: MAX_RATE_LIMIT_RETRIES }));
  }

  onOpen(link: Link): void {
    // A new connection: new channel ids, and its sequence starts afresh. conf goes before any subscribe.
    this.links.set(link, { channels: new Map(), bookChannels: new Map(), lastSeq: null });
    this.session.send(JSON.stringify({ event: 'conf', flags: this.flags }), link);
  }

  onDown(link: Link): void {
    this.links.delete(link);
  }

  // ---- messages ---------------------------------------------------------------------------------

  private stateOf(link: Link): LinkState {
    let state = this.links.get(link);
    if (!state) {
      state = { channels: new Map(), bookChannels: new Map(), lastSeq: null };
      this.links.set(link, state);
    }
    return state;
  }

  /**
   * Every channel message on a connection carries the next number. A number that does not follow
   * means a message was lost or repeated, and it could have belonged to any book on the connection.
   */
  private checkSequence(state: LinkState, link: Link, seq: number): void {
    const last = state.lastSeq;
    state.lastSeq = seq;
    if (last === null) return;
    if (seq === last + 1) {
      this.sequence.checked++;
      return;
    }
    if (seq > last) this.sequence.gaps++;
    else this.sequence.backwards++;
    this.session.logger.log('warn', 'sequence-break', { venue: 'bitfinex', expected: last + 1, seq });
    for (const entry of this.session.list((e) => e.link === link)) entry.sync.onSequenceBreak(last + 1, seq);
  }

  private onBook(entry: SessionEntry<BitfinexBookSync>, msg: ChannelMessage, receivedAt: number): void {
    switch (msg.body) {
      case 'hb':
        return;
      case 'cs':
        return entry.sync.onChecksum(checksumOf(msg.payload), receivedAt);
      case 'data':
        if (isSnapshot(msg.payload)) {
          entry.timers?.snapshotArrived();
          entry.sync.onSnapshot(bookLevels(msg.payload), msg.seq, receivedAt);
        } else {
          entry.sync.onUpdate(bookLevels(msg.payload), msg.seq, receivedAt);
        }
        return;
      default:
        throw new MalformedFrameError(`book message tagged "${msg.body}"`);
    }
  }

  private onTrades(entry: SessionEntry<BitfinexBookSync>, msg: ChannelMessage, receivedAt: number): void {
    const batch = parseBitfinexTrades(msg, entry.symbol, receivedAt);
    if (batch) entry.feed.trades(batch);
  }

  private onEvent(msg: BitfinexEvent, state: LinkState, link: Link): void {
    const { logger } = this.session;
    switch (msg.kind) {
      case 'subscribed':
        state.channels.set(msg.chanId, { channel: msg.channel, symbol: msg.symbol });
        if (msg.channel === 'book') state.bookChannels.set(msg.symbol, msg.chanId);
        return;
      case 'unsubscribed':
        return;
      case 'conf':
        if (!msg.ok) logger.log('error', 'conf-refused', { venue: 'bitfinex', flags: msg.flags ?? undefined });
        return;
      case 'info':
        if (msg.version !== null && msg.version !== 2) logger.log('error', 'unexpected-api-version', { venue: 'bitfinex', version: msg.version });
        if (msg.code === INFO_MAINTENANCE_START) logger.log('warn', 'venue-maintenance', { venue: 'bitfinex', msg: msg.msg ?? undefined });
        if (msg.code === INFO_RECONNECT || msg.code === INFO_MAINTENANCE_END) link.connection.restart(`bitfinex asked to reconnect (info ${msg.code})`);
        return;
      case 'error':
        return this.onError(msg);
      case 'other-event':
        return;
    }
  }

  private onError(msg: Extract<BitfinexEvent, { kind: 'error' }>): void {
    const { logger } = this.session;
    if (msg.code === ERROR_ALREADY_SUBSCRIBED) {
      logger.log('info', 'already-subscribed', { venue: 'bitfinex', symbol: msg.symbol ?? undefined, channel: msg.channel ?? undefined });
      return;
    }
    logger.log('error', 'request-failed', { venue: 'bitfinex', code: msg.code ?? undefined, error: msg.msg, symbol: msg.symbol ?? undefined });
    const entry = msg.symbol === null ? undefined : this.session.entry(msg.symbol);
    if (!entry || entry.feed.state === 'failed') return;
    const reason = `bitfinex refused ${entry.symbol}${msg.channel ? ` (${msg.channel})` : ''}: ${msg.msg}${msg.code !== null ? ` (code ${msg.code})` : ''}`;
    // Without its book the symbol is of no use; a refused trades channel only loses the tape.
    if (msg.channel === 'trades') entry.feed.error(reason);
    else this.session.refuse(entry, reason);
  }

  private bookRequest(entry: SessionEntry<BitfinexBookSync>): string {
    return JSON.stringify({ event: 'subscribe', channel: 'book', symbol: entry.symbol, prec: 'P0', freq: 'F0', len: String(entry.sync.depth) });
  }
}

/** The adapter: a session speaking this protocol. */
export type BitfinexAdapter = VenueSession<BitfinexBookSync, BitfinexMessage, BitfinexProtocol>;
export const createBitfinexAdapter = (options: BitfinexAdapterOptions): BitfinexAdapter =>
  new VenueSession('bitfinex', options, (session) => new BitfinexProtocol(session, options));
