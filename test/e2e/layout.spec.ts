import { expect, test, type Locator, type Page } from '@playwright/test';

/** Save a screenshot as a test artifact, and into docs/screenshots for the README with UPDATE_SCREENSHOTS=1. */
async function shot(target: Page | Locator, artifact: string, docsName?: string): Promise<void> {
  await target.screenshot({ path: artifact });
  if (process.env.UPDATE_SCREENSHOTS && docsName) await target.screenshot({ path: `docs/screenshots/${docsName}.png` });
}

async function ready(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
}

test('every panel renders and updates, and each is captured for review', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1500, height: 950 });
  await ready(page);
  // The default dashboard: ladder with the tape under it, depth, time series, heatmap, health. Add the resting liquidity profile.
  await page.getByRole('button', { name: '+ Add panel' }).click();
  await page.getByRole('menuitem', { name: 'Resting liquidity profile' }).click();
  for (const name of ['DOM ladder', 'Time & Sales', 'Depth', 'Time series', 'Liquidity heatmap', 'Feed health', 'Resting liquidity profile']) {
    await expect(page.getByRole('region', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('region')).toHaveCount(7);
  await expect(page.getByRole('region', { name: 'Depth', exact: true }).getByRole('status', { name: 'Feed state: live' })).toBeVisible({ timeout: 10_000 });
  // Canvases change as frames arrive: compare two snapshots of each chart's pixels.
  const pixels = (label: RegExp) =>
    page.getByRole('img', { name: label }).evaluate((el) => {
      const canvases = el instanceof HTMLCanvasElement ? [el] : [...el.querySelectorAll('canvas')];
      return canvases.map((c) => c.toDataURL()).join('|');
    });
  for (const label of [/^Depth chart for/, /^Liquidity heatmap for/, /^Bid, ask and mid over time for/, /^Resting liquidity profile for/]) {
    const before = await pixels(label);
    await expect.poll(async () => (await pixels(label)) !== before, { timeout: 10_000, message: `${label} should redraw` }).toBe(true);
  }
  await expect(page.getByRole('table', { name: 'Feed health' }).getByRole('row')).not.toHaveCount(1);
  await page.waitForTimeout(3000); // a few seconds of history in the charts
  await shot(page, testInfo.outputPath('dashboard-all-panels.png'), 'dashboard');
  for (const name of ['DOM ladder', 'Depth', 'Time series', 'Liquidity heatmap', 'Feed health', 'Resting liquidity profile']) {
    const slug = name.toLowerCase().replace(/\s+/g, '-');
    await shot(page.getByRole('region', { name, exact: true }), testInfo.outputPath(`panel-${slug}.png`), `panel-${slug}`);
  }
});

