/**
 * Most entries one chunk holds before it splits in two. On the 5,000-level synthetic book (bench
 * --only book) 64 did better than 32 and 128: small enough that shifting within a chunk is cheap,
 * large enough that the chunk index stays short.
 */
const MAX_CHUNK = 64;
/** A chunk left this small by deletions is joined with a neighbour when the two fit in one. */
const MIN_CHUNK = MAX_CHUNK / 4;
/** Chunks built by `load` are filled this far, so the first inserts into them do not split at once. */
const LOAD_FILL = (MAX_CHUNK * 3) / 4;

/** First index in `keys` (strictly ascending) whose key is >= `key`; keys.length when none is. */
function lowerBound(keys: number[], key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One book side's levels ordered by numeric key (smallest first), with the few operations the book
 * needs. Keys are exact integers (price ticks), so plain comparison orders them.
 *
 * A sorted list cut into chunks of at most MAX_CHUNK entries, with the largest key of each chunk in an
 * index: a lookup is a binary search of the index then of one chunk, and an insert or delete shifts
 * the entries of one chunk only. A book's traffic is at its top, the first chunk, which the lookup
 * tries before searching the index. Every operation here is cheaper than the B+ tree it replaced
 * (sorted-btree, whose delete walks a range), which made up most of the time of applying a delta.
 */
export class LevelTree<V> {
  /** Keys of each chunk, strictly ascending within and across chunks; no chunk is empty. */
  private keyChunks: number[][] = [];
  private valueChunks: V[][] = [];
  /** The largest (last) key of each chunk. */
  private maxes: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.keyChunks = [];
    this.valueChunks = [];
    this.maxes = [];
    this.count = 0;
  }

  /** Index of the first chunk whose largest key is >= key; the number of chunks when key is beyond them all. */
  private chunkFor(key: number): number {
    const maxes = this.maxes;
    const n = maxes.length;
    if (n === 0 || key <= maxes[0]!) return 0;
    let lo = 1;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (maxes[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(key: number): V | undefined {
    const c = this.chunkFor(key);
    if (c === this.maxes.length) return undefined;
    const keys = this.keyChunks[c]!;
    const i = lowerBound(keys, key);
    return keys[i] === key ? this.valueChunks[c]![i] : undefined;
  }

  set(key: number, value: V): void {
    const n = this.maxes.length;
    if (n === 0) {
      this.keyChunks.push([key]);
      this.valueChunks.push([value]);
      this.maxes.push(key);
      this.count = 1;
      return;
    }
    let c = this.chunkFor(key);
    if (c === n) {
      // Beyond every key: appended to the last chunk.
      c = n - 1;
      this.keyChunks[c]!.push(key);
      this.valueChunks[c]!.push(value);
      this.maxes[c] = key;
    } else {
      const keys = this.keyChunks[c]!;
      const values = this.valueChunks[c]!;
      const i = lowerBound(keys, key);
      if (keys[i] === key) {
        values[i] = value;
        return;
      }
      // Shift the tail of the chunk one place right (key < the chunk's largest, so i < keys.length).
      let j = keys.length;
      keys.push(key);
      values.push(value);
      for (; j > i; j--) {
        keys[j] = keys[j - 1]!;
        values[j] = values[j - 1]!;
      }
      keys[i] = key;
      values[i] = value;
    }
    this.count++;
    if (this.keyChunks[c]!.length > MAX_CHUNK) this.split(c);
  }

  private split(c: number): void {
    const keys = this.keyChunks[c]!;
    const values = this.valueChunks[c]!;
    const half = keys.length >>> 1;
    const rightKeys = keys.slice(half);
    const rightValues = values.slice(half);
    keys.length = half;
    values.length = half;
    this.keyChunks.splice(c + 1, 0, rightKeys);
    this.valueChunks.splice(c + 1, 0, rightValues);
    this.maxes.splice(c, 1, keys[half - 1]!, rightKeys[rightKeys.length - 1]!);
  }

  private removeChunk(c: number): void {
    this.keyChunks.splice(c, 1);
    this.valueChunks.splice(c, 1);
    this.maxes.splice(c, 1);
  }

  /** Join chunk `c` with a neighbour when deletions left it small and the two fit in one chunk. */
  private joinIfSmall(c: number): void {
    const size = this.keyChunks[c]!.length;
    if (size >= MIN_CHUNK) return;
    const n = this.maxes.length;
    let left: number;
    if (c + 1 < n && size + this.keyChunks[c + 1]!.length <= MAX_CHUNK) left = c;
    else if (c > 0 && size + this.keyChunks[c - 1]!.length <= MAX_CHUNK) left = c - 1;
    else return;
    const keys = this.keyChunks[left]!;
    const values = this.valueChunks[left]!;
    for (const k of this.keyChunks[left + 1]!) keys.push(k);
    for (const v of this.valueChunks[left + 1]!) values.push(v);
    this.maxes[left] = this.maxes[left + 1]!;
    this.removeChunk(left + 1);
  }

  /** Replace everything with these entries; `keys` must be strictly ascending (throws otherwise). */
  load(keys: number[], values: V[]): void {
    for (let i = 1; i < keys.length; i++) {
      if (!(keys[i]! > keys[i - 1]!)) throw new RangeError(`load: keys not strictly ascending at ${i} (${keys[i - 1]}, ${keys[i]})`);
    }
    this.clear();
    for (let start = 0; start < keys.length; start += LOAD_FILL) {
      const chunk = keys.slice(start, start + LOAD_FILL);
      this.keyChunks.push(chunk);
      this.valueChunks.push(values.slice(start, start + LOAD_FILL));
      this.maxes.push(chunk[chunk.length - 1]!);
    }
    this.count = keys.length;
  }

  delete(key: number): boolean {
    const c = this.chunkFor(key);
    if (c === this.maxes.length) return false;
    const keys = this.keyChunks[c]!;
    const i = lowerBound(keys, key);
    if (keys[i] !== key) return false;
    this.count--;
    if (keys.length === 1) {
      this.removeChunk(c);
      return true;
    }
    const values = this.valueChunks[c]!;
    const last = keys.length - 1;
    for (let j = i; j < last; j++) {
      keys[j] = keys[j + 1]!;
      values[j] = values[j + 1]!;
    }
    keys.pop();
    values.pop();
    if (i === last) this.maxes[c] = keys[last - 1]!;
    this.joinIfSmall(c);
    return true;
  }

  firstKey(): number | undefined {
    return this.keyChunks[0]?.[0];
  }

  /** The largest key, or -Infinity when empty (so "key > lastKey()" holds for any key then). */
  lastKey(): number {
    const n = this.maxes.length;
    return n === 0 ? Number.NEGATIVE_INFINITY : this.maxes[n - 1]!;
  }

  first(): V | undefined {
    return this.valueChunks[0]?.[0];
  }

  last(): V | undefined {
    const values = this.valueChunks[this.valueChunks.length - 1];
    return values?.[values.length - 1];
  }

  deleteLast(): void {
    const c = this.maxes.length - 1;
    if (c < 0) return;
    const keys = this.keyChunks[c]!;
    this.count--;
    if (keys.length === 1) {
      this.removeChunk(c);
      return;
    }
    keys.pop();
    this.valueChunks[c]!.pop();
    this.maxes[c] = keys[keys.length - 1]!;
  }

  /** Values in key order. */
  *values(): IterableIterator<V> {
    for (const values of this.valueChunks) yield* values;
  }

  /** Visit values in key order until the visitor returns false; returns how many it visited. */
  forEach(visit: (value: V) => boolean | void): number {
    let visited = 0;
    for (const values of this.valueChunks) {
      for (let i = 0; i < values.length; i++) {
        visited++;
        if (visit(values[i]!) === false) return visited;
      }
    }
    return visited;
  }

  /** Multiply every key by a positive factor (order is kept); throws if a key stops being exact. */
  scaleKeys(factor: number): void {
    for (const keys of this.keyChunks) {
      for (const k of keys) {
        if (!Number.isSafeInteger(k * factor)) throw new RangeError(`key ${k} × ${factor} is beyond exact integers`);
      }
    }
    for (const keys of this.keyChunks) {
      for (let i = 0; i < keys.length; i++) keys[i] = keys[i]! * factor;
    }
    for (let c = 0; c < this.maxes.length; c++) this.maxes[c] = this.maxes[c]! * factor;
  }
}
