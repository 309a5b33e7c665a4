/**
 * The capture format (DESIGN.md): one JSON object per line,
 *   {"ts": ms since epoch, "conn": "c1", "venue": "binance-spot", "kind": "open"|"send"|"recv"|"rest"|"close",
 *    "url"?: "...", "data"?: "<frame or response body exactly as sent or received>"}
 * optionally gzip-compressed.
 */
export type CaptureKind = 'open' | 'send' | 'recv' | 'rest' | 'close';

export interface CaptureLine {
  ts: number;
  conn: string;
  venue: string;
  kind: CaptureKind;
  url?: string;
  data?: string;
  /** HTTP status of a `rest` line when it was not 200 (absent means 200). */
  status?: number;
}

const KINDS = new Set<string>(['open', 'send', 'recv', 'rest', 'close']);

export class CorruptLineError extends Error {}

/** Parse and check one capture line; throws CorruptLineError with the reason. */
export function parseCaptureLine(text: string): CaptureLine {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    throw new CorruptLineError('not valid JSON');
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new CorruptLineError('not a JSON object');
  const o = obj as Record<string, unknown>;
  if (typeof o.ts !== 'number' || !Number.isFinite(o.ts)) throw new CorruptLineError('missing numeric "ts"');
  if (typeof o.venue !== 'string' || o.venue === '') throw new CorruptLineError('missing "venue"');
  if (typeof o.kind !== 'string' || !KINDS.has(o.kind)) throw new CorruptLineError(`unknown "kind" ${JSON.stringify(o.kind)}`);
  if (typeof o.conn !== 'string') throw new CorruptLineError('missing "conn"');
  if ((o.kind === 'recv' || o.kind === 'send' || o.kind === 'rest') && typeof o.data !== 'string') {
    throw new CorruptLineError(`"${o.kind}" line without string "data"`);
  }
  if ((o.kind === 'open' || o.kind === 'rest') && typeof o.url !== 'string') {
    throw new CorruptLineError(`"${o.kind}" line without "url"`);
  }
  return o as unknown as CaptureLine;
}
