/**
 * The time series' traded flow on real captures with trades: the volume pane below the prices shows
 * the replayed volume (taker buys up, taker sells down), the hover legend reads a second's volume,
 * trade count, imbalance and VWAP, and the VWAP line can be switched off. Screenshots at three window
 * sizes go to the test artifacts.
 */
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { capture } from '../support/paths';

interface Market {
  file: string;
  venue: string;
  symbol: string;
  base: string;
  /** Replay speed that plays the capture in about ten seconds. */
  speed: number;
}

const ETHUSDT: Market = { file: 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl', venue: 'binance-usdm', symbol: 'ETHUSDT', base: 'ETH', speed: 12 };
const SKLUSD: Market = { file: 'coinbase_2021-04-17.capture.jsonl', venue: 'coinbase', symbol: 'SKL-USD', base: 'SKL', speed: 3 };

const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1600, height: 1000 },
  { width: 1920, height: 1080 },
];

test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.orderbook?.invoke('replay.control', { action: 'stop' })).catch(() => {});
});

/** Make the shared capture replayable from the host's recordings folder (a link, not a copy). */
function offer(file: string): void {
  const dir = join('test-results', 'e2e-data', 'recordings');
  mkdirSync(dir, { recursive: true });
  const link = join(dir, file);
  if (!existsSync(link)) symlinkSync(resolve(capture(file)), link);
}

/** Open the capture paused, point the dashboard at the market with a 1 min window, play it nearly to the end. */
async function replay(page: Page, m: Market): Promise<void> {
  offer(m.file);
  await page.goto('/');
  await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
  await page.evaluate((name) => window.orderbook!.invoke('replay.open', { name, speed: 1 }), m.file);
  await expect
    .poll(
      () =>
        page.evaluate(
          ([venue, symbol]) =>
            window.orderbook!.invoke('instruments.list', { venue: venue as never }).then(
              (list) => list.some((i) => i.symbol === symbol),
              () => false,
            ),
          [m.venue, m.symbol],
        ),
      { timeout: 15_000 },
    )
    .toBe(true);
  await page.evaluate(() => window.orderbook!.invoke('replay.control', { action: 'pause' }));
  const picker = page.getByRole('combobox', { name: 'Symbol', exact: true });
  await picker.click();
  await picker.fill(m.symbol);
  await expect(page.getByRole('listbox', { name: 'Symbol options' }).getByRole('option').first()).toContainText(m.symbol, { timeout: 10_000 });
  await picker.press('Enter');
  await expect(page.getByRole('table', { name: `Order book ladder for ${m.symbol}` })).toBeVisible({ timeout: 10_000 });
  await page.getByRole('region', { name: 'Time series', exact: true }).getByRole('combobox', { name: 'Time series window' }).selectOption('60');
  await page.evaluate(async (speed) => {
    await window.orderbook!.invoke('replay.control', { action: 'speed', speed });
    await window.orderbook!.invoke('replay.control', { action: 'resume' });
  }, m.speed);
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
    await page.setViewportSize(VIEWPORTS[1]!);
    await replay(page, m);
    const region = page.getByRole('region', { name: 'Time series', exact: true });
    const seriesBox = region.getByRole('img', { name: `Bid, ask and mid over time for ${m.symbol}` });

    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      const where = `${m.symbol} at ${viewport.width}×${viewport.height}`;
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
      await page.screenshot({ path: testInfo.outputPath(`timeseries-${m.venue}-${viewport.width}.png`) });
      await region.screenshot({ path: testInfo.outputPath(`timeseries-panel-${m.venue}-${viewport.width}.png`) });
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
