/**
 * The desk's names on NATS (docs/desk.md has the scheme in prose) and the messages carried on them.
 *
 *   obm.<venue>.<symbol>.book    snapshot or delta of one book, numbered `seq` per book and collector run
 *   obm.<venue>.<symbol>.state   a sync-state change of the collector's book
 *   obm.<venue>.<symbol>.trade   one print
 *   obm.<venue>.<symbol>.top     best bid/ask, on every change of price or size (the recorder stores these)
 *   obm.<venue>.<symbol>.health  the collector's health record of the book, every second
 *
 * All of them go to one JetStream stream (OBM), so a book's messages share one order and a window can
 * follow one book with a single consumer on `obm.<venue>.<symbol>.>`. The KV bucket `obm_books` holds,
 * per book (key `<venue>.<symbol>`), the last snapshot a collector took, with the stream sequence it
 * is current to: a late joiner loads it and continues from there. The KV bucket `obm_leases` holds the
 * active collector of each shard; `obm_instruments` holds, per book (same key), the instrument the
 * collector knows (tick and lot size, precisions, base/quote), written when it starts publishing it.
 *
 * Symbols are encoded into one subject token (and one KV key token): letters, digits, `_` and `-`
 * stay, every other character becomes `=` and its two hex digits (`BTC/USD` → `BTC=2FUSD`).
 */
import { InstrumentSchema, type SymbolHealth } from '../../shared/contract';
import { isVenueId, type Instrument, type SyncState, type Trade, type VenueId } from '../../shared/market';

export const STREAM_NAME = 'OBM';
export const SUBJECT_ROOT = 'obm';
export const BOOKS_BUCKET = 'obm_books';
export const LEASES_BUCKET = 'obm_leases';
export const INSTRUMENTS_BUCKET = 'obm_instruments';

export type DeskKind = 'book' | 'state' | 'trade' | 'top' | 'health';
const KINDS: readonly DeskKind[] = ['book', 'state', 'trade', 'top', 'health'];

