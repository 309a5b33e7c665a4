/**
 * The types every venue shares: what an adapter offers the app, what a venue module tells the
 * registry and replay, and what an adapter is built from. They live here, beside the session, so
 * that venue folders and the registry both import them and neither imports the other.
 */
import type { SymbolHealth } from '../../shared/contract';
import type { Instrument, VenueId } from '../../shared/market';
import type { Logger } from '../log';
import type { FeedListener, SymbolFeed } from './symbol-feed';
import type { Transport } from './transport';

/** What every venue adapter offers the rest of the app, whatever its wire protocol. */
export interface VenueAdapter {
  readonly venue: VenueId;
  /** Start streaming these symbols (venue spelling); already-streamed symbols are left alone. */
  subscribe(symbols: readonly string[], options?: SubscribeOptions): void;
  feed(symbol: string): SymbolFeed | undefined;
  feeds(): Iterable<SymbolFeed>;
  health(): SymbolHealth[];
  /** The venue's tradable instruments; rejects with a message a user can read when unreachable. */
  listInstruments(): Promise<Instrument[]>;
  /** One instrument the adapter knows without the list (a desk subscriber: what the collectors published). */
  instrument?(symbol: string): Instrument | undefined;
  /** Malformed frames that could not be attributed to one symbol. */
  readonly unattributedMalformed: number;
  close(): void;
}

/** Per-subscription choices a venue offers; a venue ignores what it does not offer. */
export interface SubscribeOptions {
  /** Book depth per side (Kraken: 10, 25, 100, 500 or 1000). */
  depth?: number;
}

export interface AdapterOptions {
  transport: Transport;
  listener: FeedListener;
  logger: Logger;
}

/** What every adapter can be told besides its venue's own choices (tests use short timeouts). */
export interface SessionOptions extends AdapterOptions {
  /** Overrides the venue's endpoints (fake exchanges in tests, testnets, the demo venue). */
  endpoints?: { ws: string; rest: string };
  /** Nothing received (frame, ping or pong) for this long counts as a dropped connection. */
  staleAfterMs?: number;
  /** A (re)subscribed symbol without a snapshot after this long is subscribed again. */
  snapshotTimeoutMs?: number;
  /** Timeout of a REST request (for Binance snapshots, of the first try: it grows after each timeout). */
  restTimeoutMs?: number;
}

/** What the app hands a venue module to build an adapter. */
export interface AdapterContext extends AdapterOptions {
  endpoints?: { ws: string; rest: string };
  /** Optional API key the user configured for this venue (Coinbase Exchange: enables `level2`). */
  credentials?: VenueCredentials;
}

/** An API key for a venue. Public feeds need none; `passphrase` is Coinbase Exchange's. */
export interface VenueCredentials {
  key: string;
  secret: string;
  passphrase?: string;
}

/** One venue as the registry, the app and replay see it; each venue folder's index.ts exports its modules. */
export interface VenueModule {
  id: VenueId;
  name: string;
  createAdapter(ctx: AdapterContext): VenueAdapter;
  /** Symbols a recorded `open` URL or `send` frame subscribes to. */
  captureSymbols(kind: 'open' | 'send', text: string): string[];
  /**
   * Optional: symbols a received frame streams. Replay uses it only for a venue whose capture named
   * no symbols in any `open` URL or `send` frame (e.g. a Bybit recording without its subscribe frame).
   */
  frameSymbols?(text: string): string[];
  /** Optional: subscription choices a recorded `open` URL or `send` frame made (Kraken's book depth). */
  captureOptions?(kind: 'open' | 'send', text: string): SubscribeOptions | undefined;
}

export { MalformedFrameError } from './malformed-frame';
