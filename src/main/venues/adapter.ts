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

/** Raised for a frame that is not what the venue's protocol says it should be. */
export class MalformedFrameError extends Error {}
