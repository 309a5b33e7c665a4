/**
 * One side of a book as an ordered map from integer keys to values, smallest key first: a list of
 * small sorted chunks (a two-level B+ tree). Finding a key is two binary searches; inserting or
 * deleting shifts at most one chunk's entries, and the chunk list only changes when a chunk splits or
 * empties. Books change mostly near the best price, which is the front of the first chunk, so the
 * common update touches one short array and allocates nothing (except the value a caller inserts).
 *
 * Why not sorted-btree (used before): its generic delete (editRange) and comparator calls made book
 * updates slower than a plain red-black tree baseline; see the Performance section of README.md.
 */

/** Entries per chunk before it splits in two. */
const MAX_CHUNK = 64;
/** A chunk this small merges into its neighbour when both fit in one. */
const MIN_CHUNK = 16;

interface Chunk<V> {
  keys: number[];
  values: V[];
}

export class SortedLevels<V> {
  private chunks: Chunk<V>[] = [];
  private count = 0;
  /**
   * Where the last get() looked, so that set() of the same key right after it (a book inserting a
   * level it just found missing) does not search again. Any change clears it.
   */
  private hintKey = Number.NaN;
  private hintChunk = 0;
  private hintIndex = 0;

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.chunks = [];
    this.count = 0;
    this.hintKey = Number.NaN;
  }

  /** Index of the chunk that holds (or would hold) `key`: the last whose first key is <= key, else 0. */
  private chunkFor(key: number): number {
    const chunks = this.chunks;
    const n = chunks.length;
    // Fast path: near the best price (the common case) the key falls in the first chunk.
    if (n <= 1 || key < chunks[1]!.keys[0]!) return 0;
    let lo = 1;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (chunks[mid]!.keys[0]! <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  get(key: number): V | undefined {
    if (this.count === 0) return undefined;
    const c = this.chunkFor(key);
    const chunk = this.chunks[c]!;
    const i = lowerBound(chunk.keys, key);
    this.hintKey = key;
    this.hintChunk = c;
    this.hintIndex = i;
    return chunk.keys[i] === key ? chunk.values[i] : undefined;
  }

  /** Insert or replace. */
  set(key: number, value: V): void {
    if (this.count === 0) {
      this.hintKey = Number.NaN;
      this.chunks.push({ keys: [key], values: [value] });
      this.count = 1;
      return;
    }
    const hinted = key === this.hintKey;
    this.hintKey = Number.NaN;
    // Past the last key (a snapshot arriving best first, or a new worst level): append, no search.
    const lastChunk = this.chunks[this.chunks.length - 1]!;
    if (key > lastChunk.keys[lastChunk.keys.length - 1]!) {
      lastChunk.keys.push(key);
      lastChunk.values.push(value);
      this.count++;
      if (lastChunk.keys.length > MAX_CHUNK) this.split(this.chunks.length - 1);
      return;
    }
    const c = hinted ? this.hintChunk : this.chunkFor(key);
    const chunk = this.chunks[c]!;
    const keys = chunk.keys;
    const values = chunk.values;
    const i = hinted ? this.hintIndex : lowerBound(keys, key);
    if (keys[i] === key) {
      values[i] = value;
      return;
    }
    // Shift the tail right by one and put the entry at i.
    let j = keys.length;
    keys.push(key);
    values.push(value);
    for (; j > i; j--) {
      keys[j] = keys[j - 1]!;
      values[j] = values[j - 1]!;
    }
    keys[i] = key;
    values[i] = value;
    this.count++;
    if (keys.length > MAX_CHUNK) this.split(c);
  }

  /** Remove a key; false if it was not there. */
  delete(key: number): boolean {
    if (this.count === 0) return false;
    this.hintKey = Number.NaN;
    const c = this.chunkFor(key);
    const chunk = this.chunks[c]!;
    const keys = chunk.keys;
    const i = lowerBound(keys, key);
    if (keys[i] !== key) return false;
    this.removeAt(c, i);
    return true;
  }

  private removeAt(c: number, i: number): void {
    const chunk = this.chunks[c]!;
    const keys = chunk.keys;
    const values = chunk.values;
    const last = keys.length - 1;
    for (let j = i; j < last; j++) {
      keys[j] = keys[j + 1]!;
      values[j] = values[j + 1]!;
    }
    keys.pop();
    values.pop();
    this.count--;
    if (keys.length === 0) this.chunks.splice(c, 1);
    else if (keys.length < MIN_CHUNK) this.mergeSmall(c);
  }

  private split(c: number): void {
    const chunk = this.chunks[c]!;
    const half = chunk.keys.length >> 1;
    const right: Chunk<V> = { keys: chunk.keys.slice(half), values: chunk.values.slice(half) };
    chunk.keys.length = half;
    chunk.values.length = half;
    this.chunks.splice(c + 1, 0, right);
  }

  /** Merge a small chunk with a neighbour when the two fit in one chunk. */
  private mergeSmall(c: number): void {
    const chunks = this.chunks;
    const small = chunks[c]!;
    const next = chunks[c + 1];
    if (next && small.keys.length + next.keys.length <= MAX_CHUNK) {
      for (let j = 0; j < next.keys.length; j++) {
        small.keys.push(next.keys[j]!);
        small.values.push(next.values[j]!);
      }
      chunks.splice(c + 1, 1);
      return;
    }
    const prev = chunks[c - 1];
    if (prev && small.keys.length + prev.keys.length <= MAX_CHUNK) {
      for (let j = 0; j < small.keys.length; j++) {
        prev.keys.push(small.keys[j]!);
        prev.values.push(small.values[j]!);
      }
      chunks.splice(c, 1);
    }
  }

  firstKey(): number | undefined {
    return this.count === 0 ? undefined : this.chunks[0]!.keys[0];
  }

  /** The largest key, or NaN when empty (so that `key > lastKey()` is false then). */
  lastKey(): number {
    if (this.count === 0) return Number.NaN;
    const keys = this.chunks[this.chunks.length - 1]!.keys;
    return keys[keys.length - 1]!;
  }

  first(): V | undefined {
    return this.count === 0 ? undefined : this.chunks[0]!.values[0];
  }

  last(): V | undefined {
    if (this.count === 0) return undefined;
    const chunk = this.chunks[this.chunks.length - 1]!;
    return chunk.values[chunk.values.length - 1];
  }

  /** Remove the largest key. */
  deleteLast(): void {
    if (this.count === 0) return;
    this.hintKey = Number.NaN;
    const c = this.chunks.length - 1;
    this.removeAt(c, this.chunks[c]!.keys.length - 1);
  }

  /** Values, smallest key first. */
  *values(): IterableIterator<V> {
    for (const chunk of this.chunks) {
      // A caller must not change the levels while iterating; copy the reference anyway so a chunk
      // split by a misbehaving caller cannot make this loop run forever.
      const values = chunk.values;
      for (let i = 0; i < values.length; i++) yield values[i]!;
    }
  }

  /** Visit values smallest key first until `visit` returns false; returns how many were visited. */
  forEach(visit: (value: V) => boolean | void): number {
    let visited = 0;
    const chunks = this.chunks;
    for (let c = 0; c < chunks.length; c++) {
      const values = chunks[c]!.values;
      for (let i = 0; i < values.length; i++) {
        visited++;
        if (visit(values[i]!) === false) return visited;
      }
    }
    return visited;
  }

  /** Multiply every key by a positive factor (order is kept); throws if a key stops being exact. */
  scaleKeys(factor: number): void {
    this.hintKey = Number.NaN;
    for (const chunk of this.chunks) {
      const keys = chunk.keys;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]! * factor;
        if (!Number.isSafeInteger(k)) throw new RangeError('key beyond exact integer range');
        keys[i] = k;
      }
    }
  }
}

/** First index whose key is >= `key` (keys.length if none). */
function lowerBound(keys: number[], key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
