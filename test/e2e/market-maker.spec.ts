/**
 * The paper market maker panel on replayed captures of three price magnitudes (ETHUSDT ~2,680, Hyperliquid BTC ~105,000,
 * Coinbase SKL-USD ~0.79): started from the panel on the dashboard's replayed book,
 * it shows PAPER quoting, its account and fills, and its quotes on the ladder, fills on the tape and
 * heatmap; screenshots at 1280x720, 1600x1000 and 1920x1080 go to test-results/.
 */
import { expect, test, type Page } from '@playwright/test';
import { linkCapture, stopReplay } from '../support/e2e-replay';

const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1600, height: 1000 },
  { width: 1920, height: 1080 },
];

// The host is shared by every test: never leave it replaying or quoting.
test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.orderbook?.invoke('mm.stop', {})).catch(() => {});
  await stopReplay(page);
});

async function replayOn(page: Page, file: string, venue: string, symbol: string, speed: number): Promise<void> {
  linkCapture(file);
  await page.setViewportSize(VIEWPORTS[1]!);
  await page.goto('/');
  await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
  await page.evaluate(({ name, speed }) => window.orderbook!.invoke('replay.open', { name, speed }), { name: file, speed });
  await page.evaluate(({ venue, symbol }) => localStorage.setItem('obm.links.v1', JSON.stringify({ dashboard: { venue, symbol } })), { venue, symbol });
  await page.reload();
  await expect(page.getByRole('table', { name: `Order book ladder for ${symbol}` })).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: '+ Add panel' }).click();
  await page.getByRole('menuitem', { name: 'Paper market maker' }).click();
}

const CASES = [
  { file: 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl', venue: 'binance-usdm', symbol: 'ETHUSDT', speed: 4, size: '0.1', max: '1', spread: '2', wantFills: true },
  { file: 'hyperliquid_2025-01-26.capture.jsonl', venue: 'hyperliquid', symbol: 'BTC', speed: 1, size: '0.01', max: '0.05', spread: '1', wantFills: false },
  { file: 'coinbase_2021-04-17.capture.jsonl', venue: 'coinbase', symbol: 'SKL-USD', speed: 2, size: '100', max: '500', spread: '1', wantFills: false },
];

for (const c of CASES) {
  test(`paper market maker on a replay of ${c.venue}:${c.symbol}`, async ({ page }) => {
    test.setTimeout(120_000);
    await replayOn(page, c.file, c.venue, c.symbol, c.speed);
    const panel = page.getByRole('region', { name: 'Paper market maker', exact: true });
    await expect(panel).toBeVisible();
    await panel.getByLabel('Quote size').fill(c.size);
    await panel.getByLabel('Maximum inventory').fill(c.max);
    await panel.getByLabel('Spread', { exact: true }).fill(c.spread);
    // A bad setting is refused with the host's reason, and nothing starts.
    await panel.getByLabel('Queue model').selectOption('prob');
    await panel.getByLabel('Maker fee in bps').fill('abc');
    await panel.getByRole('button', { name: '▶ Start' }).click();
    await expect(panel.getByRole('alert')).toContainText('maker-fee-bps must be a decimal number');
    await panel.getByLabel('Maker fee in bps').fill('-0.5');
    await panel.getByRole('button', { name: '▶ Start' }).click();
    const status = panel.getByRole('status', { name: 'Market maker status' });
    await expect(status).toContainText(`PAPER quoting ${c.venue}:${c.symbol} (replay)`);
    await expect(panel.getByRole('table', { name: 'Working quotes' }).locator('tbody tr')).not.toHaveCount(0, { timeout: 15_000 });
    if (c.wantFills) {
      await expect(panel.getByRole('table', { name: 'Paper fills' }).locator('tbody tr')).not.toHaveCount(0, { timeout: 60_000 });
      await expect(page.getByRole('status', { name: 'Paper fills on this book' })).toContainText(/[BS] 0\.1 @ /);
    } else {
      await page.waitForTimeout(3000);
    }
    const pnl = panel.getByRole('definition').first();
    await expect(pnl).not.toHaveText('—');
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(700);
      await page.screenshot({ path: test.info().outputPath(`mm-${c.symbol}-${viewport.width}x${viewport.height}.png`) });
      await panel.screenshot({ path: test.info().outputPath(`mm-panel-${c.symbol}-${viewport.width}x${viewport.height}.png`) });
    }
    // The panel on its own (a detached window's page), where it has room for its chart.
    const alone = await page.context().newPage();
    await alone.goto('/?panel=mm-alone&kind=market-maker');
    await expect(alone.getByRole('status', { name: 'Market maker status' })).toContainText(`PAPER quoting ${c.venue}:${c.symbol}`, { timeout: 10_000 });
    for (const viewport of VIEWPORTS) {
      await alone.setViewportSize(viewport);
      await alone.waitForTimeout(700);
      await alone.screenshot({ path: test.info().outputPath(`mm-alone-${c.symbol}-${viewport.width}x${viewport.height}.png`) });
    }
    await alone.close();
    await panel.getByRole('button', { name: '■ Stop' }).click();
    await expect(status).toContainText('stopped');
  });
}
