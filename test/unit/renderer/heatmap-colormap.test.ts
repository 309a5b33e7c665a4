import { describe, expect, it } from 'vitest';
import { LIQUIDITY_LUT, liquidityColor, liquidityLutOffset, quantileOfNonZero, quantileOfNonZeroScratch } from '../../../src/renderer/src/panels/heatmap/colormap';
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
