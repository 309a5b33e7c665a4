import { useState } from 'react';
import { getApi } from '../api';
import { formatBytes } from '../format';
import { useRecordingStatus } from '../hooks/useRecordingStatus';
import { useTransient } from '../hooks/useTransient';
import type { SymbolChoice } from './SymbolPicker';

/** Start/stop recording the dashboard's symbol to a capture file; shows progress and where it went. */
export function RecordButton({ choice }: { choice: SymbolChoice | null }) {
  const [status, setStatus] = useRecordingStatus();
  const [error, setError] = useState<string | null>(null);

  const active = status?.active ?? false;
  // "saved …" is news only to a page that saw the recording run: a page opened later says nothing.
  const [sawActive, setSawActive] = useState(false);
  if (active && !sawActive) setSawActive(true);
  const toggle = async () => {
    setError(null);
    try {
      if (active) setStatus(await getApi().invoke('recording.stop', {}));
      else if (choice) setStatus(await getApi().invoke('recording.start', { venue: choice.venue, symbols: [choice.symbol], gzip: true }));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  // Re-rendered by each status poll, so the clock reads the time of that poll.
  // eslint-disable-next-line react-hooks/purity
  const seconds = status?.startedAt ? Math.max(0, Math.round((Date.now() - status.startedAt) / 1000)) : 0;
  // Where the last recording went: shown for a while after it stops, then cleared.
  const savedPath = useTransient(sawActive && !active && !error && !status?.error && status?.path ? status.path : null);
  return (
    <div className="record-control">
      <button
        type="button"
        className={active ? 'record-button recording' : 'record-button'}
        onClick={() => void toggle()}
        disabled={!active && !choice}
        aria-pressed={active}
        aria-label={active ? 'Stop recording' : 'Start recording'}
        title={active ? 'Stop recording' : choice ? `Record ${choice.symbol} to a capture file` : 'Pick a symbol first'}
      >
        {active ? '■ Stop' : '● Record'}
      </button>
      <span className="record-status" role="status" aria-label="Recording status" title={error ?? status?.error ?? status?.path ?? undefined}>
        {error
          ? error
          : active && status
            ? `REC ${status.symbols.join(', ')} · ${seconds} s · ${formatBytes(status.bytes)}`
            : status?.error
              ? status.error
              : savedPath
                ? `saved ${savedPath.split(/[\\/]/).slice(-2).join('/')}`
                : ''}
      </span>
    </div>
  );
}
