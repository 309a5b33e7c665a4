import { expect, test, type Locator, type Page } from '@playwright/test';
import { linkCapture, stopReplay } from '../support/e2e-replay';

/**
 * The candles panel on real captures replayed in the web host, at two price magnitudes: Binance
 * ETHUSDT (about 2,681, two decimals) and Coinbase SKL-USD (about 0.79, four decimals). Candles,
 * volume, CVD and VWAP must be drawn, the price axis labelled distinctly at the instrument's
 * precision, and the panel is screenshot at three window sizes.
 */

test.afterEach(({ page }) => stopReplay(page));

/** Replay a capture to its end, then show a dashboard of a ladder and a candles panel on `symbol`. */
async function replayIntoCandles(page: Page, file: string, venue: string, symbol: string, interval: string): Promise<Locator> {
  linkCapture(file);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto('/');
  await expect(page.getByRole('button', { name: '⟲ Replay…' })).toBeVisible({ timeout: 15_000 });
  await page.evaluate((name) => window.orderbook!.invoke('replay.open', { name, speed: 0 }), file);
  await expect(page.getByRole('group', { name: 'Replay' }).getByRole('status', { name: 'Replay position' })).toHaveText(/^done · 100%$/, { timeout: 30_000 });
  const own = { venue, symbol };
  const layout = {
    version: 1,
    columns: [
      { id: 'c1', size: 24, panels: [{ id: 'ladder-e2e', kind: 'ladder', link: 'none', symbol: own, settings: {} }], panelSizes: [100] },
      { id: 'c2', size: 76, panels: [{ id: 'candles-e2e', kind: 'candles', link: 'none', symbol: own, settings: { interval } }], panelSizes: [100] },
    ],
    detached: [],
  };
  await page.evaluate((l) => localStorage.setItem('obm.layout.v1', JSON.stringify(l)), layout);
  await page.reload();
  const panel = page.getByRole('region', { name: 'Candles', exact: true });
  await expect(panel).toBeVisible({ timeout: 15_000 });
  return panel;
}

/** Pixels of a colour (within a tolerance) on each canvas of the chart, top to bottom. */
async function colourCounts(box: Locator, rgb: [number, number, number]): Promise<number[]> {
  return box.evaluate((el, [r, g, b]) => {
    return [...el.querySelectorAll('canvas')]
      .map((c) => ({ c, top: c.getBoundingClientRect().top }))
      .sort((a, z) => a.top - z.top)
      .map(({ c }) => {
        const ctx = c.getContext('2d');
        if (!ctx || c.width === 0 || c.height === 0) return 0;
        const data = ctx.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r) < 12 && Math.abs(data[i + 1]! - g) < 12 && Math.abs(data[i + 2]! - b) < 12) n++;
        return n;
      });
  }, rgb);
}

const GREEN: [number, number, number] = [38, 169, 108];
const RED: [number, number, number] = [229, 83, 75];
const VWAP: [number, number, number] = [217, 165, 59];

