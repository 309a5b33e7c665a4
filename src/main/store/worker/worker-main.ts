/**
 * Entry of the store's worker threads. `role` picks what the thread does: `writer` runs the writer
 * loop for the life of the store; `export` streams one CSV export and exits.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromExport, ToWriter, WorkerInit } from '../protocol';
import { exportCsv } from './csv-export';
import { openStoreReadOnly } from './open-database';
import { WriterLoop } from './writer-loop';

const port = parentPort;
if (!port) throw new Error('worker-main must run in a worker thread');
const init = workerData as WorkerInit;

/**
 * Linux: lower this thread's scheduling priority (nice +10). When the cores are busy, the thread that
 * reads sockets then wins over the writer, which only has to keep up on average (it batches).
 */
function yieldToIngestThread(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // Not Linux, or not permitted: run at normal priority.
  }
}

if (init.role === 'writer') {
  yieldToIngestThread();
  const { role: _role, ...options } = init;
  const loop = new WriterLoop({ ...options, post: (message) => port.postMessage(message) });
  port.on('message', (message: ToWriter) => loop.onMessage(message));
  loop.start();
} else {
  const post = (message: FromExport): void => port.postMessage(message);
  let db: ReturnType<typeof openStoreReadOnly> | null = null;
  try {
    db = openStoreReadOnly(init.path);
    const result = exportCsv(db, init.request, (p) => post({ t: 'progress', ...p }));
    post({ t: 'done', ...result });
  } catch (error) {
    post({ t: 'failed', error: (error as Error).message });
  } finally {
    db?.close();
  }
}
