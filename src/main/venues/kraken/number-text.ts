/**
 * Keep the exact digits of chosen JSON number literals.
 *
 * Kraken sends prices and quantities as JSON numbers (`{"price":45281.0,"qty":0.07990000}`) and its
 * checksum is computed over their digits, trailing zeros included. `JSON.parse` turns `45281.0` into
 * 45281 and `0.07990000` into 0.0799, and Node 20 cannot hand a reviver the source text without a V8
 * flag. So before parsing, this pre-pass rewrites the number literals that are the direct values of
 * the named keys into JSON strings: `"price":45281.0` becomes `"price":"45281.0"`. Nothing else in
 * the text changes, and the scan understands strings (with escapes), so a key name inside a string
 * value is never mistaken for a key.
 */

/** JSON's number grammar: what may be quoted. Anything else is left for JSON.parse to reject. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function isNumberChar(c: number): boolean {
  // 0-9 . e E + -
  return (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Rewrite number literals that are the values of `keys` as strings holding the literal's exact text.
 * Returns the text unchanged when there is nothing to rewrite. Text that is not valid JSON comes back
 * still invalid (JSON.parse reports it), never silently repaired.
 */
export function quoteNumberFields(text: string, keys: ReadonlySet<string>): string {
  const n = text.length;
  let chunks: string[] | null = null;
  let copiedUpTo = 0;
  /** The last string token, while it may still turn out to be a key (until ':' or another token). */
  let candidateKey: string | null = null;
  /** The key whose value comes next (a ':' followed the candidate). */
  let valueOfKey: string | null = null;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92 /* \ */) {
          escaped = true;
          j += 2;
          continue;
        }
        if (d === 34) break;
        j++;
      }
      if (j >= n) break; // unterminated string: leave the rest for JSON.parse to reject
      candidateKey = escaped ? decodeJsonString(text.slice(i, j + 1)) : text.slice(i + 1, j);
      valueOfKey = null;
      i = j + 1;
      continue;
    }
    if (isWhitespace(c)) {
      i++;
      continue;
    }
    if (c === 58 /* : */) {
      valueOfKey = candidateKey;
      candidateKey = null;
      i++;
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < n && isNumberChar(text.charCodeAt(j))) j++;
      if (valueOfKey !== null && keys.has(valueOfKey)) {
        const literal = text.slice(i, j);
        if (JSON_NUMBER.test(literal)) {
          chunks ??= [];
          chunks.push(text.slice(copiedUpTo, i), '"', literal, '"');
          copiedUpTo = j;
        }
      }
      candidateKey = null;
      valueOfKey = null;
      i = j;
      continue;
    }
    // Any other token ({ } [ ] , true false null): no key is pending any more.
    candidateKey = null;
    valueOfKey = null;
    i++;
  }
  if (chunks === null) return text;
  chunks.push(text.slice(copiedUpTo));
  return chunks.join('');
}

function decodeJsonString(quoted: string): string | null {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return null;
  }
}
