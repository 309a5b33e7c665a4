import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectReplayDone } from '../support/e2e-replay';
import { capture } from '../support/paths';

// The host is shared by every test: never leave it replaying.
test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.orderbook?.invoke('replay.control', { action: 'stop' })).catch(() => {});
});

async function alertsPanel(page: Page) {
  await page.getByRole('button', { name: '+ Add panel' }).click();
  await page.getByRole('menuitem', { name: 'Alerts', exact: true }).click();
  const alerts = page.getByRole('region', { name: 'Alerts', exact: true });
  await expect(alerts).toBeVisible();
  return alerts;
}

test('a price alert can name its own channels in the rule editor, and be set back to by kind', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
  const alerts = await alertsPanel(page);
  await alerts.getByRole('textbox', { name: 'Alert price' }).fill('1');
  await alerts.getByRole('combobox', { name: 'Alert direction' }).selectOption('below');
  // The new rule's routing: not by kind, sound and webhook.
  await alerts.getByLabel('New alert goes to: by kind').click();
  const editor = alerts.getByRole('group', { name: 'New alert goes to' });
  await editor.getByRole('checkbox', { name: 'by kind' }).uncheck();
  await editor.getByRole('checkbox', { name: 'sound' }).check();
  await editor.getByRole('checkbox', { name: 'webhook' }).check();
  await expect(alerts.getByLabel('New alert goes to: sound, webhook')).toBeVisible();
  await alerts.getByRole('button', { name: 'Add price alert' }).click();
  const rules = alerts.getByRole('list', { name: 'Price alerts' });
  await expect(rules.getByLabel('Price alert at 1 goes to: sound, webhook')).toBeVisible({ timeout: 5000 });
  const saved = await page.evaluate(() => window.orderbook!.invoke('alerts.price.list', {}));
  expect(saved.find((r) => r.price === '1')?.channels).toEqual(['sound', 'webhook']);
  // Open the rule's own editor for the screenshot, then set it back to by kind.
  await rules.getByLabel('Price alert at 1 goes to: sound, webhook').click();
  await shot(page, testInfo, 'alert-routing-rule-1280x720');
  // A click, not check(): the box follows the saved rule, which the panel reads back after the change.
  await rules.getByRole('group', { name: 'Price alert at 1 goes to' }).getByRole('checkbox', { name: 'by kind' }).click();
  await expect(rules.getByLabel('Price alert at 1 goes to: by kind')).toBeVisible({ timeout: 5000 });
  expect((await page.evaluate(() => window.orderbook!.invoke('alerts.price.list', {}))).find((r) => r.price === '1')?.channels).toBeNull();
  // Sound and notification per kind.
  await alerts.getByText('Sound & notification by kind').click();
  await alerts.getByRole('checkbox', { name: 'Sound for Walls' }).uncheck();
  await expect(alerts.getByRole('checkbox', { name: 'Sound for Walls' })).not.toBeChecked();
  await expect(alerts.getByRole('checkbox', { name: 'Sound for Price' })).toBeChecked();
  await shot(page, testInfo, 'alert-routing-kinds-1280x720');
  for (const r of await page.evaluate(() => window.orderbook!.invoke('alerts.price.list', {}))) {
    await page.evaluate((id) => window.orderbook!.invoke('alerts.price.remove', { id }), r.id);
  }
});

async function shot(page: Page, testInfo: { outputPath: (name: string) => string }, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
}

for (const [file, label] of [
  ['binance-spot_2021-10-12.capture.jsonl', 'nkn'],
  ['okx_2022-05-13.capture.jsonl', 'okx'],
] as const) {
  for (const [width, height] of [
    [1280, 720],
    [1600, 1000],
    [1920, 1080],
  ] as const) {
    test(`alerts panel with a routed price alert on ${label} at ${width}x${height}`, async ({ page }, testInfo) => {
      const recordings = join('test-results', 'e2e-data', 'recordings');
      mkdirSync(recordings, { recursive: true });
      copyFileSync(capture(file), join(recordings, `routing-${label}.capture.jsonl`));
      await page.setViewportSize({ width, height });
      await page.goto('/');
      await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
      await page.getByRole('button', { name: '⟲ Replay…' }).click();
      await page.getByRole('menuitem', { name: new RegExp(`routing-${label}`) }).click();
      const bar = page.getByRole('group', { name: 'Replay' });
      await bar.getByRole('combobox', { name: 'Replay speed' }).selectOption('0');
      await expectReplayDone(page, `routing-${label}.capture.jsonl`, 30_000);
      const alerts = await alertsPanel(page);
      const bestBid = (await page.locator('tr[data-side="bid"].best td.price').textContent())!.replace(/,/g, '');
      await alerts.getByRole('textbox', { name: 'Alert price' }).fill(bestBid);
      await alerts.getByRole('combobox', { name: 'Alert direction' }).selectOption('below');
      await alerts.getByLabel('New alert goes to: by kind').click();
      const editor = alerts.getByRole('group', { name: 'New alert goes to' });
      await editor.getByRole('checkbox', { name: 'by kind' }).uncheck();
      await editor.getByRole('checkbox', { name: 'Telegram' }).check();
      await alerts.getByRole('button', { name: 'Add price alert' }).click();
      await expect(alerts.getByRole('list', { name: 'Price alerts' }).getByLabel(/goes to: Telegram/)).toBeVisible({ timeout: 5000 });
      await shot(page, testInfo, `alert-routing-${label}-${width}x${height}`);
      for (const r of await page.evaluate(() => window.orderbook!.invoke('alerts.price.list', {}))) {
        await page.evaluate((id) => window.orderbook!.invoke('alerts.price.remove', { id }), r.id);
      }
    });
  }
}
