/**
 * Depth within ±10/25/50/100 bps, in quote currency, per venue and summed across the group. Each
 * venue's band is measured around its own mid (a venue quoting a few bps away from the others still
 * shows the liquidity near its own touch); both sides are added. Only synced books count.
 */
import type { DepthBandRow } from '../../shared/cross-venue';
import type { Side } from '../../shared/market';
import { isIncluded, type MemberBook } from './member';

export const DEPTH_BANDS_BPS = [10, 25, 50, 100] as const;

export function depthBands(members: readonly MemberBook[], bands: readonly number[] = DEPTH_BANDS_BPS): DepthBandRow[] {
  const rows: DepthBandRow[] = bands.map((bps) => ({ bps, venues: {}, total: 0 }));
  const widest = Math.max(...bands);
  for (const member of members) {
    if (!isIncluded(member)) continue;
    const book = member.book!;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (!bid || !ask) continue;
    const mid = (book.priceValue(bid) + book.priceValue(ask)) / 2;
    const perBand = new Array<number>(bands.length).fill(0);
    const add = (side: Side): void => {
      book.scan(side, (level) => {
        const price = book.priceValue(level);
        const distanceBps = (Math.abs(price - mid) / mid) * 10_000;
        if (distanceBps > widest + 1e-9) return false;
        bands.forEach((bps, i) => {
          if (distanceBps <= bps + 1e-9) perBand[i]! += price * level.size;
        });
        return true;
      });
    };
    add('bid');
    add('ask');
    rows.forEach((row, i) => {
      row.venues[member.venue] = perBand[i]!;
      row.total += perBand[i]!;
    });
  }
  return rows;
}

/**
 * Resting base size per venue by distance from a common mid (the NBBO mid) in `bucketBps` buckets,
 * index 0 nearest; what lies beyond the range is left out. A bid above the mid (a crossed NBBO) falls
 * in bucket 0.
 */
export function depthCurve(
  members: readonly MemberBook[],
  mid: number,
  bucketBps: number,
  points: number,
): { bids: Record<string, number[]>; asks: Record<string, number[]> } {
  const bids: Record<string, number[]> = {};
  const asks: Record<string, number[]> = {};
  for (const member of members) {
    if (!isIncluded(member)) continue;
    const book = member.book!;
    for (const side of ['bid', 'ask'] as const) {
      const sizes = new Array<number>(points).fill(0);
      book.scan(side, (level) => {
        const price = book.priceValue(level);
        const distance = side === 'bid' ? mid - price : price - mid;
        const i = Math.max(0, Math.floor((distance / mid) * (10_000 / bucketBps) + 1e-9));
        if (i >= points) return false;
        sizes[i]! += level.size;
        return true;
      });
      (side === 'bid' ? bids : asks)[member.venue] = sizes;
    }
  }
  return { bids, asks };
}
