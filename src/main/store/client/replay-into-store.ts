/**
 * Replay a capture into a store database through the same path the live app uses: the adapters'
 * book events and prints → MarketRecorder → Store (writer worker). Used by `npm run replay -- FILE --db DB`.
 */
import { dirname, join } from 'node:path';
import { replayCapture, type ReplayResult } from '../../capture/replay';
import { nullLogger, type Logger } from '../../log';
import { MarketRecorder } from './recorder';
import { Store } from './store';

export interface ReplayIntoStoreResult {
  replay: ReplayResult;
  db: string;
  /** Top-of-book rows this replay added to the database (equals replay.topOfBookChanges when all went well). */
  rowsWritten: number;
  /** Top-of-book rows in the database now (earlier runs included). */
  rowsInDb: number;
  /** Trades this replay added to the database (a print already stored is not added again). */
  tradesWritten: number;
  droppedRows: number;
  errors: string[];
}

export async function replayIntoStore(capture: string, dbPath: string, logger: Logger = nullLogger): Promise<ReplayIntoStoreResult> {
  // A replayed capture is old by definition: never let age retention delete it on the way in.
  const store = new Store({
    path: dbPath,
    exportsDir: join(dirname(dbPath), 'exports'),
    logger,
    retention: { days: null, maxBytes: null },
    retentionDelayMs: 2 ** 31 - 1,
    // Nothing else runs on this thread: big batches are fine.
    flushRows: 5000,
    maxQueuedRows: 5_000_000,
  });
  try {
    const before = await store.fetchStatus();
    if (before.state === 'failed') throw new Error(before.message ?? `cannot open ${dbPath}`);
    const recorder = new MarketRecorder(store);
    const replay = await replayCapture(capture, { logger, onBook: recorder.onBook, onTrade: recorder.onTrade });
    await flushOrGiveUp(store, 15_000);
    const after = await store.fetchStatus();
    return {
      replay,
      db: store.path,
      rowsWritten: after.rows.topOfBook - before.rows.topOfBook,
      rowsInDb: after.rows.topOfBook,
      tradesWritten: after.rows.trades - before.rows.trades,
      droppedRows: after.droppedRows,
      errors: after.lastError ? [after.lastError] : [],
    };
  } finally {
    await store.close();
  }
}

/** Wait for everything to be committed; give up with the store's message if it keeps failing. */
async function flushOrGiveUp(store: Store, failingForMs: number): Promise<void> {
  let failingSince: number | null = null;
  const flushed = store.flush().then(() => true);
  for (;;) {
    const done = await Promise.race([flushed, new Promise<false>((r) => setTimeout(() => r(false), 250))]);
    if (done) return;
    const status = store.status();
    if (status.state !== 'failed') failingSince = null;
    else if (failingSince === null) failingSince = Date.now();
    else if (Date.now() - failingSince > failingForMs) throw new Error(`could not write to ${store.path}: ${status.message}`);
  }
}
