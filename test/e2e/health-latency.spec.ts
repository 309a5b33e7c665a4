import { expect, test } from '@playwright/test';

/**
 * Feed health's latency columns on the demo venue (BTC, ETH, SOL and XRP: prices of several
 * magnitudes): exchange → receipt and receipt → window frame fill with p50 / p99, the tooltip lists
 * every hop, and the key columns stay in view at three window sizes.
 */
for (const [width, height] of [
  [1280, 720],
  [1600, 1000],
  [1920, 1080],
] as const) {
  test(`feed health shows latency p50/p99 per hop at ${width}x${height}`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    const health = page.getByRole('table', { name: 'Feed health' });
    await expect(health.getByRole('cell', { name: 'synced' }).first()).toBeVisible({ timeout: 15_000 });
    // The row of the dashboard's own symbol (it has a ladder open, so its frame hop fills too).
    const row = health.locator('tbody tr').first();
    const exch = row.locator('td').nth(6);
    const frame = row.locator('td').nth(7);
    await expect(exch).toHaveText(/\d.* \/ .*\d/, { timeout: 10_000 });
    await expect(frame).toHaveText(/\d.* \/ .*\d/, { timeout: 10_000 });
    await expect(exch).toHaveAttribute('title', /exchange → receipt: p50 .* · p99 .* · max .*\/s/);
    await expect(exch).toHaveAttribute('title', /receipt → window frame: p50/);
    await expect(row.locator('td.key-symbol')).toBeInViewport();
    await page.screenshot({ path: `test-results/health-latency-${width}x${height}.png` });
  });
}
