/**
 * Opening the store's database: create the folder, set WAL and durability, bring the schema up to
 * date, and move a damaged file aside (renamed with a timestamp, never deleted) so a new one can start.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { classifyStoreError } from '../errors';
import { LATEST_VERSION, NewerSchemaError, migrate } from './schema';

export interface OpenedDatabase {
  db: Database.Database;
  /** Where a damaged file was moved, when this open had to start a new database. */
  movedAside: string | null;
  /** Schema migrations applied by this open. */
  migrated: number[];
}

/** SQLite files that belong to one database. */
const COMPANIONS = ['-wal', '-shm'];

/** Rename a damaged database (and its WAL and shared-memory files) to `<path>.corrupt-<timestamp>`. */
export function moveAside(path: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${path}.corrupt-${stamp}`;
  for (let n = 2; existsSync(target); n++) target = `${path}.corrupt-${stamp}-${n}`;
  if (existsSync(path)) renameSync(path, target);
  for (const suffix of COMPANIONS) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

function configure(db: Database.Database): void {
  // A brand-new file: let retention hand freed pages back to the disk (only settable before any table).
  const fresh = (db.pragma('page_count', { simple: true }) as number) === 0;
  if (fresh) db.pragma('auto_vacuum = INCREMENTAL');
  // Waiting on a lock happens in the writer worker, never on the thread that reads sockets.
  db.pragma('busy_timeout = 2000');
  const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
  if (mode !== 'wal') throw Object.assign(new Error(`could not switch ${db.name} to WAL (got ${mode})`), { code: 'SQLITE_CANTOPEN' });
  // FULL: a committed batch survives a power cut too; the fsync costs the worker, not the ingest thread.
  db.pragma('synchronous = FULL');
  // Keep the WAL from staying large after a burst or a long export.
  db.pragma('journal_size_limit = 67108864');
  // Reading the schema is where a file that is not a database (or has a damaged header) shows itself.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}

/**
 * better-sqlite3 is a native module: the copy npm builds serves Node (web host, CLI, tests); the
 * desktop app loads one built for Electron's ABI, whose path the main process puts in
 * ORDERBOOK_SQLITE_BINDING (see scripts/rebuild-native.mjs). Worker threads inherit the variable.
 */
function bindingOptions(): { nativeBinding?: string } {
  const binding = process.env.ORDERBOOK_SQLITE_BINDING;
  return binding ? { nativeBinding: binding } : {};
}

/**
 * Open (creating when needed) the store database for writing. A damaged file is moved aside and a new
 * one started; every other failure (read-only or missing folder, full disk, lock) is thrown for the
 * caller to report and retry.
 */
export function openStoreDatabase(path: string): OpenedDatabase {
  mkdirSync(dirname(path), { recursive: true });
  let movedAside: string | null = null;
  for (let attempt = 0; ; attempt++) {
    let db: Database.Database | null = null;
    try {
      db = new Database(path, bindingOptions());
      configure(db);
      const migrated = migrate(db);
      return { db, movedAside, migrated };
    } catch (error) {
      db?.close();
      if (attempt === 0 && classifyStoreError(error, path).kind === 'corrupt') {
        movedAside = moveAside(path);
        continue;
      }
      throw error;
    }
  }
}

/** Open an existing store database for reading only (exports, the CLI). */
export function openStoreReadOnly(path: string): Database.Database {
  if (!existsSync(path)) throw Object.assign(new Error(`no database at ${path}`), { code: 'ENOENT' });
  const db = new Database(path, { readonly: true, fileMustExist: true, ...bindingOptions() });
  try {
    db.pragma('busy_timeout = 2000');
    const version = schemaVersionReadOnly(db);
    if (version === 0) throw new Error(`${path} is not an Order Book Monitor database (no schema_version table)`);
    if (version > LATEST_VERSION) throw new NewerSchemaError(`${path} has schema version ${version}, newer than this app understands (${LATEST_VERSION})`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function schemaVersionReadOnly(db: Database.Database): number {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (!exists) return 0;
  return (db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
}
