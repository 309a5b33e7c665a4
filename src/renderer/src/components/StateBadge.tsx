import { createContext, useContext } from 'react';
import type { SyncState } from '../../../shared/market';

/** True inside a panel whose book comes from a replayed capture (set by the panel's frame). */
export const ReplayedBookContext = createContext(false);

/** True inside a panel whose book's source has ended (its feed health says `ended`): final, not live. */
export const EndedBookContext = createContext(false);

const LABELS: Record<SyncState, string> = {
  idle: 'idle',
  connecting: 'connecting',
  buffering: 'syncing',
  synced: 'live',
  resyncing: 'resyncing',
  failed: 'failed',
};

/**
 * The feed state. A book in sync is not live when it is replayed ("in sync", its panel carries a REPLAY
 * badge) or when its source ended ("ended": a desk collector's capture played to its end).
 */
export function StateBadge({ state }: { state: SyncState | null }) {
  const s = state ?? 'idle';
  const replayed = useContext(ReplayedBookContext);
  const ended = useContext(EndedBookContext);
  const label = s !== 'synced' ? LABELS[s] : replayed ? 'in sync' : ended ? 'ended' : LABELS[s];
  const className = s === 'synced' && ended && !replayed ? 'state-ended' : `state-${s}`;
  return (
    <span className={`state-badge ${className}`} role="status" aria-label={`Feed state: ${label}`}>
      {label}
    </span>
  );
}

/** Marks a panel that shows a book replayed from a capture rather than a live one. */
export function ReplayBadge({ capture }: { capture: string | null }) {
  return (
    <span className="replay-badge" role="status" aria-label="Replayed book" title={capture ? `Replaying ${capture}` : 'Replaying a capture'}>
      REPLAY
    </span>
  );
}
