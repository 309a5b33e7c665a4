import { expandExponent } from '../../shared/decimal';

/**
 * Exact integer price keys from decimal text, without a float ever standing in for the price.
 *
 * A price "0.35130000" scans to mantissa 3513 with 4 decimals (trailing zeros dropped). A book keys
 * its levels by the mantissa at the book's scale (the most decimals it has seen), so the key depends
 * only on the text, never on knowing the tick size in advance. Scanning writes into module-level
 * scratch variables so the hot path allocates nothing.
 */

let scannedMantissa = 0;
let scannedDecimals = 0;

/** Largest integer a key may reach and still be exact in a double. */
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

export class PriceKeyError extends Error {}

/**
 * Scan decimal text; returns false if it is not a plain decimal we can key exactly.
 *
 * Fast path for the usual text (at most 15 digits, so the integer cannot pass 2^53): accumulate every
 * digit, then divide off the trailing fractional zeros (exact, the integer being a multiple of them).
 * Anything else (more digits, exponent, odd characters) goes through the careful scanner below.
 */
export function scanDecimal(text: string): boolean {
  const n = text.length;
  let i = 0;
  const c = n > 0 ? text.charCodeAt(0) : 0;
  const negative = c === 45; /* - */
  if (negative || c === 43 /* + */) i = 1;
  let mantissa = 0;
  let digits = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
    digits++;
  }
  let fraction = 0;
  let trailingZeros = 0;
  if (i < n && text.charCodeAt(i) === 46 /* . */) {
    for (i++; i < n; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
      fraction++;
      trailingZeros = d === 0 ? trailingZeros + 1 : 0;
    }
  }
  digits += fraction;
  if (i !== n || digits === 0 || digits > 15) return scanDecimalCarefully(text);
  if (trailingZeros > 0) {
    mantissa /= POW10[trailingZeros]!;
    fraction -= trailingZeros;
  }
  scannedMantissa = negative ? -mantissa : mantissa;
  scannedDecimals = fraction;
  return true;
}

function scanDecimalCarefully(text: string): boolean {
  let i = 0;
  const n = text.length;
  let negative = false;
  if (n === 0) return false;
  let c = text.charCodeAt(0);
  if (c === 45 /* - */) {
    negative = true;
    i = 1;
  } else if (c === 43 /* + */) {
    i = 1;
  }
  let mantissa = 0;
  let decimals = 0;
  let seenDot = false;
  let seenDigit = false;
  // Trailing fractional zeros are counted separately so they can be dropped without dividing.
  let pendingZeros = 0;
  for (; i < n; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      seenDigit = true;
      const digit = c - 48;
      if (seenDot) {
        if (digit === 0) {
          pendingZeros++;
          continue;
        }
        while (pendingZeros > 0) {
          mantissa *= 10;
          decimals++;
          pendingZeros--;
        }
        decimals++;
      }
      mantissa = mantissa * 10 + digit;
      if (mantissa > MAX_EXACT) return false;
    } else if (c === 46 /* . */ && !seenDot) {
      seenDot = true;
    } else if (c === 101 || c === 69 /* e E */) {
      // Rare: exponent notation. Expand to plain text (allocates) and rescan.
      return scanDecimalCarefully(expandExponent(text));
    } else {
      return false;
    }
  }
  if (!seenDigit) return false;
  scannedMantissa = negative ? -mantissa : mantissa;
  scannedDecimals = decimals;
  return true;
}

/** Mantissa of the last successful scanDecimal. */
export function lastMantissa(): number {
  return scannedMantissa;
}

/** Fractional digits (without trailing zeros) of the last successful scanDecimal. */
export function lastDecimals(): number {
  return scannedDecimals;
}

/** The largest n for which 10^n is exact as a double: the most decimal places a price key can have. */
export const MAX_DECIMALS = 22;

const POW10: number[] = [];
for (let i = 0, p = 1; i <= MAX_DECIMALS; i++, p *= 10) POW10.push(p);

export function pow10(n: number): number {
  const p = POW10[n];
  if (p === undefined) throw new PriceKeyError(`scale 10^${n} out of range`);
  return p;
}

/**
 * Mantissa at `decimals` re-expressed at a larger `scale`, or NaN when that would lose exactness
 * (throws only for a scale beyond MAX_DECIMALS).
 */
export function exactRescale(mantissa: number, decimals: number, scale: number): number {
  if (decimals === scale) return mantissa;
  const out = mantissa * pow10(scale - decimals);
  return Number.isSafeInteger(out) ? out : Number.NaN;
}

/** Mantissa at `decimals` re-expressed at a larger `scale`; throws if it would lose exactness. */
export function rescaleMantissa(mantissa: number, decimals: number, scale: number): number {
  const out = exactRescale(mantissa, decimals, scale);
  if (Number.isNaN(out)) throw new PriceKeyError('price beyond exact integer range at this scale');
  return out;
}
