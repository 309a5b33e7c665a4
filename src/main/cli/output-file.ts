/**
 * Where a command may write its output file. An `--out` typo must not replace something the user
 * keeps, so:
 *   - the folder must already exist (a missing folder is far more often a typo than a wish);
 *   - nothing already at the path is replaced without --force;
 *   - even with --force only a regular file is replaced, never a folder, a symbolic link, a device,
 *     a pipe or a socket.
 */
import { lstatSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

export class OutputFileError extends Error {}

/**
 * The absolute output path, once it is safe to write there; throws OutputFileError saying why not.
 * `option` names the flag in messages (e.g. "--out").
 */
export function checkOutputFile(path: string, options: { force: boolean; option?: string }): string {
  const option = options.option ?? '--out';
  const out = resolve(path);
  const folder = dirname(out);
  let folderStats: Stats;
  try {
    folderStats = statSync(folder);
  } catch {
    throw new OutputFileError(`${option} ${out}: folder ${folder} does not exist; create it first`);
  }
  if (!folderStats.isDirectory()) throw new OutputFileError(`${option} ${out}: ${folder} is not a folder`);

  let existing: Stats;
  try {
    existing = lstatSync(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw new OutputFileError(`${option} ${out}: cannot check what is there (${(error as Error).message})`);
  }
  if (!existing.isFile()) {
    throw new OutputFileError(`${option} ${out} is ${kindOf(existing)}, not a regular file; refusing to replace it (even with --force)`);
  }
  if (!options.force) throw new OutputFileError(`${option} ${out} already exists; pass --force to replace it`);
  return out;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'an unknown kind of file';
}
