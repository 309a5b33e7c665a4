import { describe, expect, it } from 'vitest';
import { cellPalette, LIQUIDITY_LUT, liquidityColor, liquidityLutOffset, noDataRgb, quantileOfNonZero, quantileOfNonZeroScratch } from '../../../src/renderer/src/panels/heatmap/colormap';
import { THEMES, type ThemeName } from '../../../src/shared/settings';
import { seededRandom } from '../../../src/main/venues/demo/market';

describe('heatmap colour scale', () => {
  it('the lookup table gives the same colours as liquidityColor (within one unit)', () => {
    for (let t = -0.5; t <= 1.5; t += 0.0007) {
      const [r, g, b] = liquidityColor(t);
      const o = liquidityLutOffset(t);
      expect(Math.abs(LIQUIDITY_LUT[o]! - r)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(LIQUIDITY_LUT[o + 1]! - g)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(LIQUIDITY_LUT[o + 2]! - b)).toBeLessThanOrEqual(1.5);
    }
  });

  it('the scratch quantile equals the plain one, zeros ignored', () => {
    const rand = seededRandom(4);
    for (let k = 0; k < 50; k++) {
      const values = Array.from({ length: 1 + Math.floor(rand() * 3000) }, () => (rand() < 0.4 ? 0 : rand() * 100));
      const scratch = Float64Array.from(values);
      expect(quantileOfNonZeroScratch(scratch, values.length, 0.97)).toBe(quantileOfNonZero(values, 0.97));
    }
    expect(quantileOfNonZeroScratch(new Float64Array(4), 4, 0.97)).toBe(0);
  });
});

/** WCAG relative luminance of an sRGB colour (0..255 channels). */
function luminance([r, g, b]: readonly number[]): number {
  const lin = (c: number) => {
    const x = c / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

describe('heatmap colour maps per theme', () => {
  const directions: Record<ThemeName, 1 | -1> = { dark: 1, 'colour-blind': 1, light: -1 };

  for (const theme of THEMES) {
    it(`${theme}: luminance moves one way along the ramp (more size always reads as more intense)`, () => {
      const direction = directions[theme];
      let previous = luminance(liquidityColor(0, theme));
      for (let i = 1; i <= 512; i++) {
        const y = luminance(liquidityColor(i / 512, theme));
        expect(direction * (y - previous)).toBeGreaterThanOrEqual(0);
        previous = y;
      }
      // And it spans most of the range: walls stand out from empty bins.
      const span = Math.abs(luminance(liquidityColor(1, theme)) - luminance(liquidityColor(0, theme)));
      expect(span).toBeGreaterThan(0.6);
    });

    it(`${theme}: an empty bin is close to the plot background, the palette's code 0 is that background`, () => {
      const background = noDataRgb(theme);
      const empty = liquidityColor(0, theme);
      expect(Math.abs(luminance(empty) - luminance(background))).toBeLessThan(0.06);
      const palette = cellPalette(false, theme);
      expect([...palette.subarray(0, 4)]).toEqual([...background, 255]);
      // Code 255 is the top of the ramp.
      expect([...palette.subarray(255 * 4, 255 * 4 + 3)]).toEqual(liquidityColor(1, theme).map(Math.round));
    });

    it(`${theme}: the frozen (grey) palette has no colour and is fainter than the live one`, () => {
      const live = cellPalette(false, theme);
      const grey = cellPalette(true, theme);
      const background = luminance(noDataRgb(theme));
      for (let code = 1; code < 256; code++) {
        const o = code * 4;
        expect(grey[o]).toBe(grey[o + 1]);
        expect(grey[o]).toBe(grey[o + 2]);
        // Closer to the background than the live colour's luminance.
        const liveY = luminance([live[o]!, live[o + 1]!, live[o + 2]!]);
        const greyY = luminance([grey[o]!, grey[o]!, grey[o]!]);
        expect(Math.abs(greyY - background)).toBeLessThanOrEqual(Math.abs(liveY - background) + 0.02);
      }
    });
  }

  it('light: a light background with dark intense cells; colour-blind differs from dark', () => {
    expect(luminance(noDataRgb('light'))).toBeGreaterThan(0.9);
    expect(luminance(liquidityColor(1, 'light'))).toBeLessThan(0.03);
    expect(liquidityColor(0.8, 'colour-blind')).not.toEqual(liquidityColor(0.8, 'dark'));
  });

  it('colour-blind: no red–green axis (red and green channels move together along the ramp)', () => {
    // A deuteranope tells colours apart by blue–yellow and lightness, not by red against green: the
    // ramp's red and green stay within a small distance of each other from bottom to top.
    for (let i = 0; i <= 100; i++) {
      const [r, g] = liquidityColor(i / 100, 'colour-blind');
      expect(Math.abs(r - g)).toBeLessThan(40);
    }
  });
});