test('the dashboard symbol switches every linked panel; a link group carries its own symbol', async ({ page }) => {
  await ready(page);
  const picker = page.getByRole('combobox', { name: 'Symbol', exact: true });
  await picker.click();
  await picker.fill('sol');
  await picker.press('Enter');
  for (const name of ['DOM ladder', 'Depth', 'Time series', 'Liquidity heatmap']) {
    await expect(page.getByRole('region', { name, exact: true }).locator('.panel-symbol')).toHaveText('SOLUSDT');
  }
  await expect(page.getByRole('table', { name: 'Order book ladder for SOLUSDT' })).toBeVisible({ timeout: 10_000 });
  // Put the depth chart and the heatmap in link group A and give the group XRP.
  await page.getByRole('combobox', { name: 'Depth link group' }).selectOption('A');
  await page.getByRole('combobox', { name: 'Liquidity heatmap link group' }).selectOption('A');
  const depthPicker = page.getByRole('combobox', { name: 'Depth symbol' });
  await depthPicker.click();
  await depthPicker.fill('xrp');
  await depthPicker.press('Enter');
  await expect(page.getByRole('img', { name: 'Depth chart for XRPUSDT' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Liquidity heatmap for XRPUSDT' })).toBeVisible();
  // The dashboard symbol no longer moves them.
  await picker.click();
  await picker.fill('doge');
  await picker.press('Enter');
  await expect(page.getByRole('table', { name: 'Order book ladder for DOGEUSDT' })).toBeVisible({ timeout: 10_000 });
  await expect(page.getByRole('img', { name: 'Depth chart for XRPUSDT' })).toBeVisible();
});

test('the layout and panel settings survive a reload', async ({ page }) => {
  await ready(page);
  await page.getByRole('combobox', { name: 'Price grouping in ticks' }).selectOption('10');
  await page.getByRole('checkbox', { name: 'Show cumulative size' }).check();
  await page.getByRole('button', { name: 'Close Time series' }).click();
  await page.getByRole('button', { name: '+ Add panel' }).click();
  await page.getByRole('menuitem', { name: 'Resting liquidity profile' }).click();
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Price grouping in ticks' })).toHaveValue('10', { timeout: 15_000 });
  await expect(page.getByRole('checkbox', { name: 'Show cumulative size' })).toBeChecked();
  await expect(page.getByRole('region', { name: 'Time series', exact: true })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Resting liquidity profile', exact: true })).toBeVisible();
});

test('a detached panel opens in its own window, keeps updating, and docks back', async ({ page, context }) => {
  await ready(page);
  const popupPromise = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Detach DOM ladder' }).click();
  const popup = await popupPromise;
  await popup.waitForLoadState();
  const ladder = popup.getByRole('table', { name: /Order book ladder for/ });
  await expect(ladder).toBeVisible({ timeout: 15_000 });
  const before = await ladder.locator('tbody').textContent();
  await expect.poll(async () => (await ladder.locator('tbody').textContent()) !== before, { timeout: 10_000 }).toBe(true);
  // Gone from the dashboard, listed under Windows.
  await expect(page.getByRole('region', { name: 'DOM ladder', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Windows (1)' }).click();
  await expect(page.getByRole('menu', { name: 'Detached windows' })).toContainText('DOM ladder');
  await page.keyboard.press('Escape');
  // The detached window follows the dashboard symbol too.
  const picker = page.getByRole('combobox', { name: 'Symbol', exact: true });
  await picker.click();
  await picker.fill('eth usdt');
  await picker.press('Enter');
  await expect(popup.getByRole('table', { name: 'Order book ladder for ETHUSDT' })).toBeVisible({ timeout: 10_000 });
  const closed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Dock DOM ladder' }).click();
  await closed;
  await expect(page.getByRole('region', { name: 'DOM ladder', exact: true })).toBeVisible();
});

test('favourites come first in the symbol picker, and Ctrl+K opens it', async ({ page }) => {
  await ready(page);
  await page.keyboard.press('Control+k');
  const picker = page.getByRole('combobox', { name: 'Symbol', exact: true });
  await expect(picker).toBeFocused();
  await picker.fill('doge');
  await page.getByRole('button', { name: /Add DOGE\/USDT .* to favourites/ }).dispatchEvent('mousedown');
  await picker.fill('');
  await expect(page.getByRole('option').first()).toContainText('DOGE/USDT');
  await expect(page.getByRole('option').first()).toHaveAttribute('data-group', 'Favourites');
});

test('a time series opened while the app is running starts with the recorded history', async ({ page }) => {
  await ready(page);
  // The app has been recording this book's top of book since it started streaming it.
  await page.waitForTimeout(4000);
  await page.getByRole('button', { name: 'Close Time series' }).click();
  await page.getByRole('button', { name: '+ Add panel' }).click();
  await page.getByRole('menuitem', { name: 'Time series', exact: true }).click();
  const history = page.getByRole('region', { name: 'Time series', exact: true }).getByLabel('History');
  await expect(history).toHaveText(/^[\d,]+ points of recorded history$/, { timeout: 10_000 });
  const points = Number((await history.textContent())!.split(' ')[0]!.replace(/,/g, ''));
  expect(points).toBeGreaterThan(10);
});
