/**
 * Exact sums and comparisons of decimal text (trade sizes, volumes, prices), without floats: a sum
 * of "0.1" and "0.2" is "0.3", and a day of busy Binance prints adds up to the digit.
 */
import { canonicalDecimal, expandExponent } from './decimal';

interface Scaled {
  mantissa: bigint;
  scale: number;
}

function scaled(text: string): Scaled {
  let s = text.trim();
  if (/[eE]/.test(s)) s = expandExponent(s);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) throw new Error(`not a decimal: ${text}`);
  const negative = s.startsWith('-');
  if (negative || s.startsWith('+')) s = s.slice(1);
  const dot = s.indexOf('.');
  const digits = dot === -1 ? s : s.slice(0, dot) + s.slice(dot + 1);
  const mantissa = BigInt(digits === '' ? '0' : digits);
  return { mantissa: negative ? -mantissa : mantissa, scale: dot === -1 ? 0 : s.length - dot - 1 };
}

function rescale(x: Scaled, scale: number): bigint {
  return x.mantissa * 10n ** BigInt(scale - x.scale);
}

/** Canonical text of mantissa / 10^scale ("1500", 3 → "1.5"). */
function format(mantissa: bigint, scale: number): string {
  const negative = mantissa < 0n;
  let digits = (negative ? -mantissa : mantissa).toString();
  if (scale > 0 && digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return canonicalDecimal(negative ? `-${text}` : text);
}

/** Exact a + b in canonical form ("0.1" + "0.2" → "0.3"). */
export function addDecimal(a: string, b: string): string {
  const x = scaled(a);
  const y = scaled(b);
  const scale = Math.max(x.scale, y.scale);
  return format(rescale(x, scale) + rescale(y, scale), scale);
}

/** -1, 0 or 1 as a is below, equal to or above b, exactly ("0.10" equals "0.1"). */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = scaled(a);
  const y = scaled(b);
  const scale = Math.max(x.scale, y.scale);
  const d = rescale(x, scale) - rescale(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** A running exact total: add decimal texts, read the sum as canonical text. */
export class DecimalSum {
  private mantissa = 0n;
  private scale = 0;

  add(text: string): void {
    const x = scaled(text);
    if (x.scale > this.scale) {
      this.mantissa *= 10n ** BigInt(x.scale - this.scale);
      this.scale = x.scale;
    }
    this.mantissa += rescale(x, this.scale);
  }

  get isZero(): boolean {
    return this.mantissa === 0n;
  }

  toString(): string {
    return format(this.mantissa, this.scale);
  }
}
