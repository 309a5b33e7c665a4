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

for (const [width, height] of [
  [1280, 720],
  [1600, 1000],
  [1920, 1080],
] as const) {
  test(`a long status line (a memory alert) wraps and scrolls in its strip; the first row stays in view at ${width}x${height}`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    const panel = page.getByRole('region', { name: 'Feed health', exact: true });
    const health = panel.getByRole('table', { name: 'Feed health' });
    const row = health.locator('tbody tr').first();
    await expect(row.locator('td.key-symbol')).toBeInViewport({ timeout: 15_000 });
    // The host raises this alert only after minutes of growth; its words are put in the strip as the
    // panel does (a pill beside the others), at the length a real one has.
    await panel.locator('.panel-toolbar').evaluate((strip) => {
      const pill = document.createElement('span');
      pill.className = 'venue-pill venue-degraded';
      pill.setAttribute('role', 'alert');
      pill.textContent = 'memory growing: RSS 286.1 MB is 79% over its baseline of 159.7 MB; heap 61.2 MB is 98% over its baseline of 30.9 MB';
      strip.insertBefore(pill, strip.children[1] ?? null);
    });
    // The host's own alert may be up too (its memory grows over the e2e run): this one is ours.
    const alert = panel.getByRole('alert').filter({ hasText: 'RSS 286.1 MB is 79%' });
    await expect(alert).toBeVisible();
    // Its whole text fits the strip's width (it wraps), and the table keeps its header and first row.
    const overhang = await alert.evaluate((el) => el.getBoundingClientRect().right - el.parentElement!.getBoundingClientRect().right);
    expect(overhang).toBeLessThanOrEqual(0);
    await expect(row.locator('td.key-symbol')).toBeInViewport({ ratio: 0.95 });
    await expect(health.locator('thead th').first()).toBeInViewport({ ratio: 0.95 });
    await page.screenshot({ path: `test-results/health-memory-alert-${width}x${height}.png` });
  });
}
