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
  'demo',
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
