import type { VenueId } from '../../../shared/market';

/** A book a panel or the dashboard shows: a venue and its symbol. */
export interface SymbolChoice {
  venue: VenueId;
  symbol: string;
}
