import { useEffect, useState } from 'react';
import type { RecordingStatus } from '../../../shared/contract';
import { getApi } from '../api';
import type { SymbolChoice } from './SymbolPicker';

function kb(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Start/stop recording the dashboard's symbol to a capture file; shows progress and where it went. */
export function RecordButton({ choice }: { choice: SymbolChoice | null }) {
  const [status, setStatus] = useState<RecordingStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let cancelled = false;
    const poll = () =>
      getApi()
        .invoke('recording.status', {})
        .then((s) => {
          if (!cancelled) {
            setStatus(s);
            setNow(Date.now());
          }
        })
        .catch(() => {});
    void poll();
    const timer = setInterval(() => void poll(), 1000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);

  const active = status?.active ?? false;
  const toggle = async () => {
    setError(null);
    try {
      if (active) setStatus(await getApi().invoke('recording.stop', {}));
      else if (choice) setStatus(await getApi().invoke('recording.start', { venue: choice.venue, symbols: [choice.symbol], gzip: true }));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const seconds = status?.startedAt ? Math.max(0, Math.round((now - status.startedAt) / 1000)) : 0;
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
      <span className="record-status" role="status" aria-label="Recording status">
        {error
          ? error
          : active && status
            ? `REC ${status.symbols.join(', ')} · ${seconds} s · ${kb(status.bytes)}`
            : status?.error
              ? status.error
              : status?.path
                ? `saved ${status.path}`
                : ''}
      </span>
    </div>
  );
}
