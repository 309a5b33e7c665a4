import { createContext, useContext } from 'react';
import type { SyncState } from '../../../shared/market';

/** True inside a panel whose book comes from a replayed capture (set by the panel's frame). */
export const ReplayedBookContext = createContext(false);

const LABELS: Record<SyncState, string> = {
  idle: 'idle',
  connecting: 'connecting',
  buffering: 'syncing',
  synced: 'live',
  resyncing: 'resyncing',
  failed: 'failed',
};

/** The feed state; a replayed book in sync is not live, so it reads "in sync" (its panel carries a REPLAY badge). */
export function StateBadge({ state }: { state: SyncState | null }) {
  const s = state ?? 'idle';
  const replayed = useContext(ReplayedBookContext);
  const label = replayed && s === 'synced' ? 'in sync' : LABELS[s];
  return (
    <span className={`state-badge state-${s}`} role="status" aria-label={`Feed state: ${label}`}>
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
