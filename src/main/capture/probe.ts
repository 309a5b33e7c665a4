/**
 * Quick looks at a capture file without replaying it: the recorded time it spans (for a replay's
 * progress) and whether it is a capture at all (for files uploaded from a browser).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CorruptLineError, parseCaptureLine } from './format';

/** A line's top-level "ts" (a `"ts"` inside the escaped `data` string reads `\"ts\"` and does not match). */
const TS_FIELD = /"ts"\s*:\s*(-?[0-9][0-9.eE+-]*)/;

async function firstBytes(path: string, n: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(n), 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function isGzipMagic(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The file's text, decompressed when it is gzip (by its first bytes, not its name). */
async function openText(path: string): Promise<{ input: Readable; close: () => void }> {
  const gz = isGzipMagic(await firstBytes(path, 2));
  const file = createReadStream(path);
  const input = gz ? file.pipe(createGunzip()) : file;
  // A truncated or corrupt file ends the lines early (readline rethrows it; callers catch) instead of
  // an unhandled 'error' event.
  input.on('error', () => {});
  return {
    input,
    close: () => {
      file.destroy();
      if (input !== file) input.destroy();
    },
  };
}

/**
 * The first and last recorded time in a capture (ms since the epoch), or null when no line carries one.
 * Reads the whole file (decompressing a .gz) but parses only each line's "ts". `isCancelled` stops early.
 */
export async function captureTimeSpan(path: string, isCancelled: () => boolean = () => false): Promise<{ start: number; end: number } | null> {
  const { input, close } = await openText(path);
  let start: number | null = null;
  let end: number | null = null;
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (isCancelled()) return null;
      const ts = Number(TS_FIELD.exec(line)?.[1]);
      if (!Number.isFinite(ts) || ts <= 0) continue;
      start ??= ts;
      end = end === null ? ts : Math.max(end, ts);
    }
  } catch {
    // Unreadable from here on: the span of what could be read.
  } finally {
    close();
  }
  return start === null || end === null ? null : { start, end };
}

export type CaptureProbe = { ok: true; gzip: boolean } | { ok: false; reason: string };

/**
 * Whether a file is a capture: plain or gzip-compressed JSON lines whose first non-empty line is a
 * valid capture line (ts, conn, venue, kind). A reason the user can read when it is not.
 */
export async function probeCapture(path: string): Promise<CaptureProbe> {
  const head = await firstBytes(path, 2);
  const gzip = isGzipMagic(head);
  if (!gzip && head.length > 0 && head[0] !== 0x7b && head[0] !== 0x0a && head[0] !== 0x0d && head[0] !== 0x20) {
    return { ok: false, reason: 'not a capture: the file is neither gzip nor JSON lines (a capture line starts with "{")' };
  }
  const { input, close } = await openText(path);
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      try {
        parseCaptureLine(line);
        return { ok: true, gzip };
      } catch (error) {
        if (!(error instanceof CorruptLineError)) throw error;
        return { ok: false, reason: `not a capture: its first line is not a capture line (${error.message}; expected {"ts": …, "conn": …, "venue": …, "kind": …})` };
      }
    }
  } catch {
    return { ok: false, reason: gzip ? 'not a capture: the gzip data could not be decompressed' : 'not a capture: the file could not be read' };
  } finally {
    close();
  }
  return { ok: false, reason: gzip ? 'not a capture: the gzip file holds no lines (or is corrupt)' : 'not a capture: the file is empty' };
}

/**
 * Whether a file is tardis.dev CSV (by its header line, decompressed when gzip): which data type and
 * whether it is compressed, or null.
 */
export async function probeTardisCsv(path: string): Promise<{ gzip: boolean; kind: 'incremental_book_L2' | 'trades' } | null> {
  const gzip = isGzipMagic(await firstBytes(path, 2));
  const { input, close } = await openText(path);
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      const columns = line.split(',');
      if (!['exchange', 'symbol', 'timestamp', 'local_timestamp'].every((c) => columns.includes(c))) return null;
      if (columns.includes('is_snapshot') && columns.includes('price') && columns.includes('amount')) return { gzip, kind: 'incremental_book_L2' };
      if (columns.includes('id') && columns.includes('side') && columns.includes('amount')) return { gzip, kind: 'trades' };
      return null;
    }
    return null;
  } catch {
    return null;
  } finally {
    close();
  }
}
