import type { VenueId } from '../../../shared/market';

/** A book a panel or the dashboard shows: a venue and its symbol. */
export interface SymbolChoice {
  venue: VenueId;
  symbol: string;
  /**
   * Set when an instrument group was picked ("BTC/USDT · all venues"): the group's key. The book
   * panels show venue:symbol (the group's first member); the cross-venue panels show the group.
   */
  group?: string;
  /** The group's venues taken (a subset); absent: every venue listing the asset. */
  venues?: VenueId[];
  /** USD, USDT and USDC as one quote family (off unless the user picks it). */
  quoteFamily?: boolean;
}
