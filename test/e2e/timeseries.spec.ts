/**
 * The time series' traded flow on real captures with trades: the volume pane below the prices shows
 * the replayed volume (taker buys up, taker sells down), the hover legend reads a second's volume,
 * trade count, imbalance and VWAP, and the VWAP line can be switched off. Screenshots at three window
 * sizes go to the test artifacts.
 */
import { expect, test, type Page } from '@playwright/test';
import { playMarket, SCREEN_SIZES, stopReplay, type ReplayedMarket } from '../support/e2e-replay';

interface Market extends ReplayedMarket {
  base: string;
}

const ETHUSDT: Market = { file: 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl', venue: 'binance-usdm', symbol: 'ETHUSDT', base: 'ETH', speed: 12 };
const SKLUSD: Market = { file: 'coinbase_2021-04-17.capture.jsonl', venue: 'coinbase', symbol: 'SKL-USD', base: 'SKL', speed: 3 };

// The host is shared by every test: never leave it replaying.
test.afterEach(({ page }) => stopReplay(page));

/** Plays the market's capture with a 1 min window and pauses it near the end. */
async function replay(page: Page, m: Market): Promise<void> {
  await playMarket(page, m);
  // Paused near the end, not played out: a finished replay hands the book back (the chart then moves
  // on to the present with an empty book).
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const off = window.orderbook!.subscribe('replay.status', {}, (s) => {
          if (s.progress < 0.85 && !s.done) return;
          off();
          void window.orderbook!.invoke('replay.control', { action: 'pause' }).then(() => resolve());
        });
      }),
  );
  // Let the last frames and the flush after them reach the chart.
  await page.waitForTimeout(1500);
}

/** Hover across the lower part of the chart (the volume pane) until the legend reads a second with trades. */
async function hoverTradedSecond(page: Page, box: { x: number; y: number; width: number; height: number }): Promise<string> {
  const legend = page.getByRole('region', { name: 'Time series', exact: true }).getByLabel('Traded flow');
  let text = '';
  for (let i = 1; i < 40; i++) {
    await page.mouse.move(box.x + (box.width - 70) * (i / 40), box.y + box.height * 0.88);
    text = await legend.evaluate((el) => [...el.children].map((span) => span.textContent).join(' | '));
    if (/\b[1-9][\d,]* trades?\b/.test(text)) return text;
  }
  return text;
}

for (const m of [ETHUSDT, SKLUSD]) {
  test(`${m.venue} ${m.symbol}: the volume pane shows the replayed trades, at 1280, 1600 and 1920 px`, async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width: 1600, height: 1000 });
    await replay(page, m);
    const region = page.getByRole('region', { name: 'Time series', exact: true });
    const seriesBox = region.getByRole('img', { name: `Bid, ask and mid over time for ${m.symbol}` });

    for (const [width, height] of SCREEN_SIZES) {
      await page.setViewportSize({ width, height });
      const where = `${m.symbol} at ${width}×${height}`;
      await page.waitForTimeout(500);
      await expect.poll(() => seriesBox.getAttribute('data-volume-labels'), { message: `${where}: volume axis`, timeout: 10_000 }).toBeTruthy();
      const box = (await seriesBox.boundingBox())!;
      const legend = await hoverTradedSecond(page, box);
      expect(legend, `${where}: hover legend`).toMatch(new RegExp(`vol/s [\\d.,]+[KM]? ${m.base}`));
      expect(legend, `${where}: hover legend`).toMatch(/\b[1-9][\d,]* trades?\b/);
      expect(legend, `${where}: hover legend`).toMatch(/imb (0|[+−-]?[01]\.\d\d)/);
      expect(legend, `${where}: hover legend`).toMatch(/vwap [\d,]+\.\d+/);
      const vol = /vol\/s ([\d.,]+)/.exec(legend)!;
      expect(Number(vol[1]!.replace(/,/g, '')), `${where}: hovered volume`).toBeGreaterThan(0);
      await page.screenshot({ path: testInfo.outputPath(`timeseries-${m.venue}-${width}.png`) });
      await region.screenshot({ path: testInfo.outputPath(`timeseries-panel-${m.venue}-${width}.png`) });
    }

    // The VWAP switch is a saved setting of the panel.
    const vwap = region.getByRole('checkbox', { name: 'Show VWAP' });
    await expect(vwap).toBeChecked();
    await vwap.uncheck();
    await expect(vwap).not.toBeChecked();
    await region.screenshot({ path: testInfo.outputPath(`timeseries-panel-${m.venue}-no-vwap.png`) });
    await vwap.check();
    expect(errors).toEqual([]);
  });
}
