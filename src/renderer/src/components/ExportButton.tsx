import { useEffect, useRef, useState, type ReactNode } from 'react';
import { getApi } from '../api';
import { useStream, useStreamSelect } from '../hooks/useStream';
import { useTransient } from '../hooks/useTransient';
import { formatBytes, formatCount } from '../format';
import { CANDLE_INTERVAL_NAMES, type CandleIntervalName } from '../../../shared/candles';
import type { SymbolChoice } from './SymbolPicker';

const RANGES = [
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 h', ms: 86_400_000 },
  { id: 'all', label: 'All recorded', ms: null },
] as const;

type RangeId = (typeof RANGES)[number]['id'];

const count = formatCount;
/** A download link stays longer than a note: the user may need a moment to click it. */
const LINK_MS = 60_000;

/** What a CSV export holds: the recorded top of book, the recorded trades, or candles of those trades. */
type CsvTable = 'top-of-book' | 'trades' | 'candles';
type ExportKind = 'csv' | 'trades-csv' | 'candles-csv' | 'depth';

/**
 * Export the dashboard symbol's recorded top of book or trades as CSV, with progress; the file streams
 * from the database in the host. Also says when recording to the database is paused or needs attention.
 */
/** Ask the export controls to start (the desktop menus do this); `saveAs` opens a save dialog when done. */
export function requestExport(kind: ExportKind, saveAs: boolean, interval?: CandleIntervalName): void {
  window.dispatchEvent(new CustomEvent('obm:export', { detail: { kind, saveAs, interval } }));
}

/** Desktop app: copy a finished export where the user chooses. Returns a status line. */
async function saveAs(file: string): Promise<string> {
  try {
    const { saved } = await getApi().invoke('file.saveAs', { file });
    return saved ? `saved to ${saved}` : 'save cancelled';
  } catch (error) {
    return (error as Error).message;
  }
}

