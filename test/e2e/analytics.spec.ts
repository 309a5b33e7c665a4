import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';

/** Save a screenshot as a test artifact, and into docs/screenshots for the README with UPDATE_SCREENSHOTS=1. */
async function shot(target: Page | Locator, artifact: string, docsName?: string): Promise<void> {
  await target.screenshot({ path: artifact });
  if (process.env.UPDATE_SCREENSHOTS && docsName) await target.screenshot({ path: `docs/screenshots/${docsName}.png` });
}
import { expectReplayDone } from '../support/e2e-replay';
import { capture } from '../support/paths';

async function ready(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1500, height: 950 });
  await page.goto('/');
  await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
}

// The host is shared by every test: never leave it replaying.
test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.orderbook?.invoke('replay.control', { action: 'stop' })).catch(() => {});
});

async function addPanel(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: '+ Add panel' }).click();
  await page.getByRole('menuitem', { name, exact: true }).click();
  await expect(page.getByRole('region', { name, exact: true })).toBeVisible();
}

test('metrics, alerts and impact panels render and update; a price alert fires and can be acknowledged', async ({ page }, testInfo) => {
  await ready(page);
  await addPanel(page, 'Metrics');
  await addPanel(page, 'Alerts');
  const metrics = page.getByRole('region', { name: 'Metrics', exact: true });
  const mid = metrics.locator('[data-metric="Mid"]');
  await expect(mid).toHaveText(/^[\d,]+\.\d+ USDT$/, { timeout: 10_000 });
  const first = await mid.textContent();
  await expect.poll(async () => (await mid.textContent()) !== first, { timeout: 10_000 }).toBe(true);

  // A price alert the book has already reached fires on the next update.
  const bestBid = Number((await page.locator('tr[data-side="bid"].best td.price').textContent())!.replace(/,/g, ''));
  const alerts = page.getByRole('region', { name: 'Alerts', exact: true });
  await alerts.getByRole('textbox', { name: 'Alert price' }).fill((bestBid - 5).toFixed(2));
  await alerts.getByRole('combobox', { name: 'Alert direction' }).selectOption('above');
  await alerts.getByRole('button', { name: 'Add price alert' }).click();
  // Price alerts by their kind label (evidence of other kinds, e.g. a sweep's "first price", holds the word too).
  const priceItems = alerts.getByRole('list', { name: 'Alerts', exact: true }).getByRole('listitem').filter({ has: page.getByText('Price', { exact: true }) });
  const item = priceItems.first();
  await expect(item).toBeVisible({ timeout: 10_000 });
  await expect(alerts.getByLabel('Alert counts')).toContainText(/\d+ total/);
  // Evidence opens on click; acknowledging removes the ✓ button.
  await item.locator('summary').click();
  await expect(item.locator('.evidence')).toBeVisible();
  const ack = item.getByRole('button', { name: /^Acknowledge/ });
  if (await ack.count()) {
    await ack.click();
    await expect(item.getByRole('button', { name: /^Acknowledge/ })).toHaveCount(0, { timeout: 5000 });
  }
  // Filtering out the kind hides it.
  await alerts.getByRole('button', { name: 'Price', exact: true }).click();
  await expect(priceItems).toHaveCount(0);
  await alerts.getByRole('button', { name: 'Price', exact: true }).click();
  await shot(page, testInfo.outputPath('analytics-panels.png'));
  await shot(metrics, testInfo.outputPath('panel-metrics.png'), 'panel-metrics');
  await shot(alerts, testInfo.outputPath('panel-alerts.png'), 'panel-alerts');
});

test('a replayed capture plays in every window, and the impact calculator shows the VWAP the engine computes', async ({ page, request }, testInfo) => {
  const recordings = join('test-results', 'e2e-data', 'recordings');
  mkdirSync(recordings, { recursive: true });
  copyFileSync(capture('binance-spot_2021-10-12.capture.jsonl'), join(recordings, 'binance-spot-fixture.capture.jsonl'));
  await ready(page);
  await page.getByRole('button', { name: '⟲ Replay…' }).click();
  await page.getByRole('menuitem', { name: /binance-spot-fixture\.capture\.jsonl/ }).click();
  const bar = page.getByRole('group', { name: 'Replay' });
  await expect(bar).toBeVisible();
  await bar.getByRole('combobox', { name: 'Replay speed' }).selectOption('0');
  await expectReplayDone(page, 'binance-spot-fixture.capture.jsonl', 20_000);
  // The dashboard moved to the capture's first book, and the ladder shows its final state.
  await expect(page.getByRole('table', { name: 'Order book ladder for NKNUSDT' })).toBeVisible();
  await expect(page.locator('tr[data-side="bid"].best td.price')).toHaveText(/^0\.35270*$/);
  await expect(page.locator('tr[data-side="ask"].best td.price')).toHaveText(/^0\.35310*$/);

  await addPanel(page, 'Impact calculator');
  const impact = page.getByRole('region', { name: 'Impact calculator', exact: true });
  await impact.getByRole('textbox', { name: 'Order amount' }).fill('25000');
  const engine = await (await request.get('/api/simulate?venue=binance-spot&symbol=NKNUSDT&side=buy&size=25000')).json();
  expect(engine.complete).toBe(true);
  expect(engine.levelsConsumed).toBeGreaterThan(1);
  const shown = impact.getByTestId('impact-vwap');
  // Shown at two decimals past the tick (0.0001 here), with its unit.
  await expect.poll(async () => parseFloat((await shown.textContent())!.replace(/,/g, '')), { timeout: 10_000 }).toBeCloseTo(engine.vwap, 5);
  await expect(impact.getByRole('table', { name: 'Fills by level' }).locator('tbody tr')).toHaveCount(engine.levelsConsumed);
  await shot(impact, testInfo.outputPath('panel-impact.png'), 'panel-impact');

  await bar.getByRole('button', { name: 'Back to live' }).click();
  await expect(page.getByRole('button', { name: '⟲ Replay…' })).toBeVisible();
});
