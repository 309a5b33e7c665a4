/** Market model shared by every side: venue ids, instruments, normalized book events. */

export const VENUE_IDS = [
  'coinbase',
  'coinbase-advanced',
  'binance-spot',
  'binance-usdm',
  'kraken',
  'okx',
  'bybit-spot',
  'bybit-linear',
  'deribit',
  'bitget',
  'kraken-futures',
  'hyperliquid',
  'demo',
  'bitfinex',
  'demo-b',
] as const;

export type VenueId = (typeof VENUE_IDS)[number];

export function isVenueId(value: string): value is VenueId {
  return (VENUE_IDS as readonly string[]).includes(value);
}

export type Side = 'bid' | 'ask';

export interface Instrument {
  venue: VenueId;
  /** The venue's own symbol, as used on the wire (BTCUSDT, BTC-USD, BTC/USD). */
  symbol: string;
  /** Human-readable name, e.g. BTC/USDT. */
  display: string;
  base: string;
  quote: string;
  /** Decimal texts; null where the venue has not told us yet. */
  tickSize: string | null;
  lotSize: string | null;
  pricePrecision: number | null;
  sizePrecision: number | null;
  status: string;
}

/**
 * A normalized book change. Sizes are absolute; size 0 deletes the level; a snapshot replaces the
 * whole book. Prices and sizes stay as the venue's text.
 */
export interface BookEvent {
  venue: VenueId;
  symbol: string;
  kind: 'snapshot' | 'delta';
  bids: ReadonlyArray<readonly [string, string]>;
  asks: ReadonlyArray<readonly [string, string]>;
  seq?: number;
  prevSeq?: number;
  checksum?: number;
  exchangeTs?: number;
  localTs: number;
}

/** Sync state of one symbol's book, per DESIGN.md: connecting → buffering → synced → resyncing. */
export type SyncState = 'idle' | 'connecting' | 'buffering' | 'synced' | 'resyncing' | 'failed';

export function bookKey(venue: string, symbol: string): string {
  return `${venue}:${symbol}`;
}

/** The side of the order that took liquidity; 'unknown' only where the venue does not say. */
export type TakerSide = 'buy' | 'sell' | 'unknown';

/**
 * A normalized print from a venue's public trade feed. Price and size stay as the venue's exact text.
 * One Trade is one venue trade record: a Binance aggTrade event is one Trade standing for `fills`
 * venue trades (same taker order, same price).
 */
export interface Trade {
  readonly venue: VenueId;
  readonly symbol: string;
  /** The venue's trade id as text, or null where the venue sends none. */
  readonly id: string | null;
  readonly price: string;
  readonly size: string;
  readonly side: TakerSide;
  /** Trade time on the venue's clock, ms since the epoch (fractions where the venue sends µs). */
  readonly exchangeTs: number;
  /** Local receive time, ms since the epoch. */
  readonly localTs: number;
  /** Venue trades this record stands for (Binance aggTrade: l - f + 1); absent means one. */
  readonly fills?: number;
  /**
   * Sent once on subscribe from before the subscription (Coinbase `last_match`, a Kraken trade
   * snapshot): shown on a tape as history, kept out of volume and integrity counts.
   */
  readonly history?: boolean;
}
