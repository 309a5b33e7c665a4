import type { SyncState } from '../../../shared/market';

const LABELS: Record<SyncState, string> = {
  idle: 'idle',
  connecting: 'connecting',
  buffering: 'syncing',
  synced: 'live',
  resyncing: 'resyncing',
  failed: 'failed',
};

/**
 * What a panel's state badge reads, and its style. A book in sync is not live when it is replayed
 * ("in sync": its panel carries a REPLAY badge) or when its source ended ("ended": a desk collector's
 * capture played to its end, as the feed health says). Out of sync, the feed state itself (a desk
 * book whose collector went silent reads "connecting", as its health does).
 */
export function stateBadge(state: SyncState | null, book: { replayed: boolean; ended: boolean }): { label: string; className: string } {
  const s = state ?? 'idle';
  if (s !== 'synced') return { label: LABELS[s], className: `state-${s}` };
  if (book.replayed) return { label: 'in sync', className: 'state-synced' };
  if (book.ended) return { label: 'ended', className: 'state-ended' };
  return { label: LABELS.synced, className: 'state-synced' };
}
