/**
 * The cross-venue views in Chromium on a web host of its own running demo and demo-b (demo-b quotes
 * the same assets, BTC on a coarser tick, its mids following demo's 400 ms late): the group picked
 * from the symbol picker as "BTC/USDT · all venues"; the consolidated ladder splitting rows between
 * both venues; the NBBO panel naming each side's venue, four depth bands and lead/lag finding that
 * demo moves first; the consolidated depth and heatmap drawn. Screenshots at 1280x720, 1600x1000 and
 * 1920x1080 for BTC (~64,000) and XRP (~0.52), written to test-results/. Then real captures of two
 * price magnitudes replayed in the app: a replayed symbol has no instrument list, so its group is its
 * own book, which the consolidated views must show as a one-venue book on its own price unit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { capture } from '../support/paths';

let host: ChildProcess | null = null;
let baseUrl = '';

test.beforeAll(async () => {
  // Port 0: the host picks a free port and prints its URL.
  host = spawn('npx', ['tsx', 'src/main/web/main.ts', '--port', '0', '--venue', 'demo,demo-b', '--data', 'test-results/e2e-cross-data'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the host (npx's child) stops with it.
    detached: true,
  });
  baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${out}`)), 60_000);
    host!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /web host: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    host!.on('exit', (code) => reject(new Error(`web host exited with ${code}: ${out}`)));
  });
});

test.afterAll(() => {
  if (host?.pid) process.kill(-host.pid, 'SIGTERM');
});

const SIZES: Array<[number, number]> = [
  [1280, 720],
  [1600, 1000],
  [1920, 1080],
];

/** A dashboard of the four cross-venue panels, stored before the app loads. */
async function crossDashboard(page: Page): Promise<void> {
  const layout = {
    version: 1,
    columns: [
      { id: 'c1', size: 30, panels: [{ id: 'p-ladder', kind: 'cross-ladder', link: 'dashboard', symbol: null, settings: {} }], panelSizes: [100] },
      {
        id: 'c2',
        size: 40,
        panels: [
          { id: 'p-depth', kind: 'cross-depth', link: 'dashboard', symbol: null, settings: {} },
          { id: 'p-heat', kind: 'cross-heatmap', link: 'dashboard', symbol: null, settings: {} },
        ],
        panelSizes: [45, 55],
      },
      { id: 'c3', size: 30, panels: [{ id: 'p-nbbo', kind: 'cross-nbbo', link: 'dashboard', symbol: null, settings: {} }], panelSizes: [100] },
    ],
    detached: [],
  };
  await page.addInitScript((l) => {
    if (!localStorage.getItem('obm.layout.v1')) localStorage.setItem('obm.layout.v1', JSON.stringify(l));
  }, layout);
}

async function pickGroup(page: Page, query: string, key: string): Promise<void> {
  const picker = page.getByRole('combobox', { name: 'Symbol', exact: true });
  await picker.click();
  await picker.fill(query);
  const option = page.getByRole('option').first();
  await expect(option).toContainText(`${key} · all venues`);
  await expect(option).toContainText('Demo, Demo B');
  await picker.press('Enter');
  await expect(picker).toHaveValue(`${key} · all venues`);
}

