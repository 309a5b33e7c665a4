import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectReplayDone, linkCapture } from '../support/e2e-replay';
import { commonestColour, shownPixels } from '../support/shown-pixels';
import { pickSymbol } from '../support/symbol-picker';

const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1600, height: 1000 },
  { width: 1920, height: 1080 },
];

async function dashboard(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'DOM ladder', exact: true })).toBeVisible({ timeout: 15_000 });
}

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** The saved theme back to dark and retention off, so the other specs (same web host and data folder) see the defaults. */
async function restoreDark(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const api = window.orderbook!;
    const view = await api.invoke('settings.get', {});
    await api.invoke('settings.save', { settings: { ...view.settings, theme: 'dark', numberFormat: 'grouped', retentionDays: null }, secrets: {} });
  });
}

test('the theme changes in every window without a reload; a bad value is refused beside its field; secrets are refused without a key', async ({ page, context }) => {
  await dashboard(page);
  expect(await background(page)).toBe('rgb(13, 17, 23)');
  const settings = await context.newPage();
  try {
    await settings.goto('/?panel=settings');
    await expect(settings.getByRole('form', { name: 'Settings' })).toBeVisible();
    // This web host was started without ORDERBOOK_SETTINGS_KEY: the key fields say why they are off.
    await expect(settings.getByText(/Cannot be stored here: this web host has no way to encrypt secrets/)).toBeVisible();
    await expect(settings.getByLabel('Key', { exact: true })).toBeDisabled();

    // Light: the dashboard (another window) follows at once, and its canvas panels repaint.
    const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await settings.getByRole('combobox', { name: 'Theme' }).selectOption('light');
    await expect.poll(() => background(page)).toBe('rgb(238, 241, 245)');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(marker);
    // The ladder canvas's commonest colour is its background: the light theme's panel white.
    const ladderBg = async () => commonestColour(await shownPixels(page.getByRole('region', { name: 'DOM ladder', exact: true }).locator('canvas').first()));
    // Looked at as the trader would: the dashboard's window in front (the settings window was).
    await page.bringToFront();
    await expect.poll(ladderBg, { timeout: 15_000 }).toBe('255,255,255');

    // A retention of 0 days is refused beside the field and nothing is saved.
    await settings.getByRole('textbox', { name: 'Retention in days' }).fill('0');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(settings.getByRole('alert').filter({ hasText: 'at least 1 day' })).toBeVisible();
    await expect(settings.getByRole('alert').filter({ hasText: 'Not saved' })).toBeVisible();
    await settings.getByRole('textbox', { name: 'Retention in days' }).fill('30');
    await settings.getByRole('combobox', { name: 'Theme' }).selectOption('colour-blind');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(settings.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bid').trim())).toBe('#3a9bdc');

    // Saved: a fresh window starts in the saved theme.
    const fresh = await context.newPage();
    await fresh.goto('/?panel=settings');
    await expect(fresh.getByRole('combobox', { name: 'Theme' })).toHaveValue('colour-blind');
    await expect(fresh.getByRole('textbox', { name: 'Retention in days' })).toHaveValue('30');
    for (const viewport of VIEWPORTS) {
      await fresh.setViewportSize(viewport);
      await fresh.screenshot({ path: test.info().outputPath(`settings-page-${viewport.width}x${viewport.height}.png`) });
    }
    await fresh.close();
  } finally {
    await restoreDark(page);
    await settings.close();
  }
});

test('two workspaces saved, switched between, exported and imported; damaged and newer files refused', async ({ page }, testInfo) => {
  await dashboard(page);
  const regions = page.getByRole('region');
  const initial = await regions.count();
  const menuButton = page.getByRole('button', { name: /^Workspace/ });
  const dialog = page.getByRole('dialog', { name: 'Workspaces' });
  const open = async () => {
    if (!(await dialog.isVisible())) await menuButton.click();
  };
  const saveAs = async (name: string) => {
    await open();
    await dialog.getByRole('textbox', { name: 'Workspace name' }).fill(name);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog.getByRole('status')).toHaveText(`Saved ${name}.`);
  };

  await saveAs('Overview');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: '+ Add panel' }).click();
  await page.getByRole('menuitem', { name: 'Resting liquidity profile' }).click();
  await expect(regions).toHaveCount(initial + 1);
  await saveAs('Profile');
  await expect(menuButton).toHaveAccessibleName('Workspace: Profile');

  await dialog.getByRole('button', { name: 'Overview', exact: true }).click();
  await expect(regions).toHaveCount(initial);
  await expect(page.getByRole('region', { name: 'Resting liquidity profile', exact: true })).toHaveCount(0);
  await expect(menuButton).toHaveAccessibleName('Workspace: Overview');
  await dialog.getByRole('button', { name: 'Profile', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Resting liquidity profile', exact: true })).toBeVisible();
  await expect(regions).toHaveCount(initial + 1);

  // Export Profile, then import the file: it comes back as "Profile (2)" with the same panels.
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export Profile' }).click();
  const download = await downloading;
  const file = testInfo.outputPath('profile.obm-workspace.json');
  await download.saveAs(file);
  const text = readFileSync(file, 'utf8');
  expect(JSON.parse(text)).toMatchObject({ format: 'orderbook-monitor-workspace', version: 1, workspace: { name: 'Profile' } });
  const importInput = dialog.locator('input[type="file"]');
  await importInput.setInputFiles({ name: 'profile.obm-workspace.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(dialog.getByRole('status')).toHaveText('Imported Profile (2).');
  await dialog.getByRole('button', { name: 'Overview', exact: true }).click();
  await expect(regions).toHaveCount(initial);
  await dialog.getByRole('button', { name: 'Profile (2)', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Resting liquidity profile', exact: true })).toBeVisible();

  // A damaged file and one from a newer version are refused with the reason; the list is unchanged.
  const names = () => dialog.getByRole('list', { name: 'Saved workspaces' }).getByRole('listitem').count();
  const before = await names();
  await importInput.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(text.slice(0, text.length / 2)) });
  await expect(dialog.getByRole('alert')).toContainText('broken.json not imported: not a workspace file: the JSON is damaged');
  const newer = JSON.stringify({ ...JSON.parse(text), version: 2 });
  await importInput.setInputFiles({ name: 'newer.json', mimeType: 'application/json', buffer: Buffer.from(newer) });
  await expect(dialog.getByRole('alert')).toContainText('newer version of the app (file version 2, this app reads 1)');
  expect(await names()).toBe(before);

  // Rename and delete.
  await dialog.getByRole('textbox', { name: 'Workspace name' }).fill('Imported');
  await dialog.getByRole('button', { name: 'Rename Profile (2)' }).click();
  await expect(dialog.getByRole('button', { name: 'Imported', exact: true })).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete Imported' }).click();
  await expect(dialog.getByRole('button', { name: 'Imported', exact: true })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('workspaces-menu.png') });
});

/** Real captures of several price magnitudes. */
const MARKETS = [
  { file: 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl', search: 'eth', symbol: 'ETHUSDT' },
  { file: 'kraken_2021-04-17.capture.jsonl', search: 'ksm', symbol: 'KSM/XBT' },
];

for (const market of MARKETS) {
  test(`the dashboard in the light and colour-blind themes on a replayed ${market.symbol} book`, async ({ page }, testInfo) => {
    test.setTimeout(150_000);
    linkCapture(market.file);
    await page.setViewportSize(VIEWPORTS[0]!);
    await dashboard(page);
    await page.evaluate((name) => window.orderbook!.invoke('replay.open', { name, speed: 0 }), market.file);
    await expectReplayDone(page, market.file, 60_000);
    await pickSymbol(page, market.search, market.symbol, market.symbol, 15_000);
    const slug = market.symbol.replace(/\W+/g, '').toLowerCase();
    for (const theme of ['light', 'colour-blind'] as const) {
      // The same store the settings page sets: every window follows it.
      await page.evaluate((t) => {
        localStorage.setItem('obm.appearance.v1', JSON.stringify({ theme: t, numberFormat: 'grouped' }));
        new BroadcastChannel('obm:obm.appearance.v1').postMessage('changed');
      }, theme);
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport);
        await page.waitForTimeout(400);
        await page.screenshot({ path: testInfo.outputPath(`dashboard-${theme}-${slug}-${viewport.width}x${viewport.height}.png`) });
      }
    }
  });
}
