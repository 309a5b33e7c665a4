import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectReplayDone, linkCapture, stopReplay } from '../support/e2e-replay';
import { capture } from '../support/paths';
import { pickSymbol } from '../support/symbol-picker';

/**
 * Replay as the user sees it: progress by recorded time, a REPLAY badge on the panels of a replayed
 * book, feeds that end with the capture, Back to live returning to the symbol shown before, a capture
 * uploaded from the browser; and the heatmap's history kept by the host across a page reload.
 */

// The host is shared by every test: never leave it replaying.
test.afterEach(({ page }) => stopReplay(page));

async function dashboardOn(page: Page, symbol: string): Promise<void> {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto('/');
  await page.evaluate((s) => localStorage.setItem('obm.links.v1', JSON.stringify({ dashboard: { venue: 'demo', symbol: s } })), symbol);
  await page.reload();
  await expect(page.getByRole('table', { name: `Order book ladder for ${symbol}` })).toBeVisible({ timeout: 15_000 });
}

test('a replay shows REPLAY on its panels, progress by recorded time, ends its feeds, and Back to live returns to the symbol before', async ({ page }) => {
  test.setTimeout(90_000);
  linkCapture('binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl');
  await dashboardOn(page, 'SOLUSDT');
  await expect(page.locator('.replay-badge')).toHaveCount(0);

  await page.getByRole('button', { name: '⟲ Replay…' }).click();
  await page.getByRole('menuitem', { name: /binance-usdm_2024-08-08_ethusdt-2min/ }).click();
  const bar = page.getByRole('group', { name: 'Replay' });
  await expect(bar).toBeVisible();
  await expect(page.getByRole('table', { name: 'Order book ladder for ETHUSDT' })).toBeVisible({ timeout: 15_000 });
  // At 1× the two-minute capture has barely begun: a few percent, never 100%.
  const position = bar.getByRole('status', { name: 'Replay position' });
  await expect(position).toHaveText(/ · [0-9]%$/, { timeout: 10_000 });

  // Every panel showing the replayed book says so, and none says live.
  for (const title of ['DOM ladder', 'Depth', 'Time series', 'Liquidity heatmap']) {
    await expect(page.getByRole('region', { name: title, exact: true }).getByRole('status', { name: 'Replayed book' })).toHaveText('REPLAY');
  }
  await expect(page.getByRole('region', { name: 'DOM ladder', exact: true }).getByRole('status', { name: /^Feed state/ })).toHaveText(/in sync|syncing/);
  await expect(page.getByRole('status', { name: 'Feed state: live' })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('replay-badges.png') });

  await bar.getByRole('combobox', { name: 'Replay speed' }).selectOption('0');
  await expect(position).toHaveText(/^done · 100%$/, { timeout: 30_000 });
  // The capture's feed has ended: the health panel says so, with no rate and no latency left over.
  const health = page.getByRole('region', { name: 'Feed health', exact: true });
  const row = health.locator('tr', { hasText: 'ETHUSDT' }).filter({ hasText: 'binance-usdm' });
  await expect(row.locator('td.key-state')).toHaveText('ended', { timeout: 5000 });

  await bar.getByRole('button', { name: 'Back to live' }).click();
  await expect(page.getByRole('button', { name: '⟲ Replay…' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Order book ladder for SOLUSDT' })).toBeVisible({ timeout: 10_000 });
  await expect(page.locator('.replay-badge')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'DOM ladder', exact: true }).getByRole('status', { name: /^Feed state/ })).toHaveText('live', { timeout: 10_000 });
});

test("a book picked from the playing capture stays on the dashboard across a page reload; only a live symbol is moved to the capture's first book", async ({ page }) => {
  test.setTimeout(90_000);
  const file = 'kraken_2021-04-17.capture.jsonl';
  linkCapture(file);
  await dashboardOn(page, 'SOLUSDT');
  await page.evaluate((name) => window.orderbook!.invoke('replay.open', { name, speed: 0 }), file);
  await expectReplayDone(page, file, 60_000);
  // The live symbol gave way to the capture's first book.
  await expect(page.getByRole('table', { name: 'Order book ladder for WAVES/EUR' })).toBeVisible({ timeout: 10_000 });

  await pickSymbol(page, 'ksm', 'KSM/XBT', 'KSM/XBT');

  // Reopened, the page meets the replay's status again: the picked book is one of the capture's, so it stays.
  await page.reload();
  await expectReplayDone(page, file, 15_000);
  await page.waitForTimeout(500);
  await expect(page.getByRole('table', { name: 'Order book ladder for KSM/XBT' })).toBeVisible();

  await page.getByRole('group', { name: 'Replay' }).getByRole('button', { name: 'Back to live' }).click();
  await expect(page.getByRole('table', { name: 'Order book ladder for SOLUSDT' })).toBeVisible({ timeout: 10_000 });
});

test('a capture file opened from the browser is uploaded and played; anything else is refused with a reason', async ({ page }) => {
  test.setTimeout(60_000);
  await dashboardOn(page, 'BTCUSDT');
  const input = page.getByLabel('Capture file to upload');
  await page.getByRole('button', { name: '⟲ Replay…' }).click();
  await expect(page.getByRole('menuitem', { name: /Open a capture or tardis CSV files…/ })).toBeVisible();
  await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just some notes\n') });
  await expect(page.locator('.error-text')).toContainText('notes.txt: not a capture');

  await input.setInputFiles({ name: 'My OKX day.jsonl', mimeType: 'application/x-ndjson', buffer: readFileSync(capture('okx_2022-05-13.capture.jsonl')) });
  const bar = page.getByRole('group', { name: 'Replay' });
  await expect(bar).toBeVisible({ timeout: 15_000 });
  await expect(bar).toContainText(/My-OKX-day(-\d+)?\.capture\.jsonl/);
  await expect(page.getByRole('table', { name: /Order book ladder for BTC-USD/ })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('region', { name: 'DOM ladder', exact: true }).getByRole('status', { name: 'Replayed book' })).toHaveText('REPLAY');
});

test('the heatmap keeps its past across a page reload (the host keeps the history)', async ({ page }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?panel=heatmap-reload&kind=heatmap');
  const img = page.getByRole('img', { name: /^Liquidity heatmap for/ });
  await expect(img).toBeVisible({ timeout: 10_000 });
  // Let the host gather some columns, then reload: the page starts with nothing of its own.
  await page.waitForTimeout(6000);
  await page.reload();
  await expect(img).toBeVisible({ timeout: 10_000 });
  await page.waitForTimeout(800);
  const box = (await img.boundingBox())!;
  // Five seconds back from the newest column (3 px per 250 ms, the price axis 72 px wide on the right):
  // after a reload less than a second ago, only the host's history can have painted it.
  const readout = page.getByRole('status', { name: 'Heatmap read-out' });
  await page.mouse.move(box.x + box.width - 72 - 60 - 10, box.y + box.height / 2);
  await expect(readout).toHaveText(/ · size [\d,.]+$/);
  await page.screenshot({ path: test.info().outputPath('heatmap-after-reload.png') });
});
