/**
 * What the footprint and traded-profile drawings report having drawn (the panels expose it to tests
 * and assistive tools): exact row prices at the frame's precision, each candle's POC, the profile's
 * POC / VAH / VAL. Drawn on a recording stand-in for a 2D canvas context.
 */
import { describe, expect, it } from 'vitest';
import { FootprintFrameSchema, TradedProfileFrameSchema } from '../../../src/shared/order-flow';
import { drawFootprint, rowPriceText, type DrawContext } from '../../../src/renderer/src/panels/footprint/draw';
import { drawTradedProfile } from '../../../src/renderer/src/panels/traded-profile/draw';

/** A 2D context that records the text it is asked to draw. */
function recordingContext(): { ctx: DrawContext; texts: string[] } {
  const texts: string[] = [];
  const target: Record<string, unknown> = {
    fillText: (text: string) => texts.push(text),
    measureText: (text: string) => ({ width: text.length * 6 }),
  };
  const ctx = new Proxy(target, { get: (t, k: string) => (k in t ? t[k] : () => {}), set: (t, k: string, v) => ((t[k] = v), true) });
  return { ctx: ctx as unknown as DrawContext, texts };
}

describe('order-flow drawings', () => {
  it('row prices are exact multiples of the step, without float noise', () => {
    expect(rowPriceText(268162, '0.01')).toBe('2681.62');
    expect(rowPriceText(7916, '0.0001')).toBe('0.7916');
    expect(rowPriceText(3, '0.1')).toBe('0.3');
    expect(rowPriceText(-3, '0.5')).toBe('-1.5');
    expect(rowPriceText(10505, '10')).toBe('105050');
  });

  it('the footprint draws each candle with its POC, and price labels at the frame precision', () => {
    const frame = FootprintFrameSchema.parse({
      venue: 'binance-usdm',
      symbol: 'ETHUSDT',
      intervalMs: 60_000,
      rowStep: '0.1',
      groupTicks: 10,
      imbalanceRatio: 3,
      priceDecimals: 2,
      sizeDecimals: 3,
      newestTs: 120_000,
      candles: [
        {
          start: 60_000,
          rows: [
            { price: '2681.7', sell: '1', buy: '6', delta: '5', buyImbalance: true, sellImbalance: false },
            { price: '2681.6', sell: '0.5', buy: '1.5', delta: '1', buyImbalance: false, sellImbalance: false },
          ],
          volume: '9',
          buyVolume: '7.5',
          sellVolume: '1.5',
          delta: '6',
          poc: '2681.7',
        },
      ],
    });
    const { ctx, texts } = recordingContext();
    const drawn = drawFootprint(ctx, frame, 800, 400, 3);
    expect(drawn.candles).toEqual([{ start: 60_000, poc: '2681.7', rows: 2, buyImbalances: 1, sellImbalances: 0 }]);
    expect(drawn.priceLabels.length).toBeGreaterThan(3);
    for (const label of drawn.priceLabels) expect(label).toMatch(/^2,68\d\.\d0$/);
    expect(texts).toEqual(expect.arrayContaining(['6', '1', '0.5', '1.5', '00:01']));
  });

  it('the traded profile reports its POC, VAH and VAL at the frame precision', () => {
    const frame = TradedProfileFrameSchema.parse({
      venue: 'coinbase',
      symbol: 'SKL-USD',
      from: 0,
      to: 86_400_000,
      rowStep: '0.0001',
      groupTicks: 1,
      priceDecimals: 4,
      sizeDecimals: 1,
      rows: [
        { price: '0.792', buy: '100', sell: '0' },
        { price: '0.7916', buy: '25600', sell: '0' },
        { price: '0.7909', buy: '10', sell: '500' },
      ],
      volume: '26210',
      buyVolume: '25710',
      sellVolume: '500',
      poc: '0.7916',
      valueAreaHigh: '0.7916',
      valueAreaLow: '0.7916',
      valueAreaVolume: '25600',
      valueAreaPercent: 70,
      lastPrice: '0.7909',
    });
    const { ctx, texts } = recordingContext();
    const drawn = drawTradedProfile(ctx, frame, 600, 400);
    expect([drawn.poc, drawn.vah, drawn.val, drawn.rows]).toEqual(['0.7916', '0.7916', '0.7916', 3]);
    expect(texts).toEqual(expect.arrayContaining(['POC 0.7916', 'VAH 0.7916', 'VAL 0.7916']));
    for (const label of drawn.priceLabels) expect(label).toMatch(/^0\.79\d\d$/);
  });

  it('the footprint draws each cell in the font of its imbalance, setting the font only when it changes', () => {
    // 40 rows, one buy imbalance: each number drawn once per row, bold only on the imbalanced buy.
    const rows = Array.from({ length: 40 }, (_, i) => ({
      price: (2681 + i / 10).toFixed(1),
      sell: String(i + 1),
      buy: String(2 * i + 1),
      delta: String(i),
      buyImbalance: i === 7,
      sellImbalance: false,
    }));
    const frame = FootprintFrameSchema.parse({
      venue: 'binance-usdm',
      symbol: 'ETHUSDT',
      intervalMs: 60_000,
      rowStep: '0.1',
      groupTicks: 1,
      imbalanceRatio: 3,
      priceDecimals: 2,
      sizeDecimals: 3,
      newestTs: 120_000,
      candles: [{ start: 60_000, rows, volume: '2400', buyVolume: '1600', sellVolume: '800', delta: '800', poc: '2684.9' }],
    });
    const fonts: string[] = [];
    const drawnIn: Array<[string, string]> = [];
    let font = '';
    const ctx = new Proxy({} as Record<string, unknown>, {
      get: (_, k: string) => (k === 'font' ? font : k === 'fillText' ? (text: string) => drawnIn.push([text, font]) : k === 'measureText' ? (text: string) => ({ width: text.length * 6 }) : () => {}),
      set: (_, k: string, v) => {
        if (k === 'font') fonts.push((font = v as string));
        return true;
      },
    }) as unknown as DrawContext;
    drawFootprint(ctx, frame, 800, 1000, 3);
    expect(drawnIn.filter(([, f]) => f.startsWith('bold')).map(([t]) => t)).toEqual(['15']);
    for (const i of [0, 20, 39]) expect(drawnIn).toContainEqual([String(2 * i + 1), '11px system-ui, sans-serif']);
    // The first font, bold on and off again for the imbalance: not four fonts a row.
    expect(fonts.length).toBeLessThanOrEqual(4);
  });
});
