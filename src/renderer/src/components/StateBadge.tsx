import { createContext, useContext } from 'react';
import type { SyncState } from '../../../shared/market';
import { stateBadge } from './state-label';

/** True inside a panel whose book comes from a replayed capture (set by the panel's frame). */
export const ReplayedBookContext = createContext(false);

/** True inside a panel whose book's source has ended (its feed health says `ended`): final, not live. */
export const EndedBookContext = createContext(false);

/** The feed state, as `stateBadge` words it for this panel's book. */
export function StateBadge({ state }: { state: SyncState | null }) {
  const replayed = useContext(ReplayedBookContext);
  const ended = useContext(EndedBookContext);
  const { label, className } = stateBadge(state, { replayed, ended });
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
