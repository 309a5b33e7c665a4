import { useEffect, useState } from 'react';
import type { CaptureFile } from '../../../shared/contract';
import { getApi } from '../api';
import { formatBytes } from '../format';
import { useStream } from '../hooks/useStream';
import { linkStore } from '../layout/state';

const SPEEDS: Array<[number, string]> = [
  [1, '1×'],
  [10, '10×'],
  [0, 'max'],
];

/**
 * Replay a recording in every window: pick one of the recordings, then play, pause, change speed or
 * go back to live. While a capture plays the dashboard shows its books instead of the live ones.
 */
export function ReplayControl() {
  const { frame: status } = useStream('replay.status', {}, 'replay');
  const [files, setFiles] = useState<CaptureFile[] | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    getApi()
      .invoke('replay.list', {})
      .then(setFiles)
      .catch((e: Error) => setError(e.message));
  }, [open]);

  const start = async (name: string) => {
    setError(null);
    setOpen(false);
    try {
      const s = await getApi().invoke('replay.open', { name, speed: 1 });
      void s;
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const control = (action: 'pause' | 'resume' | 'stop' | 'speed', speed?: number) =>
    getApi()
      .invoke('replay.control', speed === undefined ? { action } : { action, speed })
      .catch((e: Error) => setError(e.message));

  // Point the dashboard at the capture's first book once it is known, so the replay is on screen.
  const firstSymbol = status?.active ? status.symbols[0] : undefined;
  useEffect(() => {
    if (firstSymbol) linkStore.set((l) => ({ ...l, dashboard: { venue: firstSymbol.venue, symbol: firstSymbol.symbol } }));
  }, [firstSymbol?.venue, firstSymbol?.symbol, status?.name]); // eslint-disable-line react-hooks/exhaustive-deps

  if (status?.active) {
    const pct = Math.round(status.progress * 100);
    return (
      <div className="replay-bar" role="group" aria-label="Replay">
        <span className="replay-name" title={status.path ?? undefined}>
          ⟲ {status.name}
        </span>
        <button
          type="button"
          className="tool-button"
          onClick={() => void control(status.paused ? 'resume' : 'pause')}
          aria-label={status.paused ? 'Resume replay' : 'Pause replay'}
          disabled={status.done}
        >
          {status.paused ? '▶' : '❚❚'}
        </button>
        <select value={status.speed} onChange={(e) => void control('speed', Number(e.target.value))} aria-label="Replay speed">
          {SPEEDS.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
        <progress max={100} value={pct} aria-label="Replay progress" />
        <span className="replay-time" role="status" aria-label="Replay position">
          {status.done ? 'done' : status.captureTime ? new Date(status.captureTime).toISOString().replace('T', ' ').slice(0, 19) : '…'} · {pct}%
        </span>
        <button type="button" className="tool-button" onClick={() => void control('stop')}>
          Back to live
        </button>
        {(status.error || error) && <span className="error-text">{status.error ?? error}</span>}
      </div>
    );
  }
  return (
    <div className="menu">
      <button type="button" className="tool-button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        ⟲ Replay…
      </button>
      {open && (
        <ul role="menu" aria-label="Recordings" className="menu-list wide">
          {files === null && <li className="menu-note">Loading…</li>}
          {files?.length === 0 && <li className="menu-note">No recordings yet: use ● Record first.</li>}
          {files?.map((f) => (
            <li key={f.name} role="none">
              <button type="button" role="menuitem" onClick={() => void start(f.name)}>
                {f.name} <span className="muted">· {formatBytes(f.bytes)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && <span className="error-text">{error}</span>}
    </div>
  );
}
