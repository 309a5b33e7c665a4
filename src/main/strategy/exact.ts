/**
 * Exact decimal arithmetic for the paper market maker: a value is an integer number of units at a
 * decimal scale (value = units / 10^scale), so cash, fees and PnL add up to the digit. Division is the
 * one operation that cannot be exact; it takes an explicit scale and rounding direction.
 */
import { expandExponent } from '../../shared/decimal';

export type Rounding = 'floor' | 'ceil';

const TEN = 10n;

function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

/** floor or ceil of a / b for bigints (b > 0 or b < 0). */
function divRound(a: bigint, b: bigint, rounding: Rounding): bigint {
  if (b < 0n) {
    a = -a;
    b = -b;
  }
  const q = a / b; // truncates toward zero
  const r = a % b;
  if (r === 0n) return q;
  if (rounding === 'floor') return a < 0n ? q - 1n : q;
  return a > 0n ? q + 1n : q;
}

export class Exact {
  private constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  static readonly ZERO = new Exact(0n, 0);
  static readonly ONE = new Exact(1n, 0);

  /** Parse decimal text ("0.35130000", "-2", "1e-7"); throws on anything else. */
  static of(text: string): Exact {
    let s = text.trim();
    if (/[eE]/.test(s)) s = expandExponent(s);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) throw new Error(`not a decimal: ${JSON.stringify(text)}`);
    const negative = s.startsWith('-');
    if (negative || s.startsWith('+')) s = s.slice(1);
    const dot = s.indexOf('.');
    const digits = dot === -1 ? s : s.slice(0, dot) + s.slice(dot + 1);
    const units = BigInt(digits === '' ? '0' : digits);
    return new Exact(negative ? -units : units, dot === -1 ? 0 : s.length - dot - 1).normalized();
  }

  static int(n: number | bigint): Exact {
    return new Exact(BigInt(n), 0);
  }

  /** 10^-decimals: the price step of a book that shows `decimals` fractional digits. */
  static step(decimals: number): Exact {
    return new Exact(1n, decimals);
  }

  /** Same value with trailing zero units dropped, so scales stay small over long runs. */
  private normalized(): Exact {
    let units = this.units;
    let scale = this.scale;
    if (units === 0n) return scale === 0 ? this : new Exact(0n, 0);
    while (scale > 0 && units % TEN === 0n) {
      units /= TEN;
      scale--;
    }
    return scale === this.scale ? this : new Exact(units, scale);
  }

  private at(scale: number): bigint {
    return this.units * pow10(scale - this.scale);
  }

  add(other: Exact): Exact {
    const scale = Math.max(this.scale, other.scale);
    return new Exact(this.at(scale) + other.at(scale), scale).normalized();
  }

  sub(other: Exact): Exact {
    const scale = Math.max(this.scale, other.scale);
    return new Exact(this.at(scale) - other.at(scale), scale).normalized();
  }

  mul(other: Exact): Exact {
    return new Exact(this.units * other.units, this.scale + other.scale).normalized();
  }

  neg(): Exact {
    return new Exact(-this.units, this.scale);
  }

  abs(): Exact {
    return this.units < 0n ? this.neg() : this;
  }

  /** this / other rounded to `scale` fractional digits in the given direction. */
  div(other: Exact, scale: number, rounding: Rounding): Exact {
    if (other.units === 0n) throw new Error('division by zero');
    // (a/10^sa) / (b/10^sb) * 10^scale = a * 10^(sb + scale) / (b * 10^sa)
    const numerator = this.units * pow10(other.scale + scale);
    const denominator = other.units * pow10(this.scale);
    return new Exact(divRound(numerator, denominator, rounding), scale).normalized();
  }

  /** The nearest multiple of `step` at or below (floor) or at or above (ceil) this value. */
  toStep(step: Exact, rounding: Rounding): Exact {
    const n = this.div(step, 0, rounding);
    return n.mul(step);
  }

  cmp(other: Exact): -1 | 0 | 1 {
    const scale = Math.max(this.scale, other.scale);
    const d = this.at(scale) - other.at(scale);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }

  eq(other: Exact): boolean {
    return this.cmp(other) === 0;
  }

  lt(other: Exact): boolean {
    return this.cmp(other) < 0;
  }

  lte(other: Exact): boolean {
    return this.cmp(other) <= 0;
  }

  gt(other: Exact): boolean {
    return this.cmp(other) > 0;
  }

  gte(other: Exact): boolean {
    return this.cmp(other) >= 0;
  }

  get isZero(): boolean {
    return this.units === 0n;
  }

  get sign(): -1 | 0 | 1 {
    return this.units < 0n ? -1 : this.units > 0n ? 1 : 0;
  }

  static min(a: Exact, b: Exact): Exact {
    return a.lte(b) ? a : b;
  }

  static max(a: Exact, b: Exact): Exact {
    return a.gte(b) ? a : b;
  }

  /** Canonical text: no trailing fractional zeros, no sign on zero ("1.5", "-0.25", "0"). */
  toString(): string {
    const v = this.normalized();
    const negative = v.units < 0n;
    let digits = (negative ? -v.units : v.units).toString();
    if (v.scale === 0) return (negative ? '-' : '') + digits;
    if (digits.length <= v.scale) digits = '0'.repeat(v.scale - digits.length + 1) + digits;
    return `${negative ? '-' : ''}${digits.slice(0, digits.length - v.scale)}.${digits.slice(digits.length - v.scale)}`;
  }

  toNumber(): number {
    return Number(this.toString());
  }

  /** Units at a given scale, or null when the value has more fractional digits than that. */
  unitsAt(scale: number): bigint | null {
    const v = this.normalized();
    if (v.scale > scale) return null;
    return v.at(scale);
  }
}
