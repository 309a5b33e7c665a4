import { useEffect, useRef, useState } from 'react';
import { MAX_CAPTURE_UPLOAD_BYTES, type CaptureFile } from '../../../shared/contract';
import { getApi } from '../api';
import { formatBytes } from '../format';
import { useStream } from '../hooks/useStream';
import { useSelectValue } from './PanelControls';
import { linkStore, replayReturnStore } from '../layout/state';
import { replayDashboardBook } from './replay-book';

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
  const [uploading, setUploading] = useState<string | null>(null);
  // Uploading a file needs the web host (the desktop app opens any file from File → Open Capture for Replay…).
  const [canUpload, setCanUpload] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    getApi()
      .invoke('app.info', {})
      .then((info) => setCanUpload(info.host === 'web'))
      .catch(() => {});
  }, []);

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
  /** Send a file from this computer to the host's recordings folder, then play it. */
  // Several files at once are a tardis.dev pair (book + trades of one symbol): the host files them in
  // one folder and names it; that folder plays once all are up.
  const upload = async (files: File[]) => {
    setError(null);
    setOpen(false);
    const tooLarge = files.find((file) => file.size > MAX_CAPTURE_UPLOAD_BYTES);
    if (tooLarge) {
      setError(`${tooLarge.name} is ${formatBytes(tooLarge.size)}; captures up to ${formatBytes(MAX_CAPTURE_UPLOAD_BYTES)} can be uploaded`);
      return;
    }
    let name: string | null = null;
    for (const file of files) {
      setUploading(file.name);
      try {
        const res = await fetch('/api/recordings', { method: 'POST', headers: { 'x-capture-name': encodeURIComponent(file.name) }, body: file });
        const answer = (await res.json().catch(() => ({}))) as { name?: string; error?: string };
        if (!res.ok || !answer.name) throw new Error(answer.error ?? `upload failed (HTTP ${res.status})`);
        name = answer.name;
      } catch (e) {
        setError(`${file.name}: ${(e as Error).message}`);
        setUploading(null);
        return;
      }
    }
    setUploading(null);
    if (name) await start(name);
  };
  const control = (action: 'pause' | 'resume' | 'stop' | 'speed', speed?: number) =>
    getApi()
      .invoke('replay.control', speed === undefined ? { action } : { action, speed })
      .catch((e: Error) => setError(e.message));

  // Once the capture's first book is known, put the replay on screen: the dashboard keeps a book of
  // the capture it already shows (one just picked from it, or the page reopened mid-replay), else goes
  // to the capture's first. It remembers the symbol it showed before (once: a second replay keeps the
  // live one). Books met later do not move it again.
  const firstSymbol = status?.active ? status.symbols[0] : undefined;
  useEffect(() => {
    if (!firstSymbol || !status) return;
    if (replayReturnStore.get().dashboard === null) {
      const before = linkStore.get().dashboard;
      if (before) replayReturnStore.set({ dashboard: before });
    }
    const book = replayDashboardBook(linkStore.get().dashboard, status.symbols);
    if (book && book !== linkStore.get().dashboard) linkStore.set((l) => ({ ...l, dashboard: book }));
  }, [firstSymbol?.venue, firstSymbol?.symbol, status?.name]); // eslint-disable-line react-hooks/exhaustive-deps

  // No replay any more (Back to live here or in another window, or the page reopened after it):
  // the dashboard returns to the symbol it showed before the replay.
  const replayActive = status ? status.active : null;
  useEffect(() => {
    if (replayActive !== false) return;
    const back = replayReturnStore.get().dashboard;
    if (!back) return;
    replayReturnStore.set({ dashboard: null });
    linkStore.set((l) => ({ ...l, dashboard: back }));
  }, [replayActive]);

  const speedSelectRef = useSelectValue(status?.speed ?? 0);
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
        <select ref={speedSelectRef} defaultValue={status.speed} onChange={(e) => void control('speed', Number(e.target.value))} aria-label="Replay speed">
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
          {canUpload && (
            <li role="none">
              <button type="button" role="menuitem" onClick={() => fileInput.current?.click()}>
                Open a capture or tardis CSV files… <span className="muted">· up to {formatBytes(MAX_CAPTURE_UPLOAD_BYTES)}</span>
              </button>
            </li>
          )}
          {files?.map((f) => (
            <li key={f.name} role="none">
              <button type="button" role="menuitem" onClick={() => void start(f.name)}>
                {f.name} <span className="muted">· {formatBytes(f.bytes)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        ref={fileInput}
        type="file"
        accept=".jsonl,.gz,.json,.csv,application/gzip,application/x-ndjson,text/csv"
        multiple
        hidden
        aria-label="Capture file to upload"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) void upload(files);
        }}
      />
      {uploading && <span className="muted">Uploading {uploading}…</span>}
      {error && <span className="error-text">{error}</span>}
    </div>
  );
}
