import { createWriteStream, type WriteStream } from 'node:fs';
import { createGzip, type Gzip } from 'node:zlib';
import type { CaptureLine } from './format';

/**
 * Appends capture lines to a file; gzip-compressed when the name ends in `.gz`. A write error (full
 * disk, removed folder) is kept in `error` and later lines are dropped, never thrown at the feed.
 */
export class CaptureWriter {
  private readonly file: WriteStream;
  private readonly gzip: Gzip | null;
  private lines = 0;
  private rawBytes = 0;
  private ended = false;
  error: Error | null = null;

  constructor(readonly path: string) {
    this.file = createWriteStream(path, { flags: 'w' });
    this.gzip = path.endsWith('.gz') ? createGzip() : null;
    if (this.gzip) this.gzip.pipe(this.file);
    const fail = (e: Error): void => {
      this.error ??= e;
    };
    this.file.on('error', fail);
    this.gzip?.on('error', fail);
  }

  write(line: CaptureLine): void {
    // Lines arriving after close (a socket's late close event) are dropped, not an error.
    if (this.error || this.ended) return;
    const text = JSON.stringify(line) + '\n';
    (this.gzip ?? this.file).write(text);
    this.lines++;
    this.rawBytes += text.length;
  }

  get count(): number {
    return this.lines;
  }

  /** Uncompressed bytes written so far. */
  get bytes(): number {
    return this.rawBytes;
  }

  /** Flush and close; resolves once every byte is on disk. */
  close(): Promise<void> {
    this.ended = true;
    return new Promise((resolve, reject) => {
      if (this.file.closed) {
        if (this.error) reject(this.error);
        else resolve();
        return;
      }
      this.file.once('error', reject);
      this.file.once('close', () => (this.error ? reject(this.error) : resolve()));
      (this.gzip ?? this.file).end();
    });
  }
}
