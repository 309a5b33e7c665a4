import type { ThemeName } from '../../../../shared/settings';

type Rgb = [number, number, number];
type Stops = ReadonlyArray<readonly [number, Rgb]>;

/**
 * Liquidity colour scales, one per theme. Each keeps an empty bin near the plot's background and size
 * up to the typical (the scale's floor) faint, so only what stands out (walls) is strong; luminance
 * moves one way along each ramp, so a bigger size always reads as more intense.
 * - dark: from the dark background through navy, teal and yellow to white.
 * - light: from the light background through pale and deep blue to dark plum (intense is dark).
 * - colour-blind: a cividis-like ramp (dark blue, neutral grey, yellow): perceptually even, and its
 *   blue–yellow axis is seen alike by deuteranopes and protanopes.
 */
const RAMPS: Record<ThemeName, Stops> = {
  dark: [
    [0, [17, 22, 32]],
    [0.2, [22, 40, 78]],
    [0.45, [26, 96, 150]],
    [0.7, [36, 168, 158]],
    [0.88, [240, 205, 70]],
    [1, [255, 255, 236]],
  ],
  light: [
    [0, [246, 248, 250]],
    [0.2, [212, 225, 240]],
    [0.45, [138, 178, 220]],
    [0.7, [52, 108, 178]],
    [0.88, [104, 38, 110]],
    [1, [38, 8, 44]],
  ],
  'colour-blind': [
    [0, [14, 20, 34]],
    [0.2, [18, 42, 92]],
    [0.45, [72, 82, 110]],
    [0.7, [128, 126, 118]],
    [0.88, [204, 184, 96]],
    [1, [255, 236, 80]],
  ],
};

/** Background of the plot where there is no data, per theme (also the panel box's background). */
const NO_DATA_BACKGROUND: Record<ThemeName, Rgb> = {
  dark: [9, 12, 17],
  light: [252, 253, 254],
  'colour-blind': [8, 11, 18],
};

/** The plot's no-data background in a theme. */
export function noDataRgb(theme: ThemeName = 'dark'): Rgb {
  return NO_DATA_BACKGROUND[theme];
}

/** RGB for an intensity in [0, 1] on a theme's ramp (dark by default). */
export function liquidityColor(t: number, theme: ThemeName = 'dark'): Rgb {
  const stops = RAMPS[theme];
  const x = Math.min(1, Math.max(0, t));
  for (let i = 1; i < stops.length; i++) {
    const [t1, c1] = stops[i]!;
    if (x <= t1) {
      const [t0, c0] = stops[i - 1]!;
      const f = (x - t0) / (t1 - t0);
      return [c0[0] + (c1[0] - c0[0]) * f, c0[1] + (c1[1] - c0[1]) * f, c0[2] + (c1[2] - c0[2]) * f];
    }
  }
  return [...stops.at(-1)![1]];
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

/** Cell code for a slot with no column (no data: feed not live, before the history): the plot background. */
export const NO_DATA = 0;
/** Background of the plot where there is no data (dark theme; see noDataRgb for the others). */
export const NO_DATA_RGB: Rgb = NO_DATA_BACKGROUND.dark;

/**
 * Colours for the 256 cell codes as RGBA: code 0 is no data, codes 1..255 are intensities 0..1 through
 * the theme's ramp. `grey` gives the same ramp without colour and faded towards the background (a
 * frozen book): darker on the dark themes, lighter on the light one.
 */
export function cellPalette(grey: boolean, theme: ThemeName = 'dark'): Uint8Array {
  const lut = new Uint8Array(256 * 4);
  const lightBackground = theme === 'light';
  for (let code = 0; code < 256; code++) {
    let [r, g, b] = code === NO_DATA ? NO_DATA_BACKGROUND[theme] : liquidityColor((code - 1) / 254, theme);
    if (grey) {
      const y = 0.3 * r + 0.59 * g + 0.11 * b;
      r = g = b = lightBackground ? 255 - (255 - y) * 0.75 : y * 0.75;
    }
    lut.set([Math.round(r), Math.round(g), Math.round(b), 255], code * 4);
  }
  return lut;
}

/** How strongly walls are set apart from typical size: 1 (soft) … 5 (only the biggest stand out). */
export const CONTRAST_CHOICES = [1, 2, 3, 4, 5] as const;
/** Per contrast step: the quantile of the window's non-zero sizes that still counts as typical (kept dim). */
const CONTRAST_FLOOR_QUANTILE: Record<number, number> = { 1: 0.3, 2: 0.5, 3: 0.7, 4: 0.85, 5: 0.95 };
/** The quantile drawn white: the largest half-percent (walls) saturate, one giant wall does not set the scale. */
const CEILING_QUANTILE = 0.995;
/**
 * The ceiling is at least this many times the floor: a book with nothing standing out (all levels alike)
 * stays dim instead of being stretched over the whole ramp.
 */
const MIN_CEILING_RATIO = 4;

/** A log colour scale fitted to the visible window: size → cell code 1..255. */
export interface ColourScale {
  floor: number;
  ceiling: number;
}

/** Most sizes sampled for the quantiles (a sort of ~70k cells per draw is not needed to find two quantiles). */
const MAX_SAMPLES = 8192;

/**
 * Fit the scale to the non-zero values in `scratch[0..count)` (the scratch is reordered). Quantiles
 * rather than the maximum, so one wall does not wash the rest out; the floor keeps typical size dark.
 */
export function fitColourScale(scratch: Float64Array, count: number, contrast: number): ColourScale | null {
  let n = 0;
  const stride = Math.max(1, Math.floor(count / MAX_SAMPLES));
  for (let i = 0; i < count; i += stride) {
    const v = scratch[i]!;
    if (v > 0) scratch[n++] = v;
  }
  if (n === 0) return null;
  const sorted = scratch.subarray(0, n).sort();
  const qFloor = CONTRAST_FLOOR_QUANTILE[contrast] ?? CONTRAST_FLOOR_QUANTILE[3]!;
  const floor = sorted[Math.min(n - 1, Math.floor(qFloor * n))]!;
  const ceiling = Math.max(floor * MIN_CEILING_RATIO, sorted[Math.min(n - 1, Math.floor(CEILING_QUANTILE * n))]!);
  return { floor, ceiling };
}

/**
 * Cell code of a size: 1 for an empty bin, then log1p(size / floor) against log1p(ceiling / floor),
 * squared so that up to the floor stays in the bottom fifth of the ramp.
 */
export function cellCode(size: number, scale: ColourScale): number {
  if (!(size > 0)) return 1;
  const t = Math.log1p(size / scale.floor) / Math.log1p(scale.ceiling / scale.floor);
  const clamped = t >= 1 ? 1 : t;
  return 2 + Math.round(clamped * clamped * 253);
}
