import type { Side, VenueId } from '../../shared/market';
import type { OrderBook } from '../book/order-book';
import type { AlertBook } from './alerts';
import type { SideLevels } from './levels';
import type { PriceWatches } from './trade-flow';

/** The latest values of one book's metrics (NaN where undefined), overwritten on every update. */
export interface LiveMetrics {
  ts: number;
  exchangeTs: number;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
  mid: number;
  microprice: number;
  spread: number;
  spreadBps: number;
  spreadOverAsk: number;
  imbalance: number;
  /** Top-N (imbalanceLevels) depth per side, base units. */
  depthBid: number;
  depthAsk: number;
  weightedBid: number;
  weightedAsk: number;
  weighted: number;
  slopeBid: number;
  slopeAsk: number;
}

export function emptyMetrics(): LiveMetrics {
  const n = Number.NaN;
  return {
    ts: n, exchangeTs: n, bid: n, ask: n, bidSize: n, askSize: n, mid: n, microprice: n, spread: n, spreadBps: n,
    spreadOverAsk: n, imbalance: n, depthBid: n, depthAsk: n, weightedBid: n, weightedAsk: n, weighted: n, slopeBid: n, slopeAsk: n,
  };
}

/** What a detector sees of one book after an update. */
export interface BookContext {
  readonly venue: VenueId;
  readonly symbol: string;
  readonly book: OrderBook;
  readonly bids: SideLevels;
  readonly asks: SideLevels;
  readonly metrics: LiveMetrics;
  readonly alerts: AlertBook;
  /** Rolling median level size per side (NaN until trusted). */
  median(side: Side): number;
  /** Prices whose traded volume detectors follow (walls, layers). */
  readonly watches: PriceWatches;
  /** True once the book's feed delivered a print: vanished liquidity is then judged by trades. */
  readonly tradesSeen: boolean;
}

/** Short number for titles: up to 6 significant digits, no exponent for everyday magnitudes. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs === 0) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(6)).toString();
}

/** Round for evidence (keeps stored numbers readable without losing what matters). */
export function round(x: number, digits = 8): number | null {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)) : null;
}
