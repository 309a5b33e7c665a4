import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { CorruptLineError, parseCaptureLine, type CaptureLine } from './format';

/**
 * One line of a capture, or why it could not be used. `endsEarly` marks the last entry of a file that
 * could not be read to its end (a truncated gzip, a read error): what followed is missing, not corrupt.
 */
export type CaptureEntry = { lineNo: number; line: CaptureLine } | { lineNo: number; error: string; endsEarly?: true };

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Stream a capture file line by line, plain or gzip (detected from the file's first bytes, not its
 * name). A corrupt line yields an error entry with its 1-based line number instead of stopping.
 */
export async function* readCapture(path: string, options: { onBytesRead?: (bytes: number) => void } = {}): AsyncGenerator<CaptureEntry> {
  const gz = await isGzip(path);
  const file = createReadStream(path);
  // Progress in bytes of the file as stored (compressed bytes for .gz), for a progress bar.
  if (options.onBytesRead) file.on('data', () => options.onBytesRead!(file.bytesRead));
  const input = gz ? file.pipe(createGunzip()) : file;
  // A truncated gzip (a recording cut off mid-write) must end the stream, not throw from nowhere.
  let streamError: Error | null = null;
  input.on('error', (e: Error) => {
    streamError = e;
  });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const text of lines) {
      lineNo++;
      if (text.trim() === '') continue;
      try {
        yield { lineNo, line: parseCaptureLine(text) };
      } catch (error) {
        if (!(error instanceof CorruptLineError)) throw error;
        yield { lineNo, error: error.message };
      }
    }
  } catch (error) {
    streamError = error as Error;
  }
  if (streamError) yield { lineNo: lineNo + 1, error: (streamError as Error).message, endsEarly: true };
}
