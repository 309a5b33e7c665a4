import { createWriteStream, type WriteStream } from 'node:fs';
import { createGzip, type Gzip } from 'node:zlib';
import type { CaptureLine } from './format';

/** Appends capture lines to a file; gzip-compressed when the name ends in `.gz`. */
export class CaptureWriter {
  private readonly file: WriteStream;
  private readonly gzip: Gzip | null;
  private lines = 0;

  constructor(readonly path: string) {
    this.file = createWriteStream(path, { flags: 'w' });
    this.gzip = path.endsWith('.gz') ? createGzip() : null;
    if (this.gzip) this.gzip.pipe(this.file);
  }

  write(line: CaptureLine): void {
    const text = JSON.stringify(line) + '\n';
    (this.gzip ?? this.file).write(text);
    this.lines++;
  }

  get count(): number {
    return this.lines;
  }

  /** Flush and close; resolves once every byte is on disk. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.file.once('error', reject);
      this.file.once('close', () => resolve());
      (this.gzip ?? this.file).end();
    });
  }
}
