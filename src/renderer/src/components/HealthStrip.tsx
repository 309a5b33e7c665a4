import type { SymbolChoice } from './SymbolPicker';
import { formatRate } from '../format';
import { useStream } from '../hooks/useStream';

/** Per-symbol feed health for the dashboard's symbol: rates, latency and integrity counters. */
export function HealthStrip({ choice }: { choice: SymbolChoice | null }) {
  const { frame } = useStream('health', {}, 'health');
  const h = frame && choice ? frame.symbols.find((s) => s.venue === choice.venue && s.symbol === choice.symbol) : undefined;
  return (
    <section className="panel health-strip" aria-label="Feed health">
      <header className="panel-header">
        <h2>Feed health</h2>
      </header>
      {!h && <p className="empty-state">No feed yet.</p>}
      {h && (
        <dl className="health-grid">
          <dt>State</dt>
          <dd>{h.state}</dd>
          <dt>Messages/s</dt>
          <dd>{formatRate(h.msgsPerSec)}</dd>
          <dt>Level updates/s</dt>
          <dd>{formatRate(h.levelUpdatesPerSec)}</dd>
          <dt>Latency</dt>
          <dd>{h.latencyMs === null ? '—' : `${Math.round(h.latencyMs)} ms`}</dd>
          <dt>Gaps</dt>
          <dd>{h.gaps}</dd>
          <dt>Resyncs</dt>
          <dd>{h.resyncs}</dd>
          <dt>BBO checks</dt>
          <dd>
            {h.bboOk} ok / {h.bboFailed} failed
          </dd>
          <dt>Checksums</dt>
          <dd>
            {h.checksumOk} ok / {h.checksumFailed} failed
          </dd>
          <dt>Crossed</dt>
          <dd>{h.crossed}</dd>
          <dt>Reconnects</dt>
          <dd>{h.reconnects}</dd>
          <dt>Snapshot age</dt>
          <dd>{h.snapshotAgeMs === null ? '—' : `${Math.round(h.snapshotAgeMs / 1000)} s`}</dd>
          {h.lastError && (
            <>
              <dt>Last error</dt>
              <dd className="health-error">{h.lastError}</dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}