for (const asset of [
  { query: 'btc usdt', key: 'BTC/USDT', name: 'btc', tick: '0.1' },
  { query: 'xrp usdt', key: 'XRP/USDT', name: 'xrp', tick: '0.0001' },
]) {
  test(`cross-venue panels on demo,demo-b ${asset.key}: merged ladder, NBBO, bands, lead/lag; three screen sizes`, async ({ page }, testInfo) => {
    test.setTimeout(150_000);
    await crossDashboard(page);
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(baseUrl);
    await pickGroup(page, asset.query, asset.key);

    const ladder = page.getByRole('region', { name: 'Consolidated ladder', exact: true });
    await expect(ladder.getByRole('table', { name: 'Consolidated ladder' })).toBeVisible({ timeout: 15_000 });
    // Both venues merged (chips), rows on the common tick, some rows holding both venues' shares.
    await expect(ladder.locator('.cross-venue-chip.included')).toHaveCount(2, { timeout: 15_000 });
    await expect(ladder.getByRole('combobox', { name: /row height/ })).toContainText(`tick ${asset.tick}`);
    await expect.poll(async () => ladder.locator('tr.cross-row').filter({ has: page.locator('.share[data-venue="demo"]') }).filter({ has: page.locator('.share[data-venue="demo-b"]') }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const decimals = asset.tick.split('.')[1]!.length;
    for (const price of await ladder.locator('tr.cross-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-price')!))) {
      expect(price.split('.')[1]?.length ?? 0).toBe(decimals);
    }

    const nbbo = page.getByRole('region', { name: 'NBBO & cross-venue', exact: true });
    await expect(nbbo.getByRole('table', { name: 'Venues in the group' }).locator('tbody tr')).toHaveCount(2);
    await expect(nbbo.getByRole('table', { name: 'Venues in the group' })).toContainText('merged');
    const bands = nbbo.getByRole('table', { name: 'Depth bands' });
    await expect(bands.locator('tbody tr')).toHaveCount(4);
    await expect(bands.locator('tbody tr').first()).toContainText('±10 bps');
    // demo-b's mids follow demo's 400 ms late: lead/lag must find demo first, by a few hundred ms.
    const pair = nbbo.getByRole('table', { name: 'Lead/lag' }).locator('tbody tr').first();
    await expect
      .poll(
        async () => {
          const [leader, by] = await Promise.all([pair.locator('td').nth(1).textContent(), pair.locator('td').nth(2).textContent()]);
          const lagMs = Number(by?.replace(' ms', ''));
          return leader === 'demo' && lagMs >= 200 && lagMs <= 700;
        },
        { timeout: 45_000, intervals: [1000] },
      )
      .toBe(true);
    await expect(page.getByRole('img', { name: 'Consolidated depth chart' }).locator('canvas')).toBeVisible();
    await expect(page.getByRole('img', { name: 'Consolidated heatmap' }).locator('canvas')).toBeVisible();
    // Let the heatmap gather some columns before the pictures.
    await page.waitForTimeout(6_000);
    for (const [w, h] of SIZES) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(1_200);
      await page.screenshot({ path: testInfo.outputPath(`cross-venue-${asset.name}-${w}x${h}.png`) });
    }
  });
}

for (const cap of [
  // Binance spot NKNUSDT (~0.35 USDT) and Binance USD-M ETHUSDT (~2,700 USDT).
  { file: 'binance-spot_2021-10-12.capture.jsonl', speed: 1, venue: 'binance-spot', name: 'nkn' },
  { file: 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl', speed: 5, venue: 'binance-usdm', name: 'ethusdt' },
]) {
  test(`cross-venue panels on a replayed real capture (${cap.file}): a one-venue group; three screen sizes`, async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    await crossDashboard(page);
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(baseUrl);
    const recordings = join('test-results', 'e2e-cross-data', 'recordings');
    mkdirSync(recordings, { recursive: true });
    copyFileSync(capture(cap.file), join(recordings, cap.file));
    await page.getByRole('button', { name: '⟲ Replay…' }).click();
    await page.getByRole('menuitem', { name: new RegExp(cap.file.replace(/\./g, '\\.')) }).click();
    await page.evaluate((s) => window.orderbook!.invoke('replay.control', { action: 'speed', speed: s }), cap.speed);
    const ladder = page.getByRole('region', { name: 'Consolidated ladder', exact: true });
    await expect(ladder.locator('.cross-venue-chip.included')).toHaveCount(1, { timeout: 20_000 });
    await expect(ladder.locator(`.cross-venue-chip[data-venue="${cap.venue}"]`)).toBeVisible();
    await expect.poll(async () => ladder.locator('tr.cross-row').count(), { timeout: 15_000 }).toBeGreaterThan(4);
    const nbbo = page.getByRole('region', { name: 'NBBO & cross-venue', exact: true });
    await expect(nbbo.getByRole('table', { name: 'Venues in the group' }).locator('tbody tr')).toHaveCount(1);
    await expect(nbbo.getByRole('table', { name: 'Lead/lag' })).toHaveCount(0);
    await page.waitForTimeout(8_000);
    for (const [w, h] of SIZES) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(1_000);
      await page.screenshot({ path: testInfo.outputPath(`cross-venue-replay-${cap.name}-${w}x${h}.png`) });
    }
    await page.evaluate(() => window.orderbook!.invoke('replay.control', { action: 'stop' }));
  });
}
