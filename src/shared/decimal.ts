/**
 * Exact decimal helpers for prices and sizes that arrive as text.
 *
 * Venues send decimals as strings ("0.35130000") or as JSON number literals whose exact digits matter
 * (Kraken checksums). We never round-trip such text through a float when the result is used as a key
 * or compared for equality: a decimal is either kept as canonical text or as an integer mantissa at a
 * known scale (value = mantissa / 10^scale).
 */

/** Strip a decimal text to canonical form: no leading zeros, no trailing fractional zeros, no sign on zero. */
export function canonicalDecimal(text: string): string {
  let s = text.trim();
  if (/[eE]/.test(s)) s = expandExponent(s);
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1);
  } else if (s.startsWith('+')) {
    s = s.slice(1);
  }
  const dot = s.indexOf('.');
  let intPart = dot === -1 ? s : s.slice(0, dot);
  let fracPart = dot === -1 ? '' : s.slice(dot + 1);
  intPart = intPart.replace(/^0+/, '');
  fracPart = fracPart.replace(/0+$/, '');
  if (intPart === '') intPart = '0';
  const body = fracPart === '' ? intPart : `${intPart}.${fracPart}`;
  if (body === '0') return '0';
  return negative ? `-${body}` : body;
}

/** Rewrite "1.5e-7" as "0.00000015" without going through a float. */
export function expandExponent(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?[eE]([+-]?\d+)$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const sign = m[1] === '-' ? '-' : '';
  const digits = (m[2] ?? '') + (m[3] ?? '');
  let point = (m[2] ?? '').length + Number(m[4]);
  let all = digits;
  if (point <= 0) {
    all = '0'.repeat(1 - point) + all;
    point = 1;
  } else if (point > all.length) {
    all = all + '0'.repeat(point - all.length);
  }
  const intPart = all.slice(0, point);
  const frac = all.slice(point);
  return `${sign}${intPart}${frac ? '.' + frac : ''}`;
}

/** True when two decimal texts denote the same number ("6195.00000000" and "6195"). */
export function decimalEquals(a: string, b: string): boolean {
  return a === b || canonicalDecimal(a) === canonicalDecimal(b);
}

/** Number of fractional digits in canonical form ("0.35130000" → 4). */
export function significantDecimals(text: string): number {
  const c = canonicalDecimal(text);
  const dot = c.indexOf('.');
  return dot === -1 ? 0 : c.length - dot - 1;
}

const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** True for decimal text a venue could send ("1", "0.5", "1e-7"); false for "", "NaN", "1,5". */
export function isDecimalText(text: string): boolean {
  return DECIMAL_RE.test(text);
}

/** Format mantissa / 10^scale as decimal text with exactly `scale` fractional digits. */
export function formatScaled(mantissa: number, scale: number): string {
  const negative = mantissa < 0;
  let digits = String(Math.abs(mantissa));
  if (scale === 0) return (negative ? '-' : '') + digits;
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const out = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${out}` : out;
}

/**
 * Re-format decimal text to exactly `decimals` fractional digits, padding with zeros or (if the text
 * carries more non-zero digits than that) throwing: precision-bound formatting must never round.
 */
export function toFixedDecimals(text: string, decimals: number): string {
  const c = canonicalDecimal(text);
  const negative = c.startsWith('-');
  const body = negative ? c.slice(1) : c;
  const dot = body.indexOf('.');
  const intPart = dot === -1 ? body : body.slice(0, dot);
  const frac = dot === -1 ? '' : body.slice(dot + 1);
  if (frac.length > decimals) throw new Error(`${text} has more than ${decimals} decimals`);
  const padded = frac + '0'.repeat(decimals - frac.length);
  const out = decimals === 0 ? intPart : `${intPart}.${padded}`;
  return negative ? `-${out}` : out;
}

/** A decimal text as an exact integer mantissa and a scale: value = mantissa / 10^scale. */
function parseScaled(text: string): { mantissa: bigint; scale: number } {
  const c = canonicalDecimal(text);
  const negative = c.startsWith('-');
  const body = negative ? c.slice(1) : c;
  const dot = body.indexOf('.');
  const digits = dot === -1 ? body : body.slice(0, dot) + body.slice(dot + 1);
  const mantissa = BigInt(digits);
  return { mantissa: negative ? -mantissa : mantissa, scale: dot === -1 ? 0 : body.length - dot - 1 };
}

/** Format an exact mantissa at a scale, keeping every fractional digit ("400", 8 → "0.00000400"). */
function formatBigScaled(mantissa: bigint, scale: number): string {
  const negative = mantissa < 0n;
  let digits = (negative ? -mantissa : mantissa).toString();
  if (scale > 0 && digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const out = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${out}` : out;
}

/** Decimal places a text carries as written, trailing zeros included ("0.35270000" → 8). */
function writtenDecimals(text: string): number {
  const s = /[eE]/.test(text) ? expandExponent(text) : text.trim();
  const dot = s.indexOf('.');
  return dot === -1 ? 0 : s.length - dot - 1;
}

/**
 * Exact a − b as decimal text, at the larger of the two written precisions
 * ("0.35310000" − "0.35270000" → "0.00040000"; "0.3" − "0.1" → "0.2", never 0.19999999999999998).
 */
export function subtractDecimal(a: string, b: string): string {
  const x = parseScaled(a);
  const y = parseScaled(b);
  const scale = Math.max(x.scale, y.scale, writtenDecimals(a), writtenDecimals(b));
  const diff = x.mantissa * 10n ** BigInt(scale - x.scale) - y.mantissa * 10n ** BigInt(scale - y.scale);
  return formatBigScaled(diff, scale);
}

/**
 * Exact (a + b) / 2 as decimal text, at the larger written precision of the two, plus one digit when
 * the halving needs it ("0.1" and "0.2" → "0.15"; "100.00" and "101.00" → "100.50").
 */
export function midpointDecimal(a: string, b: string): string {
  const x = parseScaled(a);
  const y = parseScaled(b);
  const scale = Math.max(x.scale, y.scale, writtenDecimals(a), writtenDecimals(b));
  const sum = x.mantissa * 10n ** BigInt(scale - x.scale) + y.mantissa * 10n ** BigInt(scale - y.scale);
  if (sum % 2n === 0n) return formatBigScaled(sum / 2n, scale);
  return formatBigScaled(sum * 5n, scale + 1);
}
