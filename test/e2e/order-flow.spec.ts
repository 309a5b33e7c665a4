import { expect, test } from '@playwright/test';
import { openDashboard, openHeatmapWindow, screenshotAtSizes, SCREEN_SIZES, startReplay, stopReplay } from '../support/e2e-replay';

/**
 * Trade bubbles on the heatmap, replayed from real captures with trades at three price magnitudes
 * (Coinbase SKL-USD under 1 USD, Binance USD-M ETHUSDT ~2,700, Hyperliquid BTC ~105,000), in the
 * heatmap's own window at three screen sizes: bubbles drawn, a hover read-out of time, price and
 * buy/sell volume, and the "Trades ≥" filter thinning and hiding them.
 */

const CAPTURES = [
  // Coinbase: SKL-USD is the first product (52 prints in 30 s).
  { file: 'coinbase_2021-04-17.capture.jsonl', speed: 1, playMs: 24_000, symbol: 'SKL-USD' },
  // Binance USD-M ETHUSDT: 4,029 prints in 2 min; 5× plays most of it.
  { file: 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl', speed: 5, playMs: 16_000, symbol: 'ETHUSDT' },
  // Hyperliquid BTC: 32 prints in 12 s.
  { file: 'hyperliquid_2025-01-26.capture.jsonl', speed: 1, playMs: 12_000, symbol: 'BTC' },
];

test.afterEach(({ page }) => stopReplay(page));

for (const cap of CAPTURES) {
  test(`trade bubbles on ${cap.file}: drawn, hover read-out, size filter; three screen sizes`, async ({ page, context }, testInfo) => {
    test.setTimeout(120_000);
    await openDashboard(page);
    await startReplay(page, cap.file, cap.speed);
    await expect(page.getByRole('table', { name: `Order book ladder for ${cap.symbol}` })).toBeVisible({ timeout: 10_000 });
    const heat = await openHeatmapWindow(context, 'heatmap-flow-e2e');
    const img = heat.getByRole('img', { name: `Liquidity heatmap for ${cap.symbol}` });
    await heat.waitForTimeout(cap.playMs);
    await expect.poll(async () => Number(await img.getAttribute('data-bubbles')), { timeout: 20_000 }).toBeGreaterThan(0);
    const name = cap.file.replace(/\.capture\.jsonl$/, '');
    await screenshotAtSizes(heat, testInfo, `bubbles-${name}`);

    // Hover the biggest bubble: the read-out gives its time, price and buy/sell volume. The replay is
    // paused first so the columns hold still between reading the bubble's place and hovering it.
    await page.evaluate(() => window.orderbook!.invoke('replay.control', { action: 'pause' }));
    await heat.waitForTimeout(700);
    const [x, y] = (await img.getAttribute('data-biggest-bubble'))!.split(',').map(Number);
    const box = (await img.boundingBox())!;
    await heat.mouse.move(box.x + x!, box.y + y!);
    const readout = heat.getByRole('status', { name: 'Heatmap read-out' });
    await expect(readout).toHaveText(/^\d\d:\d\d:\d\d\.\d{3} · trades at [\d.]+ · buy [\d,.]+ · sell [\d,.]+$/);
    await heat.screenshot({ path: testInfo.outputPath(`bubbles-${name}-hover.png`) });
    await heat.mouse.move(0, 0);

    // The filter: a high minimum shows fewer (or no) bubbles, "off" none, "all" them all again.
    const all = Number(await img.getAttribute('data-bubbles'));
    const filter = heat.getByRole('combobox', { name: 'Heatmap trade bubbles minimum size' });
    await filter.selectOption('100000');
    await expect.poll(async () => Number(await img.getAttribute('data-bubbles'))).toBeLessThan(all);
    await filter.selectOption('-1');
    await expect.poll(async () => Number(await img.getAttribute('data-bubbles'))).toBe(0);
    await filter.selectOption('0');
    await expect.poll(async () => Number(await img.getAttribute('data-bubbles'))).toBeGreaterThan(0);
    await heat.close();
  });
}

test('metrics: last price, volume and delta over a chosen window on the ETHUSDT replay; three screen sizes', async ({ page, context }, testInfo) => {
  test.setTimeout(90_000);
  await openDashboard(page);
  await startReplay(page, 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl', 5);
  await expect(page.getByRole('table', { name: 'Order book ladder for ETHUSDT' })).toBeVisible({ timeout: 10_000 });
  const win = await context.newPage();
  await win.setViewportSize({ width: SCREEN_SIZES[0][0], height: SCREEN_SIZES[0][1] });
  await win.goto('/?panel=metrics-flow-e2e&kind=metrics');
  const grid = win.getByRole('definition').first();
  await expect(grid).toBeVisible({ timeout: 10_000 });
  // ETHUSDT printed around 2,680: the last price at the tick's two decimals, with the quote unit.
  await expect(win.locator('[data-metric="Last price"]')).toHaveText(/^2,6\d\d\.\d\d USDT$/, { timeout: 15_000 });
  await expect(win.locator('[data-metric="Volume (5m)"]')).toHaveText(/^[\d,.]+ ETH$/);
  await win.waitForTimeout(6000);
  const volume = (label: string) => win.locator(`[data-metric="${label}"]`).textContent().then((t) => Number(t!.replace(/[^\d.]/g, '')));
  expect(await volume('Volume (5m)')).toBeGreaterThan(0);
  await expect(win.locator('[data-metric="Delta (5m)"]')).toHaveText(/^[+−-]?[\d,.]+ ETH$/);
  await screenshotAtSizes(win, testInfo, 'metrics-flow', 400);
  // A shorter window holds no more than the longer one.
  await win.getByRole('combobox', { name: 'Volume and delta window' }).selectOption('60');
  await expect(win.locator('[data-metric="Volume (1m)"]')).toBeVisible();
  await page.evaluate(() => window.orderbook!.invoke('replay.control', { action: 'pause' }));
  await win.waitForTimeout(500);
  const oneMinute = await volume('Volume (1m)');
  await win.getByRole('combobox', { name: 'Volume and delta window' }).selectOption('900');
  expect(await volume('Volume (15m)')).toBeGreaterThanOrEqual(oneMinute);
  await win.close();
});
