/**
 * What a storage error means for the user and for the writer: retry later (full disk, read-only or
 * missing folder, lock held by another program, I/O error), move the damaged file aside and start a
 * new one (corrupt), or give up on one batch (anything else, which would be a bug).
 */
import { dirname } from 'node:path';

export type ErrorClass = 'retry' | 'corrupt' | 'fatal';

export interface ClassifiedError {
  kind: ErrorClass;
  /** Short machine name: disk-full, read-only, locked, io, corrupt, newer-schema, other. */
  reason: string;
  /** A sentence for the user: what happened and what the app does about it. */
  message: string;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : '';
}

export function classifyStoreError(error: unknown, path: string): ClassifiedError {
  const code = codeOf(error);
  const detail = (error as Error)?.message ?? String(error);
  const folder = dirname(path);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return { kind: 'retry', reason: 'disk-full', message: `disk full: cannot write ${path}; recording is paused and resumes when space is freed on ${folder}` };
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code.startsWith('SQLITE_CANTOPEN')) {
    return {
      kind: 'retry',
      reason: 'read-only',
      message: `cannot write ${path}: the folder ${folder} is read-only, not permitted or missing (${detail}); recording is paused and retried`,
    };
  }
  // EEXIST/ENOTDIR: a file sits where a folder of the path should be.
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EEXIST') {
    return { kind: 'retry', reason: 'missing-folder', message: `the data folder ${folder} is missing and cannot be created (${detail}); retrying` };
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return { kind: 'retry', reason: 'locked', message: `${path} is locked by another program; recording is paused and retried` };
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return { kind: 'retry', reason: 'io', message: `disk I/O error writing ${path} (${detail}); recording is paused and retried` };
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return { kind: 'corrupt', reason: 'corrupt', message: `${path} is damaged (${detail})` };
  }
  // The native module does not match this runtime (Node vs Electron ABI): no retry can fix that.
  if (code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(detail)) {
    return {
      kind: 'fatal',
      reason: 'native-module',
      message:
        'the SQLite module (better-sqlite3) is built for a different runtime, so nothing is recorded to the database; ' +
        'start the desktop app with `npm start`, which builds it for Electron (it needs to reach electronjs.org once)',
    };
  }
  if ((error as Error)?.name === 'NewerSchemaError') {
    return { kind: 'retry', reason: 'newer-schema', message: `${detail}; recording is paused (use another data folder, or the newer app)` };
  }
  return { kind: 'fatal', reason: 'other', message: `store error: ${detail}` };
}

/** A failure the user can act on (nothing recorded for that symbol, bad range). */
export class ExportError extends Error {
  override name = 'ExportError';
}
