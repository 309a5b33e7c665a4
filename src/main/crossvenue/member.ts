/** One venue's book in a cross-venue group, as the merged views read it. */
import type { SyncState, VenueId } from '../../shared/market';
import type { OrderBook } from '../book/order-book';

export interface MemberBook {
  venue: VenueId;
  symbol: string;
  /** The book's sync state; 'failed' with `message` when its feed could not be started. */
  state: SyncState;
  /** The feed's last error (why it is not synced); null when there is none. */
  message: string | null;
  /** Null when the feed could not be started at all. */
  book: OrderBook | null;
  /** Local receive time of the book's last change (ms since the epoch; 0 before any). */
  lastLocalTs: number;
  /** The instrument's tick size, when the venue's list says. */
  tickSize: string | null;
}

/**
 * Why a book is left out of the merged views, or null when it contributes: only a synced book does.
 * A book that is buffering, resyncing or failed would show levels the venue may no longer have.
 */
export function exclusionReason(member: MemberBook): string | null {
  if (member.book && member.state === 'synced') return null;
  return member.message ? `${member.state}: ${member.message}` : member.state === 'synced' ? 'no book' : member.state;
}

export function isIncluded(member: MemberBook): boolean {
  return exclusionReason(member) === null;
}
