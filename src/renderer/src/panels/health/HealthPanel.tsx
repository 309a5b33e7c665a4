import type { LatencyHopName, LatencyHopStats, SymbolHealth } from '../../../../shared/contract';
import { useRecordingStatus } from '../../hooks/useRecordingStatus';
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate } from '../../format';
import { useStream } from '../../hooks/useStream';
import type { PanelProps } from '../types';

function age(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? '< 1 s' : formatDuration(ms);
}

const HOP_LABELS: Record<LatencyHopName, string> = {
  exchangeToReceipt: 'exchange → receipt',
  receiptToCollectorPublish: 'receipt → collector publish',
  collectorPublishToDeskReceipt: 'collector publish → desk receipt',
  receiptToFrame: 'receipt → window frame',
};

function hopText(s: LatencyHopStats | null | undefined): string {
  return s ? `${formatDuration(s.p50)} / ${formatDuration(s.p99)}` : '—';
}

/** Every hop with samples, one line each, for the latency cells' tooltip. */
function hopsTooltip(h: SymbolHealth): string {
  const lines = (Object.keys(HOP_LABELS) as LatencyHopName[]).flatMap((hop) => {
    const s = h.hops?.[hop];
    return s ? [`${HOP_LABELS[hop]}: p50 ${formatDuration(s.p50)} · p99 ${formatDuration(s.p99)} · max ${formatDuration(s.max)} · ${formatRate(s.perSec)}/s (${s.count} in window)`] : [];
  });
  return lines.length > 0 ? lines.join('\n') : 'no latency samples in the last minute';
}

function rowClass(h: SymbolHealth): string {
  if (h.ended) return 'health-row ended';
  if (h.state !== 'synced') return 'health-row troubled';
  if (h.gaps + h.bboFailed + h.checksumFailed + h.crossed + h.tradeGaps > 0 || h.rateAnomaly !== 'none') return 'health-row warned';
  return 'health-row';
}

/** Feed health for every venue and symbol the app is streaming; the panel's own symbol first. */
export function HealthPanel({ choice }: PanelProps) {
  const { frame } = useStream('health', {}, 'health');
  const [recording] = useRecordingStatus();
  if (!frame) return <p className="empty-state">Waiting for health…</p>;
  const symbols = [...frame.symbols].sort((a, b) => {
    const mine = (h: SymbolHealth) => (choice && h.venue === choice.venue && h.symbol === choice.symbol ? 0 : 1);
    return mine(a) - mine(b) || a.venue.localeCompare(b.venue) || a.symbol.localeCompare(b.symbol);
  });
  return (
    <div className="health-panel">
      <div className="panel-toolbar">
        <span>
          up {age(frame.uptimeSec * 1000)} · RSS {formatBytes(frame.memory.rssBytes)} · heap {formatBytes(frame.memory.heapUsedBytes)}
          {frame.memory.heapGrowthPct !== null && ` (${frame.memory.heapGrowthPct >= 0 ? '+' : ''}${formatPercent(frame.memory.heapGrowthPct)} since start-up)`}
        </span>
        {frame.memory.alert && (
          <span className="venue-pill venue-degraded" role="alert" title={frame.memory.alert}>
            {frame.memory.alert}
          </span>
        )}
        <span
          className={`venue-pill venue-${!frame.store ? 'degraded' : frame.store.state === 'ok' ? 'ok' : frame.store.state === 'failed' ? 'unreachable' : 'degraded'}`}
          title={frame.store?.message ?? frame.store?.path ?? 'no database in this session'}
          aria-label="Database recording status"
        >
          {frame.store
            ? `database: ${frame.store.state} · ${formatCount(frame.store.rows.topOfBook)} rows${frame.store.droppedRows ? ` · ${formatCount(frame.store.droppedRows)} dropped` : ''}`
            : 'database: off'}
        </span>
        {recording?.active && (
          <span className="venue-pill venue-ok" aria-label="Capture recording status" title={recording.path ?? undefined}>
            recording {recording.symbols.join(', ')} · {formatCount(recording.lines)} lines
          </span>
        )}
        {frame.venues.map((v) => (
          <span key={v.id} className={`venue-pill venue-${v.status}`} title={v.message ?? v.status}>
            {v.name}: {v.status}
          </span>
        ))}
      </div>
      {symbols.length === 0 && <p className="empty-state">No feeds running yet.</p>}
      {symbols.length > 0 && (
        <div className="table-scroll">
          <table className="health-table" aria-label="Feed health">
            <thead>
              <tr>
                <th scope="col" className="key-col key-symbol">Symbol</th>
                <th scope="col" className="key-col key-state">State</th>
                <th scope="col">Venue</th>
                <th scope="col" title="messages per second">Msg/s</th>
                <th scope="col" title="level updates per second">Lvl/s</th>
                <th scope="col" title="local receive time minus exchange time">Latency</th>
                <th scope="col" title="exchange → receipt, p50 / p99 over the last minute (hover a cell for every hop)">Exch p50/p99</th>
                <th scope="col" title="receipt → window frame, p50 / p99 over the last minute">Frame p50/p99</th>
                <th scope="col">Gaps</th>
                <th scope="col">Resyncs</th>
                <th scope="col" title="holes in the trade-id sequence (trades lost), of the trades counted">Trade gaps</th>
                <th scope="col" title="checksums ok / failed">Checksum</th>
                <th scope="col" title="best bid/offer cross-checks ok / failed">BBO</th>
                <th scope="col">Crossed</th>
                <th scope="col">Reconn.</th>
                <th scope="col">Snapshot</th>
                <th scope="col">Rate</th>
              </tr>
            </thead>
            <tbody>
              {symbols.map((h) => (
                <tr key={`${h.venue}:${h.symbol}`} className={rowClass(h)} title={h.lastError ?? undefined}>
                  <td className="key-col key-symbol" title={`${h.venue}:${h.symbol}`}>
                    {h.symbol}
                  </td>
                  <td className="key-col key-state">{h.ended ? 'ended' : h.state}</td>
                  <td>{h.venue}</td>
                  <td>{formatRate(h.msgsPerSec)}</td>
                  <td>{formatRate(h.levelUpdatesPerSec)}</td>
                  <td>{h.latencyMs === null ? '—' : formatDuration(h.latencyMs)}</td>
                  <td title={hopsTooltip(h)}>{hopText(h.hops?.exchangeToReceipt)}</td>
                  <td title={hopsTooltip(h)}>{hopText(h.hops?.receiptToFrame)}</td>
                  <td>{formatCount(h.gaps)}</td>
                  <td>{formatCount(h.resyncs)}</td>
                  <td title={`${h.trades} trades, ${h.tradeAnomalies} printed through the book`}>{formatCount(h.tradeGaps)}</td>
                  <td>
                    {formatCount(h.checksumOk)} / {formatCount(h.checksumFailed)}
                  </td>
                  <td>
                    {formatCount(h.bboOk)} / {formatCount(h.bboFailed)}
                  </td>
                  <td>{formatCount(h.crossed)}</td>
                  <td>{formatCount(h.reconnects)}</td>
                  <td>{age(h.snapshotAgeMs)}</td>
                  <td>{h.rateAnomaly === 'none' ? 'ok' : h.rateAnomaly}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
