import type { SyncState } from '../../../shared/market';

const LABELS: Record<SyncState, string> = {
  idle: 'idle',
  connecting: 'connecting',
  buffering: 'syncing',
  synced: 'live',
  resyncing: 'resyncing',
  failed: 'failed',
};

export function StateBadge({ state }: { state: SyncState | null }) {
  const s = state ?? 'idle';
  return (
    <span className={`state-badge state-${s}`} role="status" aria-label={`Feed state: ${LABELS[s]}`}>
      {LABELS[s]}
    </span>
  );
}
