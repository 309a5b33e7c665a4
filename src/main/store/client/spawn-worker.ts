/// <reference types="electron-vite/node" />
/**
 * Start a store worker thread, however the app runs:
 * - from source (tsx for the web host and the CLI, vitest for tests) the worker is a TypeScript file,
 *   which a plain Node worker cannot load, so a two-line bootstrap registers tsx in the worker first;
 * - in the Electron build, electron-vite bundles the worker as its own chunk (`?modulePath`) and hands
 *   us its path.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerInit } from '../protocol';

const fromSource = import.meta.url.endsWith('.ts');

export async function spawnStoreWorker(init: WorkerInit): Promise<Worker> {
  if (fromSource) {
    const bootstrap = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.entry); });`;
    const entry = new URL('../worker/worker-main.ts', import.meta.url).href;
    return new Worker(bootstrap, { eval: true, workerData: { ...init, tsx: import.meta.resolve('tsx/esm/api'), entry } });
  }
  const { default: entryPath } = await import('../worker/worker-main?modulePath');
  return new Worker(entryPath, { workerData: init });
}