export function encodeToken(symbol: string): string {
  let out = '';
  for (const ch of symbol) {
    if (/^[A-Za-z0-9_-]$/.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += '=' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function decodeToken(token: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '=' && /^[0-9A-F]{2}$/.test(token.slice(i + 1, i + 3))) {
      bytes.push(parseInt(token.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(token.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

export function subjectOf(venue: VenueId, symbol: string, kind: DeskKind): string {
  return `${SUBJECT_ROOT}.${venue}.${encodeToken(symbol)}.${kind}`;
}

/** Every message of one book, in stream order. */
export function bookFilter(venue: VenueId, symbol: string): string {
  return `${SUBJECT_ROOT}.${venue}.${encodeToken(symbol)}.>`;
}

export function parseSubject(subject: string): { venue: VenueId; symbol: string; kind: DeskKind } | null {
  const parts = subject.split('.');
  if (parts.length !== 4 || parts[0] !== SUBJECT_ROOT) return null;
  const [, venue, token, kind] = parts as [string, string, string, string];
  if (!isVenueId(venue) || !KINDS.includes(kind as DeskKind)) return null;
  return { venue, symbol: decodeToken(token), kind: kind as DeskKind };
}

/** KV key of a book's last snapshot. */
export function snapshotKey(venue: VenueId, symbol: string): string {
  return `${venue}.${encodeToken(symbol)}`;
}

export function parseSnapshotKey(key: string): { venue: VenueId; symbol: string } | null {
  const [venue, token, ...rest] = key.split('.');
  if (rest.length > 0 || !venue || !token || !isVenueId(venue)) return null;
  return { venue, symbol: decodeToken(token) };
}

// ---- messages -------------------------------------------------------------------------------------

type Level = [string, string];

/** A book event as the collector applied it. `n` is each side's level count after it (truncation). */
export interface BookMessage {
  run: string;
  seq: number;
  kind: 'snapshot' | 'delta';
  bids: Level[];
  asks: Level[];
  n: [number, number];
  exchangeTs: number | null;
  localTs: number;
}

export interface StateMessage {
  run: string;
  seq: number;
  from: SyncState;
  to: SyncState;
  reason: string;
}

export interface TradeMessage {
  run: string;
  trade: Trade;
}

export interface TopMessage {
  run: string;
  seq: number;
  bid: string | null;
  bidSize: string | null;
  ask: string | null;
  askSize: string | null;
  exchangeTs: number | null;
  localTs: number;
}

export interface HealthMessage {
  run: string;
  seq: number;
  health: SymbolHealth;
  /** The collector's source has ended (a capture played to its end): nothing more will come. */
  ended: boolean;
}

/** A book's last snapshot in the KV bucket: the book at `seq`, current to stream sequence `streamSeq`. */
export interface BookSnapshot {
  run: string;
  venue: VenueId;
  symbol: string;
  seq: number;
  streamSeq: number;
  state: SyncState;
  bids: Level[];
  asks: Level[];
  exchangeTs: number | null;
  localTs: number;
  health: SymbolHealth | null;
  ended: boolean;
  takenAt: number;
}

export class MalformedMessageError extends Error {}

const isText = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isLevels = (v: unknown): v is Level[] => Array.isArray(v) && v.every((l) => Array.isArray(l) && l.length === 2 && isText(l[0]) && isText(l[1]));
const STATES: readonly SyncState[] = ['idle', 'connecting', 'buffering', 'synced', 'resyncing', 'failed'];
const isState = (v: unknown): v is SyncState => STATES.includes(v as SyncState);

function object(data: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    // A view of the message's bytes, not a copy.
    value = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch (error) {
    throw new MalformedMessageError(`not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedMessageError('not a JSON object');
  return value as Record<string, unknown>;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new MalformedMessageError(what);
}

export function encode(message: object): Uint8Array {
  return Buffer.from(JSON.stringify(message), 'utf8');
}

export function parseBook(data: Uint8Array): BookMessage {
  const m = object(data);
  check(isText(m.run) && isNum(m.seq) && (m.kind === 'snapshot' || m.kind === 'delta'), 'book message without run, seq or kind');
  check(isLevels(m.bids) && isLevels(m.asks), 'book message with malformed levels');
  check(Array.isArray(m.n) && m.n.length === 2 && isNum(m.n[0]) && isNum(m.n[1]), 'book message without level counts');
  check((m.exchangeTs === null || isNum(m.exchangeTs)) && isNum(m.localTs), 'book message with malformed times');
  return m as unknown as BookMessage;
}

export function parseState(data: Uint8Array): StateMessage {
  const m = object(data);
  check(isText(m.run) && isNum(m.seq) && isState(m.from) && isState(m.to) && isText(m.reason), 'malformed state message');
  return m as unknown as StateMessage;
}

export function parseTrade(data: Uint8Array): TradeMessage {
  const m = object(data);
  const t = m.trade as Record<string, unknown> | undefined;
  check(isText(m.run), 'trade message without run');
  check(!!t && typeof t === 'object' && isText(t.venue) && isText(t.symbol) && isText(t.price) && isText(t.size), 'trade message without a trade');
  check(!!t && (t.id === null || isText(t.id)) && ['buy', 'sell', 'unknown'].includes(t.side as string) && isNum(t.exchangeTs) && isNum(t.localTs), 'malformed trade');
  return m as unknown as TradeMessage;
}

export function parseTop(data: Uint8Array): TopMessage {
  const m = object(data);
  const textOrNull = (v: unknown): boolean => v === null || isText(v);
  check(isText(m.run) && isNum(m.seq) && isNum(m.localTs) && (m.exchangeTs === null || isNum(m.exchangeTs)), 'malformed top-of-book message');
  check(textOrNull(m.bid) && textOrNull(m.bidSize) && textOrNull(m.ask) && textOrNull(m.askSize), 'top-of-book message with malformed prices');
  return m as unknown as TopMessage;
}

export function parseHealth(data: Uint8Array): HealthMessage {
  const m = object(data);
  const h = m.health as Record<string, unknown> | undefined;
  check(isText(m.run) && isNum(m.seq) && typeof m.ended === 'boolean' && !!h && typeof h === 'object' && isState(h.state), 'malformed health message');
  return m as unknown as HealthMessage;
}

export function parseSnapshot(data: Uint8Array): BookSnapshot {
  const m = object(data);
  check(isText(m.run) && isNum(m.seq) && isNum(m.streamSeq) && isState(m.state), 'malformed book snapshot');
  check(isLevels(m.bids) && isLevels(m.asks) && isNum(m.localTs), 'book snapshot with malformed levels');
  return m as unknown as BookSnapshot;
}

/** An instrument from the `obm_instruments` bucket (the same record a venue's instrument list holds). */
export function parseInstrument(data: Uint8Array): Instrument {
  const parsed = InstrumentSchema.safeParse(object(data));
  if (!parsed.success) throw new MalformedMessageError(`malformed instrument: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}
