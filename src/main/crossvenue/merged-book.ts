/**
 * The consolidated book: several venues' books of one asset merged by price on a common tick. Each
 * row carries the exact sum of sizes and every contributing venue's own size (exact decimal texts, as
 * the venues sent them, summed with BigInt). Only synced books contribute; every other member is
 * listed as excluded with its reason, never silently dropped.
 */
import type { MergedLevel } from '../../shared/cross-venue';
import { compareDecimal, DecimalSum } from '../../shared/decimal-sum';
import type { Side, VenueId } from '../../shared/market';
import { exclusionReason, type MemberBook } from './member';
import { PriceGrid } from './price-grid';

export interface MergedBook {
  tick: string;
  bids: MergedLevel[];
  asks: MergedLevel[];
  included: VenueId[];
  excluded: Array<{ venue: VenueId; symbol: string; state: string; reason: string }>;
}

interface RowSums {
  total: DecimalSum;
  venues: Map<VenueId, DecimalSum>;
}

/**
 * Merge the best `levels` rows of each side. A venue's contribution to the merged top N rows always
 * lies within its own top N rows on the grid, so each book is read only that far.
 */
export function mergeBooks(members: readonly MemberBook[], tick: string, levels: number): MergedBook {
  const grid = new PriceGrid(tick);
  const included: VenueId[] = [];
  const excluded: MergedBook['excluded'] = [];
  for (const m of members) {
    const reason = exclusionReason(m);
    if (reason === null) included.push(m.venue);
    else excluded.push({ venue: m.venue, symbol: m.symbol, state: m.state, reason });
  }
  const contributing = members.filter((m) => included.includes(m.venue));
  return {
    tick,
    bids: mergeSide(contributing, 'bid', grid, levels),
    asks: mergeSide(contributing, 'ask', grid, levels),
    included,
    excluded,
  };
}

function mergeSide(members: readonly MemberBook[], side: Side, grid: PriceGrid, levels: number): MergedLevel[] {
  const rows = new Map<string, RowSums>();
  for (const member of members) {
    let rowsSeen = 0;
    let lastRow: string | null = null;
    member.book!.scan(side, (level) => {
      const row = grid.row(level.price, side);
      if (row === null) return true;
      if (row !== lastRow) {
        if (++rowsSeen > levels) return false;
        lastRow = row;
      }
      let sums = rows.get(row);
      if (!sums) rows.set(row, (sums = { total: new DecimalSum(), venues: new Map() }));
      let venueSum = sums.venues.get(member.venue);
      if (!venueSum) sums.venues.set(member.venue, (venueSum = new DecimalSum()));
      venueSum.add(level.sizeText);
      sums.total.add(level.sizeText);
      return true;
    });
  }
  const ordered = [...rows.entries()].sort((a, b) => (side === 'bid' ? compareDecimal(b[0], a[0]) : compareDecimal(a[0], b[0])));
  return ordered.slice(0, levels).map(([price, sums]) => ({
    price,
    total: sums.total.toString(),
    venues: Object.fromEntries([...sums.venues].map(([venue, sum]) => [venue, sum.toString()])),
  }));
}
