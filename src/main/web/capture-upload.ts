/**
 * POST /api/recordings: a capture file uploaded from a browser into the host's recordings folder, so
 * a window can replay a file that is not on the host yet. The body is the file itself; its name comes
 * in the `x-capture-name` header (percent-encoded), and is sanitised: only the last path segment, only
 * letters, digits, `.`, `_` and `-`, at most 100 characters, then `.capture.jsonl` or `.capture.jsonl.gz`
 * by what the file holds (never by what it is called). The file must be a capture (gzip or JSON lines
 * whose first line is a capture line) and at most MAX_CAPTURE_UPLOAD_BYTES; anything else is refused
 * with a message saying why, and nothing of it is kept.
 * A tardis.dev CSV file (incremental_book_L2 or trades, .csv or .csv.gz, told by its header) is kept
 * too, in a folder `<name without the data type>.tardis`, so a book file and its trades file uploaded
 * one after the other land side by side and replay together; the answer names the folder.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { MAX_CAPTURE_UPLOAD_BYTES } from '../../shared/contract';
import { probeCapture, probeTardisCsv } from '../capture/probe';

export interface UploadAnswer {
  status: number;
  body: { name: string; bytes: number } | { error: string };
}

/** Suffixes a capture's name may carry; removed before the canonical one is added. */
const KNOWN_SUFFIX = /\.(gz|gzip|jsonl|ndjson|json|txt|log|capture|csv)$/i;
const MAX_STEM = 100;

/** The stem a file name becomes (no folder, no suffixes, safe characters only), or null if nothing usable is left. */
export function sanitizeCaptureStem(raw: string): string | null {
  let name = raw.split(/[/\\]/).pop() ?? '';
  for (let i = 0; i < 4 && KNOWN_SUFFIX.test(name); i++) name = name.replace(KNOWN_SUFFIX, '');
  const stem = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, MAX_STEM)
    .replace(/[-._]+$/, '');
  return stem === '' ? null : stem;
}

function decodedHeader(value: string | string[] | undefined): string | null {
  if (typeof value !== 'string' || value === '') return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** A name in `dir` not taken yet: stem.capture.jsonl, stem-2.capture.jsonl, … */
function freeName(dir: string, stem: string, gzip: boolean): string {
  const suffix = gzip ? '.capture.jsonl.gz' : '.capture.jsonl';
  for (let n = 1; ; n++) {
    const name = `${stem}${n === 1 ? '' : `-${n}`}${suffix}`;
    if (!existsSync(join(dir, name))) return name;
  }
}

const mb = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`;

export async function receiveCaptureUpload(req: IncomingMessage, dir: string, maxBytes = MAX_CAPTURE_UPLOAD_BYTES): Promise<UploadAnswer> {
  const rawName = decodedHeader(req.headers['x-capture-name']);
  if (rawName === null) return { status: 400, body: { error: 'the file name is missing (header x-capture-name, percent-encoded)' } };
  const stem = sanitizeCaptureStem(rawName);
  if (stem === null) return { status: 400, body: { error: `"${rawName.slice(0, 80)}" is not a usable file name` } };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return { status: 413, body: { error: `the file is ${mb(declared)}; captures up to ${mb(maxBytes)} can be uploaded` } };
  }

  mkdirSync(dir, { recursive: true });
  const partial = join(dir, `.upload-${randomUUID()}.part`);
  const discard = (): void => rmSync(partial, { force: true });
  const received = await new Promise<{ bytes: number } | { tooLarge: true } | { failed: string }>((resolve) => {
    const out = createWriteStream(partial, { flags: 'wx' });
    let bytes = 0;
    let settled = false;
    const settle = (result: { bytes: number } | { tooLarge: true } | { failed: string }): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        req.unpipe(out);
        out.destroy();
        // Stop reading; the answer goes out with Connection: close.
        req.pause();
        settle({ tooLarge: true });
      }
    });
    req.on('aborted', () => settle({ failed: 'the upload was interrupted' }));
    req.on('error', (e) => settle({ failed: `the upload failed: ${e.message}` }));
    out.on('error', (e) => settle({ failed: `the file could not be written: ${e.message}` }));
    out.on('finish', () => settle({ bytes }));
    req.pipe(out);
  });
  if ('tooLarge' in received) {
    discard();
    return { status: 413, body: { error: `the file is larger than ${mb(maxBytes)}, the most a capture upload may be` } };
  }
  if ('failed' in received) {
    discard();
    return { status: 400, body: { error: received.failed } };
  }
  const probe = await probeCapture(partial);
  if (!probe.ok) {
    const tardis = await probeTardisCsv(partial);
    if (tardis) return keepTardisFile(dir, stem, tardis, partial, received.bytes);
    discard();
    return { status: 415, body: { error: `${probe.reason} (nor a tardis.dev incremental_book_L2 or trades CSV file)` } };
  }
  const name = freeName(dir, stem, probe.gzip);
  renameSync(partial, join(dir, name));
  return { status: 201, body: { name, bytes: received.bytes } };
}

/** File a tardis CSV upload in its pair folder (replacing an earlier upload of the same file). */
function keepTardisFile(dir: string, stem: string, tardis: { gzip: boolean; kind: 'incremental_book_L2' | 'trades' }, partial: string, bytes: number): UploadAnswer {
  const kindInName = /_?(incremental_book_L2|trades)(?=_|$)/;
  const pairStem = stem.replace(kindInName, '').replace(/^[-._]+/, '') || 'tardis';
  const folder = `${pairStem}.tardis`;
  mkdirSync(join(dir, folder), { recursive: true });
  const fileName = `${kindInName.test(stem) ? stem : `${tardis.kind}_${stem}`}.csv${tardis.gzip ? '.gz' : ''}`;
  renameSync(partial, join(dir, folder, fileName));
  return { status: 201, body: { name: folder, bytes } };
}
