/**
 * `--shard I/N`: a stable share of the symbol universe. A book belongs to shard I (1-based) of N when
 * the FNV-1a hash of `venue:symbol` modulo N is I - 1, so N collectors on N machines cover every
 * symbol exactly once, and the split does not change between runs or machines.
 */

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new Error(`--shard must be I/N with 1 ≤ I ≤ N (e.g. 2/3), got ${JSON.stringify(text)}`);
  return { index, count };
}

/** 32-bit FNV-1a of the UTF-8 bytes. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function inShard(shard: Shard | null, venue: string, symbol: string): boolean {
  if (!shard || shard.count === 1) return true;
  return fnv1a(`${venue}:${symbol}`) % shard.count === shard.index - 1;
}
