/**
 * Exact prices on a common tick. Venues quote one asset with different ticks (0.01 on one, 0.1 on
 * another); a merged book puts every level in the row of the common tick it falls in. The arithmetic
 * is on BigInt mantissas, so a row edge never moves by float error.
 */
import { canonicalDecimal } from '../../shared/decimal';

interface Scaled {
  mantissa: bigint;
  scale: number;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** A non-negative decimal text as an integer and its decimal places; null for anything else. */
export function parseScaled(text: string): Scaled | null {
  let plain = text;
  if (/[eE]/.test(text)) {
    try {
      plain = canonicalDecimal(text);
    } catch {
      return null;
    }
  }
  const match = DECIMAL.exec(plain);
  if (!match) return null;
  const fraction = match[2] ?? '';
  return { mantissa: BigInt(match[1]! + fraction), scale: fraction.length };
}

function formatBig(mantissa: bigint, scale: number): string {
  let digits = mantissa.toString();
  if (scale === 0) return digits;
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}

export class PriceGrid {
  private readonly tick: Scaled;

  /** `tick`: the common tick as decimal text ("0.1"), positive. */
  constructor(readonly tickText: string) {
    const tick = parseScaled(tickText);
    if (!tick || tick.mantissa === 0n) throw new Error(`tick must be a positive decimal, got "${tickText}"`);
    this.tick = tick;
  }

  /** Decimal places a row label has: the tick's own. */
  get decimals(): number {
    return this.tick.scale;
  }

  /**
   * The row a price falls in, as the row's price text at the tick's decimals: bids round down to the
   * row at or below, asks up to the row at or above (away from the spread, as the ladder groups).
   * Null for a price that is not a plain decimal.
   */
  row(price: string, side: 'bid' | 'ask'): string | null {
    const p = parseScaled(price);
    if (!p) return null;
    const scale = Math.max(p.scale, this.tick.scale);
    const value = p.mantissa * 10n ** BigInt(scale - p.scale);
    const step = this.tick.mantissa * 10n ** BigInt(scale - this.tick.scale);
    const below = value % step;
    const edge = below === 0n || side === 'bid' ? value - below : value - below + step;
    // The edge is a whole number of ticks, so it is exact at the tick's own decimals.
    return formatBig(edge / 10n ** BigInt(scale - this.tick.scale), this.tick.scale);
  }
}

/** The coarsest of several ticks (the common tick every member's prices fit on); null if none known. */
export function coarsestTick(ticks: ReadonlyArray<string | null>): string | null {
  let best: { text: string; value: Scaled } | null = null;
  for (const text of ticks) {
    const value = text === null ? null : parseScaled(text);
    if (!value || value.mantissa === 0n) continue;
    if (!best) {
      best = { text, value } as { text: string; value: Scaled };
      continue;
    }
    const scale = Math.max(best.value.scale, value.scale);
    const a = best.value.mantissa * 10n ** BigInt(scale - best.value.scale);
    const b = value.mantissa * 10n ** BigInt(scale - value.scale);
    if (b > a) best = { text: text!, value };
  }
  return best?.text ?? null;
}

/** `tick` × `multiple`, exactly ("0.1" × 5 → "0.5"). */
export function multiplyTick(tick: string, multiple: number): string {
  const t = parseScaled(tick);
  if (!t) throw new Error(`tick must be a positive decimal, got "${tick}"`);
  return formatBig(t.mantissa * BigInt(multiple), t.scale);
}

/** The unit of a book's last price digit ("0.01" for scale 2), for a member whose tick is not known. */
export function unitOfScale(scale: number): string {
  return scale <= 0 ? '1' : `0.${'0'.repeat(scale - 1)}1`;
}
