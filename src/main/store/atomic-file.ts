import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/**
 * Write `data` to `file` whole or not at all: into `<file>.partial-<pid>` beside it, fsynced, then
 * renamed over it; on an error the partial file is removed. The folder must exist.
 */
export function writeFileAtomic(file: string, data: Buffer): void {
  const partial = `${file}.partial-${process.pid}`;
  const fd = openSync(partial, 'w');
  let open = true;
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    open = false;
    renameSync(partial, file);
  } catch (error) {
    if (open) closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  }
}
