/** One colour per venue, the same in every cross-venue panel (ladder shares, depth stacks, heatmap, legends). */
import type { VenueId } from '../../../../shared/market';

const COLORS: Record<VenueId, string> = {
  demo: '#4c8dff',
  'demo-b': '#e0a33a',
  'binance-spot': '#f0c419',
  'binance-usdm': '#c9a227',
  coinbase: '#2f6fde',
  'coinbase-advanced': '#5b8def',
  kraken: '#8d6bff',
  'kraken-futures': '#a98bff',
  okx: '#c8d0da',
  'bybit-spot': '#f7a600',
  'bybit-linear': '#d98f00',
  bitget: '#27c7c2',
  deribit: '#2ecc9a',
  bitfinex: '#7fd35a',
  hyperliquid: '#58e0c8',
};

export function venueColor(venue: string): string {
  return COLORS[venue as VenueId] ?? '#9aa6b5';
}

/** "#4c8dff" → [76, 141, 255]. */
export function venueRgb(venue: string): [number, number, number] {
  const hex = venueColor(venue).slice(1);
  return [parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2, 4), 16), parseInt(hex.slice(4, 6), 16)];
}