async function checkPanel(panel: Locator, priceLabel: RegExp, minCandles: number, shot: string): Promise<void> {
  const page = panel.page();
  const box = panel.getByRole('img', { name: /candles, volume, CVD and VWAP for/ });
  await expect.poll(async () => Number(await panel.locator('.candles-panel').getAttribute('data-candles')), { timeout: 15_000 }).toBeGreaterThanOrEqual(minCandles);
  for (const [width, height] of [
    [1280, 720],
    [1600, 1000],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    // The chart re-lays out on resize; wait until the axis was drawn at this size.
    await page.waitForTimeout(400);
    await expect.poll(async () => (await box.getAttribute('data-price-labels')) ?? '').not.toBe('');
    const labels = (await box.getAttribute('data-price-labels'))!.split(' | ');
    expect(labels.length, labels.join(' | ')).toBeGreaterThanOrEqual(3);
    expect(new Set(labels).size, labels.join(' | ')).toBe(labels.length);
    for (const l of labels) expect(l).toMatch(priceLabel);
    const cvdLabels = (await box.getAttribute('data-cvd-labels')) ?? '';
    expect(cvdLabels.split(' | ').length, cvdLabels).toBeGreaterThanOrEqual(2);
    // Candles in both colours and the VWAP line in the price pane; CVD candles in the pane below.
    const green = await colourCounts(box, GREEN);
    const red = await colourCounts(box, RED);
    const vwap = await colourCounts(box, VWAP);
    const panes = green.map((g, i) => ({ g, r: red[i]!, v: vwap[i]! })).filter((p) => p.g + p.r > 0);
    expect(panes.length, JSON.stringify({ green, red, vwap })).toBeGreaterThanOrEqual(2);
    expect(panes[0]!.v, 'VWAP pixels in the price pane').toBeGreaterThan(30);
    expect(panes[0]!.g + panes[0]!.r, 'candle pixels in the price pane').toBeGreaterThan(100);
    expect(panes[1]!.g + panes[1]!.r, 'CVD candle pixels in its pane').toBeGreaterThan(30);
    await page.screenshot({ path: `test-results/candles-${shot}-${width}x${height}.png` });
  }
  // The legend: OHLC at the price precision, volume, delta, CVD and VWAP of the newest candle.
  const legend = panel.getByLabel('Candle values');
  await expect(legend).toContainText(/O [\d,.]+ H [\d,.]+ L [\d,.]+ C [\d,.]+/);
  await expect(legend).toContainText(/V [\d,.]+/);
  await expect(legend).toContainText(/Δ [+-]?[\d,.]+/);
  await expect(legend).toContainText(/CVD -?[\d,.]+/);
  await expect(legend).toContainText(/VWAP [\d,.]+ σ [\d,.]+/);
}

test('ETHUSDT (Binance USD-M): 5 s candles with volume, CVD and VWAP bands; 1 m gives the export’s three candles', async ({ page }) => {
  test.setTimeout(120_000);
  const panel = await replayIntoCandles(page, 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl', 'binance-usdm', 'ETHUSDT', '5s');
  await expect(panel.getByLabel('History')).toHaveText('this session’s trades');
  // Two minutes of trades: about 24 five-second candles. Prices like 2,681.62: two decimals.
  await checkPanel(panel, /^\d,\d{3}\.\d{2}$/, 20, 'ethusdt-5s');
  await expect(panel.getByLabel('Candle values')).toContainText(/O 2,6\d\d\.\d\d /);

  // At one minute: the three candles of `npm run export -- --candles 1m` on this capture.
  await panel.getByRole('combobox', { name: 'Candle interval' }).selectOption('1m');
  await expect(panel.locator('.candles-panel')).toHaveAttribute('data-candles', '3', { timeout: 10_000 });
  await page.setViewportSize({ width: 1600, height: 1000 });
  // Hover the first candle: the legend shows the export's first row (23:54, O 2681.62 H 2683.44 L 2681.17 C 2681.79, V 710.971).
  await expect(panel.getByLabel('Candle values')).toContainText('C ');
  const box = panel.getByRole('img', { name: /candles, volume, CVD and VWAP for/ });
  const area = (await box.boundingBox())!;
  let found = false;
  for (let x = area.x + 10; x < area.x + area.width - 80 && !found; x += 6) {
    await page.mouse.move(x, area.y + area.height * 0.4);
    found = ((await panel.getByLabel('Candle values').textContent()) ?? '').includes('23:54:00');
  }
  expect(found, 'the 23:54 candle under the cursor').toBe(true);
  await expect(panel.getByLabel('Candle values')).toContainText('O 2,681.62 H 2,683.44 L 2,681.17 C 2,681.79');
  await expect(panel.getByLabel('Candle values')).toContainText('V 710.971');
  // Δ = 393.041 − 317.93
  await expect(panel.getByLabel('Candle values')).toContainText('Δ +75.111');
  await page.screenshot({ path: 'test-results/candles-ethusdt-1m-1600x1000.png' });

  // CVD as a line and VWAP without bands still draw.
  await panel.getByRole('combobox', { name: 'Cumulative volume delta' }).selectOption('line');
  await panel.getByRole('combobox', { name: 'VWAP bands' }).selectOption('2');
  await expect(panel.getByLabel('Candle values')).toContainText('VWAP');
});

test('SKL-USD (Coinbase): 1 s candles at four decimals, with CVD and VWAP', async ({ page }) => {
  test.setTimeout(120_000);
  const panel = await replayIntoCandles(page, 'coinbase_2021-04-17.capture.jsonl', 'coinbase', 'SKL-USD', '1s');
  // Prices like 0.7912: four decimals.
  await checkPanel(panel, /^0\.\d{4,}$/, 5, 'skl-usd-1s');
  await expect(panel.getByLabel('Candle values')).toContainText(/C 0\.\d{4}(?!\d)/);

  // Detached into its own window, it keeps its symbol and settings and draws the same candles.
  const count = await panel.locator('.candles-panel').getAttribute('data-candles');
  const popupPromise = page.waitForEvent('popup');
  await panel.getByRole('button', { name: 'Detach Candles' }).click();
  const popup = await popupPromise;
  const detached = popup.getByRole('region', { name: 'Candles', exact: true });
  await expect(detached).toBeVisible({ timeout: 15_000 });
  await expect(detached.getByRole('combobox', { name: 'Candle interval' })).toHaveValue('1s');
  await expect(detached.locator('.candles-panel')).toHaveAttribute('data-candles', count!, { timeout: 10_000 });
  await popup.close();
});
