/**
 * Keep the exact digits of every JSON number literal in a Bitfinex frame.
 *
 * Bitfinex v2 sends channel data as arrays of JSON numbers (`[232957,[60400,1,0.68826974],1670]`),
 * and `JSON.parse` would turn them into floats: `0.10` and `0.1` become one number and digits past
 * 17 are lost. Before parsing, this pre-pass writes every number literal outside a string as a JSON
 * string holding the literal's text, so prices, amounts, ids and sequence numbers all reach the parser
 * as the venue wrote them. The scan understands strings (with escapes), so nothing inside a string
 * changes. Text that is not valid JSON stays invalid (JSON.parse reports it), never repaired.
 */

/** JSON's number grammar: only a literal of this shape is quoted. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function isNumberChar(c: number): boolean {
  // 0-9 . e E + -
  return (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
}

/** Rewrite every number literal outside a string as a string holding its exact text. */
export function quoteNumbers(text: string): string {
  const n = text.length;
  const chunks: string[] = [];
  let copiedUpTo = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Skip the string, escapes included.
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92 /* \ */) {
          j += 2;
          continue;
        }
        if (d === 34) break;
        j++;
      }
      i = j + 1;
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < n && isNumberChar(text.charCodeAt(j))) j++;
      const literal = text.slice(i, j);
      if (JSON_NUMBER.test(literal)) {
        chunks.push(text.slice(copiedUpTo, i), '"', literal, '"');
        copiedUpTo = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  if (copiedUpTo === 0) return text;
  chunks.push(text.slice(copiedUpTo));
  return chunks.join('');
}