export function ExportButton({ choice }: { choice: SymbolChoice | null }) {
  const [range, setRange] = useState<RangeId>('24h');
  const [jobId, setJobId] = useState<string | null>(null);
  const [jobTable, setJobTable] = useState<CsvTable>('top-of-book');
  const [startError, setStartError] = useState<string | null>(null);
  // Each depth status gets a serial number, so the same text twice still shows (and clears) again.
  const [depthNote, setDepthNote] = useState<{ id: number; node: ReactNode; link: boolean } | null>(null);
  const serial = useRef(0);
  const setDepthStatus = (node: ReactNode, link = false) => setDepthNote({ id: ++serial.current, node, link });
  const [savedNote, setSavedNote] = useState<string | null>(null);
  const saveWhenDone = useRef(false);
  // Only the store's state and message show here; its row counts change with every write.
  const store = useStreamSelect(
    'store.status',
    {},
    'store.status',
    (s) => ({ state: s.state, message: s.message }),
    (a, b) => a.state === b.state && a.message === b.message,
  );
  const progress = useStream('export.progress', jobId ? { exportId: jobId } : null, `export:${jobId ?? ''}`);
  const job = progress.frame;
  const running = jobId !== null && progress.error === null && (job === null || job.state === 'running');
  // The store is absent when the host runs without a data folder.
  const storeMissing = store.error !== null;
  const storeState = store.value?.state;

  const start = async (table: CsvTable, interval?: CandleIntervalName): Promise<void> => {
    if (!choice) return;
    setStartError(null);
    setSavedNote(null);
    const ms = RANGES.find((r) => r.id === range)?.ms ?? null;
    try {
      const started = await getApi().invoke('export.csv.start', {
        venue: choice.venue,
        symbol: choice.symbol,
        table,
        ...(ms === null ? {} : { from: Date.now() - ms }),
        ...(table === 'candles' ? { interval: interval ?? '1m' } : {}),
      });
      setJobTable(table);
      setJobId(started.id);
    } catch (error) {
      setJobId(null);
      setStartError((error as Error).message);
    }
  };

  const exportDepth = async (thenSave: boolean): Promise<void> => {
    if (!choice) return;
    setDepthStatus('writing depth snapshot…');
    try {
      const r = await getApi().invoke('export.depth', { venue: choice.venue, symbol: choice.symbol, levels: 40 });
      if (r.downloadUrl) {
        setDepthStatus(
          <a href={r.downloadUrl} download={r.name} title={`${r.name} · ${formatBytes(r.bytes)}`}>
            Download depth JSON ({count(r.bids)} bids, {count(r.asks)} asks)
          </a>,
          true,
        );
      } else if (thenSave) {
        setDepthStatus(await saveAs(r.file));
      } else {
        setDepthStatus(
          <>
            <span title={r.file}>depth snapshot {r.name}</span>{' '}
            <button type="button" className="link-button" onClick={() => void saveAs(r.file).then((note) => setDepthStatus(note))}>
              Save as…
            </button>
          </>,
          true,
        );
      }
    } catch (error) {
      setDepthStatus(`depth snapshot failed: ${(error as Error).message}`);
    }
  };

  // Menu commands (desktop app) arrive as a window event.
  const startRef = useRef(start);
  const depthRef = useRef(exportDepth);
  useEffect(() => {
    startRef.current = start;
    depthRef.current = exportDepth;
  });
  useEffect(() => {
    const onExport = (e: Event) => {
      const { kind, saveAs: thenSave, interval } = (e as CustomEvent<{ kind: ExportKind; saveAs: boolean; interval?: CandleIntervalName }>).detail;
      if (kind === 'depth') void depthRef.current(thenSave);
      else {
        saveWhenDone.current = thenSave;
        void startRef.current(kind === 'trades-csv' ? 'trades' : kind === 'candles-csv' ? 'candles' : 'top-of-book', interval);
      }
    };
    window.addEventListener('obm:export', onExport);
    return () => window.removeEventListener('obm:export', onExport);
  }, []);
  const doneFile = job?.state === 'done' && !job.downloadUrl ? job.file : null;
  useEffect(() => {
    if (doneFile && saveWhenDone.current) {
      saveWhenDone.current = false;
      void saveAs(doneFile).then(setSavedNote);
    }
  }, [doneFile]);

  let status: ReactNode = '';
  // What the status line is about: it clears a while after it last changed (a running export never).
  let statusKey: string | null = null;
  let statusMs = LINK_MS;
  if (startError) {
    status = startError;
    statusKey = `error:${startError}`;
  } else if (progress.error) {
    status = progress.error.message;
    statusKey = `error:${progress.error.message}`;
  } else if (job?.state === 'running') {
    status = `${count(job.rows)} / ${count(job.totalRows)} rows`;
    statusKey = null;
  } else if (job?.state === 'failed') {
    status = `export failed: ${job.error ?? 'unknown error'}`;
    statusKey = `failed:${job.id}`;
  } else if (job?.state === 'done') {
    const what = jobTable === 'trades' ? 'trades CSV' : jobTable === 'candles' ? 'candles CSV' : 'CSV';
    status = job.downloadUrl ? (
      <a href={job.downloadUrl} download={job.name} title={job.name}>
        Download {what} ({count(job.rows)} {jobTable === 'candles' ? 'candles' : 'rows'})
      </a>
    ) : (
      <>
        <span title={job.file}>{savedNote ?? `saved ${job.name} (${count(job.rows)} rows)`}</span>{' '}
        <button type="button" className="link-button" onClick={() => void saveAs(job.file).then(setSavedNote)}>
          Save as…
        </button>
      </>
    );
    statusKey = `done:${job.id}:${savedNote ?? ''}`;
    if (savedNote) statusMs = 10_000;
  }
  const statusFresh = useTransient(statusKey, statusMs);
  const showStatus = job?.state === 'running' || statusFresh !== null;
  const depthFresh = useTransient(depthNote ? String(depthNote.id) : null, depthNote?.link ? LINK_MS : 10_000);

  return (
    <div className="record-control export-control">
      {(storeState === 'failed' || storeState === 'degraded') && (
        <span className="record-status" role="alert" title={store.value?.message ?? undefined} style={{ color: 'var(--warn)' }}>
          {storeState === 'failed' ? 'Recording paused: ' : 'Store: '}
          {store.value?.message}
        </span>
      )}
      <select
        aria-label="Export range"
        value={range}
        onChange={(e) => setRange(e.target.value as RangeId)}
        disabled={running || storeMissing}
        className="record-button"
      >
        {RANGES.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="record-button"
        onClick={() => void start('top-of-book')}
        disabled={!choice || running || storeMissing}
        aria-label={choice ? `Export ${choice.symbol} top of book as CSV` : 'Export CSV'}
        title={storeMissing ? 'Recording to a database is not available in this session' : choice ? `Export ${choice.symbol} top of book as CSV` : 'Pick a symbol first'}
      >
        Export CSV
      </button>
      <button
        type="button"
        className="record-button"
        onClick={() => void start('trades')}
        disabled={!choice || running || storeMissing}
        aria-label={choice ? `Export ${choice.symbol} trades as CSV` : 'Export trades CSV'}
        title={storeMissing ? 'Recording to a database is not available in this session' : choice ? `Export ${choice.symbol} recorded trades as CSV` : 'Pick a symbol first'}
      >
        Trades CSV
      </button>
      <select
        aria-label={choice ? `Export ${choice.symbol} candles as CSV` : 'Export candles CSV'}
        title={storeMissing ? 'Recording to a database is not available in this session' : 'Candles of the recorded trades at the interval chosen, as CSV'}
        value=""
        onChange={(e) => void start('candles', e.target.value as CandleIntervalName)}
        disabled={!choice || running || storeMissing}
        className="record-button"
      >
        <option value="" disabled>
          Candles…
        </option>
        {CANDLE_INTERVAL_NAMES.map((i) => (
          <option key={i} value={i}>
            {i} candles
          </option>
        ))}
      </select>
      {running && <progress aria-label="CSV export progress" max={Math.max(1, job?.totalRows ?? 0)} value={job?.rows ?? 0} />}
      <span className="record-status" role="status" aria-label="Export status">
        {showStatus ? status : ''}
      </span>
      <button
        type="button"
        className="record-button"
        onClick={() => void exportDepth(false)}
        disabled={!choice || storeMissing}
        aria-label={choice ? `Export ${choice.symbol} depth snapshot as JSON` : 'Export depth snapshot'}
        title="The current top 40 levels of each side, as JSON"
      >
        Depth JSON
      </button>
      {depthNote && depthFresh !== null && (
        <span className="record-status" role="status" aria-label="Depth snapshot status">
          {depthNote.node}
        </span>
      )}
    </div>
  );
}
