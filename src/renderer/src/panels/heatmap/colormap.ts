/** Liquidity colour scale: empty book is the background, thin size blue, heavy size yellow to white. */
const STOPS: Array<[number, [number, number, number]]> = [
  [0, [13, 17, 23]],
  [0.15, [24, 52, 96]],
  [0.4, [31, 120, 160]],
  [0.65, [47, 185, 168]],
  [0.85, [245, 209, 66]],
  [1, [255, 255, 255]],
];

/** RGB for an intensity in [0, 1]. */
export function liquidityColor(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  for (let i = 1; i < STOPS.length; i++) {
    const [t1, c1] = STOPS[i]!;
    if (x <= t1) {
      const [t0, c0] = STOPS[i - 1]!;
      const f = (x - t0) / (t1 - t0);
      return [c0[0] + (c1[0] - c0[0]) * f, c0[1] + (c1[1] - c0[1]) * f, c0[2] + (c1[2] - c0[2]) * f];
    }
  }
  return STOPS.at(-1)![1];
}

/** The value at a quantile of the non-zero entries (robust colour scaling: one wall does not wash out the rest). */
export function quantileOfNonZero(values: Iterable<number>, q: number): number {
  const nz: number[] = [];
  for (const v of values) if (v > 0) nz.push(v);
  if (nz.length === 0) return 0;
  nz.sort((a, b) => a - b);
  return nz[Math.min(nz.length - 1, Math.floor(q * nz.length))]!;
}

/** Steps of the colour lookup table (intensity quantised to 1/1023: finer than the eye can tell). */
const LUT_STEPS = 1024;
/** liquidityColor for intensities 0..1 in LUT_STEPS steps, as RGB triples: no allocation per pixel. */
export const LIQUIDITY_LUT: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(LUT_STEPS * 3);
  for (let i = 0; i < LUT_STEPS; i++) {
    const [r, g, b] = liquidityColor(i / (LUT_STEPS - 1));
    lut[i * 3] = r;
    lut[i * 3 + 1] = g;
    lut[i * 3 + 2] = b;
  }
  return lut;
})();

/** Offset into LIQUIDITY_LUT of an intensity (clamped to [0, 1]). */
export function liquidityLutOffset(t: number): number {
  const x = t > 1 ? 1 : t > 0 ? t : 0;
  return Math.round(x * (LUT_STEPS - 1)) * 3;
}

/**
 * quantileOfNonZero over a scratch buffer the caller filled with `count` values (zeros allowed): sorts
 * the non-zero ones in place as numbers, no comparator and no array of boxed values.
 */
export function quantileOfNonZeroScratch(scratch: Float64Array, count: number, q: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const v = scratch[i]!;
    if (v > 0) scratch[n++] = v;
  }
  if (n === 0) return 0;
  const nz = scratch.subarray(0, n).sort();
  return nz[Math.min(n - 1, Math.floor(q * n))]!;
}
